"""A small, stateful fake of the Google Sheets API v4, served over real HTTP on 127.0.0.1.

It answers the endpoints klachtsheet (and gspread's basics) use, with the
response shapes of Google's recorded traffic (see test_google_fake_reference.py),
and errors in Google's error envelope. It records every request, and can on
demand answer 429/503, drop a response after applying a write, or run an action
(such as a person sorting the rows) before a request.

Parts: fake_model.py (sheets, cells, A1 ranges, values), fake_requests.py (spreadsheet
batchUpdate requests), fake_http.py (error envelope, the gspread client pointed here),
fake_limits.py (quotas, limits, locale parsing). The names tests use are re-exported here.
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
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from werkzeug.serving import make_server

from klachtsheet import schema
from support.fake_http import (
    GOOGLE,
    FakeHTTPClient,
    _error_body,
    _fault_message,
    _QuietHandler,
    _respond,
)
from support.fake_limits import (
    MAX_PAYLOAD_BYTES,
    PAYLOAD_TOO_LARGE,
    Quota,
    quota_message,
)
from support.fake_model import (
    WRITE_KINDS,
    ApiError,
    Formula,
    Sheet,
    Spreadsheet,
    _a1,
    _check_cell,
    _check_grid,
    _check_values,
    _clear,
    _copy_sheet,
    _input_option,
    _kind,
    _parse_range,
    _range_from_rest,
    _shown,
    _stored,
    _trim_row,
    _value_range,
    _write,
)
from support.fake_requests import _REQUESTS


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    kind: str
    status: int = 0
    size: int = 0  # bytes of the request body

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


class FakeSheets:
    """The fake Sheets API: a WSGI app with state, fault injection and a request log."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.forbidden: set[str] = set()
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        # Off unless a test turns it on: Quota(60, clock) answers 429 as Google does.
        self.quota: Quota | None = None
        self.max_payload = MAX_PAYLOAD_BYTES
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

    def type_in(self, key: str, title: str, row: int, col: int, text: str) -> None:
        """Let a person type text into a cell (0-based): parsed by the sheet's locale."""
        with self._lock:
            book = self.book(key)
            self.sheet(key, title).set(row, col, _stored(text, "USER_ENTERED", book.locale))

    def delete_row(self, key: str, title: str, at: int) -> None:
        """Delete a row (0-based) as a person would: the rows below move up."""
        with self._lock:
            sheet = self.sheet(key, title)
            if at < len(sheet.cells):
                del sheet.cells[at]
            sheet.grid["rowCount"] -= 1

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
            recorded.size = len(payload)
            self.requests.append(recorded)
            metric = "write" if recorded.is_write else "read"
            if self.quota is not None and not self.quota.take(metric):
                recorded.status = 429  # no Retry-After: Sheets' quota answers carry none
                return _respond(start_response, 429, _error_body(429, quota_message(metric)))
            if len(payload) > self.max_payload:
                recorded.status = 400
                return _respond(start_response, 400, _error_body(400, PAYLOAD_TOO_LARGE))
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
            _write(book, e.get("range", ""), e.get("values"), option, "data.values", checked=True)
            for e in data
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
        for row in values:
            for value in row:
                _check_cell(value)
        sheet, r0, c0, _, _ = _parse_range(book, _range_from_rest(rest))
        # Google's table detection: the first table at or below the range's first row
        # (blank rows above it are skipped); new rows go right after it, so rows after a
        # blank row stay below the appended ones.
        start = r0
        while start < len(sheet.cells) and not any(_shown(v) != "" for v in sheet.cells[start]):
            start += 1
        if start >= len(sheet.cells):
            start = r0
        r0 = start
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
                sheet.set(table_end + offset, c0 + col, _stored(value, option, book.locale))
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


__all__ = ["GOOGLE", "ApiError", "FakeHTTPClient", "FakeSheets", "Formula", "fill_complaints"]


def _unformatted(request: Recorded) -> bool:
    return request.query.get("valueRenderOption", ["FORMATTED_VALUE"])[0] == "UNFORMATTED_VALUE"
