"""Entries for the Logboek tab: what the tool did, per Nummer, never personal data."""

from __future__ import annotations

from datetime import datetime

from klachtsheet.model import format_datetime, now


def entry(nummer: str, action: str, details: str = "", by: str = "", at: datetime | None = None):
    """Return one Logboek row as header -> value.

    ``details`` must never hold personal data: name columns and counts, not values.
    """
    return {
        "Tijdstip": format_datetime(at or now()),
        "Nummer": nummer,
        "Actie": action,
        "Details": details,
        "Door": by,
    }
