"""Records of the register, converted to and from sheet rows by header name."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from klachtsheet import schema

# The dates of the register live in dates.py; these names are the model's too.
from klachtsheet.dates import AMSTERDAM as AMSTERDAM
from klachtsheet.dates import DATE_FORMAT as DATE_FORMAT
from klachtsheet.dates import DATETIME_FORMAT as DATETIME_FORMAT
from klachtsheet.dates import SERIAL_EPOCH as SERIAL_EPOCH
from klachtsheet.dates import ParsedDate as ParsedDate
from klachtsheet.dates import cell_text as cell_text
from klachtsheet.dates import date_cell_value as date_cell_value
from klachtsheet.dates import date_serial as date_serial
from klachtsheet.dates import date_text as date_text
from klachtsheet.dates import format_date as format_date
from klachtsheet.dates import format_datetime as format_datetime
from klachtsheet.dates import now as now
from klachtsheet.dates import parse_date as parse_date


@dataclass(frozen=True)
class Table:
    """The values of one tab as text: a header row and data rows (row 2 onward)."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def records(self) -> Iterator[dict[str, str]]:
        """Yield each row as a mapping from header to value."""
        width = len(self.headers)
        for row in self.rows:
            padded = tuple(row) + ("",) * (width - len(row))
            yield dict(zip(self.headers, padded, strict=False))

    def column(self, header: str) -> list[str]:
        """Return the values of one column (empty strings if the column is missing)."""
        if header not in self.headers:
            return ["" for _ in self.rows]
        index = self.headers.index(header)
        return [row[index] if index < len(row) else "" for row in self.rows]


@dataclass(frozen=True)
class CellUpdate:
    """Set one cell of the row with this Nummer to a value."""

    nummer: str
    header: str
    value: str
    # For a row typed in by hand without a Nummer: the fingerprint of its values when
    # read (see register.fingerprint). The row is found by it, and ``nummer`` is the
    # new Nummer the backend writes into it.
    fingerprint: str = ""
    # Write only if the cell still holds this text (None: always). The sync fills
    # Coördinator only while empty; a name a person typed meanwhile must win.
    expected: str | None = None


def normalise_header(header: str) -> str:
    """Return a header as compared: trimmed, whitespace collapsed."""
    return " ".join(str(header).split())


