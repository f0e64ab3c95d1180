"""A small, stateful fake of the Google Sheets API v4, served over real HTTP on 127.0.0.1.

It answers the endpoints klachtsheet (and gspread's basics) use, with the
response shapes of Google's recorded traffic (see test_google_fake_reference.py),
and errors in Google's error envelope. It records every request, and can on
demand answer 429/503, drop a response after applying a write, or run an action
(such as a person sorting the rows) before a request.
"""

from __future__ import annotations

import copy
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import gspread
from google.auth.credentials import AnonymousCredentials
from werkzeug.serving import WSGIRequestHandler, make_server

from klachtsheet import schema

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
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    kind: str
    status: int = 0

    @property
    def is_write(self) -> bool:
        return self.kind in WRITE_KINDS


@dataclass
class Fault:
    """Something the fake does to the next matching request(s)."""

    action: str  # "error", "drop", "disconnect" or "call"
    kind: str | None = None
    times: int = 1
    status: int = 503
    retry_after: str | None = None
    callback: Callable[[FakeSheets], None] | None = None


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


class FakeSheets:
    """The fake Sheets API: a WSGI app with state, fault injection and a request log."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.forbidden: set[str] = set()
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self._lock = threading.RLock()

    # -- state ---------------------------------------------------------------------------

    def create(
        self,
        key: str = "fake-spreadsheet",
        title: str = "Klachtenregister",
        sheets: tuple[str, ...] = ("Blad1",),
    ) -> str:
        """Create a spreadsheet with empty sheets of 1000 x 26 cells; return its key."""
        book = Spreadsheet(key, title, [])
        for index, name in enumerate(sheets):
            book.sheets.append(
                Sheet(
                    {
                        "sheetId": 0 if index == 0 else book.next_id + index,
                        "title": name,
                        "index": index,
                        "sheetType": "GRID",
                        "gridProperties": {"rowCount": 1000, "columnCount": 26},
                    }
                )
            )
        self.spreadsheets[key] = book
        return key

    def book(self, key: str) -> Spreadsheet:
        return self.spreadsheets[key]

    def sheet(self, key: str, title: str) -> Sheet:
        found = self.book(key).by_title(title)
        if found is None:
            raise KeyError(title)
        return found

    def rows(self, key: str, title: str) -> list[list[Any]]:
        """Return a tab's rows as stored (text, or Formula), trailing empties trimmed."""
        sheet = self.sheet(key, title)
        result = [_trim_row(list(r)) for r in sheet.cells[: sheet.used_rows()]]
        return result

    def put_rows(self, key: str, title: str, rows: list[list[str]], *, start: int = 0) -> None:
        """Write rows directly (as a person would, but without parsing), growing the grid."""
        with self._lock:
            sheet = self.sheet(key, title)
            for r, row in enumerate(rows, start=start):
                for c, value in enumerate(row):
                    sheet.set(r, c, value)
            grid = sheet.grid
            grid["rowCount"] = max(grid.get("rowCount", 0), start + len(rows))
            grid["columnCount"] = max(
                grid.get("columnCount", 0), max((len(r) for r in rows), default=0)
            )

    def reorder(
        self,
        key: str,
        title: str,
        order: Callable[[list[list[Any]]], list[list[Any]]] | None = None,
    ) -> None:
        """Reorder the data rows of a tab, as a person sorting it (default: reverse)."""
        with self._lock:
            sheet = self.sheet(key, title)
            used = sheet.used_rows()
            data = sheet.cells[1:used]
            sheet.cells[1:used] = order(data) if order else list(reversed(data))

    def insert_row(self, key: str, title: str, at: int, values: list[str]) -> None:
        """Insert a row before zero-based row ``at``, as a person inserting a row."""
        with self._lock:
            sheet = self.sheet(key, title)
            while len(sheet.cells) < at:
                sheet.cells.append([])
            sheet.cells.insert(at, list(values))
            sheet.grid["rowCount"] += 1

    # -- faults and the log --------------------------------------------------------------

    def fail(
        self,
        status: int = 503,
        times: int = 1,
        *,
        kind: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        """Answer the next matching request(s) with an error, applying nothing."""
        self.faults.append(Fault("error", kind, times, status, retry_after))

    def drop_after_apply(
        self, times: int = 1, *, kind: str | None = None, how: str = "503"
    ) -> None:
        """Apply the next matching request, then lose the answer (503 or a cut connection)."""
        self.faults.append(Fault("disconnect" if how == "disconnect" else "drop", kind, times))

    def before(
        self, kind: str | None, callback: Callable[[FakeSheets], None], times: int = 1
    ) -> None:
        """Run callback (e.g. a person sorting) right before the next matching request."""
        self.faults.append(Fault("call", kind, times, callback=callback))

    def count(self, kind: str | None = None) -> int:
        return sum(1 for r in self.requests if kind is None or r.kind == kind)

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.is_write]

    def reset_log(self) -> None:
        self.requests.clear()

    # -- serving -------------------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve on 127.0.0.1 on a free port in a thread; yield the base URL."""
        server = make_server("127.0.0.1", 0, self, threaded=True, request_handler=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)

    def client(self, base_url: str) -> FakeHTTPClient:
        return FakeHTTPClient(base_url)

    # -- WSGI ----------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        if self.latency:
            time.sleep(self.latency)
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ["PATH_INFO"]
        parts = urlsplit(raw)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        payload = environ["wsgi.input"].read(length) if length else b""
        try:
            body = json.loads(payload) if payload else None
        except ValueError:
            body = None
        method = environ["REQUEST_METHOD"].upper()
        query = parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            recorded = Recorded(method, parts.path, query, body, _kind(method, parts.path))
            self.requests.append(recorded)
            fault = self._take_fault(recorded.kind)
            if fault is not None and fault.action == "error":
                recorded.status = fault.status
                extra = [("Retry-After", fault.retry_after)] if fault.retry_after else []
                return _respond(
                    start_response,
                    fault.status,
                    _error_body(fault.status, _fault_message(fault.status)),
                    extra,
                )
            try:
                status, answer = 200, self._handle(recorded)
            except ApiError as error:
                status, answer = error.code, _error_body(error.code, error.message, error.details)
            recorded.status = status
        if fault is not None and status == 200 and fault.action == "disconnect":
            recorded.status = -1
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
            return []
        if fault is not None and status == 200 and fault.action == "drop":
            recorded.status = 503
            return _respond(start_response, 503, _error_body(503, _fault_message(503)))
        return _respond(start_response, status, answer)

    def _take_fault(self, kind: str) -> Fault | None:
        """Run 'call' faults for this request and return the first other matching fault."""
        found = None
        for fault in list(self.faults):
            if fault.kind is not None and fault.kind != kind:
                continue
            if fault.action == "call":
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                fault.callback(self)
                continue
            if found is None:
                found = fault
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
        return found

    # -- endpoints -----------------------------------------------------------------------

    def _handle(self, request: Recorded) -> dict[str, Any]:
        match = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(.*)", request.path)
        if not match:
            raise ApiError(404, "Method not found.")
        key, rest = unquote(match[1]), match[2]
        if key in self.forbidden:
            raise ApiError(403, "The caller does not have permission")
        book = self.spreadsheets.get(key)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        handler = {
            "spreadsheets.get": self._get,
            "spreadsheets.batchUpdate": self._batch_update,
            "values.batchGet": self._values_batch_get,
            "values.batchUpdate": self._values_batch_update,
            "values.batchClear": self._values_batch_clear,
            "values.get": self._values_get,
            "values.update": self._values_update,
            "values.append": self._values_append,
            "values.clear": self._values_clear,
        }.get(request.kind)
        if handler is None:
            raise ApiError(404, f"Method not found: {request.method} {rest}")
        return handler(book, request, rest)

    def _get(self, book: Spreadsheet, request: Recorded, rest: str) -> dict[str, Any]:
        sheets = []
        for sheet in book.sheets:
            entry: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
            if sheet.protected_ranges:
                entry["protectedRanges"] = copy.deepcopy(sheet.protected_ranges)
            if sheet.conditional_formats:
                entry["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
            if sheet.basic_filter is not None:
                entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
            sheets.append(entry)
        return {
            "spreadsheetId": book.key,
            "properties": {
                "title": book.title,
                "locale": book.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": book.time_zone,
            },
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.key}/edit",
        }

    def _values_batch_get(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        ranges = request.query.get("ranges", [])
        if request.query.get("majorDimension", ["ROWS"])[0] != "ROWS":
            raise ApiError(400, "The fake only answers majorDimension=ROWS")
        return {
            "spreadsheetId": book.key,
            "valueRanges": [
                _value_range(book, text, unformatted=_unformatted(request)) for text in ranges
            ],
        }

    def _values_get(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        return _value_range(book, _range_from_rest(rest))

    def _values_update(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        option = _input_option(request.query.get("valueInputOption", [None])[0])
        body = request.body or {}
        answer = _write(book, _range_from_rest(rest), body.get("values"), option, "data.values")
        return {"spreadsheetId": book.key, **answer}

    def _values_batch_update(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        body = request.body or {}
        option = _input_option(body.get("valueInputOption"))
        data = body.get("data") or []
        for entry in data:  # all or nothing, like Google
            _check_grid(book, entry.get("range", ""), entry.get("values"))
        responses = [
            _write(book, e.get("range", ""), e.get("values"), option, "data.values") for e in data
        ]
        answer = {
            "spreadsheetId": book.key,
            "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
            "totalUpdatedColumns": max((r.get("updatedColumns", 0) for r in responses), default=0),
            "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
            "totalUpdatedSheets": len({r["updatedRange"].split("!")[0] for r in responses}),
            "responses": [{"spreadsheetId": book.key, **r} for r in responses],
        }
        return answer

    def _values_append(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        option = _input_option(request.query.get("valueInputOption", [None])[0])
        insert = request.query.get("insertDataOption", ["OVERWRITE"])[0]
        values = (request.body or {}).get("values")
        _check_values(values, "data.values")
        sheet, r0, c0, _, _ = _parse_range(book, _range_from_rest(rest))
        table_end = r0
        while table_end < len(sheet.cells) and any(_shown(v) != "" for v in sheet.cells[table_end]):
            table_end += 1
        answer: dict[str, Any] = {"spreadsheetId": book.key}
        if table_end > r0:
            width = max(len(_trim_row(list(r))) for r in sheet.cells[r0:table_end])
            answer["tableRange"] = _a1(sheet, r0, c0, table_end, max(width, c0 + 1))
        if insert == "INSERT_ROWS":
            for _ in values:
                if table_end <= len(sheet.cells):
                    sheet.cells.insert(table_end, [])
            sheet.grid["rowCount"] += len(values)
        else:
            needed = table_end + len(values)
            sheet.grid["rowCount"] = max(sheet.grid["rowCount"], needed)
        for offset, row in enumerate(values):
            for col, value in enumerate(row):
                sheet.set(table_end + offset, c0 + col, _stored(value, option))
        width = max((len(r) for r in values), default=0)
        sheet.grid["columnCount"] = max(sheet.grid.get("columnCount", 0), c0 + width)
        answer["updates"] = {
            "spreadsheetId": book.key,
            "updatedRange": _a1(sheet, table_end, c0, table_end + len(values), c0 + max(width, 1)),
            "updatedRows": len(values),
            "updatedColumns": width,
            "updatedCells": sum(len(r) for r in values),
        }
        return answer

    def _values_clear(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        text = _range_from_rest(rest)
        return {"spreadsheetId": book.key, "clearedRange": _clear(book, text)}

    def _values_batch_clear(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        ranges = (request.body or {}).get("ranges", [])
        return {"spreadsheetId": book.key, "clearedRanges": [_clear(book, r) for r in ranges]}

    def _batch_update(self, book: Spreadsheet, request: Recorded, rest: str) -> dict:
        requests_ = (request.body or {}).get("requests")
        if not isinstance(requests_, list) or not requests_:
            raise ApiError(400, "Invalid JSON payload: 'requests' must be a non-empty list")
        # All or nothing: work on a copy and keep it only when every request succeeds.
        work = copy.copy(book)
        work.sheets = [_copy_sheet(s) for s in book.sheets]
        replies = []
        for index, item in enumerate(requests_):
            if not isinstance(item, dict) or len(item) != 1:
                raise ApiError(400, f"Invalid requests[{index}]: exactly one kind expected")
            ((name, args),) = item.items()
            apply = _REQUESTS.get(name)
            if apply is None:
                raise ApiError(400, f"Invalid requests[{index}]: unknown kind '{name}'")
            try:
                replies.append(apply(work, args))
            except ApiError as error:
                raise ApiError(400, f"Invalid requests[{index}].{name}: {error.message}") from None
        book.sheets, book.next_id = work.sheets, work.next_id
        book.locale, book.time_zone, book.title = work.locale, work.time_zone, work.title
        return {"spreadsheetId": book.key, "replies": replies}


# -- spreadsheet batchUpdate requests ---------------------------------------------------------


def _add_sheet(book: Spreadsheet, args: dict) -> dict:
    props = copy.deepcopy(args.get("properties", {}))
    title = props.get("title") or f"Blad{len(book.sheets) + 1}"
    if book.by_title(title) is not None:
        raise ApiError(
            400, f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    if "sheetId" not in props:
        book.next_id += 1
        props["sheetId"] = book.next_id
    if any(s.properties["sheetId"] == props["sheetId"] for s in book.sheets):
        raise ApiError(400, f"Sheet with id {props['sheetId']} already exists.")
    props["title"] = title
    props.setdefault("index", len(book.sheets))
    props["sheetType"] = "GRID"
    grid = props.setdefault("gridProperties", {})
    grid.setdefault("rowCount", 1000)
    grid.setdefault("columnCount", 26)
    book.sheets.append(Sheet(props))
    return {"addSheet": {"properties": copy.deepcopy(props)}}


def _update_sheet_properties(book: Spreadsheet, args: dict) -> dict:
    props = args.get("properties", {})
    sheet = book.by_id(props.get("sheetId", 0))
    for path in (args.get("fields") or "").split(","):
        path = path.strip()
        if not path:
            continue
        source, target = props, sheet.properties
        keys = path.split(".")
        for key in keys[:-1]:
            source = source.get(key, {})
            target = target.setdefault(key, {})
        if keys[-1] in source:
            target[keys[-1]] = copy.deepcopy(source[keys[-1]])
    return {}


def _append_dimension(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    key = "rowCount" if args.get("dimension") == "ROWS" else "columnCount"
    length = int(args.get("length", 0))
    if length <= 0:
        raise ApiError(400, "length must be positive")
    sheet.grid[key] += length
    return {}


def _cell_value(cell: dict) -> Any:
    entered = cell.get("userEnteredValue", {})
    if "formulaValue" in entered:
        return Formula(entered["formulaValue"])
    if "stringValue" in entered:
        return entered["stringValue"]
    if "numberValue" in entered:
        return entered["numberValue"]
    if "boolValue" in entered:
        return entered["boolValue"]
    return ""


def _update_cells(book: Spreadsheet, args: dict) -> dict:
    if "start" in args:
        start = args["start"]
        sheet = book.by_id(start.get("sheetId", 0))
        row0, col0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
    else:
        area = args.get("range", {})
        sheet = book.by_id(area.get("sheetId", 0))
        row0, col0 = area.get("startRowIndex", 0), area.get("startColumnIndex", 0)
    fields = {f.strip() for f in (args.get("fields") or "").split(",")}
    if not fields & {"userEnteredValue", "note"}:
        raise ApiError(400, "fields must include userEnteredValue or note")
    rows = args.get("rows", [])
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.get("values", [])):
            _inside(sheet, row0 + r, col0 + c)
            if "userEnteredValue" in fields:
                sheet.set(row0 + r, col0 + c, _cell_value(cell))
            if "note" in fields:
                if cell.get("note"):
                    sheet.notes[(row0 + r, col0 + c)] = cell["note"]
                else:
                    sheet.notes.pop((row0 + r, col0 + c), None)
    return {}


def _append_cells(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    start = sheet.used_rows()
    rows = args.get("rows", [])
    sheet.grid["rowCount"] = max(sheet.grid["rowCount"], start + len(rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.get("values", [])):
            _inside(sheet, 0, c)
            sheet.set(start + r, c, _cell_value(cell))
    return {}


def _repeat_cell(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("range", {}).get("sheetId", 0))
    sheet.formats.append(copy.deepcopy(args))
    return {}


def _update_spreadsheet_properties(book: Spreadsheet, args: dict) -> dict:
    props = args.get("properties", {})
    fields = {f.strip() for f in (args.get("fields") or "").split(",") if f.strip()}
    if not fields:
        raise ApiError(400, "fields is required")
    unknown = fields - {"locale", "timeZone", "title"}
    if unknown:
        raise ApiError(400, f"The fake does not update {sorted(unknown)}")
    if "locale" in fields:
        book.locale = props.get("locale", "")
    if "timeZone" in fields:
        book.time_zone = props.get("timeZone", "")
    if "title" in fields:
        book.title = props.get("title", "")
    return {}


def _set_basic_filter(book: Spreadsheet, args: dict) -> dict:
    basic = copy.deepcopy(args.get("filter", {}))
    area = basic.get("range", {})
    sheet = book.by_id(area.get("sheetId", 0))
    if area.get("sheetId") == 0:
        del area["sheetId"]
    sheet.basic_filter = basic
    return {}


def _update_dimension_properties(book: Spreadsheet, args: dict) -> dict:
    area = args.get("range", {})
    sheet = book.by_id(area.get("sheetId", 0))
    if area.get("dimension") != "COLUMNS" or "pixelSize" not in (args.get("fields") or ""):
        raise ApiError(400, "The fake only sets column pixelSize")
    size = int(args.get("properties", {}).get("pixelSize", 0))
    for col in range(area.get("startIndex", 0), area.get("endIndex", 0)):
        sheet.widths[col] = size
    return {}


def _set_data_validation(book: Spreadsheet, args: dict) -> dict:
    area = args.get("range", {})
    sheet = book.by_id(area.get("sheetId", 0))
    rule = args.get("rule")
    condition = (rule or {}).get("condition", {})
    if rule is not None and condition.get("type") not in ("ONE_OF_LIST", "ONE_OF_RANGE", "BOOLEAN"):
        raise ApiError(400, f"unsupported condition {condition.get('type')}")
    sheet.validations = [v for v in sheet.validations if v["range"] != area]
    if rule is not None:
        sheet.validations.append({"range": copy.deepcopy(area), "rule": copy.deepcopy(rule)})
    return {}


def _proto(value: Any) -> Any:
    """Drop what protobuf's JSON leaves out: nulls, false and empty lists."""
    if isinstance(value, dict):
        return {
            k: _proto(v) for k, v in value.items() if v is not None and v is not False and v != []
        }
    if isinstance(value, list):
        return [_proto(v) for v in value]
    return value


def _add_protected_range(book: Spreadsheet, args: dict) -> dict:
    protected = _proto(copy.deepcopy(args.get("protectedRange", {})))
    sheet = book.by_id(protected.setdefault("range", {}).get("sheetId", 0))
    book.next_id += 1
    protected = {"protectedRangeId": book.next_id, **protected}
    protected["requestingUserCanEdit"] = True  # the caller may always edit what it protects
    protected.setdefault("editors", {})
    if protected["range"].get("sheetId") == 0:
        del protected["range"]["sheetId"]  # a default value, left out as Google does
    sheet.protected_ranges.append(protected)
    reply = copy.deepcopy(protected)
    return {"addProtectedRange": {"protectedRange": reply}}


def _delete_protected_range(book: Spreadsheet, args: dict) -> dict:
    wanted = args.get("protectedRangeId")
    for sheet in book.sheets:
        for protected in sheet.protected_ranges:
            if protected["protectedRangeId"] == wanted:
                sheet.protected_ranges.remove(protected)
                return {}
    raise ApiError(400, f"No protected range with id: {wanted}")


def _add_conditional_format_rule(book: Spreadsheet, args: dict) -> dict:
    rule = copy.deepcopy(args.get("rule", {}))
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, "rule.ranges is required")
    sheet = book.by_id(ranges[0].get("sheetId", 0))
    sheet.conditional_formats.insert(int(args.get("index", 0)), rule)
    return {}


def _delete_conditional_format_rule(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    index = int(args.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise ApiError(400, f"No conditional format on sheet {sheet.title} at index {index}")
    del sheet.conditional_formats[index]
    return {}


def _delete_sheet(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    book.sheets.remove(sheet)
    return {}


_REQUESTS: dict[str, Callable[[Spreadsheet, dict], dict]] = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "appendDimension": _append_dimension,
    "updateCells": _update_cells,
    "appendCells": _append_cells,
    "repeatCell": _repeat_cell,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "setBasicFilter": _set_basic_filter,
    "updateDimensionProperties": _update_dimension_properties,
    "setDataValidation": _set_data_validation,
    "addProtectedRange": _add_protected_range,
    "deleteProtectedRange": _delete_protected_range,
    "addConditionalFormatRule": _add_conditional_format_rule,
    "deleteConditionalFormatRule": _delete_conditional_format_rule,
}


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
    first, _, last = cells.partition(":")
    m1, m2 = _CELL.match(first), _CELL.match(last) if last else None
    if m1 is None or (last and m2 is None) or not (m1[1] or m1[2]):
        raise ApiError(400, f"Unable to parse range: {text}")
    r0 = int(m1[2]) - 1 if m1[2] else 0
    c0 = _column_index(m1[1]) if m1[1] else 0
    if not last:
        return sheet, r0, c0, r0 + 1, c0 + 1
    r1 = int(m2[2]) if m2[2] else None
    c1 = _column_index(m2[1]) + 1 if m2[1] else None
    return sheet, r0, c0, r1, c1


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


def _value_range(book: Spreadsheet, text: str, *, unformatted: bool = False) -> dict[str, Any]:
    sheet, r0, c0, r1, c1 = _parse_range(book, text)
    grid = sheet.grid
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


def _unformatted(request: Recorded) -> bool:
    return request.query.get("valueRenderOption", ["FORMATTED_VALUE"])[0] == "UNFORMATTED_VALUE"


def _raw(value: Any) -> Any:
    """Return what UNFORMATTED_VALUE gives: numbers stay numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    return _shown(value)


def _check_values(values: Any, where: str) -> None:
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


def _stored(value: Any, option: str) -> Any:
    """Return the value as stored: RAW keeps text, USER_ENTERED parses it as if typed."""
    if option == "USER_ENTERED" and isinstance(value, str):
        if value.startswith("="):
            return Formula(value)
        if value.startswith("'"):
            return value[1:]
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


def _write(book: Spreadsheet, text: str, values: Any, option: str, where: str) -> dict:
    _check_grid(book, text, values)
    sheet, r0, c0, _, _ = _parse_range(book, text)
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            sheet.set(r0 + r, c0 + c, "" if value is None else _stored(value, option))
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


def _fault_message(status: int) -> str:
    if status == 429:
        return (
            "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
            "minute per user' of service 'sheets.googleapis.com' for consumer "
            "'project_number:000000000000'."
        )
    if status == 503:
        return "The service is currently unavailable."
    return "Internal error encountered."


def _error_body(code: int, message: str, details: list | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "status": STATUS_NAMES.get(code, "UNKNOWN"),
    }
    if details:
        error["details"] = details
    return {"error": error}


def _respond(
    start_response: Callable,
    status: int,
    body: dict[str, Any],
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    payload = json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
    headers = [
        ("Content-Type", "application/json; charset=UTF-8"),
        ("Content-Length", str(len(payload))),
        ("Server", "ESF"),
        ("Cache-Control", "private"),
        ("Vary", "Origin, X-Origin, Referer"),
    ]
    start_response(f"{status} {REASONS.get(status, 'Error')}", headers + (extra or []))
    return [payload]


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def log_error(self, *args: Any, **kwargs: Any) -> None:
        pass


# -- pointing gspread at it --------------------------------------------------------------


class FakeHTTPClient(gspread.HTTPClient):
    """gspread's HTTP client with dummy credentials, sent to base_url instead of Google."""

    def __init__(self, base_url: str, auth: Any = None) -> None:
        super().__init__(auth or AnonymousCredentials())
        self.base_url = base_url.rstrip("/")
        self.sent: list[tuple[str, str, Any, Any]] = []
        self.set_timeout((5, 60))

    def request(
        self, method, endpoint, params=None, data=None, json=None, files=None, headers=None
    ):
        endpoint = endpoint.replace(GOOGLE, self.base_url, 1)
        self.sent.append((method.upper(), endpoint, copy.deepcopy(params), copy.deepcopy(json)))
        return super().request(
            method, endpoint, params=params, data=data, json=json, files=files, headers=headers
        )


def fill_complaints(fake: FakeSheets, key: str, count: int) -> list[str]:
    """Put count complaints in the Klachten tab directly; return their Nummers."""
    H = schema.KLACHTEN.header
    headers = list(schema.KLACHTEN.headers)
    nummers = [f"26-{i // 1000:03d}-{i % 1000:03d}" for i in range(count)]
    rows = []
    for i, n in enumerate(nummers):
        values = {
            "Nummer": n,
            H("ontvangen_op"): "02-11-2026",
            H("kanaal"): "Telefoon",
            H("soort"): "Klacht",
            H("deelnemer"): f"Deelnemer {i}",
            H("omschrijving"): f"Omschrijving van klacht {i}",
            H("status"): schema.OVERGEDRAGEN,
            H("overgedragen_op"): "03-11-2026",
        }
        rows.append([values.get(h, "") for h in headers])
    fake.put_rows(key, schema.KLACHTEN_TAB, rows, start=1)
    return nummers
