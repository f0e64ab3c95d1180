"""The durable submission queue: SQLite first, register later, exactly once.

A submission is committed to an SQLite database (WAL, synchronous=FULL) in one
transaction before the person is told its Nummer; a writer (``intake/writer.py``) appends
queued submissions to the register in batches. Each part of a submission (confidential
row, shared row, Logboek lines) is marked written after it is stored, and
``Register.append`` skips a row whose Nummer (Klachten) or Id (Logboek) is already there,
so a crash or a busy register at any point leads to a replay that writes every row once.

The queue holds personal data only while a submission waits; once written, only the
token, Nummer and what the person was told are kept (for double-submit detection), and
secure_delete overwrites what was removed.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from klachtsheet import nummer as nummers
from klachtsheet import schema
from klachtsheet.files import fsync_directory, make_folder
from klachtsheet.model import now
from klachtsheet.sqlite import opened, transaction

log = logging.getLogger(__name__)

DATABASE = "inzendingen.sqlite"
LEGACY_JOURNAL = "inzendingen.jsonl"  # the JSON-lines queue of earlier versions
# Written parts in the order they are stored: the full confidential row before the stub.
PARTS = (
    ("vertrouwelijk", "confidential", schema.KLACHTEN_TAB),
    ("vertrouwelijk_logboek", "confidential", schema.LOGBOEK_TAB),
    ("klachten", "shared", schema.KLACHTEN_TAB),
    ("logboek", "shared", schema.LOGBOEK_TAB),
)
# Tokens of written submissions are remembered this long, so a resubmit never adds a row.
REMEMBER = timedelta(days=30)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    form TEXT NOT NULL,
    nummer TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    parts TEXT,
    written TEXT NOT NULL DEFAULT '[]',
    done INTEGER NOT NULL DEFAULT 0
)
"""


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


class _Union:
    """Several containers seen as one, for new_nummer's 'existing'."""

    def __init__(self, *parts: Container[str]) -> None:
        self.parts = parts

    def __contains__(self, item: object) -> bool:
        return any(item in part for part in self.parts)


Build = Callable[[str], tuple[dict[str, Any], dict[str, dict[str, str]]]]


