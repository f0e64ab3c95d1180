"""Form definitions (YAML, editable by non-programmers) and validation of what people submit.

A definition names, per field, the Klachten column it fills, the question, the type and
simple rules (required, required-if, show-if). ``load_forms`` reads the packaged definitions
in ``klachtsheet/forms`` and then ``config.forms_dir``; ``validate`` checks submitted values
the same way for the web form and the phone-list import; ``build_complaint`` turns a clean
submission into a :class:`~klachtsheet.model.Complaint` with the status the intake rules give.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table
from klachtsheet.model import Table

# Field types, named in Dutch because non-programmers write them in the YAML.
SHORT, LONG, CHOICE, YES_NO, DATE, PHONE, EMAIL = (
    "korte tekst", "lange tekst", "keuze", "ja/nee", "datum", "telefoon", "e-mail",
)  # fmt: skip
TYPES = (SHORT, LONG, CHOICE, YES_NO, DATE, PHONE, EMAIL)
DEFAULT_MAX = {SHORT: 200, LONG: 4000, CHOICE: 200, YES_NO: 3, DATE: 30, PHONE: 30, EMAIL: 254}
ABSOLUTE_MAX = 10_000
CHOICE_TABS = (schema.LOCATIES_TAB, schema.CATEGORIEEN_TAB)

# Columns a form may fill: the form-owned ones, except what the system sets itself.
SYSTEM_KEYS = ("nummer", "ontvangen_op")
FORM_KEYS = tuple(
    c.key
    for c in schema.KLACHTEN.columns
    if c.owner is schema.Owner.FORM and c.key not in SYSTEM_KEYS
)


@dataclass(frozen=True)
class Condition:
    """A rule on an earlier field: it holds when that field is shown and has one of the values."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FormField:
    """One question of a form, filling one Klachten column."""

    key: str
    label: str
    type: str
    help: str = ""
    required: bool = False
    required_if: tuple[Condition, ...] = ()
    show_if: tuple[Condition, ...] = ()
    choices: tuple[str, ...] = ()
    choices_from: str | None = None
    max_length: int = 200
    error_message: str = ""
    line: int = 0

    @property
    def header(self) -> str:
        return schema.KLACHTEN.header(self.key)

    @property
    def as_checkbox(self) -> bool:
        """An optional yes/no question is one box to tick; a required one asks Ja or Nee."""
        return self.type == YES_NO and not self.required and not self.required_if


@dataclass(frozen=True)
class FormDefinition:
    """A whole form: title, introduction, fixed values and its fields in order."""

    name: str
    title: str
    intro: str
    fields: tuple[FormField, ...]
    fixed: tuple[tuple[str, str], ...] = ()
    source: str = ""

    def field(self, key: str) -> FormField:
        """Return the field filling the column with this key."""
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)

    def by_header(self, header: str) -> FormField | None:
        """Return the field filling the column with this Dutch header (any case)."""
        wanted = " ".join(header.split()).casefold()
        for item in self.fields:
            if item.header.casefold() == wanted:
                return item
        return None

    def describe(self, condition: Condition) -> str:
        """Return a condition in Dutch words, for help texts when script does not run."""
        label = self.field(condition.key).label.rstrip("?:")
        values = " of ".join(f"'{v}'" for v in condition.values)
        return f"'{label}' is {values}"


@dataclass(frozen=True)
class Choices:
    """Live choices from the register: locations and the category catalogue."""

    locations: tuple[str, ...] = ()
    catalogue: Catalogue = field(default_factory=lambda: Catalogue([]))

    @classmethod
    def from_tables(cls, tables: Mapping[str, Table]) -> Choices:
        """Read the choices from the Locaties and Categorieën tabs (as read in one call)."""
        locaties = tables.get(schema.LOCATIES_TAB)
        names = locaties.column("Locatie") if locaties else []
        return cls(
            tuple(v.strip() for v in names if v.strip()),
            Catalogue(from_table(tables.get(schema.CATEGORIEEN_TAB))),
        )

    def for_field(self, item: FormField) -> tuple[str, ...]:
        """Return the choices a field offers now."""
        if item.choices_from == schema.LOCATIES_TAB:
            return self.locations
        if item.choices_from == schema.CATEGORIEEN_TAB:
            return tuple(self.catalogue.active_names())
        if item.type == YES_NO:
            return schema.YES_NO
        return item.choices

    def asked_as_text(self, item: FormField) -> bool:
        """Tell whether a list from the register is empty, so the field takes typed text.

        A new register's Locaties tab is empty until the back office fills it: a required
        choice without any choice would keep every complaint out of the register. What is
        typed is kept; the sync names it in Controle until the list holds it.
        """
        return item.choices_from is not None and not self.for_field(item)


@dataclass(frozen=True)
class Validated:
    """The outcome of validating a submission: clean values by key, or errors by key."""

    values: dict[str, str]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Outcome:
    """What the person sees after a submission (no personal data, so it may be kept)."""

    nummer: str
    soort: str
    status: str
    answer_days: int | None = None
    answer_by: str = ""
    police_advice: bool = False
    confidential: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Outcome:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
