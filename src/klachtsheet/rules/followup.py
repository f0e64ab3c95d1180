"""Follow-up: what is overdue, which volunteer reports wait, whom to call, whom to tell."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from klachtsheet import schema
from klachtsheet.model import Complaint
from klachtsheet.rules.context import RuleContext, canonical
from klachtsheet.rules.deadlines import days_since, is_overdue
from klachtsheet.rules.review import STUB_ROW, Review
from klachtsheet.rules.validation import is_email


# A NamedTuple, like Review: one per row, made at a third of a frozen dataclass's cost.
class Reviewed(NamedTuple):
    """A row as the sync will leave it (Nummer filled in), with its review."""

    complaint: Complaint
    review: Review
    register: str

    @property
    def nummer(self) -> str:
        return self.complaint.nummer


@dataclass(frozen=True)
class Digest:
    """One list of complaints for one recipient."""

    kind: str
    recipient: str
    email: str
    items: tuple[Reviewed, ...]

    def key(self, today: date) -> str:
        """Return the journal key: one digest per kind, recipient and day."""
        who = hashlib.sha256((self.email or self.recipient).casefold().encode()).hexdigest()[:12]
        return f"{self.kind}:{today.isoformat()}:{who}"


OVERDUE, PHONE_SERVICE, SATISFACTION = "te-laat", "telefoondienst", "tevredenheid"


def _followed(rows: Iterable[Reviewed]) -> Iterable[Reviewed]:
    # A stub's follow-up happens in the confidential register, never twice.
    return (row for row in rows if row.review.kind != STUB_ROW)


def overdue(rows: Iterable[Reviewed], today: date) -> list[Reviewed]:
    """Return the complaints still waiting for an answer after their answer-by date."""
    return [
        row for row in _followed(rows) if is_overdue(row.review.status, row.review.answer_by, today)
    ]


def by_coordinator(kind: str, rows: Iterable[Reviewed]) -> list[Digest]:
    """Group rows into one digest per coordinator, oldest answer-by date first."""
    groups: dict[tuple[str, str], list[Reviewed]] = {}
    for row in rows:
        who = (row.review.coordinator or "", row.review.coordinator_email or "")
        groups.setdefault(who, []).append(row)
    return [
        Digest(kind, name, email, tuple(sorted(items, key=_sort_key)))
        for (name, email), items in sorted(groups.items())
    ]


def _sort_key(row: Reviewed) -> tuple[date, str]:
    return (row.review.answer_by or date.max, row.nummer)


def waiting_volunteer_reports(rows: Iterable[Reviewed], ctx: RuleContext) -> list[Reviewed]:
    """Return volunteer reports still Nieuw after the days set in Instellingen."""
    result = []
    for row in _followed(rows):
        complaint = row.complaint
        if (
            row.register == schema.SHARED
            and row.review.status == schema.NIEUW
            and canonical(complaint.kanaal, schema.KANALEN) == "Vrijwilliger"
            and days_since(
                complaint.date("ontvangen_op").day, ctx.today, ctx.volunteer_followup_days
            )
        ):
            result.append(row)
    return result


def satisfaction_due(rows: Iterable[Reviewed], ctx: RuleContext) -> list[Reviewed]:
    """Return complaints fed back long enough ago whose satisfaction is not yet known."""
    return [
        row
        for row in _followed(rows)
        if row.review.status == schema.TERUGGEKOPPELD
        and not row.complaint.tevredenheid.strip()
        and days_since(
            row.complaint.date("teruggekoppeld_deelnemer_op").day,
            ctx.today,
            ctx.satisfaction_after_days,
        )
    ]


# However a handed-over complaint ends, the first-line colleague hears how (seed, step 5).
FEEDBACK_DONE = (schema.TERUGGEKOPPELD, schema.AFGESLOTEN, schema.AFGEHANDELD)


# A complaint closed longer ago than this is history: no notice (no flood after an upgrade).
FIRST_LINE_WITHIN_DAYS = 30


def first_line_to_tell(rows: Iterable[Reviewed], today: date | None = None) -> list[Reviewed]:
    """Return handed-over complaints fed back or closed whose first-line colleague is not told.

    Confidential complaints are left out: the vertrouwenspersoon tells the reporter herself.
    A complaint closed (Afgesloten op, else Teruggekoppeld deelnemer op) more than
    FIRST_LINE_WITHIN_DAYS before today is left alone.
    """
    # The told and the open ones first: in a register with years of history those are
    # nearly all rows, and each is then passed over after two checks.
    return [
        row
        for row in _followed(rows)
        if not row.complaint.teruggekoppeld_medewerker_op.strip()
        and row.review.status in FEEDBACK_DONE
        and row.register == "gedeeld"
        and row.review.soort == schema.KLACHT
        and (row.complaint.overgedragen_op.strip() or row.review.coordinator)
        and is_email(row.complaint.email_invoerder.strip())
        and not _long_closed(row, today)
    ]


def _long_closed(row: Reviewed, today: date | None) -> bool:
    if today is None:
        return False
    closed = (
        row.complaint.date("afgesloten_op").day
        or row.complaint.date("teruggekoppeld_deelnemer_op").day
    )
    return closed is not None and days_since(closed, today, FIRST_LINE_WITHIN_DAYS + 1)
