"""Answer-by dates and what is overdue, counted in Dutch working days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from klachtsheet.rules.context import WAITING_FOR_ANSWER
from klachtsheet.workdays import NO_EXTRA, add_working_days


def answer_by(handed_over: date, term: int, extra: Iterable[date] = NO_EXTRA) -> date:
    """Return the date by which the participant gets an answer: handover + term working days."""
    return _answer_by(handed_over, term, frozenset(extra))  # a frozenset is not copied


# Counting out a term walks it day by day (10 µs); a register hands over on a few hundred
# distinct days, each counted out once per process.
@lru_cache(maxsize=65_536)
def _answer_by(handed_over: date, term: int, extra: frozenset[date]) -> date:
    return add_working_days(handed_over, term, extra)


def is_overdue(status: str | None, due: date | None, today: date) -> bool:
    """Tell whether a complaint still waits for an answer after its answer-by date."""
    return status in WAITING_FOR_ANSWER and due is not None and today > due


def days_since(day: date | None, today: date, days: int) -> bool:
    """Tell whether at least ``days`` calendar days have passed since ``day``."""
    return day is not None and today >= day + timedelta(days=days)
