"""Access requests, part 1: recognising one participant in both registers.

A name is found despite titles and initials: "H. de Boer" finds "mevrouw H. de Boer" and
"Mevr. Hennie de Boer" (same surname, first initial agrees), never "J. de Boer".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from klachtsheet import categories, schema
from klachtsheet.exceptions import KlachtsheetError, RegisterError
from klachtsheet.model import Complaint, Table, complaints
from klachtsheet.register import Register
from klachtsheet.schema import CONFIDENTIAL, SHARED

MIN_PHONE_DIGITS = 6
# Categories whose complaints are about another person by their nature.
ABOUT_OTHERS = (
    "Een klacht m.b.t. een vrijwilliger",
    "Een klacht m.b.t. een mede-deelnemer",
    "Vrijwilliger met een klacht",
)
_ABOUT_OTHERS_WORDS = ("vrijwilliger", "deelnemer")
_TITLES = {
    "mevrouw", "mevr", "mw", "mvr", "mej", "juffrouw", "heer", "dhr", "hr", "meneer",
    "mijnheer", "familie", "fam", "de heer",
}  # fmt: skip
_PARTICLES = {
    "de", "den", "der", "van", "het", "t", "te", "ten", "ter", "in", "op", "aan", "bij",
    "uit", "vd", "la", "le", "du", "da", "di", "del", "von",
}  # fmt: skip


def phone_key(text: str) -> str:
    """Return a phone number as compared: digits only, +31 and 0031 read as a leading 0."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _compact(text: str) -> str:
    return "".join(categories.normalise(text).split())


@dataclass(frozen=True)
class PersonQuery:
    """Who an access or erasure request is about: exactly one way to recognise the person."""

    deelnemernummer: str = ""
    naam: str = ""
    telefoon: str = ""
    email: str = ""

    def __post_init__(self) -> None:
        given = [
            v for v in (self.deelnemernummer, self.naam, self.telefoon, self.email) if v.strip()
        ]
        if len(given) != 1:
            raise KlachtsheetError(
                "Geef precies één van: deelnemernummer, naam, telefoonnummer of e-mailadres"
            )
        if self.telefoon.strip() and len(phone_key(self.telefoon)) < MIN_PHONE_DIGITS:
            raise KlachtsheetError(f"Een telefoonnummer heeft minstens {MIN_PHONE_DIGITS} cijfers")
        if self.naam.strip() and len(categories.normalise(self.naam)) < 2:
            raise KlachtsheetError("Geef de naam zoals die in het register staat")
        if self.email.strip() and "@" not in self.email:
            raise KlachtsheetError("Een e-mailadres bevat een @")

    def matches(self, complaint: Complaint) -> bool:
        """Tell whether a complaint is about this person; empty cells never match."""
        if self.deelnemernummer.strip():
            value = _compact(complaint.deelnemernummer)
            return bool(value) and value == _compact(self.deelnemernummer)
        if self.naam.strip():
            return names_match(self.naam, complaint.deelnemer)
        if self.telefoon.strip():
            value = phone_key(complaint.telefoon)
            return len(value) >= MIN_PHONE_DIGITS and value == phone_key(self.telefoon)
        value = complaint.email_deelnemer.strip().casefold()
        return bool(value) and value == self.email.strip().casefold()


@dataclass(frozen=True)
class Found:
    """One complaint about the person, and the register it came from."""

    register: str
    complaint: Complaint


def find_person(tables: Mapping[str, Mapping[str, Table]], query: PersonQuery) -> list[Found]:
    """Return the complaints about one person in every register given (label -> tables)."""
    found: list[Found] = []
    for label, register_tables in tables.items():
        table = register_tables.get(schema.KLACHTEN_TAB)
        if table is None:
            continue
        found.extend(Found(label, c) for c in complaints(table) if query.matches(c))
    return sorted(found, key=_received)


def _received(item: Found) -> tuple[date, str]:
    day = item.complaint.date("ontvangen_op").day
    return (day or date.min, item.complaint.nummer)


def read_registers(
    shared: Register, confidential: Register | None, tabs: Sequence[str]
) -> tuple[dict[str, dict[str, Table]], list[str]]:
    """Read both registers once; a missing confidential register becomes a note."""
    result: dict[str, dict[str, Table]] = {SHARED: shared.read(tabs)}
    notes = []
    if confidential is None:
        notes.append(
            "Geen vertrouwelijk register gevonden; alleen het gedeelde register doorzocht."
        )
    else:
        try:
            result[CONFIDENTIAL] = confidential.read(
                [t for t in tabs if t in (schema.KLACHTEN_TAB, schema.LOGBOEK_TAB)]
            )
        except RegisterError as error:
            notes.append(f"Vertrouwelijk register niet doorzocht: {error}")
    return result, notes


def about_others(complaint: Complaint, catalogue: categories.Catalogue) -> bool:
    """Tell whether a complaint's category is about another person by its nature."""
    matched = catalogue.match(complaint.categorie)
    if matched is not None and matched.name in ABOUT_OTHERS:
        return True
    text = categories.normalise(complaint.categorie)
    return any(word in text for word in _ABOUT_OTHERS_WORDS)


def name_parts(name: str) -> tuple[tuple[str, ...], str]:
    """Return (given names or initials, surname with its tussenvoegsel), titles left out."""
    words = categories.normalise(name).split()
    if len(words) >= 2 and f"{words[0]} {words[1]}" in _TITLES:
        words = words[2:]
    while words and words[0] in _TITLES:
        words = words[1:]
    if not words:
        return (), ""
    start = len(words) - 1
    for index, word in enumerate(words[:-1]):
        if word in _PARTICLES:
            start = index
            break
    return tuple(words[:start]), " ".join(words[start:])


def names_match(asked: str, typed: str) -> bool:
    """Tell whether the name asked for is the participant's name in a row."""
    if not typed.strip():
        return False
    if categories.normalise(asked) == categories.normalise(typed):
        return True
    given_a, surname_a = name_parts(asked)
    given_t, surname_t = name_parts(typed)
    if not surname_a or surname_a != surname_t:
        return False
    if not given_a or not given_t:
        return True
    return given_a[0][0] == given_t[0][0]
