"""The plan: pure, from the tables to what should change and what should be sent."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from klachtsheet import schema
from klachtsheet.messages.outbox import INTENT, JournalEntry, done
from klachtsheet.model import Complaint, Table, complaints, format_date
from klachtsheet.privacy.confidential import STUB_KEYS
from klachtsheet.register import fingerprint
from klachtsheet.rules import RuleContext
from klachtsheet.rules import escalation as esc
from klachtsheet.rules import followup as fu
from klachtsheet.rules.duplicates import duplicate_hints, with_hint
from klachtsheet.rules.review import CONFIDENTIAL_ROW, SHARED_ROW, STUB_ROW
from klachtsheet.rules.review import confidant_problems as review_confidant_problems
from klachtsheet.rules.validation import count_unknown, duplicate_nummers
from klachtsheet.schema import CONFIDENTIAL, SHARED
from klachtsheet.sync import BLOCKS_TAB as BLOCKS_TAB
from klachtsheet.sync import CONFIDENTIAL_TABS as CONFIDENTIAL_TABS
from klachtsheet.sync import SHARED_TABS as SHARED_TABS
from klachtsheet.sync.changeset import Change, ChangeSet, Outgoing
from klachtsheet.sync.digests import (
    WAITING,
    backoffice_digests,
    manager_digests,
)
from klachtsheet.sync.rows import (
    Nummers,
    Progress,
    Ticker,
    review_one,
    sent_in,
    unreviewed_note,
    wanted,
)

if TYPE_CHECKING:
    from klachtsheet.sync.early import Prereviewed


log = logging.getLogger(__name__)


JOURNAL_FILE = "verzonden.sqlite"
LOCK_FILE = "sync.lock"
BY = "sync"

H = schema.KLACHTEN.header
NUMMER = H("nummer")
BEVESTIGD = H("bevestiging_verstuurd_op")
ANTWOORD = H("antwoord_uiterlijk")
COORDINATOR = H("coordinator")
CONTROLE = H("controle")
AANGIFTE = H("aangifte_geadviseerd")
MEDEWERKER = H("teruggekoppeld_medewerker_op")
SYNC_COLUMNS = (NUMMER, COORDINATOR, ANTWOORD, BEVESTIGD, AANGIFTE, CONTROLE)
# What a confidential row shares with its stub: its status and dates, never content.
STUB_FOLLOWS = ("status", "overgedragen_op", "antwoord_uiterlijk", "afgesloten_op")
assert set(STUB_FOLLOWS) <= set(STUB_KEYS)
STUB_MIRROR = tuple(H(key) for key in STUB_FOLLOWS)


# Kinds of messages, also the prefix of their journal keys.
CONFIRMATION, COORDINATOR_MAIL, FIRST_LINE = "bevestiging", "coordinator", "terugkoppeling"
# Which journal kind fills which cell once it was delivered.
MARKED = {CONFIRMATION: BEVESTIGD, FIRST_LINE: MEDEWERKER}
WHAT = {CONFIRMATION: "de bevestiging", FIRST_LINE: "de terugkoppeling aan de medewerker"}


def coordinator_key(nummer: str, coordinator: str) -> str:
    """Return the journal key of telling this coordinator about this complaint (once each)."""
    who = hashlib.sha256(coordinator.strip().casefold().encode()).hexdigest()[:12]
    return f"{COORDINATOR_MAIL}:{nummer}:{who}"


# -- the plan: pure, from the tables to what should change and what should be sent --------


@dataclass(frozen=True)
class Unit:
    """One thing to deliver: its description and the outputs that make it."""

    outgoing: Outgoing
    row: fu.Reviewed | None = None
    digest: fu.Digest | None = None


@dataclass(frozen=True)
class Plan:
    """Everything the rules decided, before anything is written or sent."""

    rows: tuple[fu.Reviewed, ...]
    changes: ChangeSet
    # Bevestiging verstuurd op and Teruggekoppeld medewerker op, per (register, Nummer,
    # kind): written once that message went.
    marks: Mapping[tuple[str, str, str], Change]
    units: tuple[Unit, ...]
    new_nummers: Mapping[str, str]
    overdue: int
    proposed: Mapping[str, int]
    warnings: tuple[str, ...]
    checked: int
    # Rows whose confirmation is due but cannot go (a wrong address): (register, Nummer).
    blocked: tuple[tuple[str, str], ...] = ()


def plan(
    shared: Table,
    confidential: Table | None,
    ctx: RuleContext,
    journal: Mapping[str, JournalEntry],
    journalled_nummers: Mapping[str, list[str]] | None = None,
    progress: Progress | None = None,
    reserved: Iterable[str] = (),
    escalation: esc.Policy | None = None,
    early: Prereviewed | None = None,
) -> Plan:
    """Decide what the sync changes and sends; touches no register and no mailbox.

    ``reserved`` are Nummers handed out elsewhere and not yet in the register (the form
    queue's pending submissions): a hand-typed row never gets one of them. ``early`` holds
    reviews of the shared rows made with this ``ctx`` while the register was being read.
    """
    ahead = early.reviews if early is not None and early.ctx is ctx else {}
    shared_rows = complaints(shared)
    # Same participant, place and date: a Controle hint naming the other Nummer (issue 16).
    hints = duplicate_hints(shared_rows)
    conf_rows = complaints(confidential) if confidential is not None else []
    existing = {c.nummer.strip() for c in shared_rows + conf_rows if c.nummer.strip()}
    existing |= {n.strip() for n in reserved if n.strip()}
    nummers = Nummers(existing, journalled_nummers or {}, ctx.today)
    total = len(shared_rows) + len(conf_rows)
    ticker = Ticker(progress, total)
    warnings: list[str] = []
    changes: list[Change] = []
    given: dict[str, str] = {}
    fingerprints: dict[tuple[str, str], str] = {}
    unreviewed: list[tuple[str, str]] = []

    def walk(rows: list[Complaint], table: Table, register: str, kind_of, mirror_of, known):
        duplicates = set(duplicate_nummers(rows))
        for n in sorted(duplicates):
            where = " in het vertrouwelijke register" if register == CONFIDENTIAL else ""
            warnings.append(
                f"Nummer {n} staat meer dan eens{where}; de sync slaat die rijen over "
                "tot één ervan een ander nummer heeft"
            )
        reviewed = []
        for complaint in rows:
            ticker.tick()
            current = complaint.nummer.strip()
            if current in duplicates:
                continue
            fp = ""
            if not current:
                assert complaint.row_number is not None  # complaints() numbers every row
                fp = fingerprint(table.rows[complaint.row_number - 2])
                current = nummers.give(fp)
                given[current] = fp
                changes.append(Change(current, NUMMER, complaint.nummer, current, fp, register))
                fingerprints[(register, current)] = fp
            effective = (
                complaint if current == complaint.nummer else complaint.with_values(nummer=current)
            )
            kind = kind_of(effective)
            made = ahead.get(complaint.row_number or 0) if register == SHARED else None
            if made is not None and made[0] is effective and kind == SHARED_ROW:
                result = made[1]  # reviewed as it was read (sync.early): the same row
            else:
                result = review_one(
                    effective,
                    ctx,
                    kind,
                    mirror_of(current) if kind == STUB_ROW else None,
                    known(current) if kind == STUB_ROW else None,
                )
            if isinstance(result, Exception):
                note = unreviewed_note(current, result)
                if complaint.controle != note:
                    changes.append(
                        Change(current, CONTROLE, complaint.controle, note, fp, register)
                    )
                unreviewed.append((register, current))
                continue
            if register == SHARED and current in hints:
                result = with_hint(result, hints[current])
            effective = wanted(effective, result, fp, register, changes)
            reviewed.append(fu.Reviewed(effective, result, register))
        return reviewed

    conf_reviewed = (
        walk(conf_rows, confidential, CONFIDENTIAL, lambda c: CONFIDENTIAL_ROW, None, None)
        if confidential is not None
        else []
    )
    mirrors = {
        row.nummer: {
            H(key): (row.review.status or row.complaint.get(key))
            if key == "status"
            else row.complaint.get(key)
            for key in STUB_FOLLOWS
        }
        for row in conf_reviewed
    }
    conf_nummers = {row.nummer for row in conf_reviewed}
    shared_reviewed = walk(
        shared_rows,
        shared,
        SHARED,
        lambda c: STUB_ROW if c.is_confidential else SHARED_ROW,
        lambda n: mirrors.get(n, {}),
        lambda n: (n in conf_nummers) if confidential is not None else None,
    )
    ticker.finish()
    rows = tuple(shared_reviewed + conf_reviewed)
    stubs_counted = sum(
        1 for r in shared_reviewed if r.review.kind == STUB_ROW and r.nummer in conf_nummers
    )
    if (conf_reviewed or stubs_counted) and review_confidant_problems(ctx):
        warnings.extend(review_confidant_problems(ctx))
    marks, units = _deliveries(rows, ctx, journal, fingerprints, warnings)
    if escalation is not None:
        units += _escalations(rows, ctx, journal, escalation)
    overdue = fu.overdue(rows, ctx.today)
    return Plan(
        rows=rows,
        changes=ChangeSet(tuple(changes), tuple(u.outgoing for u in units)),
        marks=marks,
        units=units,
        new_nummers=given,
        overdue=len(overdue),
        proposed=count_unknown(ctx.catalogue, shared_rows + conf_rows),
        warnings=tuple(warnings) + tuple(ctx.setting_problems),
        checked=len(shared_rows) + len(conf_rows) - stubs_counted,
        blocked=tuple((r.register, r.nummer) for r in rows if r.review.unsendable)
        + tuple(unreviewed),
    )


def _deliveries(
    rows: Sequence[fu.Reviewed],
    ctx: RuleContext,
    journal: Mapping[str, JournalEntry],
    fingerprints: Mapping[tuple[str, str], str],
    warnings: list[str],
) -> tuple[dict[tuple[str, str, str], Change], tuple[Unit, ...]]:
    """Return the marks to write once sent and the units to deliver, skipping what was sent."""
    marks: dict[tuple[str, str, str], Change] = {}
    units: list[Unit] = []
    prefix = COORDINATOR_MAIL + ":"
    per_coordinator = {
        k.split(":")[1] for k in journal if k.startswith(prefix) and k.count(":") == 2
    }
    for row in rows:
        if row.review.confirmation is not None:
            unit = _marked(CONFIRMATION, row, journal, fingerprints, marks, warnings, ctx)
            if unit is not None:
                units.append(unit)
        if _coordinator_due(row):
            key = coordinator_key(row.nummer, row.review.coordinator)
            legacy = f"{COORDINATOR_MAIL}:{row.nummer}"
            # A journal from before coordinators were told one by one: the one told then is
            # taken to be the one in the row now.
            told = sent_in(journal, row.register, key) is not None or (
                sent_in(journal, row.register, legacy) is not None
                and row.nummer not in per_coordinator
            )
            if not told:
                units.append(
                    Unit(
                        Outgoing(COORDINATOR_MAIL, (key,), row.nummer, "E-mail", row.register),
                        row=row,
                    )
                )
    for row in fu.first_line_to_tell(rows, ctx.today):
        unit = _marked(FIRST_LINE, row, journal, fingerprints, marks, warnings, ctx)
        if unit is not None:
            units.append(unit)
    units += _follow_ups(rows, ctx, journal)
    return marks, tuple(units)


def _coordinator_due(row: fu.Reviewed) -> bool:
    """Tell whether the row's coordinator should know it: confirmed (now or before), waiting."""
    review = row.review
    if review.kind == STUB_ROW or not review.coordinator or review.status not in WAITING:
        return False
    return review.confirmation is not None or bool(row.complaint.bevestiging_verstuurd_op.strip())


def _marked(
    kind: str,
    row: fu.Reviewed,
    journal: Mapping[str, JournalEntry],
    fingerprints: Mapping[tuple[str, str], str],
    marks: dict[tuple[str, str, str], Change],
    warnings: list[str],
    ctx: RuleContext,
) -> Unit | None:
    """Plan a message that fills a date cell once sent; only the cell when it already went."""
    fp = fingerprints.get((row.register, row.nummer), "")
    key = f"{kind}:{row.nummer}"
    header = MARKED[kind]
    old = row.complaint.get(schema.KLACHTEN.by_header(header).key)  # type: ignore[union-attr]
    sent = sent_in(journal, row.register, key)
    today = format_date(ctx.today)
    if sent is not None:
        # Sent before a crash kept the sheet from being written: only write it now.
        day = format_date(date.fromisoformat(sent.day)) if sent.day else today
        marks[(row.register, row.nummer, kind)] = Change(
            row.nummer, header, old, day, fp, row.register
        )
        if sent.status == INTENT:
            warnings.append(
                f"Nummer {row.nummer}: een eerdere sync is onderbroken tijdens het versturen "
                f"van {WHAT[kind]}; kijk in het postvak of die echt verstuurd is"
            )
        return None
    marks[(row.register, row.nummer, kind)] = Change(
        row.nummer, header, old, today, fp, row.register
    )
    via = row.review.confirmation.via if kind == CONFIRMATION and row.review.confirmation else ""
    return Unit(Outgoing(kind, (key,), row.nummer, via or "E-mail", row.register), row=row)


def _follow_ups(
    rows: Sequence[fu.Reviewed], ctx: RuleContext, journal: Mapping[str, JournalEntry]
) -> list[Unit]:
    units = []
    for register in (SHARED, CONFIDENTIAL):
        # A digest never mixes the registers: confidential ones stay behind the wall.
        mine = [row for row in rows if row.register == register]
        digests = fu.by_coordinator(fu.OVERDUE, fu.overdue(mine, ctx.today))
        waiting = fu.waiting_volunteer_reports(mine, ctx)
        if waiting:
            digests.append(
                fu.Digest(
                    fu.PHONE_SERVICE, "Telefoondienst", ctx.phone_service_email, tuple(waiting)
                )
            )
        if register == SHARED:
            digests += manager_digests(mine, ctx)
        for digest in digests:
            key = digest.key(ctx.today)
            if sent_in(journal, register, key) is None:
                units.append(Unit(Outgoing(digest.kind, (key,), register=register), digest=digest))
        calls = [
            row
            for row in fu.satisfaction_due(mine, ctx)
            if sent_in(journal, register, f"{fu.SATISFACTION}:{row.nummer}") is None
        ]
        for digest in fu.by_coordinator(fu.SATISFACTION, calls):
            keys = tuple(f"{fu.SATISFACTION}:{row.nummer}" for row in digest.items)
            units.append(Unit(Outgoing(fu.SATISFACTION, keys, register=register), digest=digest))
        units += _backoffice(mine, ctx, journal, register)
    return units


def _backoffice(
    rows: Sequence[fu.Reviewed],
    ctx: RuleContext,
    journal: Mapping[str, JournalEntry],
    register: str,
) -> list[Unit]:
    """Rows that cannot be handed over go to the back office the same day, each once."""
    if register != SHARED:
        return []
    units = []
    for digest in backoffice_digests(rows, ctx):
        items = tuple(r for r in digest.items if done(journal, f"{digest.kind}:{r.nummer}") is None)
        if items:
            keys = tuple(f"{digest.kind}:{r.nummer}" for r in items)
            units.append(
                Unit(
                    Outgoing(digest.kind, keys, register=register),
                    digest=fu.Digest(digest.kind, digest.recipient, digest.email, items),
                )
            )
    return units


def _escalations(
    rows: Sequence[fu.Reviewed],
    ctx: RuleContext,
    journal: Mapping[str, JournalEntry],
    rule: esc.Policy,
) -> tuple[Unit, ...]:
    """Return one unit per escalation message; each step of each complaint goes once."""
    digests = esc.pending(rows, ctx, rule, lambda key: done(journal, key) is not None)
    return tuple(
        Unit(Outgoing(d.kind, tuple(esc.key(d.kind, r.nummer) for r in d.items)), digest=d)
        for d in digests
    )
