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
from klachtsheet.exceptions import LayoutError, RegisterError
from klachtsheet.model import CellUpdate
from klachtsheet.register import (
    LOGBOEK_ID,
    UpdateResult,
    identified_by_nummer,
    presentation,
    skip_present,
    storable_rows,
    storable_table,
    storable_updates,
    trimmed,
)
from klachtsheet.register.google import formats, pool
from klachtsheet.register.google.auth import SPREADSHEET_URL, spreadsheet_key
from klachtsheet.register.google.dates import normalise_dates
from klachtsheet.register.google.headers import SCAN_ROWS, check_rows, header_row
from klachtsheet.register.google.layout import _LayoutPlan
from klachtsheet.register.google.plan import (
    KEEP_IN,
    NOTES,
    NUMMER,
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
    chunks,
    json_size,
)
from klachtsheet.register.google.retry import RetryPolicy
from klachtsheet.register.google.writing import Writer
from klachtsheet.sync.logbook import entry

if TYPE_CHECKING:
    from klachtsheet.config import Config

log = logging.getLogger(__name__)


class GoogleRegister(Writer):
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
        client, account = pool.shared_client(path, package.load_credentials, package.connect)
        policy = retry or (RetryPolicy.background() if background else RetryPolicy())
        # Keyed by client: a test that swaps load_credentials/connect gets its own.
        cache_key = (key, client, policy if retry is not None else background)
        with pool.LOCK:
            register = pool.REGISTERS.get(cache_key)
            if register is None:
                register = cls(key, client, location=location, retry=policy, account=account)
                pool.REGISTERS[cache_key] = register
        return register

    # -- reading -------------------------------------------------------------------------

    # -- writing -------------------------------------------------------------------------

    def append(self, tab: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
        """Append rows given as header -> value and return their Nummers."""
        if not rows:
            return []
        rows = storable_rows(rows)
        self._expire_metadata()
        with self._errors("toevoegen"):
            guess = self._guess_headers(tab)
            if tab == schema.LOGBOEK_TAB and guess is not None and LOGBOEK_ID in guess:
                # Logboek lines carry an Id: skip those already there (replays add nothing).
                current = self._current(tab, [LOGBOEK_ID])
                headers = current.headers
                present = {v.strip() for v in current.columns.get(LOGBOEK_ID, []) if v.strip()}
                rows = skip_present(rows, LOGBOEK_ID, present)
                existing = set()
            elif guess is None or identified_by_nummer(tab, guess):
                current = self._current(tab, [NUMMER])
                headers = current.headers
                existing = {v.strip() for v in current.columns.get(NUMMER, []) if v.strip()}
            else:
                # Rows here are not found by Nummer: the headers are all we need.
                headers = self._headers.get(tab) or self._current(tab, []).headers
                existing = set()
            keyed = identified_by_nummer(tab, headers)
            if tab == schema.LOGBOEK_TAB and LOGBOEK_ID not in headers:
                rows = [{h: v for h, v in r.items() if h != LOGBOEK_ID} for r in rows]
            if not rows:
                return []
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
        updates = storable_updates(updates)
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
            wanted = storable_table(rows)
            if trimmed(current) == trimmed(wanted):
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
        # The first rows, not only row 1: a deleted or moved header row must be seen; and
        # a sample of rows, so column widths fit the content.
        sample = f"1:{max(SCAN_ROWS, presentation.SAMPLE_ROWS + 1)}"
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
