"""The durable submission queue: journal first, register later, exactly once.

A submission is appended to a journal file and fsync'd before the person is told its
Nummer; a writer appends journaled submissions to the register in batches. Each part of a
submission (confidential row, shared row, Logboek rows) is marked written in the journal
after it is stored, and ``Register.append`` skips a row whose Nummer is already there, so a
crash or a busy register at any point leads to a replay that writes every row exactly once.

The journal holds personal data only while a submission waits; once written, only the
token, Nummer and what the person was told are kept (for double-submit detection).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import filelock

from klachtsheet import nummer as nummers
from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table
from klachtsheet.exceptions import RegisterError
from klachtsheet.model import Table, now, settings
from klachtsheet.register import read_columns

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.register import Register

log = logging.getLogger(__name__)

JOURNAL = "inzendingen.jsonl"
# Written parts in the order they are stored: the full confidential row before the stub.
PARTS = (
    ("vertrouwelijk", "confidential", schema.KLACHTEN_TAB),
    ("vertrouwelijk_logboek", "confidential", schema.LOGBOEK_TAB),
    ("klachten", "shared", schema.KLACHTEN_TAB),
    ("logboek", "shared", schema.LOGBOEK_TAB),
)
# Tokens of written submissions are remembered this long, so a resubmit never adds a row.
REMEMBER = timedelta(days=30)


@dataclass
class Entry:
    """One submission in the queue."""

    id: str
    form: str
    nummer: str
    at: str
    outcome: dict[str, Any]
    parts: dict[str, dict[str, str]] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    done: bool = False

    @property
    def pending_parts(self) -> list[str]:
        return [p for p, _, _ in PARTS if p in self.parts and p not in self.written]

    def add_record(self) -> dict[str, Any]:
        return {"op": "add", "id": self.id, "form": self.form, "nummer": self.nummer,
                "at": self.at, "outcome": self.outcome, "parts": self.parts}  # fmt: skip

    def seen_record(self) -> dict[str, Any]:
        # Nothing personal: the token, the Nummer and what the person was told.
        return {"op": "seen", "id": self.id, "form": self.form, "nummer": self.nummer,
                "at": self.at, "outcome": self.outcome}  # fmt: skip


class _Union:
    """Several containers seen as one, for new_nummer's 'existing'."""

    def __init__(self, *parts: Container[str]) -> None:
        self.parts = parts

    def __contains__(self, item: object) -> bool:
        return any(item in part for part in self.parts)


