"""The queue writer: appends queued submissions to the registers, in batches, exactly once.

Also the register snapshot the form needs (known Nummers, choices, settings), read in one
call and refreshed by the writer.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import filelock

from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table
from klachtsheet.exceptions import RegisterError
from klachtsheet.intake.definitions import Choices
from klachtsheet.intake.queue import PARTS, Entry, SubmissionQueue
from klachtsheet.model import Table, settings
from klachtsheet.register import read_columns

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.register import Register

log = logging.getLogger(__name__)

__all__ = ["QueueWriter", "Snapshot", "flush_queue", "snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """What the form needs from the register: known Nummers, choices and settings."""

    nummers: frozenset[str] = frozenset()
    locations: tuple[str, ...] = ()
    catalogue: Catalogue = field(default_factory=lambda: Catalogue(from_table(None)))
    settings: dict[str, str] = field(default_factory=lambda: settings(None))
    read_at: float = 0.0


SNAPSHOT_TABS = (schema.KLACHTEN_TAB, schema.LOCATIES_TAB, schema.CATEGORIEEN_TAB,
                 schema.INSTELLINGEN_TAB)  # fmt: skip
SNAPSHOT_COLUMNS = {schema.KLACHTEN_TAB: ("Nummer",)}


def snapshot(tables: Mapping[str, Table]) -> Snapshot:
    """Build a Snapshot from tabs read in one call."""
    klachten = tables.get(schema.KLACHTEN_TAB)
    found = {v.strip() for v in klachten.column("Nummer")} if klachten else set()
    choices = Choices.from_tables(tables)
    return Snapshot(
        nummers=frozenset(found - {""}),
        locations=choices.locations,
        catalogue=choices.catalogue,
        settings=settings(tables.get(schema.INSTELLINGEN_TAB)),
        read_at=time.monotonic(),
    )


class QueueWriter:
    """Writes queued submissions to the registers, in batches, from any thread or process."""

    def __init__(
        self,
        queue: SubmissionQueue,
        shared: Callable[[], Register],
        confidential: Callable[[], Register],
        *,
        retry_seconds: float = 10.0,
        refresh_seconds: float = 60.0,
    ) -> None:
        self.queue = queue
        self._open_shared, self._open_confidential = shared, confidential
        self.retry_seconds, self.refresh_seconds = retry_seconds, refresh_seconds
        self.last_error: str | None = None
        self.attempts = 0
        self.snapshot: Snapshot | None = None
        self._flush_lock = threading.Lock()
        self._file_lock: filelock.FileLock | None = None
        self._file_lock_pid = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None
        self._confidential_ready = False

    def _file_flush_lock(self) -> filelock.FileLock:
        """The lock between processes; a new one after a fork (a lock is never inherited)."""
        if self._file_lock is None or self._file_lock_pid != os.getpid():
            self._file_lock = filelock.FileLock(
                str(self.queue.directory / ".schrijver.lock"), timeout=600
            )
            self._file_lock_pid = os.getpid()
        return self._file_lock

    @classmethod
    def from_config(cls, config: Config, *, background: bool = True, **options: Any) -> QueueWriter:
        """Return a writer for the queue and registers of this configuration.

        The form's writer works in the background: Google's per-minute quotas are waited
        out, not given up on. The sync's flush (``background=False``) keeps the command
        line's bounded wait.
        """
        from klachtsheet.register import open_register

        return cls(
            SubmissionQueue(config.queue_dir),
            lambda: open_register(config.register, config, background=background),
            lambda: open_register(config.confidential_register, config, background=background),
            **options,
        )

    # -- the register snapshot -------------------------------------------------------------

    def refresh(self) -> Snapshot:
        """Read Nummers, locations, categories and settings from the register in one read."""
        # Only the Nummers of Klachten: not the whole tab (MBs at 10,000 rows) every minute.
        tables = read_columns(self._open_shared(), SNAPSHOT_TABS, SNAPSHOT_COLUMNS)
        self.snapshot = snapshot(tables)
        return self.snapshot

    def current(self) -> Snapshot:
        """Return the latest snapshot, reading the register only if there is none yet."""
        return self.snapshot if self.snapshot is not None else self.refresh()

    # -- writing -------------------------------------------------------------------------

    def flush(self) -> int:
        """Write every pending submission; return how many were completed.

        Raises RegisterError when a register cannot be written; what was written stays
        written and the rest stays in the queue.
        """
        self.queue._ensure_dir()
        with self._flush_lock, self._file_flush_lock():
            pending = self.queue.pending()
            if not pending:
                return 0
            try:
                for part, where, tab in PARTS:
                    todo = [e for e in pending if part in e.pending_parts]
                    if not todo:
                        continue
                    register = self._register(where)
                    register.append(tab, [e.parts[part] for e in todo])
                    self.queue.mark_written(part, [e.id for e in todo])
            except RegisterError as error:
                self.last_error = str(error)
                log.warning("queued submissions not written yet: %s", error)
                raise
            finally:
                self.attempts += 1
                self._notify_idle()
            self.last_error = None
            completed = len(pending)
            self.queue.compact()
            log.info("wrote %d queued submission(s) to the register", completed)
            return completed

    def _register(self, where: str) -> Register:
        if where == "shared":
            return self._open_shared()
        register = self._open_confidential()
        if not self._confidential_ready:
            register.ensure_layout(schema.CONFIDENTIAL_TABS)
            self._confidential_ready = True
        return register

    def _notify_idle(self) -> None:
        with self._idle:
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is pending; return whether that happened within timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self.queue.pending():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.set()
                self._idle.wait(min(left, 0.2))
        return True

    def wait_for(self, entry_id: str, timeout: float) -> Entry | None:
        """Wait until this submission is written or a write attempt fails; return its entry."""
        deadline = time.monotonic() + timeout
        start = self.attempts
        with self._idle:
            while True:
                entry = self.queue.lookup(entry_id)
                if entry is None or entry.done:
                    return entry
                if self.attempts > start and self.last_error:
                    return entry
                left = deadline - time.monotonic()
                if left <= 0:
                    return entry
                self._idle.wait(min(left, 0.2))

    @property
    def running(self) -> bool:
        return self._thread is not None

    # -- background thread -----------------------------------------------------------------

    def notify(self) -> None:
        """Tell the background writer there is something to write."""
        self._wake.set()

    def start(self) -> None:
        """Start the background writer thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wachtrij", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the background writer after its current batch."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        delay = self.retry_seconds
        while not self._stop.is_set():
            self._wake.wait(timeout=delay)
            self._wake.clear()
            if self._stop.is_set():
                break
            time.sleep(0.02)  # let submissions arriving together share one batch
            delay = self._step()

    def _step(self) -> float:
        try:
            written = self.flush()
            if written or self.snapshot is None or self._stale():
                self.refresh()
            return self.retry_seconds
        except RegisterError as error:
            self.last_error = str(error)
            return self.retry_seconds
        except Exception:  # keep the writer alive; the queue keeps everything
            log.exception("queue writer failed; will retry")
            return self.retry_seconds

    def _stale(self) -> bool:
        return (
            self.snapshot is None or time.monotonic() - self.snapshot.read_at > self.refresh_seconds
        )


def flush_queue(config: Config) -> int:
    """Write queued form submissions to the register; return how many were written.

    Called at the start of ``klachtsheet sync``. A busy register is logged and leaves the
    submissions queued for the next run.
    """
    writer = QueueWriter.from_config(config, background=False)
    if not writer.queue.exists():
        return 0
    try:
        return writer.flush()
    except RegisterError:
        return 0
