"""Which columns of a tab the writer treats specially: dates, and text that keeps its zeros."""

from __future__ import annotations

from collections.abc import Sequence

from klachtsheet import schema
from klachtsheet.register import presentation


def text_columns(tab: str, headers: Sequence[str]) -> set[int]:
    """Return the columns formatted as text (phone and participant numbers keep their 0)."""
    known = schema.TABS_BY_NAME.get(tab)
    if known is None:
        return set()
    return {i for i, h in enumerate(headers) if presentation.is_text(tab, known.by_header(h))}


def date_columns(tab: str, headers: Sequence[str]) -> set[int]:
    """Return the date columns: their dates are written as date cells."""
    known = schema.TABS_BY_NAME.get(tab)
    if known is None:
        return set()
    result = set()
    for index, header in enumerate(headers):
        column = known.by_header(header)
        if column is not None and column.is_date:
            result.add(index)
    return result
