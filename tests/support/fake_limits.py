"""What makes the fake as strict as Google where it matters to klachtsheet.

- Per-minute quotas: Google allows 60 read and 60 write requests per minute per user
  (and answers 429 without Retry-After beyond that); the fake counts requests in a
  sliding minute on a clock tests can drive, so no test waits a real minute.
- Limits: 50,000 characters per cell; a request body of at most 10 MB.
- Values typed by a person (``USER_ENTERED``) are parsed by the spreadsheet's locale:
  a phone number loses its leading zero, a date becomes a serial number shown in the
  locale's date format, ``3,5`` is a number in nl_NL.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

MAX_CELL_CHARS = 50_000
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
CELL_TOO_LONG = "Your input contains more than the maximum of 50000 characters in a single cell."
PAYLOAD_TOO_LARGE = f"Request payload size exceeds the limit: {MAX_PAYLOAD_BYTES} bytes."
QUOTA_METRICS = {"read": "Read requests", "write": "Write requests"}
EPOCH = date(1899, 12, 30)  # day 0 of Sheets' serial numbers


class ManualClock:
    """A clock for the fake's quotas that only moves when someone sleeps on it."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


class Quota:
    """Requests per minute per user, per metric ("read", "write"), as Google counts them."""

    def __init__(self, per_minute: int = 60, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.used: dict[str, deque[float]] = {"read": deque(), "write": deque()}
        self.refused = 0

    def take(self, metric: str) -> bool:
        """Count one request; return False (a 429) when the minute's quota is used up."""
        now = self.clock()
        window = self.used[metric]
        while window and window[0] <= now - 60.0:
            window.popleft()
        if len(window) >= self.per_minute:
            self.refused += 1
            return False
        window.append(now)
        return True


def quota_message(metric: str) -> str:
    name = QUOTA_METRICS[metric]
    return (
        f"Quota exceeded for quota metric '{name}' and limit '{name} per minute per user' "
        "of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'."
    )


class DateSerial(float):
    """A number Sheets made of a typed date: shown in the locale's date format."""

    shown: str

    def __new__(cls, serial: float, shown: str) -> DateSerial:
        value = super().__new__(cls, serial)
        value.shown = shown
        return value


def serial(moment: date | datetime) -> float:
    """Return the Sheets serial number of a date or moment."""
    day = moment.date() if isinstance(moment, datetime) else moment
    number = float((day - EPOCH).days)
    if isinstance(moment, datetime):
        number += (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400
    return number


_DATE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_NUMBER = {
    "nl_NL": re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$"),
    "en_US": re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"),
}
_BOOLEANS = {
    "nl_NL": {"WAAR": True, "ONWAAR": False},
    "en_US": {"TRUE": True, "FALSE": False},
}


def user_entered(text: str, locale: str) -> Any:
    """Return what Sheets stores for text a person typed (not a formula, not quoted)."""
    plain = text.strip()
    if not plain:
        return text
    booleans = _BOOLEANS.get(locale, _BOOLEANS["en_US"])
    if plain.upper() in booleans:
        return booleans[plain.upper()]
    number = _NUMBER.get(locale, _NUMBER["en_US"])
    if number.match(plain):
        if locale == "nl_NL":
            return float(plain.replace(".", "").replace(",", "."))
        return float(plain.replace(",", ""))
    match = _DATE.match(plain)
    if match:
        return _typed_date(match, locale) or text
    return text


def _typed_date(match: re.Match[str], locale: str) -> DateSerial | None:
    a, b, c = (int(match[i]) for i in (1, 2, 3))
    if len(match[1]) == 4:
        year, month, day = a, b, c
    elif locale == "en_US":
        month, day, year = a, b, c
    else:
        day, month, year = a, b, c
    if year < 100:
        year += 2000 if year < 30 else 1900
    try:
        moment: date | datetime = date(year, month, day)
        if match[4]:
            moment = datetime(year, month, day, int(match[4]), int(match[5]), int(match[6] or 0))
    except ValueError:
        return None
    shown = f"{month}/{day}/{year}" if locale == "en_US" else f"{day}-{month}-{year}"
    if isinstance(moment, datetime):
        shown += f" {moment.hour}:{moment.minute:02d}:{moment.second:02d}"
    return DateSerial(serial(moment), shown)


def check_cell(value: Any) -> None:
    """Refuse a cell over 50,000 characters, as Google does (raises ValueError)."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise ValueError(CELL_TOO_LONG)
