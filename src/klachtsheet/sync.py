"""The sync: read all tabs once, apply the pure rules, write one change set, send what is due.

Order matters for exactly-once sending: the new Nummers and the intent to send
are journalled before anything is sent; messages go out; then the sheet is
written in one update and the Logboek in one append. A crash anywhere leaves a
state the next run completes without sending anything twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import filelock

from klachtsheet import schema
from klachtsheet.changeset import CONFIDENTIAL, SHARED, Change, ChangeSet, Outgoing
from klachtsheet.confidential import STUB_KEYS
from klachtsheet.exceptions import DeliveryError, LayoutError, RegisterBusy, TemplateError
from klachtsheet.letters import Letters, Piece
from klachtsheet.logbook import entry
from klachtsheet.mailer import Mailer
from klachtsheet.model import Complaint, Table, complaints, format_date, now
from klachtsheet.nummer import new_nummer
from klachtsheet.outbox import FAILED, INTENT, SENT, Journal, JournalEntry, Outbox, done
from klachtsheet.queue import flush_queue
from klachtsheet.register import Register, fingerprint
from klachtsheet.retention import apply_retention, plan_retention
from klachtsheet.rules import RuleContext, build_context, review
from klachtsheet.rules import followup as fu
from klachtsheet.rules.review import CONFIDENTIAL_ROW, SHARED_ROW, STUB_ROW
from klachtsheet.rules.validation import count_unknown, duplicate_nummers
from klachtsheet.templates import environment

if TYPE_CHECKING:
    from klachtsheet.config import Config

log = logging.getLogger(__name__)

SHARED_TABS = (
    schema.KLACHTEN_TAB,
    schema.CATEGORIEEN_TAB,
    schema.LOCATIES_TAB,
    schema.INSTELLINGEN_TAB,
)
CONFIDENTIAL_TABS = (schema.KLACHTEN_TAB,)
JOURNAL_FILE = "verzonden.jsonl"
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


class SyncBusy(RegisterBusy):
    """Another sync is running."""


@dataclass(frozen=True)
class SyncReport:
    """What one sync did (or, in a dry run, would do)."""

    checked: int = 0
    assigned: int = 0
    numbered: int = 0
    confirmations: int = 0
    letters: int = 0
    phone_scripts: int = 0
    overdue: int = 0
    with_problems: int = 0
    messages: int = 0
    written: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet)
    proposed_categories: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    dry_run: bool = False
    # Complaints whose personal data the retention term removed (or would remove).
    anonymised: int = 0
    # Whether e-mail went out over SMTP, or only to the outbox.
    mailed: bool = True

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        """Return one Dutch line: what was checked, assigned, confirmed and is overdue."""
        # Without a mail server nothing leaves: the confirmations wait in the outbox.
        sent = "te versturen" if self.dry_run else ("verstuurd" if self.mailed else "klaargezet")
        parts = [
            _count(self.checked, "melding", "meldingen") + " gecontroleerd",
            f"{self.assigned} toegewezen",
            _count(self.confirmations, "bevestiging", "bevestigingen") + f" {sent}",
            f"{self.overdue} te laat",
        ]
        if self.numbered:
            parts.append(_count(self.numbered, "nummer", "nummers") + " toegekend")
        if self.letters:
            parts.append(_count(self.letters, "brief", "brieven") + " te printen")
        if self.phone_scripts:
            parts.append(_count(self.phone_scripts, "belscript", "belscripts") + " klaargezet")
        if self.with_problems:
            parts.append(f"{self.with_problems} met een opmerking in Controle")
        if self.anonymised:
            parts.append(f"{self.anonymised} geanonimiseerd (bewaartermijn)")
        if self.proposed_categories:
            n = len(self.proposed_categories)
            parts.append(_count(n, "nieuwe categorie", "nieuwe categorieën") + " voorgesteld")
        line = ", ".join(parts)
        return f"Proefdraai, niets geschreven of verstuurd: {line}" if self.dry_run else line


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


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
) -> Plan:
    """Decide what the sync changes and sends; touches no register and no mailbox."""
    shared_rows = complaints(shared)
    conf_rows = complaints(confidential) if confidential is not None else []
    existing = {c.nummer.strip() for c in shared_rows + conf_rows if c.nummer.strip()}
    nummers = _Nummers(existing, journalled_nummers or {}, ctx.today)
    total = len(shared_rows) + len(conf_rows)
    ticker = _Ticker(progress, total)
    warnings: list[str] = []
    changes: list[Change] = []
    given: dict[str, str] = {}
    fingerprints: dict[tuple[str, str], str] = {}

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
            result = review(
                effective,
                ctx,
                kind=kind,
                mirror=mirror_of(current) if kind == STUB_ROW else None,
                counterpart_known=known(current) if kind == STUB_ROW else None,
            )
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


class _Ticker:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


# -- the run: read, plan, send, write ---------------------------------------------------


def run_sync(
    config: Config,
    *,
    shared: Register,
    confidential: Register | None = None,
    today: date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> SyncReport:
    """Run the sync once over the shared (and, if given, the confidential) register."""
    today = today or now().date()
    with _run_lock(config, dry_run):
        if not dry_run:
            # Form submissions still queued go in first, so this run already checks them.
            queued = flush_queue(config)
            if queued:
                log.info("%d queued submissions written before the sync", queued)
        tables = shared.read(SHARED_TABS)
        klachten = _klachten(tables, shared.location)
        conf_table = None
        if confidential is not None:
            conf_table = _klachten(confidential.read(CONFIDENTIAL_TABS), confidential.location)
        ctx = build_context(tables, today)
        journal = Journal(config.state_dir / JOURNAL_FILE)
        entries = journal.load()
        the_plan = plan(klachten, conf_table, ctx, entries, journal.nummers(), progress)
        if dry_run:
            expiring = _expiring(tables, conf_table, today)
            planned = the_plan.changes.with_changes(
                the_plan.marks[k] for k in sorted(the_plan.marks)
            )
            return _report(
                the_plan,
                planned,
                delivered=the_plan.units,
                written=0,
                warnings=the_plan.warnings,
                failures=(),
                dry_run=True,
                anonymised=expiring,
            )
        if the_plan.new_nummers:
            journal.record_nummers(the_plan.new_nummers)
        delivered, warnings, failures = _deliver(the_plan, ctx, config, journal)
        sent_keys = {
            (u.outgoing.register, u.outgoing.nummer)
            for u in delivered
            if u.outgoing.kind == CONFIRMATION
        }
        marks = [
            change
            for key, change in sorted(the_plan.marks.items())
            if key in sent_keys or done(entries, f"{CONFIRMATION}:{key[1]}") is not None
        ]
        final = the_plan.changes.with_changes(marks)
        final = ChangeSet(final.changes, tuple(u.outgoing for u in delivered))
        with shared.batch(), confidential.batch() if confidential else nullcontext():
            # One save per register for the changes and the Logboek lines together.
            written, write_warnings = _write(final, shared, confidential)
            _log(final, delivered, shared, confidential, today)
        anonymised = _retention(config, shared, confidential, tables, conf_table, today)
        return _report(
            the_plan,
            final,
            delivered=delivered,
            written=written,
            warnings=the_plan.warnings + warnings + write_warnings,
            failures=failures,
            dry_run=False,
            anonymised=anonymised,
            mailed=config.smtp is not None,
        )


@contextmanager
def _run_lock(config: Config, dry_run: bool) -> Iterator[None]:
    """Refuse to run while another sync runs; a dry run writes nothing and needs no lock."""
    if dry_run:
        yield
        return
    path = config.state_dir / LOCK_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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


def _klachten(tables: Mapping[str, Table], location: str) -> Table:
    table = tables.get(schema.KLACHTEN_TAB)
    if table is None:
        raise LayoutError(
            f"Register {location} heeft geen tabblad Klachten; voer 'klachtsheet init' uit"
        )
    missing = [h for h in SYNC_COLUMNS if h not in table.headers]
    if missing:
        raise LayoutError(
            f"Tabblad Klachten in {location} mist kolom(men) {', '.join(missing)}; "
            "voer 'klachtsheet init' uit"
        )
    return table


def _deliver(
    the_plan: Plan, ctx: RuleContext, config: Config, journal: Journal
) -> tuple[list[Unit], tuple[str, ...], tuple[str, ...]]:
    """Render and send every unit; journal the intent first so nothing goes twice."""
    if not the_plan.units:
        return [], (), ()
    letters = Letters(
        environment(config.templates_dir), ctx, config.smtp.sender if config.smtp else ""
    )
    try:
        rendered = [(unit, _render(letters, unit)) for unit in the_plan.units]
    except TemplateError as error:
        return [], (), (str(error),)
    outbox = Outbox(config.outbox_dir)
    delivered: list[Unit] = []
    warnings: list[str] = []
    day = ctx.today.isoformat()
    with Mailer(config.smtp) as mailer:
        for unit, pieces in rendered:
            keys = unit.outgoing.keys
            journal.record(keys, INTENT, datum=day)
            try:
                for piece in pieces:
                    outbox.write(piece.folder, piece.filename, piece.content)
                for piece in pieces:
                    if piece.message is not None and not piece.message["To"]:
                        warnings.append(_no_address(unit, piece))
                    elif piece.message is not None:
                        mailer.send(piece.message)
            except DeliveryError as error:
                journal.record(keys, FAILED, datum=day)
                return delivered, tuple(warnings), (str(error),)
            journal.record(keys, SENT, datum=day)
            delivered.append(unit)
    return delivered, tuple(warnings), ()


def _render(letters: Letters, unit: Unit) -> list[Piece]:
    kind = unit.outgoing.kind
    if kind == CONFIRMATION:
        return letters.confirmation(unit.row)
    if kind == COORDINATOR_MAIL:
        return [letters.coordinator(unit.row)]
    if kind == FIRST_LINE:
        return [letters.first_line_notice(unit.row)]
    return [letters.digest(unit.digest)]


def _no_address(unit: Unit, piece: Piece) -> str:
    where = f"{piece.folder}/{piece.filename}"
    if unit.outgoing.kind == fu.PHONE_SERVICE or piece.filename.startswith("taak-"):
        return f"Geen 'E-mail telefoondienst' in Instellingen; {where} staat alleen in het postvak"
    who = f"Nummer {unit.outgoing.nummer}: " if unit.outgoing.nummer else ""
    return f"{who}geen e-mailadres bekend; {where} staat alleen in het postvak"


def _write(
    changes: ChangeSet, shared: Register, confidential: Register | None
) -> tuple[int, tuple[str, ...]]:
    """Write each register's changes in one update; report rows that were gone."""
    written = 0
    warnings = []
    for register, name in ((shared, SHARED), (confidential, CONFIDENTIAL)):
        updates = changes.updates(name)
        if register is None or not updates:
            continue
        result = register.update(schema.KLACHTEN_TAB, updates)
        written += result.written
        for n in result.missing:
            warnings.append(
                f"Nummer {n} is tijdens de sync verdwenen of veranderd; de volgende sync "
                "probeert het opnieuw"
            )
        for n in result.ambiguous:
            warnings.append(f"Nummer {n} staat meer dan eens in het register; niet bijgewerkt")
        for n in result.changed_meanwhile:
            warnings.append(
                f"Nummer {n}: iemand vulde tijdens de sync zelf een cel in; die is niet "
                "overschreven"
            )
    return written, tuple(warnings)


