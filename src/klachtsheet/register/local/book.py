"""The workbook in memory: calamine's text of each tab, and the zip parts to patch on save."""

from __future__ import annotations

from datetime import date, datetime

from klachtsheet.cells import storable
from klachtsheet.model import cell_text, date_cell_value
from klachtsheet.readahead import Parsed
from klachtsheet.register.local.cellstyles import DATE_FORMAT, DATETIME_FORMAT, TEXT_FORMAT, Styles
from klachtsheet.register.local.reader import Reader, TabText
from klachtsheet.register.local.sheetxml import (
    SheetXml,
    column_letter,
    number_cell,
    text_cell,
)
from klachtsheet.xlsxzip import Package, UnusualPackage, sheet_parts

_EPOCH = datetime(1899, 12, 30)


def storable_text(text: str) -> str:
    """Return text as the workbook can hold it: the one boundary, cells.storable."""
    return storable(text)


def serial(value: date | datetime) -> str:
    """Return a date as a spreadsheet serial number (days since 30-12-1899)."""
    if isinstance(value, datetime):
        delta = value - _EPOCH
        return repr(delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400)
    return str((value - _EPOCH.date()).days)


class Book:
    """One version of the file: read with calamine, written by patching its XML parts."""

    def __init__(self, raw: bytes, name: str, ahead: Parsed | None = None) -> None:
        self.name = name
        self.raw = raw
        self.reader = Reader(raw, name, ahead)
        self.sheet_names = self.reader.sheet_names
        self._tabs: dict[str, TabText] = {}
        self._package: Package | None = None
        self._paths: dict[str, str] = {}
        self._styles_path = ""
        self._sheets: dict[str, SheetXml] = {}
        self._styles: Styles | None = None
        # The row being written: its new cells (column, 1-based -> XML) and its cells as
        # parsed before. Writes go row by row, so one row is held at a time (memory stays
        # small when a sync rewrites every row); a row written again is parsed again.
        self._open: tuple[str, int] | None = None
        self._open_cells: dict[int, bytes] = {}
        self._open_parsed: dict[int, tuple[bytes, bytes]] | None = None
        self._dirty_tabs: set[str] = set()
        self.dirty = False
        # tab -> (sheet row, column) -> written as a date cell: the reader's view is older.
        self.written: dict[str, dict[tuple[int, int], bool]] = {}

    # -- text ---------------------------------------------------------------------------

    def tab(self, name: str) -> TabText:
        if name not in self._tabs:
            self._tabs[name] = self.reader.tab(name)
        return self._tabs[name]

    # -- writing ------------------------------------------------------------------------

    def prepare(self, tab: str) -> None:
        """Parse what a write to this tab patches; raises UnusualPackage if it cannot."""
        if tab in self._sheets:
            return
        if self._package is None:
            package = Package(self.raw)
            self._paths, self._styles_path = sheet_parts(package)
            self._package = package
            self.raw = b""  # the package holds its own copy of every member
        if tab not in self._sheets:
            path = self._paths.get(tab)
            if path is None or path not in self._package:
                raise UnusualPackage(f"no worksheet part for {tab}")
            self._sheets[tab] = SheetXml(self._package.read(path))

    def set_text(
        self, tab: str, row: int, col: int, text: str, *, is_date: bool, is_text: bool = False
    ) -> str:
        """Write one cell (sheet row, 0-based column) and return its text as read back.

        A date column's date becomes a date cell; a text column (phone numbers) gets the
        text format, so what a person types there later keeps its leading zero.
        """
        self.prepare(tab)
        sheet = self._sheets[tab]
        if self._open != (tab, row):
            self._close_row()
            self._open = (tab, row)
        text = storable_text(text)
        ref = column_letter(col + 1) + str(row)
        # Most writes replace cells that exist: their style is found without parsing the
        # whole row (a row of 35 cells costs 80 µs to parse, 60,000 writes in a first sync).
        style = None if self._open_parsed is not None else sheet.cell_style(row, ref)
        if style is None:
            if self._open_parsed is None:
                self._open_parsed = sheet.cells(row)
            found = self._open_parsed.get(col + 1)
            style = found[0] if found else b""
        value = date_cell_value(text) if is_date and text.strip() else None
        if value is not None:
            code = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            xml = number_cell(ref, self._date_style(style, code), serial(value))
            text = cell_text(value)
        else:
            if is_text:
                style = self._date_style(style, TEXT_FORMAT)
            xml = text_cell(ref, style, text)
        self.written.setdefault(tab, {})[(row, col)] = value is not None
        self._open_cells[col + 1] = xml
        self.tab(tab).set(row, col, text)
        self._dirty_tabs.add(tab)
        self.dirty = True
        return text

    def clear_rows_from(self, tab: str, first: int) -> None:
        """Remove every row from this sheet row on (cells, styles and all)."""
        self.prepare(tab)
        self._close_row()
        self._sheets[tab].drop_rows_from(first)
        text = self.tab(tab)
        del text.rows[first - 2 :]
        text.last_used = min(text.last_used, first - 1)
        text.changed()
        self._dirty_tabs.add(tab)
        self.dirty = True

    def pieces(self) -> list[bytes]:
        """Return the new file in pieces: changed sheets patched, every other part raw.

        Written out piece by piece: joined, a 50,000-row register would be one more copy
        of the file (13 MB) at the peak of a save.
        """
        assert self._package is not None
        self._close_row()
        for tab in self._dirty_tabs:
            self._package.write_deflated(self._paths[tab], *self._sheets[tab].compressed())
        self._dirty_tabs.clear()
        if self._styles is not None and self._styles.changed:
            self._package.write(self._styles_path, self._styles.xml)
            self._styles.changed = False
        self.dirty = False
        return self._package.pieces()

    def _close_row(self) -> None:
        if self._open is not None:
            tab, row = self._open
            sheet = self._sheets[tab]
            if self._open_parsed is not None or not sheet.replace_cells(row, self._open_cells):
                sheet.set_row(row, self._open_cells, self._open_parsed)
        self._open, self._open_cells, self._open_parsed = None, {}, None

    def _date_style(self, base: bytes, code: str) -> bytes:
        if self._styles is None:
            assert self._package is not None
            if not self._styles_path or self._styles_path not in self._package:
                raise UnusualPackage("no styles part")
            self._styles = Styles(self._package.read(self._styles_path))
        return self._styles.date_style(base, code)