# Slots: a register of 50,000 rows holds 50,000 of these; an instance dict of 37 entries
# costs four times the memory (about 60 MB more at that size).
@dataclass(frozen=True, slots=True)
class Complaint:
    """One row of the Klachten tab; every value is the text as it stands in the sheet."""

    nummer: str = ""
    ontvangen_op: str = ""
    kanaal: str = ""
    ingevoerd_door: str = ""
    email_invoerder: str = ""
    soort: str = ""
    deelnemer: str = ""
    aanhef: str = ""
    deelnemernummer: str = ""
    telefoon: str = ""
    email_deelnemer: str = ""
    adres: str = ""
    bevestiging_via: str = ""
    locatie: str = ""
    activiteit: str = ""
    datum_activiteit: str = ""
    categorie: str = ""
    vertrouwelijk: str = ""
    omschrijving: str = ""
    opgelost_1e_lijn: str = ""
    oplossing_1e_lijn: str = ""
    status: str = ""
    coordinator: str = ""
    overgedragen_op: str = ""
    antwoord_uiterlijk: str = ""
    bevestiging_verstuurd_op: str = ""
    aangifte_geadviseerd: str = ""
    teruggekoppeld_deelnemer_op: str = ""
    teruggekoppeld_medewerker_op: str = ""
    oplossing: str = ""
    tevredenheid: str = ""
    afgesloten_op: str = ""
    zelfde_als: str = ""
    notities: str = ""
    controle: str = ""
    # Columns people added to the sheet, kept untouched: (header, value) pairs.
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # Position in the sheet when read (2 = first data row); only for messages, never for writes.
    row_number: int | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls,
        values: Mapping[str, str],
        *,
        extra: tuple[tuple[str, str], ...] = (),
        row_number: int | None = None,
    ) -> Complaint:
        """Build a complaint from a mapping of column key (schema.KLACHTEN) to text."""
        unknown = set(values) - COMPLAINT_KEYS
        if unknown:
            raise TypeError(f"not a Klachten column: {', '.join(sorted(unknown))}")
        given: dict[str, Any] = dict(values)
        return cls(**given, extra=extra, row_number=row_number)

    @classmethod
    def from_row(
        cls, headers: Sequence[str], row: Sequence[str], row_number: int | None = None
    ) -> Complaint:
        """Build a complaint from a sheet row, matching columns by header name."""
        values: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        for index, header in enumerate(headers):
            value = row[index] if index < len(row) else ""
            value = "" if value is None else str(value)
            column = schema.KLACHTEN.by_header(normalise_header(header))
            if column is None:
                if header:
                    extra.append((header, value))
            elif column.key not in values:
                values[column.key] = value
        return cls.of(values, extra=tuple(extra), row_number=row_number)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Complaint:
        """Build a complaint from a mapping of Dutch header to value."""
        headers = list(values)
        return cls.from_row(headers, [values[h] for h in headers])

    def to_row(self, headers: Sequence[str]) -> list[str]:
        """Return the values in the order of these headers; unknown headers keep extras."""
        extras = dict(self.extra)
        row = []
        for header in headers:
            column = schema.KLACHTEN.by_header(normalise_header(header))
            row.append(getattr(self, column.key) if column else extras.get(header, ""))
        return row

    def to_mapping(self) -> dict[str, str]:
        """Return the schema columns as a mapping from Dutch header to value."""
        return {c.header: getattr(self, c.key) for c in schema.KLACHTEN.columns}

    def get(self, key: str) -> str:
        """Return the value of the column with this key."""
        return getattr(self, key)

    def date(self, key: str) -> ParsedDate:
        """Return the date in the column with this key, parsed."""
        return parse_date(getattr(self, key))

    def with_values(self, **values: str) -> Complaint:
        """Return a copy with some values changed."""
        unknown = set(values) - COMPLAINT_KEYS
        if unknown:
            raise TypeError(f"not a Klachten column: {', '.join(sorted(unknown))}")
        return self._made({**{name: getattr(self, name) for name in _SETTERS}, **values})

    @classmethod
    def _made(cls, values: dict[str, Any]) -> Complaint:
        # The frozen __init__ goes through object.__setattr__ for each of its 37 fields, at
        # twice the cost of the slots' own setters: for values already checked to be exactly
        # the fields (the callers below), the result is the same object.
        made = object.__new__(cls)
        for name, value in values.items():
            _SETTERS[name](made, value)
        return made

    @property
    def is_confidential(self) -> bool:
        text = self.vertrouwelijk
        # Nearly every row holds "" or "Ja" as the form wrote it: answered without a copy.
        return text == "Ja" or (text != "" and text.strip().lower() == "ja")


# The text fields of Complaint are exactly the Klachten columns (tests/register/test_register_model.py).
COMPLAINT_KEYS = frozenset(c.key for c in schema.KLACHTEN.columns)
# The sync, retention and the agenda each turn the same table into complaints; a table is
# immutable, so the result is kept in memory for as long as the table itself lives.
_COMPLAINTS: dict[int, tuple[weakref.ref[Table], list[Complaint]]] = {}


def complaints(table: Table) -> list[Complaint]:
    """Return the complaints of a Klachten table, skipping rows that are completely empty."""
    found = _COMPLAINTS.get(id(table))
    if found is not None and found[0]() is table:
        return list(found[1])
    result = complaints_of(table.headers, table.rows)
    remember_complaints(table, result)
    return list(result)


def remember_complaints(table: Table, found: list[Complaint]) -> None:
    """Keep these as the complaints of the table (made from its rows, a block at a time)."""
    key = id(table)

    def forget(_: weakref.ref[Table]) -> None:
        _COMPLAINTS.pop(key, None)

    _COMPLAINTS[key] = (weakref.ref(table, forget), found)


