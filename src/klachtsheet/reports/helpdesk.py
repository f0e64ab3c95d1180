"""The help-desk figures of the agenda (issue 16), apart from the rest of reports/:
escalations in the period, time to first contact, and duplicates counted once.

Read from the Logboek lines the sync wrote (rules/escalation.py, sync/changes.py) and the
'Zelfde als' column; Nummers and counts only, never participant data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from klachtsheet import schema
from klachtsheet.model import Complaint, Table
from klachtsheet.reports.metrics import Median, Period, day_of, median
from klachtsheet.rules.duplicates import counted_once
from klachtsheet.rules.escalation import ACTIONS, MANAGER, REGION
from klachtsheet.sync.changes import first_contacts

__all__ = ["Helpdesk", "agenda_notes", "counted_once", "escalations", "first_contact_days"]


@dataclass(frozen=True)
class Helpdesk:
    """What the agenda can read about escalations, first contact and duplicates."""

    to_region: tuple[str, ...] = ()
    to_manager: tuple[str, ...] = ()
    first_contact: Median = field(default_factory=lambda: Median(None, 0))
    linked: int = 0


def escalations(logboek: Table | None, period: Period) -> dict[str, tuple[str, ...]]:
    """Return the Nummers escalated in the period, per step (each Nummer once)."""
    found: dict[str, dict[str, None]] = {REGION: {}, MANAGER: {}}
    if logboek is None:
        return {k: () for k in found}
    by_action = {action: kind for kind, action in ACTIONS.items()}
    # By column, not by record: the Logboek has a line per event, and few are escalations.
    columns = (logboek.column(header) for header in ("Actie", "Tijdstip", "Nummer"))
    for action, at, nummer in zip(*columns, strict=True):
        kind = by_action.get(action)
        if kind is None or day_of(at) not in period:
            continue
        found[kind][nummer.strip()] = None
    return {k: tuple(sorted(v)) for k, v in found.items()}


def first_contact_days(rows: Sequence[Complaint], logboek: Table | None, period: Period) -> Median:
    """Return the median days from handover to first contact, for contacts in the period."""
    contacts = first_contacts(logboek)
    days = []
    for complaint in rows:
        if complaint.is_confidential:
            continue
        seen = contacts.get(complaint.nummer.strip())
        if seen is None:
            continue
        handed = day_of(complaint.overgedragen_op)
        if handed is None or seen.date() not in period:
            continue
        days.append(max(0, (seen.date() - handed).days))
    return Median(median(days), len(days))


def helpdesk(
    tables: Mapping[str, Table],
    rows: Sequence[Complaint],
    period: Period,
    once: Sequence[Complaint] | None = None,
) -> Helpdesk:
    """Return the help-desk figures of the period; ``once`` is ``counted_once(rows)`` if known."""
    logboek = tables.get(schema.LOGBOEK_TAB)
    steps = escalations(logboek, period)
    linked = len(rows) - len(counted_once(list(rows)) if once is None else once)
    return Helpdesk(
        steps[REGION], steps[MANAGER], first_contact_days(rows, logboek, period), linked
    )


def agenda_notes(
    tables: Mapping[str, Table],
    rows: Sequence[Complaint],
    period: Period,
    once: Sequence[Complaint] | None = None,
):
    """Return Dutch lines for the agenda (shown with its notes); ``once`` as for ``helpdesk``."""
    figures = helpdesk(tables, rows, period, once)
    notes = []
    if figures.to_region or figures.to_manager:
        parts = []
        if figures.to_region:
            parts.append(f"{len(figures.to_region)} naar de regiocoördinator "
                         f"({', '.join(figures.to_region)})")  # fmt: skip
        if figures.to_manager:
            parts.append(f"{len(figures.to_manager)} naar de klachtmanager "
                         f"({', '.join(figures.to_manager)})")  # fmt: skip
        notes.append("Geëscaleerd in deze periode: " + "; ".join(parts))
    if figures.first_contact.count:
        value = f"{figures.first_contact.value:.1f}".replace(".", ",")
        notes.append(
            f"Tijd tot eerste contact (mediaan): {value} dagen na overdracht "
            f"({figures.first_contact.count} klachten)"
        )
    if figures.linked:
        notes.append(
            f"{figures.linked} {'melding' if figures.linked == 1 else 'meldingen'} met "
            "'Zelfde als' één keer meegeteld"
        )
    return tuple(notes)
