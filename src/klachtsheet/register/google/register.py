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
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from gspread import HTTPClient

from klachtsheet import schema
from klachtsheet.exceptions import LayoutError
from klachtsheet.model import CellUpdate, Table
from klachtsheet.register import UpdateResult, identified_by_nummer, presentation
from klachtsheet.register.google import formats
from klachtsheet.register.google.auth import SPREADSHEET_URL, spreadsheet_key
from klachtsheet.register.google.client import SheetsClient
from klachtsheet.register.google.dates import normalise_dates
from klachtsheet.register.google.layout import _LayoutPlan
from klachtsheet.register.google.plan import NUMMER, _Current, _plan_append, _plan_update
from klachtsheet.register.google.ranges import (
    _check_size,
    _header_row,
    _pad,
    _quoted,
    _read_ranges,
    _tab_of_range,
    _trim,
    _trim_row,
    column_letter,
)
from klachtsheet.register.google.retry import RetryPolicy, _Rejected
from klachtsheet.wording import columns

if TYPE_CHECKING:
    from klachtsheet.config import Config

log = logging.getLogger(__name__)

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

    @classmethod
    @classmethod
    def open(
        cls,
        location: str,
        config: Config | None = None,
        *,
        http_client: HTTPClient | None = None,
        retry: RetryPolicy | None = None,
    ) -> GoogleRegister:
        """Open the spreadsheet at a URL or ``google:KEY``, never by title (no Drive access)."""
        # Through the package, so tests can put a fake client in its place.
        from klachtsheet.register import google as package

        key = spreadsheet_key(location)
        account = ""
        if http_client is None:
            credentials = package.load_credentials(config.google_credentials if config else None)
            account = getattr(credentials, "service_account_email", "") or ""
            http_client = package.connect(credentials)
        return cls(key, http_client, location=location, retry=retry, account=account)

    # -- reading -------------------------------------------------------------------------

    def read(self, tabs: Sequence[str]) -> dict[str, Table]:
        """Read several tabs in one values.batchGet; a missing tab is left out of the result."""
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
        with self._errors("lezen"):
            try:
                answers = self._batch_get(_read_ranges(names, extra))
            except _Rejected as rejected:
                if rejected.status != 400:
                    raise
                # A tab is missing: ask which exist (once per run), then read those.
                titles = self._titles()
                if all(n in titles for n in [*names, *extra]):
                    raise
                names = [n for n in names if n in titles]
                extra = [n for n in extra if n in titles]
                if not names:
                    return {}
                answers = self._batch_get(_read_ranges(names, extra))
        for name, answer in zip(extra, answers[len(names) :], strict=True):
            values = answer.get("values", [])
            self._headers[name] = _header_row(values[0] if values else [])
        return {
            name: self._table(name, answer.get("values", []))
            for name, answer in zip(names, answers, strict=False)
        }

    # -- writing -------------------------------------------------------------------------

    def append(self, tab: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
        """Append rows given as header -> value and return their Nummers."""
        if not rows:
            return []
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
            unknown = {h for row in rows for h in row if h not in headers}
            if unknown:
                raise LayoutError(
                    f"Tabblad '{tab}' mist {columns(sorted(unknown))}; voer 'klachtsheet init' uit"
                )
            nummers, pending = _plan_append(headers, rows, existing if keyed else None)
            if pending:
                self._append_with_check(tab, headers, pending, keyed)
        return nummers

    def update(self, tab: str, updates: Sequence[CellUpdate]) -> UpdateResult:
        """Set cells of rows found by Nummer in the sheet as it is right now."""
        if not updates:
            return UpdateResult(0)
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
            headers = _header_row(values[0] if values else [])
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
            body = {
                "valueInputOption": "RAW",
                "data": [
                    {"range": f"{_quoted(tab)}!A2", "majorDimension": "ROWS", "values": block}
                ],
            }
            try:
                self._retrying(
                    "vervangen",
                    lambda _n: self._send(self.client.values_batch_update, self.key, body),
                )
            except _Rejected as rejected:
                if "exceeds grid limits" not in rejected.message:
                    raise
                # More rows than the tab has: grow it (this needs its id), then write again.
                sheet = self._sheet(tab)
                if sheet is None:
                    raise
                have = sheet["properties"].get("gridProperties", {}).get("rowCount", 0)
                self._grow(sheet, 1 + len(block) - have)
                self._retrying(
                    "vervangen",
                    lambda _n: self._send(self.client.values_batch_update, self.key, body),
                )

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

    def spreadsheet_problems(self) -> list[str]:
        """Return Dutch warnings about the spreadsheet's locale and time zone."""
        with self._errors("openen"):
            return formats.locale_problems(self._fetch_metadata().get("properties", {}))

    def normalise_dates(self, tab: str = schema.KLACHTEN_TAB) -> int:
        """Turn dates people typed as text in a tab's date columns into date numbers.

        One read of the date columns as stored (UNFORMATTED_VALUE: a real date is a
        number, typed text a string) and at most one RAW write of serial numbers.
        """
        with self._errors("datums omzetten"):
            return normalise_dates(self, tab)

    # -- layout --------------------------------------------------------------------------

    def _layout_once(
        self, tabs: Sequence[schema.Tab], attempt: int, planned: list[str]
    ) -> list[str]:
        # A retry looks again: the previous batchUpdate may have been applied.
        metadata = self._fetch_metadata(refresh=attempt > 0 or self._metadata is None)
        sheets = {s["properties"]["title"]: s for s in metadata.get("sheets", [])}
        present = [tab for tab in tabs if tab.name in sheets]
        # The header row and a sample of rows, so column widths fit the content.
        sample = f"1:{presentation.SAMPLE_ROWS + 1}"
        ranges = [
            f"{_quoted(t.name)}!{sample}" for t in present if t.name != schema.INSTELLINGEN_TAB
        ]
        if any(t.name == schema.INSTELLINGEN_TAB for t in present):
            ranges.append(_quoted(schema.INSTELLINGEN_TAB))
        values: dict[str, list[list[str]]] = {}
        if ranges:
            answers = self._send(self.client.values_batch_get, self.key, ranges)["valueRanges"]
            for r, answer in zip(ranges, answers, strict=True):
                values[_tab_of_range(r)] = answer.get("values", [])
        plan = _LayoutPlan(sheets, tabs, values, metadata.get("properties", {}))
        requests_, changes = plan.build()
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
        headers = _header_row(values[0] if values else [])
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
        answers = self._batch_get(ranges)
        header_values = answers[0].get("values", [])
        headers = _header_row(header_values[0] if header_values else [])
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
        headers = _header_row(values[0] if values else [])
        self._headers[tab] = headers
        rows = [[str(v) for v in row] for row in values[1:]]
        columns = {
            h: [row[i] if i < len(row) else "" for row in rows] for i, h in enumerate(headers) if h
        }
        return _Current(headers, columns, rows)

    def _write_cells(self, tab: str, headers: list[str], cells: dict[tuple[int, str], str]) -> None:
        q = _quoted(tab)
        data = []
        for (offset, header), value in cells.items():
            _check_size([value])
            cell = f"{column_letter(headers.index(header))}{offset + 2}"
            # A date goes as a serial number (RAW, so never a formula) into a date column.
            sent = formats.cell_value(tab, header, value)
            data.append({"range": f"{q}!{cell}", "majorDimension": "ROWS", "values": [[sent]]})
        body = {"valueInputOption": "RAW", "data": data}
        # Setting the same values twice is harmless, so a plain retry is safe here.
        self._retrying(
            "bijwerken", lambda _n: self._send(self.client.values_batch_update, self.key, body)
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
            body = {
                "majorDimension": "ROWS",
                "values": [formats.row_values(tab, headers, _trim_row(r)) for r in remaining],
            }
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
        # Dates read back in the register's own text (3-5-2026 sent, 03-05-2026 read).
        have = [_trim_row(formats.comparable(tab, headers, r)) for r in current.rows or []]
        sent = [_trim_row(formats.comparable(tab, headers, r)) for r in rows]
        for start in range(len(have) - len(sent), -1, -1):
            if have[start : start + len(sent)] == sent:
                return []
        return rows