def _log(
    changes: ChangeSet,
    delivered: Sequence[Unit],
    shared: Register,
    confidential: Register | None,
    today: date,
) -> None:
    """Append what the sync did to each register's Logboek in one call: no personal data."""
    at = now()
    lines: dict[str, list[dict[str, str]]] = {SHARED: [], CONFIDENTIAL: []}
    by_row: dict[tuple[str, str], list[Change]] = {}
    for change in changes.changes:
        by_row.setdefault((change.register, change.nummer), []).append(change)
    for (register, n), row_changes in by_row.items():
        for action, details in _row_actions(row_changes):
            lines[register].append(entry(n, action, details, BY, at))
    for unit in delivered:
        action, details = _delivery_action(unit)
        if action:
            lines[unit.outgoing.register].append(
                entry(unit.outgoing.nummer, action, details, BY, at)
            )
    for register, name in ((shared, SHARED), (confidential, CONFIDENTIAL)):
        if register is not None and lines[name]:
            register.append(schema.LOGBOEK_TAB, lines[name])


def _row_actions(changes: Sequence[Change]) -> list[tuple[str, str]]:
    actions = []
    for change in changes:
        if change.header == NUMMER:
            actions.append(("Nummer toegekend", "rij zonder nummer"))
        elif change.header == COORDINATOR:
            actions.append(("Coördinator toegewezen", "kolom Coördinator was leeg"))
        elif change.header == ANTWOORD:
            actions.append(("Antwoord uiterlijk bijgewerkt", change.new or "leeggemaakt"))
        elif change.header == AANGIFTE:
            actions.append(("Aangifte-advies bijgewerkt", change.new or "leeggemaakt"))
        elif change.header == BEVESTIGD:
            actions.append(("Bevestiging verstuurd", change.new))
        elif change.header == CONTROLE:
            count = len(change.new.split("; ")) if change.new else 0
            details = _count(count, "opmerking", "opmerkingen") if count else "alles in orde"
            actions.append(("Controle bijgewerkt", details))
    return actions


