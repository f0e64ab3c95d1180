"""What every rule needs to know besides the row itself, read once from the register's tabs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from klachtsheet import schema
from klachtsheet.categories import Catalogue, Category, PolicePhrases, from_table, normalise
from klachtsheet.model import Table, setting_int, settings
from klachtsheet.rules.assignment import Locations
from klachtsheet.workdays import NO_EXTRA, parse_free_days

# Statuses of a complaint that has been handed over to a coordinator.
HANDED_OVER = (schema.OVERGEDRAGEN, schema.IN_BEHANDELING, schema.TERUGGEKOPPELD, schema.AFGESLOTEN)
# Handed over and still waiting for the coordinator's answer.
WAITING_FOR_ANSWER = (schema.OVERGEDRAGEN, schema.IN_BEHANDELING)
# Statuses in which the complaint still needs a coordinator.
NEEDS_COORDINATOR = (schema.OVERGEDRAGEN, schema.IN_BEHANDELING, schema.TERUGGEKOPPELD)


@dataclass(frozen=True)
class RuleContext:
    """The lookup tables and settings the rules use, and the day they run for."""

    today: date
    catalogue: Catalogue
    locations: Locations
    organisation: str
    organisation_phone: str
    term: int
    confidant: str
    confidant_email: str
    phone_service_email: str
    satisfaction_after_days: int
    volunteer_followup_days: int
    # Dutch lines about wrong values in Instellingen (the defaults were used instead).
    setting_problems: tuple[str, ...] = ()
    # The organisation's own free days besides the public holidays (workdays.py).
    free_days: frozenset[date] = NO_EXTRA
    police: PolicePhrases = field(default_factory=PolicePhrases)
    complaints_manager: str = ""
    complaints_manager_email: str = ""
    backoffice_email: str = ""
    signatory: str = ""
    contact_person: str = ""
    return_address: str = ""
    # The same few spellings recur in thousands of rows: match each one once.
    _categories: dict[str, Category | None] = field(default_factory=dict, compare=False, repr=False)

    def category(self, text: str) -> Category | None:
        """Return the category that text means, or None when it is unknown."""
        if text not in self._categories:
            self._categories[text] = self.catalogue.match(text)
        return self._categories[text]


def build_context(tables: Mapping[str, Table], today: date) -> RuleContext:
    """Return the rule context from the tabs of the shared register."""
    values = settings(tables.get(schema.INSTELLINGEN_TAB))
    problems = []

    def number(key: str) -> int:
        value, problem = setting_int(values, key)
        if problem:
            problems.append(problem)
        return value

    free_days, free_problems = parse_free_days(values["extra_vrije_dagen"])
    return RuleContext(
        today=today,
        catalogue=Catalogue(from_table(tables.get(schema.CATEGORIEEN_TAB))),
        locations=Locations.from_table(tables.get(schema.LOCATIES_TAB)),
        organisation=values["organisatie"],
        organisation_phone=values["telefoon_organisatie"],
        term=number("antwoordtermijn"),
        confidant=values["vertrouwenspersoon"],
        confidant_email=values["email_vertrouwenspersoon"],
        phone_service_email=values["email_telefoondienst"],
        satisfaction_after_days=number("tevredenheid_na_dagen"),
        volunteer_followup_days=number("nieuw_opvolgen_na_dagen"),
        setting_problems=tuple(problems) + free_problems,
        free_days=free_days,
        police=PolicePhrases.from_settings(
            values["aangifte_woorden"], values["aangifte_uitzonderingen"]
        ),
        complaints_manager=values["klachtmanager"],
        complaints_manager_email=values["email_klachtmanager"],
        backoffice_email=values["email_backoffice"],
        signatory=values["ondertekenaar"],
        contact_person=values["contactpersoon"],
        return_address=values["retouradres"],
    )


@lru_cache(maxsize=4096)
def normalised(text: str) -> str:
    """Return normalise(text), remembered: the same values recur in every row."""
    return normalise(text)


def canonical(value: str, allowed: Sequence[str]) -> str | None:
    """Return the allowed value that text means (ignoring case, spaces, accents), or None."""
    if isinstance(allowed, tuple):
        return _canonical(value, allowed)
    return _canonical.__wrapped__(value, allowed)


@lru_cache(maxsize=16_384)
def _canonical(value: str, allowed: Sequence[str]) -> str | None:
    wanted = normalised(value)
    for option in allowed:
        if normalised(option) == wanted:
            return option
    return None


def choices(allowed: Sequence[str]) -> str:
    """Return 'A, B of C' for a message listing the allowed values."""
    if len(allowed) == 1:
        return allowed[0]
    return ", ".join(allowed[:-1]) + " of " + allowed[-1]
