"""The sync: read all tabs once, apply the pure rules, write one change set, send what is due.

Order matters for exactly-once sending: the new Nummers and the intent to send
are journalled before anything is sent; messages go out; then the sheet is
written in one update and the Logboek in one append. A crash anywhere leaves a
state the next run completes without sending anything twice.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from datetime import date
from typing import TYPE_CHECKING

import filelock

from klachtsheet import schema
from klachtsheet.exceptions import LayoutError, RegisterBusy, RegisterOpen, SyncBusy
from klachtsheet.files import make_folder
from klachtsheet.intake.queue import SubmissionQueue
from klachtsheet.intake.writer import flush_queue
from klachtsheet.messages.outbox import Journal
from klachtsheet.model import Table, now
from klachtsheet.privacy.retention import apply_retention, plan_retention
from klachtsheet.register import Register, prefetch
from klachtsheet.rules import build_context
from klachtsheet.rules import escalation as esc
from klachtsheet.schema import CONFIDENTIAL
from klachtsheet.sync import helpdesk
from klachtsheet.sync.changeset import ChangeSet
from klachtsheet.sync.deliver import deliver
from klachtsheet.sync.early import prereview
from klachtsheet.sync.failures import not_done, with_failures
from klachtsheet.sync.plan import (
    BLOCKS_TAB,
    CONFIDENTIAL_TABS,
    JOURNAL_FILE,
    LOCK_FILE,
    SHARED_TABS,
    SYNC_COLUMNS,
    Progress,
    plan,
)
from klachtsheet.sync.record import write_changes, write_logbook
from klachtsheet.sync.report import SyncReport, build_report
from klachtsheet.sync.rows import journal_key, sent_in
from klachtsheet.sync.waiting import Notify, wait_until_closed
from klachtsheet.wording import columns

if TYPE_CHECKING:
    from klachtsheet.config import Config


log = logging.getLogger(__name__)


# -- the run: read, plan, send, write ---------------------------------------------------


def run_sync(
    config: Config,
    *,
    shared: Register,
    confidential: Register | None = None,
    today: date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    waiting: Notify | None = None,
) -> SyncReport:
    """Run the sync once over the shared (and, if given, the confidential) register.

    While a person has a local workbook open, the run waits (``config.open_wait``
    seconds at most, telling ``waiting`` why) before it writes or sends anything.
    """
    today = today or now().date()
    registers = (shared, confidential)
    prefetch(shared, SHARED_TABS, BLOCKS_TAB)
    prefetch(confidential, CONFIDENTIAL_TABS)
    with _run_lock(config, dry_run), _rows_kept_out_of_collections():
        if not dry_run:
            wait_until_closed(registers, config.open_wait, notify=waiting)
            # Form submissions still queued go in first, so this run already checks them.
            queued = flush_queue(config)
            if queued:
                log.info("%d queued submissions written before the sync", queued)
        # What does not need the register is read while the workbook is still being parsed.
        journal = Journal(config.state_dir / JOURNAL_FILE)
        entries = dict(journal.load())
        nummers_journalled = journal.nummers(entries)
        reserved = _queued_nummers(config)
        seen_before = helpdesk.SeenChanges.earlier(config)
        with _collector_paused():
            # The first rows are reviewed while the rest is still being parsed.
            early = prereview(shared, today)
            tables = shared.read(SHARED_TABS)
            klachten = _klachten(tables, shared.location)
            conf_table = None
            if confidential is not None:
                conf_table = _klachten(confidential.read(CONFIDENTIAL_TABS), confidential.location)
            if early is not None and early.fits(tables):
                early.adopt(klachten)
                ctx = early.ctx
            else:
                early = None
                ctx = build_context(tables, today)
            # The confidential register keeps its own journal beside it (deliver.py writes
            # there); without a confidential register in this run there is nothing to read.
            if confidential is not None:
                secret = Journal(config.confidential_state_dir / JOURNAL_FILE).load()
                entries.update({journal_key(CONFIDENTIAL, k): v for k, v in secret.items()})
            rule = esc.policy_from(tables)
            the_plan = plan(
                klachten,
                conf_table,
                ctx,
                entries,
                nummers_journalled,
                progress,
                reserved=reserved,
                escalation=rule,
                early=early,
            )
            del early  # its rows and reviews are in the plan now
            # What people changed since the last run (issue 16): seen now, logged with the rest.
            seen = helpdesk.SeenChanges.read(seen_before, klachten, conf_table, registers)
            gc.freeze()
        if dry_run:
            expiring = _expiring(tables, conf_table, today)
            planned = the_plan.changes.with_changes(
                the_plan.marks[k] for k in sorted(the_plan.marks)
            )
            return build_report(
                the_plan,
                planned,
                delivered=the_plan.units,
                written=0,
                warnings=the_plan.warnings,
                failures=(),
                dry_run=True,
                anonymised=expiring,
                not_done=not_done(the_plan, ()),
                extra=helpdesk.report_extra(the_plan.units, seen, None, rule),
            )
        if the_plan.new_nummers:
            journal.record_nummers(the_plan.new_nummers)
        # Once more just before sending: nothing goes out that the register cannot record.
        wait_until_closed(registers, config.open_wait, notify=waiting)
        delivery = deliver(the_plan, ctx, config, journal)
        delivered, warnings, failures = (
            delivery.delivered,
            tuple(delivery.warnings),
            tuple(delivery.failures),
        )
        sent_keys = {(u.outgoing.register, u.outgoing.nummer, u.outgoing.kind) for u in delivered}
        marks = [
            change
            for key, change in sorted(the_plan.marks.items())
            if key in sent_keys or sent_in(entries, key[0], f"{key[2]}:{key[1]}") is not None
        ]
        final = the_plan.changes.with_changes(marks)
        final = ChangeSet(final.changes, tuple(u.outgoing for u in delivered))
        # A row whose message could not be made or sent says why in its Controle cell.
        final = with_failures(the_plan, final, delivery.rows)
        printed, print_warnings = helpdesk.print_run(config, journal, delivered, today)
        while True:
            try:
                with shared.batch(), confidential.batch() if confidential else nullcontext():
                    # One save per register for the changes and the Logboek lines together.
                    written, write_warnings = write_changes(final, shared, confidential)
                    write_logbook(
                        final, delivered, shared, confidential, delivery.rows, seen.lines()
                    )
                    dates = sum(_normalise_dates(r) for r in registers if r is not None)
                break
            except RegisterOpen:
                # Opened between sending and writing: wait, then write what was sent.
                wait_until_closed(registers, config.open_wait, notify=waiting)
        seen.save(final)
        if dates:
            log.info("%d dates typed as text turned into date cells", dates)
        anonymised = _retention(config, shared, confidential, tables, conf_table, today)
        return build_report(
            the_plan,
            final,
            delivered=delivered,
            written=written,
            warnings=the_plan.warnings + warnings + write_warnings + print_warnings,
            failures=failures,
            dry_run=False,
            anonymised=anonymised,
            mailed=config.smtp is not None,
            not_done=not_done(the_plan, delivery.rows),
            extra=helpdesk.report_extra(delivered, seen, printed, rule, config),
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the rows are read and the rules go over them.

    With a register of 10,000 rows in memory each full collection walks every row, and
    reading and the rules allocate enough to trigger dozens of them: a fifth of a run with
    nothing to do. Neither makes reference cycles; delivery and writing run with the
    collector on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _rows_kept_out_of_collections() -> Iterator[None]:
    """Let the collections during delivery and writing skip the rows read (gc.freeze).

    The rows, complaints and reviews live until the run ends and hold no cycles: walking
    them in every collection while the messages go out and the sheet is written is work
    for nothing. What the run made is unfrozen at its end (a server runs more than one).
    """
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _run_lock(config: Config, dry_run: bool) -> Iterator[None]:
    """Refuse to run while another sync runs; a dry run writes nothing and needs no lock."""
    if dry_run:
        yield
        return
    path = config.state_dir / LOCK_FILE
    try:
        make_folder(path.parent)
    except OSError as error:
        raise RegisterBusy(f"Kan map {path.parent} niet aanmaken: {error.strerror}") from None
    lock = filelock.FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise SyncBusy(
            f"Er loopt al een sync (vergrendeld via {path}); deze run stopt zonder iets te doen"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _queued_nummers(config: Config) -> set[str]:
    """Return the Nummers the form handed out that are not yet in the register."""
    queue = SubmissionQueue(config.queue_dir)
    if not queue.exists():
        return set()
    try:
        return queue.pending_nummers()
    except Exception as error:  # an unreadable queue must not stop the sync
        log.warning("could not read the queue's pending Nummers: %s", type(error).__name__)
        return set()


def _normalise_dates(register: Register) -> int:
    """Turn dates people typed as text into real dates, where the backend can."""
    normalise = getattr(register, "normalise_dates", None)
    return normalise(schema.KLACHTEN_TAB) if callable(normalise) else 0


def _klachten(tables: Mapping[str, Table], location: str) -> Table:
    table = tables.get(schema.KLACHTEN_TAB)
    if table is None:
        raise LayoutError(
            f"Register {location} heeft geen tabblad Klachten; voer 'klachtsheet init' uit"
        )
    missing = [h for h in SYNC_COLUMNS if h not in table.headers]
    if missing:
        raise LayoutError(
            f"Tabblad Klachten in {location} mist {columns(missing)}; voer 'klachtsheet init' uit"
        )
    return table


def _expiring(tables: Mapping[str, Table], conf_table: Table | None, today: date) -> int:
    """Return how many complaints passed the retention term and still hold personal data."""
    count = len({u.nummer for u in plan_retention(tables, today=today)})
    if conf_table is not None:
        conf_tables = {**tables, schema.KLACHTEN_TAB: conf_table}
        count += len({u.nummer for u in plan_retention(conf_tables, today=today)})
    return count


def _retention(
    config: Config,
    shared: Register,
    confidential: Register | None,
    tables: Mapping[str, Table],
    conf_table: Table | None,
    today: date,
) -> int:
    """Anonymise complaints past the retention term; costs nothing on days when none expire."""
    if not _expiring(tables, conf_table, today):
        return 0
    report = apply_retention(config, shared, confidential, today=today)
    return report.rows
