"""Duplicate hints: the same participant, location and activity date within a few days.

A volunteer's report and the participant's own call often describe one complaint. The sync
names the other Nummer in Controle; a person decides and fills in 'Zelfde als', after which
the hint goes and the agenda counts the pair once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from klachtsheet import schema
from klachtsheet.model import Complaint, parse_date
from klachtsheet.participants import number_key, phone_key
from klachtsheet.rules.context import canonical, normalised
from klachtsheet.rules.review import SEPARATOR, Review

# Activity dates at most this many days apart count as the same outing.
WINDOW_DAYS = 3
CONTROLE = schema.KLACHTEN.header("controle")


def _day(complaint: Complaint) -> date | None:
    return parse_date(complaint.datum_activiteit).day or parse_date(complaint.ontvangen_op).day


def _linked(a: Complaint, b: Complaint) -> bool:
    one, other = a.zelfde_als.strip(), b.zelfde_als.strip()
    return one == b.nummer.strip() or other == a.nummer.strip() or (bool(one) and one == other)


def _closed(complaint: Complaint) -> bool:
    return canonical(complaint.status, schema.STATUSSEN) in schema.CLOSED_STATUSES


def duplicate_hints(rows: Sequence[Complaint], window: int = WINDOW_DAYS) -> dict[str, list[str]]:
    """Return, per Nummer, the other Nummers that look like the same complaint.

    Rows are grouped by participant (number or phone) and place first, so the work grows
    with the rows, not with their square: thousands of rows of one day and place are fine.
    """
    pairs: dict[str, set[str]] = {}
    for group in _groups(rows).values():
        if len(group) < 2:
            continue
        group.sort(key=lambda item: (item[0], item[1].nummer))
        for i, (day_a, a) in enumerate(group):
            for day_b, b in group[i + 1 :]:
                if (day_b - day_a).days > window:
                    break
                if a.nummer.strip() == b.nummer.strip() or _linked(a, b):
                    continue
                if _closed(a) and _closed(b):
                    continue  # both dealt with: nothing left to decide
                pairs.setdefault(a.nummer.strip(), set()).add(b.nummer.strip())
                pairs.setdefault(b.nummer.strip(), set()).add(a.nummer.strip())
    return {n: sorted(others) for n, others in pairs.items()}


def _groups(rows: Sequence[Complaint]) -> dict[tuple[str, str, str], list[tuple[date, Complaint]]]:
    """Return the rows with a Nummer, a place and a day, by participant and place."""
    groups: dict[tuple[str, str, str], list[tuple[date, Complaint]]] = {}
    for complaint in rows:
        nummer = complaint.nummer.strip()
        if not nummer or complaint.is_confidential:
            continue
        keys = []
        if complaint.deelnemernummer and (key := number_key(complaint.deelnemernummer)):
            keys.append(("nummer", key))
        if complaint.telefoon and (key := phone_key(complaint.telefoon)):
            keys.append(("telefoon", key))
        if not keys:
            continue
        place, day = normalised(complaint.locatie), _day(complaint)
        if day is None or not place:
            continue
        for kind, key in keys:
            groups.setdefault((kind, key, place), []).append((day, complaint))
    return groups


def hint_text(others: Sequence[str]) -> str:
    """Return the Controle hint naming the other Nummer(s)."""
    names = ", ".join(others)
    return (
        f"Mogelijk dezelfde melding als {names} (zelfde deelnemer, locatie en datum); "
        "vul 'Zelfde als' in als dat zo is"
    )


def with_hint(result: Review, others: Sequence[str] | None) -> Review:
    """Return the review with the duplicate hint added to its Controle messages."""
    if not others:
        return result
    messages = tuple(dict.fromkeys((*result.messages, hint_text(others))))
    wanted = tuple(
        (header, SEPARATOR.join(messages) if header == CONTROLE else value)
        for header, value in result.wanted
    )
    return result._replace(messages=messages, wanted=wanted)


def counted_once(rows: Sequence[Complaint]) -> list[Complaint]:
    """Return the rows without those that say they are the same as another existing row."""
    known = {c.nummer.strip() for c in rows}
    known.discard("")
    # Most rows leave Zelfde als empty: those are kept without stripping anything.
    return [
        c
        for c in rows
        if not c.zelfde_als
        or not (c.zelfde_als.strip() in known and c.zelfde_als.strip() != c.nummer.strip())
    ]


def mapping_of(hints: Mapping[str, list[str]]) -> dict[str, str]:
    """Return the hints as Nummer -> text (for reports and tests)."""
    return {n: hint_text(others) for n, others in hints.items()}
