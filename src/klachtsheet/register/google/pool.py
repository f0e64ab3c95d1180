"""One HTTP client (so one token) per key file, and one register per spreadsheet, per process.

The form server and the sync open the register many times (every queue flush, every
snapshot); a new client each time would read the key file and fetch a new token each
time. google-auth refreshes the one token when it expires.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gspread import HTTPClient

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

LOCK = threading.Lock()
CLIENTS: dict[tuple[Any, ...], tuple[HTTPClient, str]] = {}
REGISTERS: dict[tuple[Any, ...], Any] = {}  # GoogleRegister by spreadsheet and budget


def shared_client(
    path: Path | None,
    load: Callable[[Path | None], Credentials],
    connect: Callable[[Credentials], HTTPClient],
) -> tuple[HTTPClient, str]:
    """Return the process's HTTP client for this key file (a changed file is read again)."""
    try:
        stamp = path.stat().st_mtime_ns if path is not None else None
    except OSError:
        stamp = None
    key = (str(path) if path else None, stamp, load, connect)
    with LOCK:
        found = CLIENTS.get(key)
    if found is not None:
        return found
    credentials = load(path)
    account = getattr(credentials, "service_account_email", "") or ""
    made = (connect(credentials), account)
    with LOCK:
        return CLIENTS.setdefault(key, made)


def forget_connections() -> None:
    """Drop the process's registers and clients (a new key file, or between tests)."""
    with LOCK:
        CLIENTS.clear()
        REGISTERS.clear()
