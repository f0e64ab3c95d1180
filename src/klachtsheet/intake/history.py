"""Caller history: a participant's earlier complaints, and "where is my complaint?" by Nummer.

Pure: from the Klachten rows to what the phone service may read out. Never the text of a
complaint, never a confidential one (nor a stub's details), and nothing about anyone else:
a participant is found by an exact participant number or phone number, or by a name that
matches word for word (titles and initials' dots ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from klachtsheet import schema
from klachtsheet.model import Complaint, parse_date
from klachtsheet.participants import name_key, number_key, phone_key

# How far back the history goes.
HISTORY_DAYS = 2 * 365 + 1
# At most this many earlier complaints are shown (newest first).
MAX_SHOWN = 20
NUMMER_SHAPE = re.compile(r"^\s*(\d{2})\s*-?\s*(\d{3})\s*-?\s*(\d{3})\s*$")


@dataclass(frozen=True)
class Query:
    """What the phone service typed about the caller."""

    deelnemernummer: str = ""
    telefoon: str = ""
    naam: str = ""

    @property
    def empty(self) -> bool:
        return not (number_key(self.deelnemernummer) or phone_key(self.telefoon)
                    or name_key(self.naam))  # fmt: skip


@dataclass(frozen=True)
class Earlier:
    """One earlier complaint as the form shows it: no text, no personal data."""

    nummer: str
    ontvangen: date | None
    categorie: str
    status: str
    coordinator: str

    def to_dict(self) -> dict[str, str]:
        return {
            "nummer": self.nummer,
            "ontvangen": self.ontvangen.isoformat() if self.ontvangen else "",
            "categorie": self.categorie,
            "status": self.status,
            "coordinator": self.coordinator,
        }


@dataclass(frozen=True)
class Whereabouts:
    """What the phone service reads out for one Nummer."""

    nummer: str
    status: str = ""
    antwoord_uiterlijk: date | None = None
    coordinator: str = ""
    afgesloten_op: date | None = None
    confidential: bool = False

    def to_dict(self) -> dict[str, str | bool]:
        return {
            "nummer": self.nummer,
            "status": self.status,
            "antwoord_uiterlijk": self.antwoord_uiterlijk.isoformat()
            if self.antwoord_uiterlijk
            else "",
            "coordinator": self.coordinator,
            "afgesloten_op": self.afgesloten_op.isoformat() if self.afgesloten_op else "",
            "vertrouwelijk": self.confidential,
        }


def _shared_and_open(complaint: Complaint) -> bool:
    # Confidential rows (and stubs, which say Vertrouwelijk: Ja) are never shown.
    return not complaint.is_confidential


def matches(complaint: Complaint, query: Query) -> bool:
    """Tell whether a row is about the participant the query describes."""
    number = number_key(query.deelnemernummer)
    if number and number == number_key(complaint.deelnemernummer):
        return True
    phone = phone_key(query.telefoon)
    if phone and phone == phone_key(complaint.telefoon):
        return True
    name = name_key(query.naam)
    return bool(name) and name == name_key(complaint.deelnemer)


def history(rows: Iterable[Complaint], query: Query, today: date) -> list[Earlier]:
    """Return the participant's complaints of the last two years, newest first."""
    if query.empty:
        return []
    since = today - timedelta(days=HISTORY_DAYS)
    found = []
    for complaint in rows:
        if not _shared_and_open(complaint) or not complaint.nummer.strip():
            continue
        received = parse_date(complaint.ontvangen_op).day
        if received is None or received < since or not matches(complaint, query):
            continue
        found.append(
            Earlier(
                nummer=complaint.nummer.strip(),
                ontvangen=received,
                categorie=complaint.categorie.strip() or complaint.soort.strip(),
                status=complaint.status.strip(),
                coordinator=complaint.coordinator.strip(),
            )
        )
    found.sort(key=lambda e: (e.ontvangen or date.min, e.nummer), reverse=True)
    return found[:MAX_SHOWN]


class HistoryIndex:
    """The rows indexed by participant number, phone and name: a look-up per keystroke
    costs a few dictionary reads, not a pass over the whole register."""

    def __init__(self, rows: Iterable[Complaint]) -> None:
        self.rows = list(rows)
        self.by_key: dict[tuple[str, str], list[Complaint]] = {}
        self.by_nummer: dict[str, Complaint] = {}
        for complaint in self.rows:
            self.by_nummer.setdefault(complaint.nummer.strip(), complaint)
            if not _shared_and_open(complaint):
                continue
            for kind, key in (
                ("nummer", number_key(complaint.deelnemernummer)),
                ("telefoon", phone_key(complaint.telefoon)),
                ("naam", name_key(complaint.deelnemer)),
            ):
                if key:
                    self.by_key.setdefault((kind, key), []).append(complaint)

    def history(self, query: Query, today: date) -> list[Earlier]:
        """Return the same as ``history(rows, query, today)``."""
        found: dict[int, Complaint] = {}
        for kind, key in (
            ("nummer", number_key(query.deelnemernummer)),
            ("telefoon", phone_key(query.telefoon)),
            ("naam", name_key(query.naam)),
        ):
            for complaint in self.by_key.get((kind, key), []) if key else []:
                found[id(complaint)] = complaint
        return history(found.values(), query, today)

    def whereabouts(self, nummer: str) -> Whereabouts | None:
        """Return the same as ``whereabouts(rows, nummer)``."""
        complaint = self.by_nummer.get(clean_nummer(nummer))
        return whereabouts([complaint], nummer) if complaint is not None else None


def clean_nummer(text: str) -> str:
    """Return a typed Nummer in its written form (26-123-456), or '' when it is not one."""
    match = NUMMER_SHAPE.match(text or "")
    return "-".join(match.groups()) if match else ""


def whereabouts(rows: Iterable[Complaint], nummer: str) -> Whereabouts | None:
    """Return the status and answer-by date of the complaint with this Nummer, or None."""
    wanted = clean_nummer(nummer)
    if not wanted:
        return None
    for complaint in rows:
        if complaint.nummer.strip() != wanted:
            continue
        if complaint.is_confidential:
            # The caller knows the Nummer; the form only says who handles it.
            return Whereabouts(wanted, confidential=True)
        return Whereabouts(
            nummer=wanted,
            status=complaint.status.strip() or schema.NIEUW,
            antwoord_uiterlijk=parse_date(complaint.antwoord_uiterlijk).day,
            coordinator=complaint.coordinator.strip(),
            afgesloten_op=parse_date(complaint.afgesloten_op).day,
        )
    return None