def complaints_of(
    headers: Sequence[str], rows: Sequence[Sequence[str]], first: int = 2
) -> list[Complaint]:
    """Return the complaints of Klachten rows from sheet row ``first`` on, skipping empty rows."""
    # Resolve the headers once per table rather than once per row (as from_row does):
    # the same result, an order of magnitude faster on a register of 50,000 rows.
    keys: list[tuple[int, str]] = []
    extras: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        column = schema.KLACHTEN.by_header(normalise_header(header))
        if column is None:
            if header:
                extras.append((index, header))
        elif column.key not in seen:
            seen.add(column.key)
            keys.append((index, column.key))
    result = []
    width = len(headers)
    build = _builder(tuple(keys), tuple(extras))
    for number, row in enumerate(rows, start=first):
        try:
            joined = "".join(row)
        except TypeError:  # a backend gave something other than text
            row = tuple("" if v is None else str(v) for v in row)
            joined = "".join(row)
        if not joined or joined.isspace():
            continue
        if len(row) < width:
            row = tuple(row) + ("",) * (width - len(row))
        result.append(build(row, number))
    return result


@lru_cache(maxsize=64)
def _builder(
    keys: tuple[tuple[int, str], ...], extras: tuple[tuple[int, str], ...]
) -> Callable[[Sequence[str], int], Complaint]:
    """Return a function that makes the Complaint of a row of a tab with these columns.

    Generated once per layout of the columns, the way dataclasses generates an __init__:
    one line per column, each value set with the slot's own setter (see Complaint._made),
    instead of a loop over the columns for every row (a third faster at 10,000 rows). The
    keys come from schema.KLACHTEN itself, so Complaint.of's check is not needed; the
    source holds only row indexes and names of its own, never text from the sheet.
    """
    scope: dict[str, Any] = {"new": object.__new__, "Complaint": Complaint}
    lines = ["def build(row, number):", "    made = new(Complaint)"]
    given = {key for _, key in keys}
    for n, (index, key) in enumerate(keys):
        scope[f"set{n}"] = _SETTERS[key]
        lines.append(f"    set{n}(made, row[{index}])")
    for n, key in enumerate(k for k in _DEFAULTS if k not in given):
        if key not in ("extra", "row_number"):
            scope[f"fix{n}"], scope[f"default{n}"] = _SETTERS[key], _DEFAULTS[key]
            lines.append(f"    fix{n}(made, default{n})")
    pairs = "".join(f"(header{n}, row[{index}]), " for n, (index, _) in enumerate(extras))
    scope.update({f"header{n}": header for n, (_, header) in enumerate(extras)})
    scope["set_extra"], scope["set_number"] = _SETTERS["extra"], _SETTERS["row_number"]
    lines += [f"    set_extra(made, ({pairs}))", "    set_number(made, number)", "    return made"]
    exec("\n".join(lines), scope)  # noqa: S102 -- generated from indexes only, see above
    return scope["build"]


_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Complaint)}
_SETTERS = {name: getattr(Complaint, name).__set__ for name in _DEFAULTS}


def settings(table: Table | None) -> dict[str, str]:
    """Return the Instellingen as a mapping from setting key to value, with defaults."""
    by_name = {}
    if table is not None:
        for record in table.records():
            name = normalise_header(record.get("Instelling", ""))
            if name:
                by_name[name] = record.get("Waarde", "").strip()
    result = {}
    for setting in schema.SETTINGS:
        result[setting.key] = by_name.get(setting.name) or setting.default
    return result


def setting_int(values: Mapping[str, str], key: str) -> tuple[int, str | None]:
    """Return an integer setting, or its default and a Dutch problem when it is not a number."""
    default = next(s for s in schema.SETTINGS if s.key == key)
    text = values.get(key, default.default)
    try:
        number = int(str(text).strip())
        if number < 0:
            raise ValueError(text)
        return number, None
    except ValueError:
        return int(default.default), (
            f"Instelling '{default.name}' is '{text}', geen geheel getal; "
            f"standaard {default.default} gebruikt"
        )
