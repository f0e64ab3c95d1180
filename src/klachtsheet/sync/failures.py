"""Rows the sync could not handle: their Controle message, counted in the summary."""

from __future__ import annotations

from collections.abc import Sequence

from klachtsheet.rules.review import SEPARATOR
from klachtsheet.sync.changeset import Change, ChangeSet
from klachtsheet.sync.deliver import RowFailure
from klachtsheet.sync.plan import CONTROLE, Plan


def with_failures(the_plan: Plan, changes: ChangeSet, failures: Sequence[RowFailure]) -> ChangeSet:
    """Return the change set with each failed row's message added to its Controle cell."""
    extra: dict[tuple[str, str], list[str]] = {}
    for failure in failures:
        if failure.nummer:
            extra.setdefault((failure.register, failure.nummer), []).append(failure.message)
    if not extra:
        return changes
    rows = {(r.register, r.nummer): r for r in the_plan.rows}
    fingerprints = {(c.register, c.nummer): c.fingerprint for c in changes.changes}
    kept: list[Change] = []
    pending = dict(extra)
    for change in changes.changes:
        key = (change.register, change.nummer)
        if change.header == CONTROLE and key in pending:
            new = _joined(change.new, pending.pop(key))
            if new != change.old:
                kept.append(Change(change.nummer, CONTROLE, change.old, new,
                                   change.fingerprint, change.register))  # fmt: skip
            continue
        kept.append(change)
    for key, messages in pending.items():
        row = rows.get(key)
        current = row.complaint.controle if row is not None else ""
        new = _joined(row.review.controle if row is not None else current, messages)
        if new != current:
            kept.append(Change(key[1], CONTROLE, current, new, fingerprints.get(key, ""), key[0]))
    return ChangeSet(tuple(kept), changes.outgoing)


def _joined(controle: str, messages: Sequence[str]) -> str:
    parts = [p for p in controle.split(SEPARATOR) if p] if controle else []
    return SEPARATOR.join(dict.fromkeys([*parts, *messages]))


def not_done(the_plan: Plan, failures: Sequence[RowFailure]) -> int:
    """Return how many rows could not be handled completely in this run."""
    rows = set(the_plan.blocked)
    rows |= {(f.register, f.nummer) for f in failures if f.nummer}
    return len(rows)
