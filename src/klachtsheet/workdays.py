"""Dutch working days: weekends and national holidays are not counted."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    # The 'holidays' package keeps the Dutch calendar (Koningsdag on a Sunday moves to Saturday,
    # Bevrijdingsdag every year) so we need not maintain it ourselves.
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    """Tell whether a day is a Dutch working day."""
    return day.weekday() < 5 and day not in _holidays(day.year)


@lru_cache(maxsize=16_384)
def add_working_days(start: date, days: int) -> date:
    """Return the date ``days`` working days after ``start`` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Return the number of working days after ``start`` up to and including ``end``."""
    if end <= start:
        return -working_days_between(end, start) if end < start else 0
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count