def _delivery_action(unit: Unit) -> tuple[str, str]:
    kind = unit.outgoing.kind
    if kind == CONFIRMATION:
        return "", ""  # logged with its Bevestiging verstuurd op
    if kind == COORDINATOR_MAIL:
        return "Coördinator geïnformeerd", "per e-mail"
    if kind == FIRST_LINE:
        return "Medewerker 1e lijn geïnformeerd", "terugkoppeling per e-mail"
    names = {
        fu.OVERDUE: "Overzicht te laat verstuurd",
        fu.PHONE_SERVICE: "Overzicht telefoondienst verstuurd",
        fu.SATISFACTION: "Belijst tevredenheid verstuurd",
    }
    nummers = ", ".join(row.nummer for row in unit.digest.items)
    return names[kind], f"{_count(len(unit.digest.items), 'melding', 'meldingen')}: {nummers}"


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


def _report(
    the_plan: Plan,
    changes: ChangeSet,
    *,
    delivered: Sequence[Unit],
    written: int,
    warnings: Sequence[str],
    failures: Sequence[str],
    dry_run: bool,
    anonymised: int = 0,
    mailed: bool = True,
) -> SyncReport:
    confirmations = [u for u in delivered if u.outgoing.kind == CONFIRMATION]
    controle = {(row.register, row.nummer) for row in the_plan.rows if row.review.messages}
    return SyncReport(
        checked=the_plan.checked,
        assigned=sum(1 for c in changes.changes if c.header == COORDINATOR),
        numbered=sum(1 for c in changes.changes if c.header == NUMMER),
        confirmations=len(confirmations),
        letters=sum(1 for u in confirmations if u.outgoing.via == "Brief"),
        phone_scripts=sum(1 for u in confirmations if u.outgoing.via == "Telefoon"),
        overdue=the_plan.overdue,
        with_problems=len(controle),
        messages=len(delivered),
        written=written,
        changes=changes,
        proposed_categories=dict(the_plan.proposed),
        warnings=tuple(dict.fromkeys(warnings)),
        failures=tuple(failures),
        dry_run=dry_run,
        anonymised=anonymised,
        mailed=mailed,
    )
