"""The register in a Google spreadsheet, through gspread's HTTP client and the Sheets API v4.

Every operation costs a fixed number of requests whatever the register's size:
``read`` is one ``values.batchGet``; ``update`` re-reads the columns it needs
and writes once with ``values.batchUpdate``; ``append`` re-reads the Nummers
and appends once; ``ensure_layout`` sends one spreadsheet ``batchUpdate``.
Every value is written with ``valueInputOption=RAW`` so text that looks like a
formula stays text. Rows are found by Nummer in the sheet as it is right before
writing, because people sort, filter and insert rows while the tool runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gspread import HTTPClient

from klachtsheet import schema
from klachtsheet.exceptions import LayoutError, RegisterError
from klachtsheet.model import CellUpdate, Table
from klachtsheet.register import UpdateResult, identified_by_nummer
from klachtsheet.register.google.auth import SPREADSHEET_URL, spreadsheet_key
from klachtsheet.register.google.client import SheetsClient
from klachtsheet.register.google.headers import SCAN_ROWS, check_rows, header_row, is_header_row
from klachtsheet.register.google.layout import _LayoutPlan
from klachtsheet.register.google.plan import (
    KEEP_IN,
    NOTES,
    NUMMER,
    _Current,
    _plan_append,
    _plan_update,
    keep_missing,
)
from klachtsheet.register.google.ranges import (
    MAX_REQUEST_BYTES,
    _check_size,
    _pad,
    _quoted,
    _tab_of_range,
    _trim,
    _trim_row,
    chunks,
    column_letter,
    json_size,
)
from klachtsheet.register.google.retry import RetryPolicy, _Rejected
from klachtsheet.sync.logbook import entry

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

    from klachtsheet.config import Config

log = logging.getLogger(__name__)

# One HTTP client (so one token) per key file, one register per spreadsheet, per process.
_LOCK = threading.Lock()
_CLIENTS: dict[tuple[Any, ...], tuple[HTTPClient, str]] = {}
_REGISTERS: dict[tuple[Any, ...], GoogleRegister] = {}


def _shared_client(
    path: Path | None,
    load: Callable[[Path | None], Credentials],
    connect: Callable[[Credentials], HTTPClient],
) -> tuple[HTTPClient, str]:
    """Return the process's HTTP client for this key file (a changed file is read again)."""
    try:
        stamp = path.stat().st_mtime_ns if path is not None else None
    except OSError:
        stamp = None
    key = (str(path) if path else None, stamp, load, connect)
    with _LOCK:
        found = _CLIENTS.get(key)
    if found is not None:
        return found
    credentials = load(path)
    account = getattr(credentials, "service_account_email", "") or ""
    made = (connect(credentials), account)
    with _LOCK:
        return _CLIENTS.setdefault(key, made)


def forget_connections() -> None:
    """Drop the process's registers and clients (a new key file, or between tests)."""
    with _LOCK:
        _CLIENTS.clear()
        _REGISTERS.clear()


# A run of cells in one column is split so each range stays well inside one request.
RUN_BYTES = MAX_REQUEST_BYTES // 4


