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
from klachtsheet.readahead import Parsed
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
    """One workbook opened with calamine; tabs parsed on demand (or ahead, see readahead)."""

    def __init__(self, raw: bytes, name: str, ahead: Parsed | None = None) -> None:
        self.name = name
        # Values calamine already parsed in the background, taken once each.
        self._values: dict[str, list[list[object]]] = {}
        # Tabs whose text was made while they were parsed (register.local.early).
        self._made: dict[str, TabText] = {}
        if ahead is not None:
            self._book, self._values = ahead.workbook, dict(ahead.values)
            self._made = ahead.made
        else:
            try:
                self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
            except Exception as error:  # calamine raises its own kinds for a damaged file
                raise RegisterError(
                    f"Register {name} is geen leesbaar .xlsx-bestand"
                    f"{unreadable_because(raw, error)}"
                ) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def tab(self, name: str) -> TabText:
        made = self._made.pop(name, None)
        ready = self._values.pop(name, None)
        if made is not None:
            return made
        if ready is not None:
            return tab_text(name, ready)
        try:
            values = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as error:
            raise RegisterError(
                f"Tabblad '{name}' van {self.name} is niet leesbaar ({type(error).__name__})"
            ) from None
        return tab_text(name, values)


def _text(value: object) -> str:
    return value if isinstance(value, str) else cell_text(value)


# Numbers and booleans that compare equal (1, 1.0 and True) read as different texts: a
# column holding more than one of these kinds is turned into text cell by cell.
_NUMBERS = frozenset({int, float, bool})


def tab_text(name: str, values: Sequence[Sequence[object]]) -> TabText:
    """Turn calamine's rows (from A1) into the tab's text."""
    headers = header_text(values[0] if values else [])
    rows, typed, last_used = body_text(name, headers, values[1:], 2)
    return TabText(name, headers, rows, last_used, typed=typed)


def header_text(header_row: Sequence[object]) -> list[str]:
    """Return a tab's headers: the first row's text, without the empty cells at its end."""
    headers = [_text(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def body_text(
    name: str, headers: Sequence[str], body: Sequence[Sequence[object]], first: int
) -> tuple[list[tuple[str, ...]], set[tuple[int, int]], int]:
    """Return the text of rows from sheet row ``first`` on, as wide as the headers.

    Also the date cells held as text, and the last sheet row with any value (1 if none).
    """
    width = len(headers)
    dates = date_columns(name, headers)
    if body and width and len({len(row) for row in body}) == 1 and len(body[0]) >= width:
        columns, typed = _by_column(body, width, dates, first)
        rows = list(zip(*columns, strict=True))
    else:  # no rows, or rows of unequal length (calamine gives a rectangle)
        rows, typed = _by_row(body, width, dates, first)
    last_used = 1
    for index in range(len(body) - 1, -1, -1):
        if any(rows[index]) or any(v != "" for v in body[index][width:]):
            last_used = index + first
            break
    return rows, typed, last_used


def _by_column(
    body: Sequence[Sequence[object]], width: int, dates: set[int], first: int
) -> tuple[list[tuple[str, ...]], set[tuple[int, int]]]:
    """Return the text of each column and the date cells held as text, a column at a time.

    A register's columns are nearly all text already, and the others (dates) hold a few
    thousand distinct values: each distinct value is turned into text once, and the
    columns are taken apart and put together at C speed (a third of a row-by-row pass).
    """
    columns: list[tuple[str, ...]] = []
    typed: set[tuple[int, int]] = set()
    for col, cells in enumerate(zip(*body, strict=True)):
        if col >= width:
            break
        if _all_text(cells):
            texts, typed_here = cells, col in dates
        else:
            texts, typed_here = _texts(cells, col in dates)
        if typed_here:
            typed.update((number, col) for number, v in enumerate(cells, start=first)
                         if type(v) is str and v)  # fmt: skip
        columns.append(texts)
    return columns, typed


def _texts(cells: tuple[object, ...], is_date: bool) -> tuple[tuple[str, ...], bool]:
    """Return a column's cells as text, and whether a date column holds text cells."""
    # The kinds of all cells, not of the distinct values: a set keeps 1 or True, not both.
    if len(set(map(type, cells)) & _NUMBERS) <= 1:
        try:
            distinct = set(cells)
        except TypeError:  # a value that cannot be a key: cell by cell below
            pass
        else:
            text_of = {v: (v if type(v) is str else cell_text(v)) for v in distinct}
            texts = tuple(map(text_of.__getitem__, cells))
            return texts, is_date and any(type(v) is str and v for v in distinct)
    return tuple([v if type(v) is str else cell_text(v) for v in cells]), is_date


def _all_text(cells: tuple[object, ...]) -> bool:
    """Tell whether every cell is text (str.join checks that at C speed)."""
    try:
        "".join(cells)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def _by_row(
    body: Sequence[Sequence[object]], width: int, dates: set[int], first: int
) -> tuple[list[tuple[str, ...]], set[tuple[int, int]]]:
    """Return the text of each row and the date cells held as text, a row at a time."""
    rows: list[tuple[str, ...]] = []
    typed: set[tuple[int, int]] = set()
    for number, row in enumerate(body, start=first):
        for col in dates:
            if col < len(row) and type(row[col]) is str and row[col]:
                typed.add((number, col))
        texts = tuple([v if type(v) is str else cell_text(v) for v in row[:width]])
        if len(texts) < width:
            texts += ("",) * (width - len(texts))
        rows.append(texts)
    return rows, typed


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
