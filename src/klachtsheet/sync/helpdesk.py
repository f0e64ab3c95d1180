"""The sync's help-desk steps (issue 16), kept apart from run.py: changes people made,
the day's print run, and the summary figures of escalations."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from klachtsheet.messages.outbox import Journal
from klachtsheet.messages.printrun import PrintRun, write_print_run
from klachtsheet.model import Table, now
from klachtsheet.register import Register, file_identity
from klachtsheet.rules import escalation as esc
from klachtsheet.schema import CONFIDENTIAL, SHARED
from klachtsheet.sync import changes
from klachtsheet.sync.changeset import ChangeSet
from klachtsheet.sync.plan import CONFIRMATION, Unit
from klachtsheet.sync.report import HelpdeskReport

if TYPE_CHECKING:
    from klachtsheet.config import Config

log = logging.getLogger(__name__)


@dataclass
class SeenChanges:
    """The changes people made since the last run, and the snapshots to keep afterwards."""

    store: changes.SeenStore
    # None when the registers' files are the very ones the last run found unchanged
    # (SeenStore.unchanged_files): no snapshot made or read, nothing changed.
    current: dict[str, changes.Snapshot] | None
    found: list[changes.Seen] = field(default_factory=list)
    at: datetime | None = None
    # The last run's snapshots of registers not read this run (kept as they are), and
    # whether the ones read are exactly as the last run left them. The last run's copy of
    # the others is not kept: at 50,000 rows it is tens of megabytes.
    kept: dict[str, changes.Snapshot] = field(default_factory=dict)
    unchanged: bool = False
    # The registers' files as read (None: a register without one, e.g. Google), and the
    # tables, from which the snapshots are made only if they are needed after all.
    files: dict[str, list[int]] | None = None
    tables: dict[str, Table] = field(default_factory=dict)

    @classmethod
    def earlier(cls, config: Config) -> tuple[changes.SeenStore, dict[str, list[int]] | None]:
        """Return the store and the files the last run found unchanged (see ``read``)."""
        store = changes.SeenStore(config.state_dir)
        return store, store.unchanged_files()

    @classmethod
    def read(
        cls,
        earlier: tuple[changes.SeenStore, dict[str, list[int]] | None],
        klachten: Table,
        confidential: Table | None,
        registers: Sequence[Register | None] = (),
    ) -> SeenChanges:
        """Compare the registers as read now with the last run's snapshots.

        ``registers`` are the shared and the confidential register the tables come from.
        """
        store, unchanged_files = earlier
        tables: dict[str, Table] = {SHARED: klachten}
        if confidential is not None:
            tables[CONFIDENTIAL] = confidential
        files = _files(registers)
        if files is not None and files == unchanged_files:
            return cls(store, None, [], now(), unchanged=True, files=files, tables=tables)
        before = store.load()
        current: dict[str, changes.Snapshot] = {n: changes.snapshot(t) for n, t in tables.items()}
        found: list[changes.Seen] = []
        alike = []
        for name, snap in current.items():
            last = before.get(name) if before is not None else None
            # Compared whole first (at C speed): on most runs nothing changed at all.
            same = last == snap
            alike.append(same)
            if not same:
                found += changes.detect(last, snap, name)
        unchanged = before is not None and all(alike)
        kept = {n: s for n, s in (before or {}).items() if n not in current}
        return cls(store, current, found, now(), kept, unchanged, files)

    def lines(self) -> dict[str, list[dict[str, str]]]:
        """Return the Logboek lines of the changes, per register."""
        return changes.logbook_lines(self.found, self.at or now())

    def save(self, written: ChangeSet) -> None:
        """Keep the values as the sheet holds them after this sync wrote."""
        if self.current is None:
            if not any(change.header in changes.TRACKED for change in written.changes):
                return  # the snapshot still holds (the files' note is void if they changed)
            self.current = {n: changes.snapshot(t) for n, t in self.tables.items()}
            before = self.store.load() or {}
            self.kept = {n: s for n, s in before.items() if n not in self.current}
        snapshots = {
            name: changes.after_sync(snap, written.changes, name)
            for name, snap in self.current.items()
        }
        if self.unchanged and snapshots == self.current:
            # A run with nothing to do: the file stays as it is, and the next run whose
            # registers are still these very files needs not compare them again.
            if self.files is not None:
                self.store.note_unchanged_files(self.files)
            return
        # A register not read this run (no confidential one configured) keeps its snapshot.
        self.store.save({**self.kept, **snapshots})


def _files(registers: Sequence[Register | None]) -> dict[str, list[int]] | None:
    """Return the identities of the registers' files as read, or None if one has none."""
    files: dict[str, list[int]] = {}
    for name, register in zip((SHARED, CONFIDENTIAL), registers, strict=False):
        if register is None:
            continue
        found = file_identity(register)
        if found is None:
            return None
        files[name] = list(found)
    return files or None


def print_run(
    config: Config, journal: Journal, delivered: Sequence[Unit], today: date
) -> tuple[PrintRun | None, tuple[str, ...]]:
    """Rebuild today's print run when this sync made a letter or phone script."""
    made = [
        u for u in delivered
        if u.outgoing.kind == CONFIRMATION and u.outgoing.via in ("Brief", "Telefoon")
    ]  # fmt: skip
    if not made:
        return None, ()
    try:
        return write_print_run(config.outbox_dir, journal.load(), today), ()
    except OSError as error:
        return None, (f"Kan de afdrukmap niet schrijven: {error.strerror}",)


def _relative(path, config: Config | None) -> str:
    if path is None:
        return ""
    if config is None:
        return str(path)
    try:
        return str(path.relative_to(config.output_dir))
    except ValueError:
        return str(path)


def report_extra(
    units: Sequence[Unit],
    seen: SeenChanges,
    printed: PrintRun | None,
    rule: esc.Policy,
    config: Config | None = None,
) -> HelpdeskReport:
    """Return the help-desk part of the sync report."""
    escalated = sum(len(u.digest.items) for u in units if u.outgoing.kind in esc.KINDS and u.digest)
    letters = _relative(printed.letters, config) if printed else ""
    scripts = _relative(printed.scripts, config) if printed else ""
    return HelpdeskReport(
        escalated=escalated,
        changes_seen=len(seen.found),
        print_file=letters,
        scripts_file=scripts,
    )