class SubmissionQueue:
    """The queue of submissions under a folder, safe for several threads and processes."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DATABASE
        self.legacy_path = self.directory / LEGACY_JOURNAL
        self._ready = False
        self._ready_lock = threading.Lock()

    def exists(self) -> bool:
        """Tell whether there is a queue (or an old one to import) in the folder."""
        return self.path.exists() or self.legacy_path.exists()

    def _ensure_dir(self) -> None:
        # Several request threads may get here at once: make_folder takes a folder made meanwhile.
        make_folder(self.directory)

    def _db(self):
        """Open the database, creating its table and importing an old queue once."""
        self._ensure_dir()
        with self._ready_lock:
            if not self._ready or self.legacy_path.exists():
                with opened(self.path) as connection:
                    connection.execute(_SCHEMA)
                    if self.legacy_path.exists():
                        _import_legacy(connection, self.legacy_path)
                self._ready = True
        return opened(self.path)

    # -- public --------------------------------------------------------------------------

    def submit(
        self, token: str, form: str, build: Build, known: Container[str] = ()
    ) -> tuple[Entry, bool]:
        """Queue a submission under a new Nummer, or return the one this token already has.

        ``build(nummer)`` returns (outcome, parts). Returns (entry, created).
        """
        return self.submit_many([(token, form, build)], known)[0]

    def submit_many(
        self, items: Iterable[tuple[str, str, Build]], known: Container[str] = ()
    ) -> list[tuple[Entry, bool]]:
        """Queue several submissions in one committed transaction (all or none).

        Returns only after the commit: a Nummer shown to a person is durably queued.
        """
        with self._db() as connection, transaction(connection):
            taken = {n for (n,) in connection.execute("SELECT nummer FROM submissions")}
            results: list[tuple[Entry, bool]] = []
            new: dict[str, Entry] = {}
            today = now().date()
            for token, form, build in items:
                existing = new.get(token) or _get(connection, token)
                if existing is not None:
                    results.append((existing, False))
                    continue
                value = nummers.new_nummer(_Union(taken, known), today)
                taken.add(value)
                outcome, parts = build(value)
                entry = Entry(token, form, value, now().isoformat(timespec="seconds"),
                              outcome, parts)  # fmt: skip
                connection.execute(
                    "INSERT INTO submissions (id, form, nummer, at, outcome, parts) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (entry.id, form, value, entry.at, _dump(outcome), _dump(parts)),
                )
                new[token] = entry
                results.append((entry, True))
        return results

    def lookup(self, token: str) -> Entry | None:
        """Return the submission with this token, if the queue knows it."""
        with self._db() as connection:
            return _get(connection, token)

    def pending(self) -> list[Entry]:
        """Return the submissions not yet completely written, oldest first."""
        with self._db() as connection:
            rows = connection.execute(f"{_SELECT} WHERE done = 0 ORDER BY seq").fetchall()
        return [_entry(row) for row in rows]

    def nummers(self) -> set[str]:
        """Return every Nummer the queue has handed out and still remembers."""
        with self._db() as connection:
            return {n for (n,) in connection.execute("SELECT nummer FROM submissions")}

    def pending_nummers(self) -> set[str]:
        """Return the Nummers of submissions not yet completely in the register."""
        with self._db() as connection:
            rows = connection.execute("SELECT nummer FROM submissions WHERE done = 0")
            return {n for (n,) in rows}

    def mark_written(self, part: str, ids: list[str]) -> None:
        """Record durably (one transaction) that one part of these submissions is stored."""
        if not ids:
            return
        with self._db() as connection, transaction(connection):
            for entry_id in ids:
                row = connection.execute(
                    "SELECT written, parts FROM submissions WHERE id = ?", (entry_id,)
                ).fetchone()
                if row is None:
                    continue
                written = set(json.loads(row[0])) | {part}
                parts = json.loads(row[1]) if row[1] else {}
                done = all(p in written for p, _, _ in PARTS if p in parts)
                connection.execute(
                    "UPDATE submissions SET written = ?, done = ? WHERE id = ?",
                    (json.dumps(sorted(written)), int(done), entry_id),
                )

    def compact(self) -> None:
        """Drop the personal data of written submissions and forget old tokens."""
        cutoff = (now() - REMEMBER).isoformat(timespec="seconds")
        with self._db() as connection:
            with transaction(connection):
                connection.execute(
                    "UPDATE submissions SET parts = NULL WHERE done = 1 AND parts IS NOT NULL"
                )
                connection.execute("DELETE FROM submissions WHERE done = 1 AND at < ?", (cutoff,))
            # Move the pages out of the write-ahead log too, so nothing personal lingers.
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


_SELECT = "SELECT id, form, nummer, at, outcome, parts, written, done FROM submissions"


def _get(connection: sqlite3.Connection, token: str) -> Entry | None:
    row = connection.execute(f"{_SELECT} WHERE id = ?", (token,)).fetchone()
    return _entry(row) if row is not None else None


def _entry(row: tuple[Any, ...]) -> Entry:
    entry_id, form, nummer, at, outcome, parts, written, done = row
    return Entry(
        entry_id,
        form,
        nummer,
        at,
        json.loads(outcome),
        json.loads(parts) if parts else {},
        set(json.loads(written)),
        bool(done),
    )


def _dump(value: Any) -> str:
    # ensure_ascii: lone surrogates and every other code point survive as escapes.
    return json.dumps(value, ensure_ascii=True)


def _parse(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return now()


# -- the JSON-lines queue of earlier versions, imported once ---------------------------------


def read_legacy(path: Path) -> dict[str, Entry]:
    """Read an old JSON-lines queue, splitting on "\\n" only (text may hold U+2028 etc.)."""
    entries: dict[str, Entry] = {}
    data = path.read_bytes().decode("utf-8", errors="surrogateescape")
    for number, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            log.warning("old queue %s line %d unreadable; skipped", path.name, number)
            continue
        if not isinstance(record, dict):
            continue
        op = record.get("op")
        try:
            if op in ("add", "seen"):
                entry = Entry(
                    str(record["id"]),
                    str(record["form"]),
                    str(record["nummer"]),
                    str(record["at"]),
                    dict(record.get("outcome") or {}),
                    dict(record.get("parts") or {}),
                )
                entry.done = op == "seen"
                entries[entry.id] = entry
            elif op == "written":
                for entry_id in record.get("ids", []):
                    found = entries.get(entry_id)
                    if found is not None:
                        found.written.add(str(record["part"]))
                        found.done = not found.pending_parts
        except (KeyError, TypeError, ValueError):
            log.warning("old queue %s line %d incomplete; skipped", path.name, number)
    return entries


def _import_legacy(connection: sqlite3.Connection, path: Path) -> None:
    """Move an old queue into the database in one transaction, then remove the old file."""
    entries = read_legacy(path)
    with transaction(connection):
        for entry in entries.values():
            parts = None if entry.done else _dump(entry.parts)
            connection.execute(
                "INSERT OR IGNORE INTO submissions "
                "(id, form, nummer, at, outcome, parts, written, done) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.id, entry.form, entry.nummer, entry.at, _dump(entry.outcome), parts,
                 json.dumps(sorted(entry.written)), int(entry.done)),
            )  # fmt: skip
    # Committed: the old file (with personal data) can go.
    os.unlink(path)
    fsync_directory(path.parent)
    log.info("imported %d submission(s) from the old queue file", len(entries))
