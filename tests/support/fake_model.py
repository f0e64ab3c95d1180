"""The fake's model: spreadsheets, sheets, cells, A1 ranges and values as Google stores them."""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

from support.fake_limits import (
    CELL_TOO_LONG,
    DateSerial,
    check_cell,
    user_entered,
)

GOOGLE = "https://sheets.googleapis.com"
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
}
REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
WRITE_KINDS = frozenset({
    "spreadsheets.batchUpdate", "values.update", "values.batchUpdate", "values.append",
    "values.clear", "values.batchClear",
})  # fmt: skip


class ApiError(Exception):
    """An error the fake answers in Google's envelope."""

    def __init__(self, code: int, message: str, details: list | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula (only USER_ENTERED input makes these)."""

    text: str


@dataclass
class Sheet:
    """One tab: properties, cell values and the settings klachtsheet uses."""

    properties: dict[str, Any]
    cells: list[list[Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    validations: list[dict[str, Any]] = field(default_factory=list)
    formats: list[dict[str, Any]] = field(default_factory=list)
    # Header notes and the like: (row, col) -> text.
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    basic_filter: dict[str, Any] | None = None
    # Column widths in pixels: col -> pixelSize.
    widths: dict[int, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.properties["title"]

    @property
    def grid(self) -> dict[str, Any]:
        return self.properties.setdefault("gridProperties", {"rowCount": 1000, "columnCount": 26})

    def used_rows(self) -> int:
        """Return the number of rows up to the last one with a value."""
        rows = len(self.cells)
        while rows and not any(_shown(v) != "" for v in self.cells[rows - 1]):
            rows -= 1
        return rows

    def set(self, row: int, col: int, value: Any) -> None:
        while len(self.cells) <= row:
            self.cells.append([])
        line = self.cells[row]
        while len(line) <= col:
            line.append("")
        line[col] = value

    def get(self, row: int, col: int) -> Any:
        if row < len(self.cells) and col < len(self.cells[row]):
            return self.cells[row][col]
        return ""

    def number_format(self, row: int, col: int) -> dict[str, Any] | None:
        """Return the numberFormat repeatCell gave this cell last, or None."""
        found = None
        for args in self.formats:
            area = args.get("range", {})
            if "numberFormat" not in (args.get("fields") or ""):
                continue
            if not (
                area.get("startRowIndex", 0) <= row < area.get("endRowIndex", 10**9)
                and area.get("startColumnIndex", 0) <= col < area.get("endColumnIndex", 10**9)
            ):
                continue
            found = args.get("cell", {}).get("userEnteredFormat", {}).get("numberFormat")
        return found

    def shown(self, row: int, col: int) -> str:
        """Return what FORMATTED_VALUE shows: numbers in a DATE format as dates."""
        value = self.get(row, col)
        if isinstance(value, int | float) and not isinstance(value, bool):
            fmt = self.number_format(row, col)
            if fmt and fmt.get("type") in ("DATE", "DATE_TIME"):
                return _date_shown(float(value), fmt.get("pattern", "dd-mm-yyyy"))
        return _shown(value)


@dataclass
class Spreadsheet:
    """One spreadsheet of the fake."""

    key: str
    title: str
    sheets: list[Sheet]
    locale: str = "nl_NL"
    next_id: int = 1_000_000
    time_zone: str = "Europe/Amsterdam"

    def by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.properties["sheetId"] == sheet_id:
                return sheet
        raise ApiError(400, f"No grid with id: {sheet_id}")


# -- ranges and values -------------------------------------------------------------------


_CELL = re.compile(r"^\$?([A-Za-z]*)\$?(\d*)$")


def _kind(method: str, path: str) -> str:
    if "/values:batchGet" in path:
        return "values.batchGet"
    if "/values:batchUpdate" in path:
        return "values.batchUpdate"
    if "/values:batchClear" in path:
        return "values.batchClear"
    if "/values/" in path:
        if path.endswith(":append"):
            return "values.append"
        if path.endswith(":clear"):
            return "values.clear"
        return "values.update" if method == "PUT" else "values.get"
    if path.endswith(":batchUpdate"):
        return "spreadsheets.batchUpdate"
    return "spreadsheets.get" if method == "GET" else "unknown"


def _range_from_rest(rest: str) -> str:
    """Return the decoded range of '/values/<range>[:verb]' (split before decoding)."""
    encoded = rest.split("/values/", 1)[1]
    encoded = re.sub(r":(append|clear)$", "", encoded)
    return unquote(encoded)


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def _letters(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@functools.lru_cache(maxsize=65536)
def _split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split 'Sheet'!A1:B2 into ("Sheet", "A1:B2"); a bare name gives (name, None)."""
    if text.startswith("'"):
        i, name = 1, ""
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    name += "'"
                    i += 2
                    continue
                break
            name += text[i]
            i += 1
        rest = text[i + 1 :]
        if rest.startswith("!"):
            return name, rest[1:]
        return name, None
    if "!" in text:
        name, cells = text.rsplit("!", 1)
        return name, cells
    return None, text


def _parse_range(book: Spreadsheet, text: str) -> tuple[Sheet, int, int, int | None, int | None]:
    """Return sheet, start row, start column, end row, end column (0-based, end exclusive)."""
    name, cells = _split_sheet(text)
    if name is None:
        sheet = book.by_title(cells or "")
        if sheet is not None:
            return sheet, 0, 0, None, None
        sheet = book.sheets[0] if book.sheets else None
    else:
        sheet = book.by_title(name)
    if sheet is None:
        raise ApiError(400, f"Unable to parse range: {text}")
    if not cells:
        return sheet, 0, 0, None, None
    found = _parse_cells(cells)
    if found is None:
        raise ApiError(400, f"Unable to parse range: {text}")
    return (sheet, *found)


@functools.lru_cache(maxsize=65536)
def _parse_cells(cells: str) -> tuple[int, int, int | None, int | None] | None:
    """Return start row, start column, end row, end column of 'A1:B2', or None."""
    first, _, last = cells.partition(":")
    m1, m2 = _CELL.match(first), _CELL.match(last) if last else None
    if m1 is None or (last and m2 is None) or not (m1[1] or m1[2]):
        return None
    r0 = int(m1[2]) - 1 if m1[2] else 0
    c0 = _column_index(m1[1]) if m1[1] else 0
    if not last or m2 is None:
        return r0, c0, r0 + 1, c0 + 1
    r1 = int(m2[2]) if m2[2] else None
    c1 = _column_index(m2[1]) + 1 if m2[1] else None
    return r0, c0, r1, c1


def _title_in_a1(title: str) -> str:
    return (
        title
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title)
        else "'" + title.replace("'", "''") + "'"
    )


