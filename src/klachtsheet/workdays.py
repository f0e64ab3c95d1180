"""Dutch working days, from one documented set of free days computed here.

The default set is that of the Algemene termijnenwet (art. 3): New Year's Day, Good Friday,
Easter Sunday and Monday, King's Day (27 April, 26 April when the 27th is a Sunday),
Liberation Day (5 May, every year), Ascension Day, Whit Sunday and Monday, and Christmas
(25 and 26 December); Saturdays and Sundays never count. An organisation adds its own
free days with the setting ``extra_vrije_dagen`` (Instellingen: "Extra vrije dagen").
Computed in code, so the answer term never depends on a package version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

NO_EXTRA: frozenset[date] = frozenset()


def easter(year: int) -> date:
    """Return Easter Sunday (Gregorian calendar, anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """Return the free days of the Algemene termijnenwet in a year, with their Dutch names."""
    e = easter(year)
    kings = date(year, 4, 27)
    if kings.weekday() == 6:
        kings = date(year, 4, 26)
    days = {
        date(year, 1, 1): "Nieuwjaarsdag",
        e - timedelta(days=2): "Goede Vrijdag",
        e: "Eerste Paasdag",
        e + timedelta(days=1): "Tweede Paasdag",
        kings: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        e + timedelta(days=39): "Hemelvaartsdag",
        e + timedelta(days=49): "Eerste Pinksterdag",
        e + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }
    return days


_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_free_days(text: str) -> tuple[frozenset[date], tuple[str, ...]]:
    """Read the setting 'Extra vrije dagen' ('24-12-2026; 31-12-2026'): days and problems."""
    days: set[date] = set()
    problems: list[str] = []
    for part in re.split(r"[;,\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _DATE.fullmatch(part)
        try:
            if match is None:
                raise ValueError(part)
            if match[1]:
                days.add(date(int(match[3]), int(match[2]), int(match[1])))
            else:
                days.add(date(int(match[4]), int(match[5]), int(match[6])))
        except ValueError:
            problems.append(
                f"Instelling 'Extra vrije dagen': '{part}' is geen datum (schrijf dd-mm-jjjj); "
                "overgeslagen"
            )
    return frozenset(days), tuple(problems)


def is_working_day(day: date, extra: Iterable[date] = NO_EXTRA) -> bool:
    """Tell whether a day is a working day: no weekend, no public holiday, no extra free day."""
    return day.weekday() < 5 and day not in public_holidays(day.year) and day not in extra


def add_working_days(start: date, days: int, extra: Iterable[date] = NO_EXTRA) -> date:
    """Return the date ``days`` working days after ``start`` (start itself not counted)."""
    free = frozenset(extra)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, free):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, extra: Iterable[date] = NO_EXTRA) -> int:
    """Return the number of working days after ``start`` up to and including ``end``."""
    free = frozenset(extra)
    if end <= start:
        return -working_days_between(end, start, free) if end < start else 0
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current, free)
    return count
