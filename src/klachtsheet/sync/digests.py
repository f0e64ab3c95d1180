"""Overviews for the back office and the klachtmanager: pure, from reviewed rows to digests."""

from __future__ import annotations

from collections.abc import Sequence

from klachtsheet import schema
from klachtsheet.rules import RuleContext
from klachtsheet.rules import followup as fu
from klachtsheet.rules.review import SHARED_ROW

# Rows that cannot be handed over, for the back office (and a copy for the klachtmanager);
# every overdue complaint in one overview for the klachtmanager.
BACKOFFICE, BACKOFFICE_COPY, MANAGER_OVERDUE = "overdracht", "overdracht-kopie", "te-laat-alles"
WAITING = (schema.OVERGEDRAGEN, schema.IN_BEHANDELING)

__all__ = [
    "BACKOFFICE", "BACKOFFICE_COPY", "MANAGER_OVERDUE", "WAITING", "backoffice_digests",
    "cannot_hand_over", "manager_digests",
]  # fmt: skip


def manager_digests(rows: Sequence[fu.Reviewed], ctx: RuleContext) -> list[fu.Digest]:
    """Every overdue complaint of the shared register in one overview for the klachtmanager."""
    email = ctx.complaints_manager_email.strip()
    if not email and not ctx.complaints_manager.strip():
        return []
    late = sorted(
        fu.overdue(rows, ctx.today), key=lambda r: (r.review.answer_by or ctx.today, r.nummer)
    )
    if not late:
        return []
    name = ctx.complaints_manager.strip() or "Klachtmanager"
    return [fu.Digest(MANAGER_OVERDUE, name, email, tuple(late))]


def cannot_hand_over(rows: Sequence[fu.Reviewed]) -> list[fu.Reviewed]:
    """Return handed-over complaints without a coordinator who can be told (step 4)."""
    return [
        row
        for row in rows
        if row.review.kind == SHARED_ROW
        and row.review.status in WAITING
        and row.review.soort == schema.KLACHT
        and not row.complaint.teruggekoppeld_deelnemer_op.strip()
        and (not row.review.coordinator or not row.review.coordinator_email.strip())
    ]


def backoffice_digests(rows: Sequence[fu.Reviewed], ctx: RuleContext) -> list[fu.Digest]:
    """The stuck rows for the back office (else the klachtmanager), and a copy for her."""
    stuck = tuple(cannot_hand_over(rows))
    if not stuck:
        return []
    backoffice = ctx.backoffice_email.strip()
    manager = ctx.complaints_manager_email.strip()
    digests = [fu.Digest(BACKOFFICE, "Back office", backoffice or manager, stuck)]
    if backoffice and manager and backoffice.casefold() != manager.casefold():
        name = ctx.complaints_manager.strip() or "Klachtmanager"
        digests.append(fu.Digest(BACKOFFICE_COPY, name, manager, stuck))
    return digests
