"""Entries for the Logboek tab: what the tool did, per Nummer, never personal data."""

from __future__ import annotations

import secrets
from datetime import datetime

from klachtsheet.model import format_datetime, now


def new_id() -> str:
    """Return a fresh Logboek line id (random, so it says nothing about the complaint)."""
    return secrets.token_hex(8)


def entry(
    nummer: str,
    action: str,
    details: str = "",
    by: str = "",
    at: datetime | None = None,
    line_id: str | None = None,
) -> dict[str, str]:
    """Return one Logboek row as header -> value, with an Id that makes it exactly-once.

    ``details`` must never hold personal data: name columns and counts, not values. Keep
    the returned row (e.g. in the queue) and append that same row on a replay: the
    register skips a line whose Id is already there.
    """
    return {
        "Tijdstip": format_datetime(at or now()),
        "Nummer": nummer,
        "Actie": action,
        "Details": details,
        "Door": by,
        "Id": line_id or new_id(),
    }
