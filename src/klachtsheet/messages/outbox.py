"""The outbox (every document the sync makes, per Nummer) and the journal of what was sent.

The journal makes sending exactly-once across crashes: the intent to send is
committed (SQLite, synchronous=FULL) before sending, so a rerun after a crash never sends
again.
It holds Nummers, kinds and dates only, never personal data.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from klachtsheet.exceptions import DeliveryError
from klachtsheet.files import atomic_write, fsync_directory
from klachtsheet.model import format_datetime, now
from klachtsheet.sqlite import connect, transaction

log = logging.getLogger(__name__)

DIGESTS_FOLDER = "_overzichten"

INTENT, SENT, FAILED, GIVEN = "voornemen", "verzonden", "mislukt", "toegekend"


class Outbox:
    """Files under ``outbox_dir/<Nummer>/``; digests under ``outbox_dir/_overzichten/``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, folder: str, filename: str) -> Path:
        """Return where a document is kept."""
        if not folder or "/" in folder or "\\" in folder or folder.startswith("."):
            raise DeliveryError(f"Ongeldige map '{folder}' in het postvak")
        return self.root / folder / filename

    def write(self, folder: str, filename: str, content: str | bytes) -> Path:
        """Write a document atomically; readable by the owner only (it holds personal data)."""
        target = self.path(folder, filename)
        data = content.encode() if isinstance(content, str) else content
        try:
            atomic_write(target, data)
        except OSError as error:
            raise DeliveryError(
                f"Kan {target.name} niet in het postvak zetten: {error.strerror}"
            ) from None
        return target

    def free_name(self, folder: str, filename: str) -> str:
        """Return filename, or 'name-2.ext' etc. when another document already has that name.

        An overview is made once (the journal sees to that), so an existing file of the same
        name is an earlier overview of the same day: it is kept, not overwritten.
        """
        target = self.path(folder, filename)
        stem, suffix, counter = target.stem, target.suffix, 1
        while target.exists():
            counter += 1
            target = target.with_name(f"{stem}-{counter}{suffix}")
        return target.name


@dataclass(frozen=True)
class JournalEntry:
    """The last state of one key in the journal."""

    key: str
    status: str
    at: str
    # The day the sync ran for (ISO), which may differ from ``at`` when run with --datum.
    day: str = ""


class Journal:
    """The sent-messages journal in SQLite: per key the last state (one transaction a call).

    ``path`` names the database; an old JSON-lines journal beside it (same name, suffix
    ``.jsonl``) is imported once, in one transaction, and then removed.
    """

    def __init__(self, path: Path) -> None:
        path = Path(path)
        self.path = path.with_suffix(".sqlite") if path.suffix == ".jsonl" else path
        self.legacy_path = self.path.with_suffix(".jsonl")
        # One connection for the journal's life (a run records two states per message);
        # opened again in a forked child, which must not share its parent's.
        self._connection: tuple[int, sqlite3.Connection] | None = None

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        connection = self._open()
        try:
            yield connection
        except sqlite3.Error:
            self.close()  # opened afresh on the next call
            raise

    def _open(self) -> sqlite3.Connection:
        if self._connection is not None and self._connection[0] == os.getpid():
            return self._connection[1]
        try:
            connection = connect(self.path)
            try:
                connection.execute(_SCHEMA)
                if self.legacy_path.exists():
                    _import_legacy(connection, self.legacy_path)
            except BaseException:
                connection.close()
                raise
        except (OSError, sqlite3.Error) as error:
            raise DeliveryError(
                f"Kan het verzendjournaal {self.path} niet openen: {_reason(error)}"
            ) from None
        self._connection = (os.getpid(), connection)
        return connection

    def close(self) -> None:
        """Close the journal's database connection (a later call opens it again)."""
        if self._connection is not None:
            pid, connection = self._connection
            self._connection = None
            if pid == os.getpid():
                connection.close()

    def __del__(self) -> None:
        with suppress(Exception):  # also at interpreter exit, when little is left to close with
            self.close()

    def load(self) -> dict[str, JournalEntry]:
        """Return the last entry per key."""
        if not self.path.exists() and not self.legacy_path.exists():
            return {}
        with self._db() as connection:
            rows = connection.execute("SELECT key, status, at, day FROM journal").fetchall()
        return {key: JournalEntry(key, status, at, day) for key, status, at, day in rows}

    def nummers(self, entries: Mapping[str, JournalEntry] | None = None) -> dict[str, list[str]]:
        """Return the Nummers given out earlier per row fingerprint (from ``entries`` if read)."""
        result: dict[str, list[str]] = {}
        for entry in (self.load() if entries is None else entries).values():
            if entry.key.startswith("nummer:") and entry.status == GIVEN:
                _, fingerprint, given = entry.key.split(":", 2)
                result.setdefault(fingerprint, []).append(given)
        return result

    def record(self, keys: Iterable[str], status: str, *, datum: str = "") -> None:
        """Record the state of these keys in one committed transaction."""
        self.record_states([(keys, status)], datum=datum)

    def record_states(
        self, states: Iterable[tuple[Iterable[str], str]], *, datum: str = ""
    ) -> None:
        """Record several (keys, status) in one committed transaction; ``datum`` is the day."""
        stamp = format_datetime(now())
        rows = [(key, status, stamp, datum) for keys, status in states for key in keys]
        if not rows:
            return
        try:
            with self._db() as connection, transaction(connection):
                connection.executemany(
                    "INSERT INTO journal (key, status, at, day) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET status = excluded.status, "
                    "at = excluded.at, day = excluded.day",
                    rows,
                )
        except (OSError, sqlite3.Error) as error:
            raise DeliveryError(
                f"Kan het verzendjournaal {self.path} niet bijwerken: {_reason(error)}"
            ) from None

    def record_nummers(self, given: Mapping[str, str]) -> None:
        """Remember which Nummer each hand-typed row (by fingerprint) received."""
        self.record((f"nummer:{fp}:{n}" for n, fp in given.items()), GIVEN)


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS journal (key TEXT PRIMARY KEY, status TEXT NOT NULL, "
    "at TEXT NOT NULL DEFAULT '', day TEXT NOT NULL DEFAULT '')"
)


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def _import_legacy(connection: sqlite3.Connection, path: Path) -> None:
    """Import an old JSON-lines journal (last state per key wins), then remove it."""
    entries: dict[str, tuple[str, str, str]] = {}
    text = path.read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key, status = str(record["sleutel"]), str(record["status"])
        except (ValueError, KeyError, TypeError):
            log.warning("journal %s line %d unreadable; skipped", path.name, number)
            continue
        entries[key] = (status, str(record.get("op", "")), str(record.get("datum", "")))
    with transaction(connection):
        for key, (status, at, day) in entries.items():
            # A state recorded in the database already is newer than the old file.
            connection.execute(
                "INSERT OR IGNORE INTO journal (key, status, at, day) VALUES (?, ?, ?, ?)",
                (key, status, at, day),
            )
    os.unlink(path)
    fsync_directory(path.parent)


def done(entries: Mapping[str, JournalEntry], key: str) -> JournalEntry | None:
    """Return the entry when the key was sent or about to be sent (never send it again)."""
    entry = entries.get(key)
    return entry if entry is not None and entry.status in (INTENT, SENT) else None
