"""Dates as the register holds them: Dutch text people type, date cells, serial numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Day zero of spreadsheet serial dates (Excel, LibreOffice and Google agree since 1900-03-01).
SERIAL_EPOCH = datetime(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 25_569, 73_051

DATE_FORMAT = "%d-%m-%Y"
DATETIME_FORMAT = "%d-%m-%Y %H:%M"


@dataclass(frozen=True)
class ParsedDate:
    """A date read from a cell: the value, or a Dutch problem message."""

    value: date | datetime | None
    problem: str | None = None
    # The calendar date, whether a date or a date and time was read. A field rather than a
    # property: parsed dates are cached and asked for their day a few times per row.
    day: date | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        day = self.value.date() if isinstance(self.value, datetime) else self.value
        object.__setattr__(self, "day", day)


_MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mrt": 3, "maart": 3, "apr": 4,
    "april": 4, "mei": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augustus": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

_DMY = re.compile(
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[ T]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$"
)
_YMD = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})(?:\s+(\d{1,2})[:.](\d{2}))?$")
_SERIAL = re.compile(r"^\d{1,6}(?:[.,]\d+)?$")


# ParsedDate is immutable and a register repeats the same dates on many rows.
@lru_cache(maxsize=65_536)
def parse_date(text: str) -> ParsedDate:
    """Read a date the way people type it in a Dutch sheet; empty text is no date."""
    text = (text or "").strip().lower()
    if not text:
        return ParsedDate(None)
    try:
        parts = _match_parts(text)
    except ValueError:
        parts = None
    if parts is None:
        return ParsedDate(None, f"'{text}' is geen datum; schrijf bijvoorbeeld 26-11-2026")
    return parts


def _match_parts(text: str) -> ParsedDate | None:
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
        return _build(year, month, day, m[4], m[5], m[6])
    if m := _YMD.match(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), m[4], m[5], m[6])
    if (m := _WORDS.match(text)) and m[2] in _MONTHS:
        return _build(int(m[3]), _MONTHS[m[2]], int(m[1]), m[4], m[5], None)
    if _SERIAL.match(text):
        serial = float(text.replace(",", "."))
        # Only serials of 1970..2099: a bare "2026" is a year typed alone, not 18 July 1905.
        if not SERIAL_MIN <= serial < SERIAL_MAX:
            return None
        moment = SERIAL_EPOCH + timedelta(days=serial)
        if serial == int(serial):
            return ParsedDate(moment.date())
        return ParsedDate(moment.replace(second=0, microsecond=0, tzinfo=AMSTERDAM))
    return None


def _build(year: int, month: int, day: int, hour, minute, second) -> ParsedDate:
    if hour is None:
        return ParsedDate(date(year, month, day))
    moment = datetime(year, month, day, int(hour), int(minute), int(second or 0))
    return ParsedDate(moment.replace(tzinfo=AMSTERDAM))


def format_date(value: date | datetime | None) -> str:
    """Write a date the way the register shows it (26-11-2026)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM).date() if value.tzinfo else value.date()
    return value.strftime(DATE_FORMAT)


def format_datetime(value: datetime) -> str:
    """Write a moment the way the register shows it (26-11-2026 14:05), in Dutch time."""
    if value.tzinfo:
        value = value.astimezone(AMSTERDAM)
    return value.strftime(DATETIME_FORMAT)


def date_cell_value(text: str) -> date | datetime | None:
    """Return the real date (or naive Dutch date and time) for a date column's text.

    None for empty text or text that is no date: the backend then keeps the text as it
    is, and the sync's date check reports it in Controle.
    """
    value = parse_date(text).value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(AMSTERDAM).replace(tzinfo=None)
        return value.replace(second=0, microsecond=0)
    return value


def date_serial(value: date | datetime) -> float | int:
    """Return a spreadsheet serial number (days since 30-12-1899) for a date cell value."""
    if isinstance(value, datetime):
        moment = value.astimezone(AMSTERDAM).replace(tzinfo=None) if value.tzinfo else value
        delta = moment - SERIAL_EPOCH
        return round(delta.days + delta.seconds / 86_400, 8)
    return (value - SERIAL_EPOCH.date()).days


def date_text(text: str) -> str:
    """Return a date column's text in the register's own form (dd-mm-jjjj [uu:mm])."""
    value = date_cell_value(text)
    return text if value is None else cell_text(value)


def cell_text(value: object) -> str:
    """Return a spreadsheet cell value (as openpyxl gives it) as the text a person sees."""
    if value is None:
        return ""
    if isinstance(value, date):
        return _date_cell_text(value)
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@lru_cache(maxsize=65_536)
def _date_cell_text(value: date) -> str:
    # A register holds a few thousand distinct days, read tens of thousands of times.
    if isinstance(value, datetime):
        return format_date(value) if value.time() == time(0) else format_datetime(value)
    return format_date(value)


def now() -> datetime:
    """Return the current moment in Dutch time."""
    return datetime.now(AMSTERDAM)
