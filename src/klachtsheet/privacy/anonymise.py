"""Anonymising complaints: the blanking shared by retention and erasure, and the outbox cleanup.

A complaint is anonymised by blanking exactly its personal columns
(``schema.Column.personal``) and putting a marker in Omschrijving, so a person
reading the sheet sees why the row is empty. Nummer, dates, channel, location,
category, status, outcome and satisfaction stay, so every count and trend is
unchanged. The marker is recognised on later runs, which therefore change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from klachtsheet import schema
from klachtsheet.model import CellUpdate, Complaint, format_date
from klachtsheet.privacy import confidential

REASON_RETENTION = "bewaartermijn"
REASON_REQUEST = "op verzoek"

_MARKER = re.compile(r"^Geanonimiseerd op \d{2}-\d{2}-\d{4}(?: \([^()]*\))?$")


def marker(today: date, reason: str) -> str:
    """Return the text Omschrijving gets when a complaint is anonymised."""
    return f"Geanonimiseerd op {format_date(today)} ({reason})"


def is_marker(text: str) -> bool:
    """Tell whether an Omschrijving is the anonymisation marker."""
    value = (text or "").strip()
    return value.startswith("Geanonimiseerd op ") and bool(_MARKER.match(value))


def _is_placeholder(text: str) -> bool:
    # Neither the marker nor the stub text of a confidential complaint is personal.
    value = (text or "").strip()
    return is_marker(value) or value == confidential.STUB_DESCRIPTION


def blanking(
    complaint: Complaint, headers: Sequence[str], *, today: date, reason: str
) -> tuple[CellUpdate, ...]:
    """Return the cell updates that anonymise one complaint; none when nothing personal is left.

    Only columns present in ``headers`` (the sheet's own) are written.
    """
    present = set(headers)
    description = schema.KLACHTEN.header("omschrijving")
    updates = []
    for key in confidential.personal_keys():
        header = schema.KLACHTEN.header(key)
        value = complaint.get(key)
        if header not in present or not value.strip():
            continue
        if header == description and _is_placeholder(value):
            continue
        updates.append(CellUpdate(complaint.nummer, header, ""))
    if not updates:
        return ()
    if description in present:
        # The marker replaces the description instead of a blank, so people see why.
        updates = [u for u in updates if u.header != description]
        if not _is_placeholder(complaint.omschrijving):
            updates.append(CellUpdate(complaint.nummer, description, marker(today, reason)))
    return tuple(updates)


def is_anonymised(complaint: Complaint) -> bool:
    """Tell whether a complaint holds no personal data any more."""
    return not any(
        complaint.get(key).strip()
        and not (key == "omschrijving" and _is_placeholder(complaint.get(key)))
        for key in confidential.personal_keys()
    )
