"""The one way klachtsheet opens its own SQLite files (submission queue, sent journal).

SQLite from the standard library: WAL for readers beside one writer, synchronous=FULL so a
committed transaction survives power loss, secure_delete so personal data that was removed
is overwritten in the file. Files are readable by the owner only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from klachtsheet.files import PRIVATE, fsync_directory, make_folder

BUSY_TIMEOUT_MS = 60_000


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed, mode 0600) a database with the durable settings."""
    path = Path(path)
    make_folder(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE)
        os.close(fd)
        fsync_directory(path.parent)
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves (see transaction()).
    connection = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA secure_delete = ON")
    connection.execute("PRAGMA foreign_keys = ON")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            os.chmod(side, PRIVATE)
    return connection


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


@contextlib.contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """Open a connection for one operation and close it afterwards."""
    connection = connect(path)
    try:
        yield connection
    finally:
        connection.close()
