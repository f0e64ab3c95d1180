"""Checks of one row: values from the lists, dates, Ja/Nee and required fields per Soort and Status.

Every check returns Dutch lines for the Controle column and changes nothing: what
people typed stays as they typed it.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

from klachtsheet import nummer, schema
from klachtsheet.addresses import is_email
from klachtsheet.categories import Catalogue, Category, normalise
from klachtsheet.model import Complaint, Table, complaints, now, parse_date
from klachtsheet.privacy.anonymise import is_marker
from klachtsheet.privacy.confidential import STUB_DESCRIPTION
from klachtsheet.rules.context import (
    HANDED_OVER,
    RuleContext,
    build_context,
    canonical,
    choices,
)

H = schema.KLACHTEN.header

# Columns checked against their list; the first ones must be filled in on every row.
REQUIRED_CHOICES = ("kanaal", "soort", "status")
OPTIONAL_CHOICES = ("bevestiging_via", "vertrouwelijk", "opgelost_1e_lijn", "tevredenheid")
# Date columns people type; the sync's own date columns it writes itself.
PEOPLE_DATES = tuple(
    c.key for c in schema.KLACHTEN.columns if c.is_date and c.owner is not schema.Owner.SYNC
)


def unknown_category_message(text: str) -> str:
    """Return the Controle message for a category that is not in Categorieën."""
    return (
        f"Onbekende categorie '{text.strip()}': kies er een uit de lijst, "
        "of voeg hem toe aan Categorieën"
    )


def nummer_problems(complaint: Complaint) -> list[str]:
    """Check that a Nummer typed by hand is a real Nummer."""
    text = complaint.nummer.strip()
    if text and not nummer.is_valid(text):
        return [
            f"Nummer '{text}' is geen geldig nummer: maak de cel leeg, "
            "dan krijgt de rij een nieuw nummer"
        ]
    return []


def choice_problems(complaint: Complaint) -> list[str]:
    """Check the columns with a fixed list of values (a difference in case is fine)."""
    # Most rows share the same few values: each combination is checked once per process.
    return list(_choice_problems(_choice_values(complaint)))


_CHOICE_KEYS = REQUIRED_CHOICES + OPTIONAL_CHOICES
_choice_values = operator.attrgetter(*_CHOICE_KEYS)
_date_values = operator.attrgetter(*PEOPLE_DATES)


@lru_cache(maxsize=16_384)
def _choice_problems(values: tuple[str, ...]) -> tuple[str, ...]:
    problems = []
    for key, raw in zip(_CHOICE_KEYS, values, strict=True):
        column = schema.KLACHTEN.column(key)
        value = raw.strip()
        if not value:
            if key in REQUIRED_CHOICES:
                problems.append(f"{column.header} is leeg: kies {choices(column.allowed)}")
        elif canonical(value, column.allowed) is None:
            problems.append(
                f"{column.header} '{value}' bestaat niet: kies {choices(column.allowed)}"
            )
    return tuple(problems)


def date_problems(complaint: Complaint) -> list[str]:
    """Check that every date people typed is a date."""
    texts = _date_values(complaint)
    if _DATES_SEEN.issuperset(texts):  # nearly every row: dates already known to be fine
        return []
    problems = []
    if len(_DATES_SEEN) > _DATES_KEPT:
        _DATES_SEEN.clear()
    for key, text in zip(PEOPLE_DATES, texts, strict=True):
        problem = parse_date(text).problem if text else None
        if problem:
            problems.append(f"{H(key)}: {problem.replace('; ', ', ')}")
        else:
            _DATES_SEEN.add(text)
    return problems


# The date texts (and empty text) found to be fine: a register repeats a few thousand, and
# a set answers for a whole row at C speed. Bounded, like the caches of parse_date.
_DATES_SEEN: set[str] = {""}
_DATES_KEPT = 65_536


def email_problems(complaint: Complaint) -> list[str]:
    """Check the e-mail addresses the sync sends to."""
    problems = []
    for key in ("email_deelnemer", "email_invoerder"):
        value = complaint.get(key).strip()
        if value and not is_email(value):
            problems.append(f"{H(key)} '{value}' is geen e-mailadres")
    return problems


def required_problems(complaint: Complaint, soort: str | None, status: str | None) -> list[str]:
    """Check the fields that Soort and Status make necessary."""
    problems = []
    c = complaint
    # After retention or erasure the personal columns are empty on purpose.
    anonymised = is_marker(c.omschrijving)
    if not c.ontvangen_op.strip():
        problems.append(_EMPTY["ontvangen_op"])
    if soort == schema.KLACHT and not anonymised:
        if not c.deelnemer.strip():
            problems.append(_EMPTY["deelnemer"])
        if not c.categorie.strip():
            problems.append("Categorie is leeg: kies er een uit de lijst")
    if soort == schema.NAVRAAG and status in HANDED_OVER:
        problems.append(
            "Een navraag wordt niet overgedragen: maak er een klacht van of kies Afgehandeld"
        )
    if soort == schema.KLACHT and status == schema.AFGEHANDELD:
        problems.append(
            "Afgehandeld is voor een navraag: een klacht eindigt als Opgelost 1e lijn of Afgesloten"
        )
    if status == schema.OPGELOST_1E_LIJN and not anonymised and not c.oplossing_1e_lijn.strip():
        problems.append(_EMPTY["oplossing_1e_lijn"])
    if status in HANDED_OVER and not c.overgedragen_op.strip():
        problems.append(
            f"{H('overgedragen_op')} is leeg: vul de datum van overdracht in (nodig bij status "
            f"{status}), de dagelijkse controle berekent dan Antwoord uiterlijk"
        )
    if status == schema.TERUGGEKOPPELD and not c.teruggekoppeld_deelnemer_op.strip():
        problems.append(_EMPTY["teruggekoppeld_deelnemer_op"])
    if status == schema.AFGESLOTEN and not c.afgesloten_op.strip():
        problems.append(_EMPTY["afgesloten_op"])
    return problems


# "<column> is leeg: <why>" for the columns that Soort and Status make necessary.
_EMPTY = {
    key: f"{H(key)} is leeg: {why}"
    for key, why in (
        ("ontvangen_op", "vul de datum in waarop de melding binnenkwam"),
        ("deelnemer", "nodig bij een klacht"),
        ("oplossing_1e_lijn", "nodig bij status Opgelost 1e lijn"),
        ("teruggekoppeld_deelnemer_op", "nodig bij status Teruggekoppeld"),
        ("afgesloten_op", "nodig bij status Afgesloten"),
    )
}


def category_problems(complaint: Complaint, category: Category | None) -> list[str]:
    """Check the category: an unknown one is proposed, never changed."""
    text = complaint.categorie.strip()
    if text and category is None:
        return [unknown_category_message(text)]
    return []


def location_problems(complaint: Complaint, ctx: RuleContext, *, needed: bool) -> list[str]:
    """Check the location: unknown gets a message, never a guess."""
    text = complaint.locatie.strip()
    if text and ctx.locations.find(text) is None:
        return [
            f"Onbekende locatie '{text}': kies er een uit de lijst, of voeg hem toe aan Locaties"
        ]
    if not text and needed:
        return ["Locatie is leeg: nodig om de coördinator te kiezen"]
    return []


def stub_problems(complaint: Complaint, *, counterpart_known: bool | None) -> list[str]:
    """Check a confidential complaint's stub in the shared register."""
    problems = []
    personal = [
        c.header
        for c in schema.KLACHTEN.columns
        if c.personal
        and complaint.get(c.key).strip()
        and not (c.key == "omschrijving" and complaint.get(c.key).strip() == STUB_DESCRIPTION)
    ]
    if personal:
        problems.append(
            "Vertrouwelijke melding met persoonsgegevens in het gedeelde register "
            f"({', '.join(personal)}): zet die in het vertrouwelijke register en maak "
            "deze cellen leeg"
        )
    if counterpart_known is False:
        problems.append("Staat niet in het vertrouwelijke register: vraag de vertrouwenspersoon")
    return problems


def duplicate_nummers(rows: Iterable[Complaint]) -> list[str]:
    """Return the Nummers that occur more than once."""
    counts = Counter(c.nummer.strip() for c in rows if c.nummer.strip())
    return sorted(n for n, count in counts.items() if count > 1)


def proposed_categories(tables: Mapping[str, Table]) -> dict[str, int]:
    """Return the unknown categories in Klachten with how often each occurs (proposals)."""
    klachten = tables.get(schema.KLACHTEN_TAB)
    if klachten is None:
        return {}
    catalogue = build_context(tables, now().date()).catalogue
    return count_unknown(catalogue, complaints(klachten))


def count_unknown(catalogue: Catalogue, rows: Iterable[Complaint]) -> dict[str, int]:
    """Count the categories the catalogue does not know, by the first spelling seen."""
    counts: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for complaint in rows:
        text = complaint.categorie.strip()
        if text and catalogue.match(text) is None:
            key = normalise(text)
            spelling.setdefault(key, text)
            counts[spelling[key]] = counts.get(spelling[key], 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
