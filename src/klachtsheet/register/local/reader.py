"""Reading the workbook with python-calamine: every tab as text, as a person sees it.

Values are turned into text by ``model.cell_text`` exactly as they were when openpyxl read
the workbook, with one deliberate difference: a formula reads as the value the spreadsheet
last calculated (what a person sees), not as its formula text. A formula never calculated
(a file written by a program that does not calculate) reads as empty.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from klachtsheet.exceptions import RegisterError
from klachtsheet.model import Table, cell_text
from klachtsheet.register.local.columns import date_columns


@dataclass
class TabText:
    """A tab's text, kept mutable so writes can keep it in step with the file."""

    name: str
    headers: list[str]
    # Data rows (sheet row 2 onward), as wide as the headers. Tuples, shared with the Table
    # handed out (one copy of 50,000 rows in memory, not two); a write replaces its row.
    rows: list[tuple[str, ...]]
    last_used: int  # the last sheet row with any value in any column (1 = only headers)
    _table: Table | None = field(default=None, repr=False)
    _keys: tuple[int, set[str]] | None = field(default=None, repr=False)
    # (sheet row, column) of date-column cells the file holds as text (typed by a person).
    typed: set[tuple[int, int]] = field(default_factory=set, repr=False)

    def keys(self, col: int) -> set[str]:
        """Return the stripped non-empty values of a column (the Nummers), kept up to date."""
        if self._keys is None or self._keys[0] != col:
            self._keys = (col, {r[col].strip() for r in self.rows if r[col].strip()})
        return self._keys[1]

    def table(self) -> Table:
        if self._table is None:
            rows = self.rows
            end = len(rows)
            while end and not any(rows[end - 1]):
                end -= 1
            self._table = Table(self.name, tuple(self.headers), tuple(rows[:end]))
        return self._table

    def changed(self) -> None:
        self._table = None
        self._keys = None

    def cell(self, row: int, col: int) -> str:
        """Return the text of a sheet row (2 = first data row) and column (0-based)."""
        index = row - 2
        if 0 <= index < len(self.rows) and col < len(self.headers):
            return self.rows[index][col]
        return ""

    def set(self, row: int, col: int, text: str) -> None:
        width = len(self.headers)
        while len(self.rows) < row - 1:
            self.rows.append(("",) * width)
        if col < width:
            cells = self.rows[row - 2]
            if self._keys is not None and self._keys[0] == col:
                if cells[col].strip():
                    self._keys = None  # a value replaced: count again when next asked
                elif text.strip():
                    self._keys[1].add(text.strip())
            self.rows[row - 2] = (*cells[:col], text, *cells[col + 1 :])
        if text:
            self.last_used = max(self.last_used, row)
        self._table = None


class Reader:
    """One workbook opened with calamine; tabs parsed on demand."""

    def __init__(self, raw: bytes, name: str) -> None:
        self.name = name
        try:
            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        except Exception as error:  # calamine raises its own kinds for a damaged file
            raise RegisterError(
                f"Register {name} is geen leesbaar .xlsx-bestand{unreadable_because(raw, error)}"
            ) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def tab(self, name: str) -> TabText:
        try:
            values = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as error:
            raise RegisterError(
                f"Tabblad '{name}' van {self.name} is niet leesbaar ({type(error).__name__})"
            ) from None
        return tab_text(name, values)


def _text(value: object) -> str:
    return value if isinstance(value, str) else cell_text(value)


def tab_text(name: str, values: Sequence[Sequence[object]]) -> TabText:
    """Turn calamine's rows (from A1) into the tab's text."""
    header_row = values[0] if values else []
    headers = [_text(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows: list[tuple[str, ...]] = []
    last_used = 1
    dates = date_columns(name, headers)
    typed: set[tuple[int, int]] = set()
    for number, row in enumerate(values[1:], start=2):
        for col in dates:
            if col < len(row) and type(row[col]) is str and row[col]:
                typed.add((number, col))
        texts = tuple([v if type(v) is str else cell_text(v) for v in row[:width]])
        if len(texts) < width:
            texts += ("",) * (width - len(texts))
        rows.append(texts)
        if any(texts) or any(v != "" for v in row[width:]):
            last_used = number
    return TabText(name, headers, rows, last_used, typed=typed)


def unreadable_because(source: bytes | Path, error: Exception) -> str:
    """Name the cells holding a character no cell may hold, else the kind of error."""
    from klachtsheet.register.xlsx_check import broken_cells

    where = broken_cells(io.BytesIO(source) if isinstance(source, bytes) else source)
    if where:
        return (
            f": een teken dat niet in een cel kan staan in {', '.join(where)}; "
            "haal het weg (bijvoorbeeld in LibreOffice) en probeer opnieuw"
        )
    return f" ({type(error).__name__})"