def _a1(sheet: Sheet, r0: int, c0: int, r1: int, c1: int) -> str:
    start = f"{_letters(c0)}{r0 + 1}"
    end = f"{_letters(c1 - 1)}{r1}"
    cells = start if (r1 - r0, c1 - c0) == (1, 1) else f"{start}:{end}"
    return f"{_title_in_a1(sheet.title)}!{cells}"


def _shown(value: Any) -> str:
    """Return what FORMATTED_VALUE shows for a stored value."""
    if isinstance(value, Formula):
        return "#N/A"  # the fake never evaluates; a formula is visibly not the typed text
    if isinstance(value, DateSerial):
        return value.shown
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


_PATTERNS = {"dd-mm-yyyy": "%d-%m-%Y", "dd-mm-yyyy hh:mm": "%d-%m-%Y %H:%M"}


def _date_shown(serial: float, pattern: str) -> str:
    """Show a serial number in a date pattern, as Sheets does (the fake knows two patterns)."""
    if pattern not in _PATTERNS:
        raise ApiError(400, f"The fake does not know the date pattern {pattern!r}")
    moment = datetime(1899, 12, 30) + timedelta(days=serial)
    moment = (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)
    return moment.strftime(_PATTERNS[pattern])


def _raw(value: Any) -> Any:
    """Return what UNFORMATTED_VALUE gives: numbers stay numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    return _shown(value)


def _value_range(book: Spreadsheet, text: str, *, unformatted: bool = False) -> dict[str, Any]:
    sheet, r0, c0, r1, c1 = _parse_range(book, text)
    grid = sheet.grid
    if r0 >= grid["rowCount"] or c0 >= grid["columnCount"]:
        # Like Google: a range starting outside the grid is an error, not an empty answer.
        _inside(sheet, r0, c0)
    r1 = min(r1 if r1 is not None else grid["rowCount"], grid["rowCount"])
    c1 = min(c1 if c1 is not None else grid["columnCount"], grid["columnCount"])
    answer: dict[str, Any] = {
        "range": _a1(sheet, r0, c0, max(r1, r0 + 1), max(c1, c0 + 1)),
        "majorDimension": "ROWS",
    }
    rows = []
    for r in range(r0, min(r1, len(sheet.cells))):
        line = sheet.cells[r]
        width = min(len(line), c1)
        if unformatted:
            rows.append(_trim_row([_raw(v) for v in line[c0:width]]))
        else:
            rows.append(_trim_row([sheet.shown(r, c) for c in range(c0, width)]))
    while rows and not rows[-1]:
        rows.pop()
    if rows:
        answer["values"] = rows
    return answer


def _check_cell(value: Any) -> None:
    try:
        check_cell(value)
    except ValueError:
        raise ApiError(400, CELL_TOO_LONG) from None


def _check_values(values: Any, where: str) -> None:
    if isinstance(values, list):
        for row in values:
            for value in row if isinstance(row, list) else ():
                _check_cell(value)
    if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
        shown = json.dumps(values)
        raise ApiError(
            400,
            _invalid(where, shown),
            [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": where, "description": _invalid(where, shown)}],
                }
            ],
        )


def _invalid(where: str, shown: str) -> str:
    return f"Invalid value at '{where}' (type.googleapis.com/google.protobuf.ListValue), {shown}"


def _input_option(option: str | None) -> str:
    if option not in ("RAW", "USER_ENTERED"):
        raise ApiError(
            400,
            "'valueInputOption' is required but not specified"
            if option is None
            else f"Invalid valueInputOption: {option}",
        )
    return option


def _stored(value: Any, option: str, locale: str = "nl_NL") -> Any:
    """Return the value as stored: RAW keeps text, USER_ENTERED parses it as if typed."""
    if option == "USER_ENTERED" and isinstance(value, str):
        if value.startswith("="):
            return Formula(value)
        if value.startswith("'"):
            return value[1:]
        return user_entered(value, locale)
    return value


def _check_grid(book: Spreadsheet, text: str, values: Any) -> None:
    _check_values(values, "data.values")
    sheet, r0, c0, _, _ = _parse_range(book, text)
    rows = len(values)
    cols = max((len(r) for r in values), default=0)
    grid = sheet.grid
    if r0 + rows > grid["rowCount"] or c0 + cols > grid["columnCount"]:
        raise ApiError(
            400,
            f"Range ({_title_in_a1(sheet.title)}!{_letters(c0)}{r0 + rows}) "
            f"exceeds grid limits. Max rows: {grid['rowCount']}, "
            f"max columns: {grid['columnCount']}",
        )


def _write(
    book: Spreadsheet, text: str, values: Any, option: str, where: str, *, checked: bool = False
) -> dict:
    if not checked:
        _check_grid(book, text, values)
    sheet, r0, c0, _, _ = _parse_range(book, text)
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            sheet.set(r0 + r, c0 + c, "" if value is None else _stored(value, option, book.locale))
    rows = len(values)
    cols = max((len(r) for r in values), default=0)
    return {
        "updatedRange": _a1(sheet, r0, c0, r0 + max(rows, 1), c0 + max(cols, 1)),
        "updatedRows": rows,
        "updatedColumns": cols,
        "updatedCells": sum(len(r) for r in values),
    }


def _clear(book: Spreadsheet, text: str) -> str:
    sheet, r0, c0, r1, c1 = _parse_range(book, text)
    grid = sheet.grid
    r1 = min(r1 if r1 is not None else grid["rowCount"], grid["rowCount"])
    c1 = min(c1 if c1 is not None else grid["columnCount"], grid["columnCount"])
    for r in range(r0, min(r1, len(sheet.cells))):
        for c in range(c0, min(c1, len(sheet.cells[r]))):
            sheet.cells[r][c] = ""
    return _a1(sheet, r0, c0, r1, c1)


def _inside(sheet: Sheet, row: int, col: int) -> None:
    grid = sheet.grid
    if row >= grid["rowCount"] or col >= grid["columnCount"]:
        raise ApiError(
            400,
            f"Range ({_title_in_a1(sheet.title)}!{_letters(col)}{row + 1}) "
            f"exceeds grid limits. Max rows: {grid['rowCount']}, "
            f"max columns: {grid['columnCount']}",
        )


def _copy_sheet(sheet: Sheet) -> Sheet:
    return Sheet(
        copy.deepcopy(sheet.properties),
        [list(r) for r in sheet.cells],
        copy.deepcopy(sheet.protected_ranges),
        copy.deepcopy(sheet.conditional_formats),
        copy.deepcopy(sheet.validations),
        list(sheet.formats),
        dict(sheet.notes),
        copy.deepcopy(sheet.basic_filter),
        dict(sheet.widths),
    )


def _trim_row(row: list[Any]) -> list[Any]:
    while row and _shown(row[-1]) == "":
        row.pop()
    return row
