"""A1 ranges, header rows and cell values: small pure helpers shared by the modules."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from klachtsheet.cells import MAX_CELL_CHARS, storable

log = logging.getLogger(__name__)


# Google recommends request bodies of at most 2 MB; writes are split to stay below this.
MAX_REQUEST_BYTES = 1_500_000
T = TypeVar("T")


def column_letter(index: int) -> str:
    """Return the A1 letters of a zero-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _quoted(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


def _read_ranges(names: Sequence[str], header_only: Sequence[str]) -> list[str]:
    return [_quoted(n) for n in names] + [f"{_quoted(n)}!1:1" for n in header_only]


def _tab_of_range(text: str) -> str:
    # "'Tab'" or "'Tab'!1:1": the quoted name ends with a quote, a range does not.
    name = text if text.endswith("'") else text.rsplit("!", 1)[0]
    return name[1:-1].replace("''", "'")


def _header_row(values: Sequence[Any]) -> list[str]:
    headers = [str(v).strip() for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _pad(row: Sequence[str], width: int) -> list[str]:
    return list(row[:width]) + [""] * (width - len(row))


def _check_size(row: list[str]) -> None:
    """Make every value of the row fit in one cell (in place): longer text is cut, visibly."""
    for index, value in enumerate(row):
        if len(value) > MAX_CELL_CHARS:
            row[index] = fit_cell(value)


def fit_cell(value: str) -> str:
    """Return the value cut to Google's 50,000 characters per cell, saying so at the end."""
    if len(value) <= MAX_CELL_CHARS:
        return value
    log.warning(
        "een waarde van %d tekens is ingekort tot %d (de grens van Google per cel)",
        len(value),
        MAX_CELL_CHARS,
    )
    return storable(value)


def chunks(items: Sequence[T], size: Callable[[T], int], limit: int) -> Iterator[list[T]]:
    """Split items in order into lists whose summed size stays under limit (one item at least)."""
    part: list[T] = []
    total = 0
    for item in items:
        weight = size(item)
        if part and total + weight > limit:
            yield part
            part, total = [], 0
        part.append(item)
        total += weight
    if part:
        yield part


def json_size(value: Any) -> int:
    """Return the size in bytes of a value as sent in a request body.

    requests encodes JSON bodies ASCII-only: an é is sent as six bytes (\\u00e9).
    """
    return len(json.dumps(value))


def _row_data(values: Sequence[str]) -> dict[str, Any]:
    """Return a RowData of text cells: stringValue, so nothing is ever read as a formula."""
    return {"values": [{"userEnteredValue": {"stringValue": str(v)}} for v in values]}