def _runs(column: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Group (offset, value) pairs sorted by offset into runs of consecutive rows."""
    runs: list[tuple[int, list[str]]] = []
    size = 0
    for offset, value in column:
        weight = json_size(value) + 6
        if runs and runs[-1][0] + len(runs[-1][1]) == offset and size + weight <= RUN_BYTES:
            runs[-1][1].append(value)
            size += weight
        else:
            runs.append((offset, [value]))
            size = weight
    return runs


# Tabs read() fetches the header row of too: the sync appends to the Logboek unread.
HEADERS_WITH_READ = (schema.LOGBOEK_TAB,)


class GoogleRegister(SheetsClient):
    """A register kept in a Google spreadsheet."""

    def __init__(
        self,
        key: str,
        http_client: HTTPClient,
        *,
        location: str | None = None,
        retry: RetryPolicy | None = None,
        account: str = "",
    ) -> None:
        self.key = key
        self.client = http_client
        self.location = location or SPREADSHEET_URL.format(key=key)
        self.retry = retry or RetryPolicy()
        self.account = account
        self._metadata: dict[str, Any] | None = None
        self._headers: dict[str, list[str]] = {}
        self.layout_warnings: list[str] = []

    @classmethod
    def open(
        cls,
        location: str,
        config: Config | None = None,
        *,
        http_client: HTTPClient | None = None,
        retry: RetryPolicy | None = None,
        background: bool = False,
    ) -> GoogleRegister:
        """Open the spreadsheet at a URL or ``google:KEY``, never by title (no Drive access).

        Without an explicit client, one register per spreadsheet (and retry budget) and one
        HTTP client per key file serve the whole process: the key is read once and its
        token fetched once, then refreshed by google-auth when it expires.
        """
        key = spreadsheet_key(location)
        if http_client is not None:
            return cls(key, http_client, location=location, retry=retry, account="")
        # Through the package, so tests can put a fake client in its place.
        from klachtsheet.register import google as package

        path = config.google_credentials if config else None
        client, account = _shared_client(path, package.load_credentials, package.connect)
        policy = retry or (RetryPolicy.background() if background else RetryPolicy())
        # Keyed by client: a test that swaps load_credentials/connect gets its own.
        cache_key = (key, client, policy if retry is not None else background)
        with _LOCK:
            register = _REGISTERS.get(cache_key)
            if register is None:
                register = cls(key, client, location=location, retry=policy, account=account)
                _REGISTERS[cache_key] = register
        return register

    # -- reading -------------------------------------------------------------------------

    def read(
        self, tabs: Sequence[str], columns: Mapping[str, Sequence[str]] | None = None
    ) -> dict[str, Table]:
        """Read several tabs in one values.batchGet; a missing tab is left out of the result.

        ``columns`` limits some tabs to the named columns (the form's snapshot needs only
        the Nummers of Klachten): their Table has just those headers, in that order.
        """
        self._expire_metadata()
        names = list(dict.fromkeys(tabs))
        if self._metadata is not None:
            names = [n for n in names if n in self._titles()]
        if not names:
            return {}
        # The header rows of the tabs the caller appends to without reading them come
        # along, so that append costs no request of its own.
        extra = [t for t in HEADERS_WITH_READ if t not in names and t not in self._headers]
        if self._metadata is not None:
            extra = [t for t in extra if t in self._titles()]
        wanted = {n: list(columns[n]) for n in names if columns and n in columns}
        with self._errors("lezen"):
            try:
                ranges, spans = self._plan_read(names, extra, wanted)
                answers = self._batch_get(ranges)
            except _Rejected as rejected:
                if rejected.status != 400:
                    raise
                # A tab is missing: ask which exist (once per run), then read those.
                titles = self._titles()
                if all(n in titles for n in [*names, *extra]):
                    if wanted and "exceeds grid limits" in rejected.message:
                        wanted = {}  # a tab narrower than we thought: read it whole
                    else:
                        raise
                names = [n for n in names if n in titles]
                extra = [n for n in extra if n in titles]
                if not names:
                    return {}
                ranges, spans = self._plan_read(names, extra, wanted)
                answers = self._batch_get(ranges)
            tables: dict[str, Table] = {}
            at = 0
            for name in names:
                span = spans[name]
                part = answers[at : at + span]
                at += span
                if name in wanted:
                    tables[name] = self._columns_table(name, wanted[name], part)
                else:
                    tables[name] = self._table(name, part[0].get("values", []))
        for name, answer in zip(extra, answers[at:], strict=True):
            values = answer.get("values", [])
            self._headers[name] = header_row(name, values[0] if values else [])
        return tables

    def read_columns(
        self, tabs: Sequence[str], columns: Mapping[str, Sequence[str]]
    ) -> dict[str, Table]:
        """Read tabs, the ones named in columns limited to those columns (one batchGet)."""
        return self.read(tabs, columns)

    def _plan_read(
        self, names: Sequence[str], extra: Sequence[str], wanted: Mapping[str, Sequence[str]]
    ) -> tuple[list[str], dict[str, int]]:
        """Return the ranges of one batchGet and how many of them belong to each tab."""
        ranges: list[str] = []
        spans: dict[str, int] = {}
        for name in names:
            guess = self._guess_headers(name) or []
            if name in wanted and all(h in guess for h in wanted[name]):
                q = _quoted(name)
                ranges.append(f"{q}!1:1")
                for header in wanted[name]:
                    letter = column_letter(guess.index(header))
                    ranges.append(f"{q}!{letter}2:{letter}")
                spans[name] = 1 + len(wanted[name])
            else:
                ranges.append(_quoted(name))
                spans[name] = 1
        ranges += [f"{_quoted(n)}!1:1" for n in extra]
        return ranges, spans

    def _columns_table(
        self, name: str, wanted: Sequence[str], answers: Sequence[dict[str, Any]]
    ) -> Table:
        """Build a Table of some columns; look again when they moved or the tab was whole."""
        if len(answers) == 1:  # read whole: the guessed positions were unknown
            full = self._table(name, answers[0].get("values", []))
        else:
            header_values = answers[0].get("values", [])
            headers = header_row(name, header_values[0] if header_values else [])
            guess = self._guess_headers(name) or []
            moved = any(
                guess.index(h) >= len(headers) or headers[guess.index(h)] != h for h in wanted
            )
            if not moved and is_header_row(name, headers):
                self._headers[name] = headers
                values = [
                    [str(r[0]) if r else "" for r in a.get("values", [])] for a in answers[1:]
                ]
                height = max((len(v) for v in values), default=0)
                rows = [tuple(v[i] if i < len(v) else "" for v in values) for i in range(height)]
                while rows and not any(rows[-1]):
                    rows.pop()
                return Table(name, tuple(wanted), tuple(rows))
            current = self._whole(name)  # refuses a missing or moved header row
            full = Table(
                name,
                tuple(current.headers),
                tuple(tuple(_pad(r, len(current.headers))) for r in current.rows or []),
            )
        present = [h for h in wanted if h in full.headers]
        rows = [tuple(row[full.headers.index(h)] for h in present) for row in full.rows]
        return Table(name, tuple(present), tuple(rows))

    # -- writing -------------------------------------------------------------------------

    def append(self, tab: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
        """Append rows given as header -> value and return their Nummers."""
        if not rows:
            return []
        self._expire_metadata()
        with self._errors("toevoegen"):
            guess = self._guess_headers(tab)
            if guess is None or identified_by_nummer(tab, guess):
                current = self._current(tab, [NUMMER])
                headers = current.headers
                existing = {v.strip() for v in current.columns.get(NUMMER, []) if v.strip()}
            else:
                # Rows here are not found by Nummer: the headers are all we need.
                headers = self._headers.get(tab) or self._current(tab, []).headers
                existing = set()
            keyed = identified_by_nummer(tab, headers)
            if not headers:
                raise LayoutError(
                    f"Tabblad '{tab}' heeft geen kopregel; voer 'klachtsheet init' uit"
                )
            rows, kept = keep_missing(tab, headers, rows)
            nummers, pending = _plan_append(headers, rows, existing if keyed else None)
            if pending:
                for part in chunks(pending, json_size, MAX_REQUEST_BYTES):
                    self._append_with_check(tab, headers, part, keyed)
        if kept:
            self._report_missing(tab, kept, nummers)
        return nummers

    def _report_missing(self, tab: str, kept: dict[int, list[str]], nummers: list[str]) -> None:
        """Say in the log and the Logboek which column is missing and where its values went."""
        labels = sorted({label for found in kept.values() for label in found})
        headers = self._headers.get(tab, [])
        target = next((h for h in KEEP_IN if h in headers), NOTES)
        log.warning(
            "tabblad %s mist kolom(men) %s; de waarden staan in %s. Geef de kolom zijn naam "
            "terug (zie 'klachtsheet check')",
            tab,
            ", ".join(labels),
            target,
        )
        lines = [
            entry(
                nummers[index] if index < len(nummers) else "",
                "Kolom ontbreekt",
                f"waarde(n) van {', '.join(found)} bewaard in {target}; zet de kolomnaam terug "
                "in de kopregel",
                "formulier",
            )
            for index, found in sorted(kept.items())
        ]
        try:
            self.append(schema.LOGBOEK_TAB, lines)
        except RegisterError as error:  # the complaint itself is written; this is a note
            log.warning("Logboek-regel over de ontbrekende kolom niet geschreven: %s", error)

    def update(self, tab: str, updates: Sequence[CellUpdate]) -> UpdateResult:
        """Set cells of rows found by Nummer in the sheet as it is right now."""
        if not updates:
            return UpdateResult(0)
        self._expire_metadata()
        with self._errors("bijwerken"):
            needed = [NUMMER, *dict.fromkeys(u.header for u in updates)]
            whole = any(u.fingerprint for u in updates)
            current = self._current(tab, needed, whole=whole)
            if NUMMER not in current.headers:
                raise LayoutError(f"Tabblad '{tab}' heeft geen kolom Nummer")
            for header in needed:
                if header not in current.headers:
                    raise LayoutError(f"Tabblad '{tab}' heeft geen kolom '{header}'")
            cells, result = _plan_update(current, updates)
            if cells:
                self._write_cells(tab, current.headers, cells)
        return result

    def batch(self) -> AbstractContextManager[None]:
        """Group writes; every Google write is already a single request, so nothing to do."""
        return nullcontext()

    def replace_rows(self, tab: str, rows: Sequence[Sequence[str]]) -> None:
        """Replace every data row of a tab, in one write (none when nothing changed)."""
        with self._errors("vervangen"):
            values = self._batch_get([_quoted(tab)])[0].get("values", [])
            check_rows(tab, values[:SCAN_ROWS])
            headers = header_row(tab, values[0] if values else [])
            self._headers[tab] = headers
            current = [[str(v) for v in row] for row in values[1:]]
            wanted = [["" if v is None else str(v) for v in row] for row in rows]
            if _trim(current) == _trim(wanted):
                return
            width = max([len(headers), 1, *(len(r) for r in current), *(len(r) for r in wanted)])
            block = [_pad(row, width) for row in wanted]
            block += [[""] * width for _ in range(len(current) - len(wanted))]
            for row in block:
                _check_size(row)
            # Grow the tab first when the rows do not fit (this needs its id).
            sheet = self._sheet(tab)
            if sheet is not None:
                have = sheet["properties"].get("gridProperties", {}).get("rowCount", 0)
                if 1 + len(block) > have:
                    self._grow(sheet, 1 + len(block) - have)
            start = 0
            for part in chunks(block, json_size, MAX_REQUEST_BYTES):
                entry_ = {
                    "range": f"{_quoted(tab)}!A{2 + start}",
                    "majorDimension": "ROWS",
                    "values": part,
                }
                body = {"valueInputOption": "RAW", "data": [entry_]}
                self._retrying(
                    "vervangen",
                    lambda _n, body=body: self._send(  # type: ignore[misc]
                        self.client.values_batch_update, self.key, body
                    ),
                )
                start += len(part)

    def ensure_layout(self, tabs: Sequence[schema.Tab] = schema.TABS) -> list[str]:
        """Create missing tabs, headers, settings and formatting in one spreadsheet batchUpdate."""
        planned: list[str] = []

        def attempt(number: int) -> list[str]:
            changes = self._layout_once(tabs, number, planned)
            # batchUpdate is atomic: when a lost answer's retry finds nothing left to
            # do, the first attempt's changes are the ones that were made.
            return changes or planned

        with self._errors("inrichten"):
            return self._retrying("inrichten", attempt)

    # -- layout --------------------------------------------------------------------------

    def _layout_once(
        self, tabs: Sequence[schema.Tab], attempt: int, planned: list[str]
    ) -> list[str]:
        # A retry looks again: the previous batchUpdate may have been applied.
        metadata = self._fetch_metadata(refresh=attempt > 0 or self._metadata is None)
        sheets = {s["properties"]["title"]: s for s in metadata.get("sheets", [])}
        present = [tab for tab in tabs if tab.name in sheets]
        # The first rows, not only row 1: a deleted or moved header row must be seen.
        ranges = [
            f"{_quoted(t.name)}!1:{SCAN_ROWS}" for t in present if t.name != schema.INSTELLINGEN_TAB
        ]
        if any(t.name == schema.INSTELLINGEN_TAB for t in present):
            ranges.append(_quoted(schema.INSTELLINGEN_TAB))
        values: dict[str, list[list[str]]] = {}
        if ranges:
            answers = self._send(self.client.values_batch_get, self.key, ranges)["valueRanges"]
            for r, answer in zip(ranges, answers, strict=True):
                values[_tab_of_range(r)] = answer.get("values", [])
        plan = _LayoutPlan(sheets, tabs, values)
        requests_, changes = plan.build()
        for warning in plan.warnings:
            log.warning("%s: %s", self.key, warning)
        self.layout_warnings = plan.warnings
        if not requests_:
            return []
        planned[:] = changes
        self._send(self.client.batch_update, self.key, {"requests": requests_})
        # Titles, ids and grid sizes changed: look again when they are next needed.
        self._metadata = None
        for tab in tabs:
            self._headers.pop(tab.name, None)
        for change in changes:
            log.info("%s: %s", self.key, change)
        return changes

    # -- internals -----------------------------------------------------------------------

    def _table(self, name: str, values: list[list[Any]]) -> Table:
        check_rows(name, values[:SCAN_ROWS])
        headers = header_row(name, values[0] if values else [])
        self._headers[name] = headers
        width = len(headers)
        rows = [tuple(_pad([str(v) for v in row[:width]], width)) for row in values[1:]]
        while rows and not any(rows[-1]):
            rows.pop()
        return Table(name, tuple(headers), tuple(rows))

    def _guess_headers(self, tab: str) -> list[str] | None:
        if tab in self._headers:
            return self._headers[tab]
        if tab in schema.TABS_BY_NAME:
            return list(schema.TABS_BY_NAME[tab].headers)
        return None

    def _current(self, tab: str, needed: Sequence[str], *, whole: bool = False) -> _Current:
        """Re-read the header row and the needed columns of a tab, in one batchGet."""
        guess = self._guess_headers(tab)
        if whole or guess is None or any(h not in guess for h in needed):
            return self._whole(tab)
        current = self._columns(tab, guess, needed)
        if current is None:
            # Someone moved a column since we last looked: ask again where they are now.
            actual = self._headers[tab]
            if any(h not in actual for h in needed):
                return _Current(actual, {})
            current = self._columns(tab, actual, needed)
        return current or self._whole(tab)

    def _columns(self, tab: str, guess: list[str], needed: Sequence[str]) -> _Current | None:
        positions = {h: guess.index(h) for h in needed}
        q = _quoted(tab)
        ranges = [f"{q}!1:1"] + [
            f"{q}!{column_letter(i)}2:{column_letter(i)}" for i in positions.values()
        ]
        try:
            answers = self._batch_get(ranges)
        except _Rejected as rejected:
            if "exceeds grid limits" not in rejected.message:
                raise
            return self._whole(tab)  # fewer columns than we thought: look at all of it
        header_values = answers[0].get("values", [])
        headers = header_row(tab, header_values[0] if header_values else [])
        if not headers or not is_header_row(tab, headers):
            # Row 1 is not a header row: look at the first rows only (not the whole tab,
            # which the form writer would otherwise fetch on every retry) and refuse.
            first = self._batch_get([f"{q}!1:{SCAN_ROWS}"])[0].get("values", [])
            check_rows(tab, first)
            return self._whole(tab)  # an empty tab, or one klachtsheet does not know
        self._headers[tab] = headers
        if any(i >= len(headers) or headers[i] != h for h, i in positions.items()):
            return None
        columns = {
            h: [str(r[0]) if r else "" for r in answer.get("values", [])]
            for h, answer in zip(positions, answers[1:], strict=True)
        }
        return _Current(headers, columns)

    def _whole(self, tab: str) -> _Current:
        values = self._batch_get([_quoted(tab)])[0].get("values", [])
        check_rows(tab, values[:SCAN_ROWS])
        headers = header_row(tab, values[0] if values else [])
        self._headers[tab] = headers
        rows = [[str(v) for v in row] for row in values[1:]]
        columns = {
            h: [row[i] if i < len(row) else "" for row in rows] for i, h in enumerate(headers) if h
        }
        return _Current(headers, columns, rows)

    def _write_cells(self, tab: str, headers: list[str], cells: dict[tuple[int, str], str]) -> None:
        """Write cells in values.batchUpdate requests of under ~2 MB each.

        Cells of one column on consecutive rows go as one range (a first sync sets a
        column on thousands of rows: one range, not thousands); a cell that does not
        change breaks the run, so nothing else is overwritten. A failure part-way leaves
        the earlier requests written; the next run finds those cells right and writes
        only the rest.
        """
        q = _quoted(tab)
        by_column: dict[str, list[tuple[int, str]]] = {}
        for (offset, header), value in cells.items():
            row = [value]
            _check_size(row)
            by_column.setdefault(header, []).append((offset, row[0]))
        data = []
        for header, column in by_column.items():
            letter = column_letter(headers.index(header))
            for first, values in _runs(sorted(column)):
                last = first + len(values) - 1
                cell = (
                    f"{letter}{first + 2}"
                    if last == first
                    else f"{letter}{first + 2}:{letter}{last + 2}"
                )
                data.append(
                    {
                        "range": f"{q}!{cell}",
                        "majorDimension": "ROWS",
                        "values": [[v] for v in values],
                    }
                )
        for part in chunks(data, json_size, MAX_REQUEST_BYTES):
            body = {"valueInputOption": "RAW", "data": part}
            # Setting the same values twice is harmless, so a plain retry is safe here.
            self._retrying(
                "bijwerken",
                lambda _n, body=body: self._send(  # type: ignore[misc]
                    self.client.values_batch_update, self.key, body
                ),
            )

    def _append_with_check(
        self, tab: str, headers: list[str], pending: list[list[str]], keyed: bool
    ) -> None:
        q = _quoted(tab)
        params = {
            "valueInputOption": "RAW",
            "insertDataOption": "INSERT_ROWS",
            "includeValuesInResponse": "false",
        }
        remaining = pending

        def attempt(number: int) -> None:
            nonlocal remaining
            if number > 0:
                # The previous answer was lost: only send what did not arrive.
                remaining = self._not_arrived(tab, headers, remaining, keyed)
                if not remaining:
                    return
            body = {"majorDimension": "ROWS", "values": [_trim_row(r) for r in remaining]}
            self._send(self.client.values_append, self.key, f"{q}!A1", dict(params), body)

        for row in pending:
            _check_size(row)
        self._retrying("toevoegen", attempt)

    def _not_arrived(
        self, tab: str, headers: list[str], rows: list[list[str]], keyed: bool
    ) -> list[list[str]]:
        if keyed:
            index = headers.index(NUMMER)
            current = self._current(tab, [NUMMER])
            arrived = {v.strip() for v in current.columns.get(NUMMER, []) if v.strip()}
            return [row for row in rows if row[index].strip() not in arrived]
        current = self._whole(tab)
        have = [_trim_row(r) for r in current.rows or []]
        sent = [_trim_row(r) for r in rows]
        for start in range(len(have) - len(sent), -1, -1):
            if have[start : start + len(sent)] == sent:
                return []
        return rows
