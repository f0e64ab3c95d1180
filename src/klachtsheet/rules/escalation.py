"""Escalation: a complaint N working days past its answer-by date goes to the region
coordinator, after 2N working days to the klachtmanager. Each step once (journal key
``escalatie-regio:<Nummer>`` / ``escalatie-klachtmanager:<Nummer>``).

Only complaints of the shared register: a confidential one stays with the vertrouwenspersoon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from klachtsheet.model import Table, setting_int, settings
from klachtsheet.rules import followup as fu
from klachtsheet.rules.context import RuleContext
from klachtsheet.workdays import working_days_between

REGION, MANAGER = "escalatie-regio", "escalatie-klachtmanager"
KINDS = (REGION, MANAGER)
SHARED = "gedeeld"
ACTIONS = {
    REGION: "Geëscaleerd naar regiocoördinator",
    MANAGER: "Geëscaleerd naar klachtmanager",
}


@dataclass(frozen=True)
class Policy:
    """The escalation settings from Instellingen."""

    after: int = 5
    manager: str = ""
    manager_email: str = ""
    problem: str | None = None


def policy(instellingen: Table | None) -> Policy:
    """Read the escalation settings (escalatie_na_werkdagen, klachtmanager and e-mail)."""
    values = settings(instellingen)
    after, problem = setting_int(values, "escalatie_na_werkdagen")
    return Policy(after, values["klachtmanager"], values["email_klachtmanager"], problem)


def policy_from(tables: Mapping[str, Table]) -> Policy:
    from klachtsheet import schema

    return policy(tables.get(schema.INSTELLINGEN_TAB))


def days_late(row: fu.Reviewed, ctx: RuleContext) -> int:
    """Return how many working days a complaint is past its answer-by date."""
    due = row.review.answer_by
    return working_days_between(due, ctx.today) if due is not None else 0


def due_steps(
    rows: Iterable[fu.Reviewed], ctx: RuleContext, rule: Policy
) -> dict[str, list[fu.Reviewed]]:
    """Return the rows that reached each step today (whether or not it was sent before)."""
    steps: dict[str, list[fu.Reviewed]] = {REGION: [], MANAGER: []}
    if rule.after <= 0:
        return steps  # 0 switches escalation off
    rows = list(rows)
    known = {row.nummer for row in rows}
    for row in fu.overdue(rows, ctx.today):
        if row.register != SHARED:
            continue
        same_as = row.complaint.zelfde_als.strip()
        if same_as and same_as != row.nummer and same_as in known:
            continue  # the same complaint as another row: that one escalates
        late = days_late(row, ctx)
        if late >= rule.after:
            steps[REGION].append(row)
        if late >= 2 * rule.after:
            steps[MANAGER].append(row)
    return steps


def digests(
    steps: Mapping[str, list[fu.Reviewed]], ctx: RuleContext, rule: Policy
) -> list[fu.Digest]:
    """Group the rows of each step into one message per recipient."""
    result: list[fu.Digest] = []
    by_region: dict[tuple[str, str], list[fu.Reviewed]] = {}
    for row in steps.get(REGION, []):
        location = ctx.locations.find(row.complaint.locatie)
        who = (
            (location.region_coordinator, location.region_email)
            if location is not None and location.region_coordinator
            else (rule.manager or "Klachtmanager", rule.manager_email)
        )
        by_region.setdefault(who, []).append(row)
    for (name, email), items in sorted(by_region.items()):
        result.append(fu.Digest(REGION, name, email, tuple(sorted(items, key=_order))))
    managed = steps.get(MANAGER, [])
    if managed:
        name = rule.manager or "Klachtmanager"
        result.append(
            fu.Digest(MANAGER, name, rule.manager_email, tuple(sorted(managed, key=_order)))
        )
    return result


def key(kind: str, nummer: str) -> str:
    """Return the journal key of one escalation step of one complaint."""
    return f"{kind}:{nummer}"


def _order(row: fu.Reviewed) -> str:
    return row.nummer


def pending(
    rows: Iterable[fu.Reviewed],
    ctx: RuleContext,
    rule: Policy,
    sent,
) -> list[fu.Digest]:
    """Return the escalation messages still to send; ``sent(key)`` tells a step was done."""
    steps = due_steps(rows, ctx, rule)
    open_steps = {
        kind: [row for row in items if not sent(key(kind, row.nummer))]
        for kind, items in steps.items()
    }
    return digests(open_steps, ctx, rule)
