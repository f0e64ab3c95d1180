"""The plan: pure, from the tables to what should change and what should be sent."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from klachtsheet import schema
from klachtsheet.messages.outbox import INTENT, JournalEntry, done
from klachtsheet.model import Complaint, Table, complaints, format_date
from klachtsheet.nummer import new_nummer
from klachtsheet.privacy.confidential import STUB_KEYS
from klachtsheet.register import fingerprint
from klachtsheet.rules import RuleContext, review
from klachtsheet.rules import followup as fu
from klachtsheet.rules.review import CONFIDENTIAL_ROW, SHARED_ROW, STUB_ROW
from klachtsheet.rules.validation import count_unknown, duplicate_nummers
from klachtsheet.sync.changeset import CONFIDENTIAL, SHARED, Change, ChangeSet, Outgoing

if TYPE_CHECKING:
    pass


log = logging.getLogger(__name__)


SHARED_TABS = (
    schema.KLACHTEN_TAB,
    schema.CATEGORIEEN_TAB,
    schema.LOCATIES_TAB,
    schema.INSTELLINGEN_TAB,
)
CONFIDENTIAL_TABS = (schema.KLACHTEN_TAB,)
JOURNAL_FILE = "verzonden.sqlite"
LOCK_FILE = "sync.lock"
BY = "sync"
PROGRESS_EVERY = 250

H = schema.KLACHTEN.header
NUMMER = H("nummer")
BEVESTIGD = H("bevestiging_verstuurd_op")
ANTWOORD = H("antwoord_uiterlijk")
COORDINATOR = H("coordinator")
CONTROLE = H("controle")
AANGIFTE = H("aangifte_geadviseerd")
SYNC_COLUMNS = (NUMMER, COORDINATOR, ANTWOORD, BEVESTIGD, AANGIFTE, CONTROLE)
# What a confidential row shares with its stub: non-personal and written by the sync.
STUB_MIRROR = tuple(
    H(key) for key in STUB_KEYS if schema.KLACHTEN.column(key).owner is schema.Owner.SYNC
)

Progress = Callable[[int, int], None]

# Kinds of messages, also the prefix of their journal keys.
CONFIRMATION, COORDINATOR_MAIL, FIRST_LINE = "bevestiging", "coordinator", "terugkoppeling"


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
    # Bevestiging verstuurd op, per (register, Nummer): written once the confirmation went.
    marks: Mapping[tuple[str, str], Change]
    units: tuple[Unit, ...]
    new_nummers: Mapping[str, str]
    overdue: int
    proposed: Mapping[str, int]
    warnings: tuple[str, ...]
    checked: int
    # Rows whose confirmation is due but cannot go (a wrong address): (register, Nummer).
    blocked: tuple[tuple[str, str], ...] = ()


class _Nummers:
    """Gives out new Nummers, reusing the one journalled for a row that a crash left unwritten."""

    def __init__(self, existing: set[str], journalled: Mapping[str, list[str]], today: date):
        self.existing = existing
        self.journalled = {fp: list(ns) for fp, ns in journalled.items()}
        self.today = today

    def give(self, fp: str) -> str:
        for candidate in self.journalled.get(fp, []):
            if candidate not in self.existing:
                self.journalled[fp].remove(candidate)
                self.existing.add(candidate)
                return candidate
        given = new_nummer(self.existing, self.today)
        self.existing.add(given)
        return given


def plan(
    shared: Table,
    confidential: Table | None,
    ctx: RuleContext,
    journal: Mapping[str, JournalEntry],
    journalled_nummers: Mapping[str, list[str]] | None = None,
    progress: Progress | None = None,
    reserved: Iterable[str] = (),
) -> Plan:
    """Decide what the sync changes and sends; touches no register and no mailbox.

    ``reserved`` are Nummers handed out elsewhere and not yet in the register (the form
    queue's pending submissions): a hand-typed row never gets one of them.
    """
    shared_rows = complaints(shared)
    conf_rows = complaints(confidential) if confidential is not None else []
    existing = {c.nummer.strip() for c in shared_rows + conf_rows if c.nummer.strip()}
    existing |= {n.strip() for n in reserved if n.strip()}
    nummers = _Nummers(existing, journalled_nummers or {}, ctx.today)
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
                fp = fingerprint(table.rows[complaint.row_number - 2])
                current = nummers.give(fp)
                given[current] = fp
                changes.append(Change(current, NUMMER, complaint.nummer, current, fp, register))
                fingerprints[(register, current)] = fp
            effective = complaint.with_values(nummer=current)
            kind = kind_of(effective)
            try:
                result = review(
                    effective,
                    ctx,
                    kind=kind,
                    mirror=mirror_of(current) if kind == STUB_ROW else None,
                    counterpart_known=known(current) if kind == STUB_ROW else None,
                )
            except Exception as error:  # one odd row never stops the run for everyone
                log.warning("row %s could not be reviewed: %s", current, type(error).__name__)
                note = f"Deze rij kon niet worden gecontroleerd ({type(error).__name__}); kijk de waarden na"
                if complaint.controle != note:
                    changes.append(
                        Change(current, CONTROLE, complaint.controle, note, fp, register)
                    )
                unreviewed.append((register, current))
                continue
            for header, value in result.wanted:
                key = schema.KLACHTEN.by_header(header).key
                old = effective.get(key)
                if old != value:
                    changes.append(Change(current, header, old, value, fp, register))
                    effective = effective.with_values(**{key: value})
            reviewed.append(fu.Reviewed(effective, result, register))
        return reviewed

    conf_reviewed = (
        walk(conf_rows, confidential, CONFIDENTIAL, lambda c: CONFIDENTIAL_ROW, None, None)
        if confidential is not None
        else []
    )
    mirrors = {
        row.nummer: {h: v for h, v in row.review.wanted if h in STUB_MIRROR}
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
    marks, units = _deliveries(rows, ctx, journal, fingerprints, warnings)
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
) -> tuple[dict[tuple[str, str], Change], tuple[Unit, ...]]:
    """Return the confirmation marks and the units to deliver, skipping what was sent."""
    marks: dict[tuple[str, str], Change] = {}
    units: list[Unit] = []
    today = format_date(ctx.today)
    for row in rows:
        confirmation = row.review.confirmation
        if confirmation is None:
            continue
        fp = fingerprints.get((row.register, row.nummer), "")
        key = f"{CONFIRMATION}:{row.nummer}"
        sent = done(journal, key)
        if sent is not None:
            # Sent before a crash kept the sheet from being written: only write it now.
            day = format_date(date.fromisoformat(sent.day)) if sent.day else today
            marks[(row.register, row.nummer)] = Change(
                row.nummer, BEVESTIGD, "", day, fp, row.register
            )
            if sent.status == INTENT:
                warnings.append(
                    f"Nummer {row.nummer}: een eerdere sync is onderbroken tijdens het versturen "
                    "van de bevestiging; kijk in het postvak of die echt verstuurd is"
                )
        else:
            marks[(row.register, row.nummer)] = Change(
                row.nummer, BEVESTIGD, "", today, fp, row.register
            )
            units.append(
                Unit(
                    Outgoing(CONFIRMATION, (key,), row.nummer, confirmation.via, row.register),
                    row=row,
                )
            )
        coordinator_key = f"{COORDINATOR_MAIL}:{row.nummer}"
        if done(journal, coordinator_key) is None:
            units.append(
                Unit(
                    Outgoing(
                        COORDINATOR_MAIL, (coordinator_key,), row.nummer, "E-mail", row.register
                    ),
                    row=row,
                )
            )
    units += _follow_ups(rows, ctx, journal)
    return marks, tuple(units)


def _follow_ups(
    rows: Sequence[fu.Reviewed], ctx: RuleContext, journal: Mapping[str, JournalEntry]
) -> list[Unit]:
    units = []
    digests = fu.by_coordinator(fu.OVERDUE, fu.overdue(rows, ctx.today))
    waiting = fu.waiting_volunteer_reports(rows, ctx)
    if waiting:
        digests.append(
            fu.Digest(fu.PHONE_SERVICE, "Telefoondienst", ctx.phone_service_email, tuple(waiting))
        )
    for digest in digests:
        key = digest.key(ctx.today)
        if done(journal, key) is None:
            units.append(Unit(Outgoing(digest.kind, (key,)), digest=digest))
    calls = [
        row
        for row in fu.satisfaction_due(rows, ctx)
        if done(journal, f"{fu.SATISFACTION}:{row.nummer}") is None
    ]
    for digest in fu.by_coordinator(fu.SATISFACTION, calls):
        keys = tuple(f"{fu.SATISFACTION}:{row.nummer}" for row in digest.items)
        units.append(Unit(Outgoing(fu.SATISFACTION, keys), digest=digest))
    for row in fu.first_line_to_tell(rows):
        key = f"{FIRST_LINE}:{row.nummer}"
        if done(journal, key) is None:
            units.append(
                Unit(Outgoing(FIRST_LINE, (key,), row.nummer, "E-mail", row.register), row=row)
            )
    return units


class Ticker:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)
