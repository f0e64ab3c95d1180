"""A1 ranges, header rows and cell values: small pure helpers shared by the modules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from klachtsheet.exceptions import RegisterError

MAX_CELL_CHARS = 50_000  # Google Sheets' limit for one cell


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


def _trim_row(row: Sequence[str]) -> list[str]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def _trim(rows: list[list[str]]) -> list[list[str]]:
    trimmed = [_trim_row(r) for r in rows]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def _check_size(row: Sequence[str]) -> None:
    for value in row:
        if len(value) > MAX_CELL_CHARS:
            raise RegisterError(
                f"Een waarde van {len(value)} tekens past niet in één cel "
                f"(maximaal {MAX_CELL_CHARS})"
            )


def _row_data(values: Sequence[str]) -> dict[str, Any]:
    """Return a RowData of text cells: stringValue, so nothing is ever read as a formula."""
    return {"values": [{"userEnteredValue": {"stringValue": str(v)}} for v in values]}