class SubmissionQueue:
    """The journal of submissions under a folder, safe for several threads and processes."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / JOURNAL
        self._thread_lock = threading.RLock()
        self._file_lock = filelock.FileLock(str(self.directory / ".journaal.lock"), timeout=60)
        self._entries: dict[str, Entry] = {}
        self._stat: tuple[int, int, int] | None = None

    # -- journal file ----------------------------------------------------------------------

    def _ensure_dir(self) -> None:
        # Several request threads may get here at once: exist_ok, not check-then-create.
        self.directory.mkdir(parents=True, mode=0o700, exist_ok=True)

    def _locked(self):
        self._ensure_dir()
        return _Both(self._thread_lock, self._file_lock)

    def _current_stat(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _refresh(self) -> None:
        """Re-read the journal if another process (or a compaction) changed it."""
        stat = self._current_stat()
        if stat == self._stat and (stat is not None or not self._entries):
            return
        self._entries = {}
        if stat is not None:
            with self.path.open(encoding="utf-8") as handle:
                for line in handle:
                    self._apply(line)
        self._stat = stat

    def _apply(self, line: str) -> None:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            # Only the last line can be torn (a crash during write); it was never confirmed.
            return
        op = record.get("op")
        if op in ("add", "seen"):
            entry = Entry(record["id"], record["form"], record["nummer"], record["at"],
                          record.get("outcome", {}), record.get("parts", {}))  # fmt: skip
            entry.done = op == "seen"
            self._entries[entry.id] = entry
        elif op == "written":
            for entry_id in record.get("ids", []):
                entry = self._entries.get(entry_id)
                if entry is not None:
                    entry.written.add(record["part"])
                    entry.done = not entry.pending_parts

    def _write_lines(self, records: Iterable[Mapping[str, Any]]) -> None:
        self._refresh()  # never hide lines another process appended since our last read
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)  # durable before anyone is told the submission is safe
        finally:
            os.close(fd)
        for line in data.decode().splitlines():
            self._apply(line)
        self._stat = self._current_stat()

    # -- public --------------------------------------------------------------------------

    def submit(
        self,
        token: str,
        form: str,
        build: Callable[[str], tuple[dict[str, Any], dict[str, dict[str, str]]]],
        known: Container[str] = (),
    ) -> tuple[Entry, bool]:
        """Journal a submission under a new Nummer, or return the one this token already has.

        ``build(nummer)`` returns (outcome, parts). Returns (entry, created).
        """
        return self.submit_many([(token, form, build)], known)[0]

    def submit_many(self, items, known: Container[str] = ()) -> list[tuple[Entry, bool]]:
        """Journal several submissions in one durable write (all or none)."""
        with self._locked():
            self._refresh()
            taken = {e.nummer for e in self._entries.values()}
            results, new = [], []
            today = now().date()
            for token, form, build in items:
                existing = self._entries.get(token) or next((e for e in new if e.id == token), None)
                if existing is not None:
                    results.append((existing, False))
                    continue
                value = nummers.new_nummer(_Union(taken, known), today)
                taken.add(value)
                outcome, parts = build(value)
                entry = Entry(token, form, value, now().isoformat(timespec="seconds"),
                              outcome, parts)  # fmt: skip
                new.append(entry)
                results.append((entry, True))
            if new:
                self._write_lines(e.add_record() for e in new)
            return [(self._entries.get(e.id, e), created) for e, created in results]

    def lookup(self, token: str) -> Entry | None:
        """Return the submission with this token, if the queue knows it."""
        with self._locked():
            self._refresh()
            return self._entries.get(token)

    def pending(self) -> list[Entry]:
        """Return the submissions not yet completely written, oldest first."""
        with self._locked():
            self._refresh()
            return [e for e in self._entries.values() if not e.done]

    def nummers(self) -> set[str]:
        """Return every Nummer the queue has handed out and still remembers."""
        with self._locked():
            self._refresh()
            return {e.nummer for e in self._entries.values()}

    def mark_written(self, part: str, ids: list[str]) -> None:
        """Record durably that one part of these submissions is in the register."""
        if ids:
            with self._locked():
                self._write_lines([{"op": "written", "part": part, "ids": ids}])

    def compact(self) -> None:
        """Drop the personal data of written submissions and forget old tokens."""
        with self._locked():
            self._refresh()
            if not any(e.done and e.parts for e in self._entries.values()):
                return
            cutoff = now() - REMEMBER
            records: list[dict[str, Any]] = []
            for entry in self._entries.values():
                if entry.done:
                    if _parse(entry.at) >= cutoff:
                        records.append(entry.seen_record())
                    continue
                records.append(entry.add_record())
                for part in entry.written:
                    records.append({"op": "written", "part": part, "ids": [entry.id]})
            _atomic_write(self.path, records)
            self._stat = None
            self._refresh()


def _parse(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return now()


def _atomic_write(path: Path, records: list[dict[str, Any]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".journaal.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _Both:
    """Hold a thread lock and a file lock together (the file lock is per process)."""

    def __init__(self, thread_lock: threading.RLock, file_lock: filelock.FileLock) -> None:
        self.thread_lock, self.file_lock = thread_lock, file_lock

    def __enter__(self) -> None:
        self.thread_lock.acquire()
        try:
            self.file_lock.acquire()
        except BaseException:
            self.thread_lock.release()
            raise

    def __exit__(self, *exc: object) -> None:
        self.file_lock.release()
        self.thread_lock.release()


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
    locaties = tables.get(schema.LOCATIES_TAB)
    locations = (
        tuple(v.strip() for v in locaties.column("Locatie") if v.strip()) if locaties else ()
    )
    return Snapshot(
        nummers=frozenset(found - {""}),
        locations=locations,
        catalogue=Catalogue(from_table(tables.get(schema.CATEGORIEEN_TAB))),
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
        self._file_flush_lock = filelock.FileLock(
            str(queue.directory / ".schrijver.lock"), timeout=600
        )
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None
        self._confidential_ready = False

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
        with self._flush_lock, self._file_flush_lock:
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
    if not writer.queue.path.exists():
        return 0
    try:
        return writer.flush()
    except RegisterError:
        return 0
