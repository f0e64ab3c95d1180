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

import email.utils
import json
import logging
import random
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import requests
from google.auth import exceptions as auth_exceptions
from google.oauth2 import service_account
from gspread import HTTPClient
from gspread.exceptions import APIError, NoValidUrlKeyFound
from gspread.utils import extract_id_from_url

from klachtsheet import nummer, schema
from klachtsheet.exceptions import ConfigError, LayoutError, RegisterBusy, RegisterError
from klachtsheet.model import CellUpdate, Table, now
from klachtsheet.register import (
    LOGBOEK_ID,
    UpdateResult,
    find_row,
    fingerprint,
    identified_by_nummer,
    skip_present,
    storable_rows,
    storable_table,
    storable_updates,
)

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

    from klachtsheet.config import Config

log = logging.getLogger(__name__)

SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
SPREADSHEET_URL = "https://docs.google.com/spreadsheets/d/{key}"
NUMMER = "Nummer"
MAX_CELL_CHARS = 50_000  # Google Sheets' limit for one cell
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
# Bump when the formatting ensure_layout applies changes, so `init` re-applies it.
LAYOUT_VERSION = 1
MARK = "klachtsheet"
HEADER_MARK = f"{MARK}-opmaak {LAYOUT_VERSION}"
# A conditional-format formula of ours starts with this always-true term, so a
# later `init` can tell our rules from the ones people made.
RULE_MARK = f'N("{MARK}")=0'
NEW_TAB_ROWS = 1000
HEADER_COLOUR = {"red": 0.867, "green": 0.922, "blue": 0.969}
SYNC_COLOUR = {"red": 0.929, "green": 0.929, "blue": 0.929}
OVERDUE_COLOUR = {"red": 0.988, "green": 0.820, "blue": 0.820}

# Tabs read() fetches the header row of too: the sync appends to the Logboek unread.
HEADERS_WITH_READ = (schema.LOGBOEK_TAB,)

T = TypeVar("T")


# -- credentials and opening ------------------------------------------------------------


def spreadsheet_key(location: str) -> str:
    """Return the spreadsheet key of a ``google:KEY`` location or a Google Sheets URL."""
    text = (location or "").strip()
    if text.startswith("google:"):
        key = text.removeprefix("google:").strip()
    else:
        try:
            key = extract_id_from_url(text)
        except NoValidUrlKeyFound:
            key = ""
    if not re.fullmatch(r"[A-Za-z0-9_-]{3,}", key):
        raise ConfigError(
            f"'{location}' is geen adres van een Google-spreadsheet; gebruik de URL "
            "(https://docs.google.com/spreadsheets/d/...) of google:SLEUTEL"
        )
    return key


def load_credentials(path: Path | None) -> Credentials:
    """Read a service-account key file, limited to the Sheets scope."""
    if path is None:
        raise ConfigError(
            "Geen Google-sleutel ingesteld: zet google_sleutel onder [register] in "
            "klachtsheet.toml of de omgevingsvariabele GOOGLE_APPLICATION_CREDENTIALS"
        )
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Google-sleutel {path} niet gevonden") from None
    except OSError as error:
        raise ConfigError(f"Google-sleutel {path} is niet leesbaar ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError(f"Google-sleutel {path} is geen JSON-sleutelbestand") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError(
            f"Google-sleutel {path} is geen sleutel van een serviceaccount (zie docs/google.md)"
        )
    try:
        credentials = service_account.Credentials.from_service_account_info(
            info, scopes=[SHEETS_SCOPE]
        )
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"Google-sleutel {path} is onvolledig of beschadigd") from None
    _warn_if_shared(path)
    return credentials


def _warn_if_shared(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "Google-sleutel %s is leesbaar voor anderen; maak hem privé met: chmod 600 %s",
            path,
            path,
        )


def connect(credentials: Credentials) -> HTTPClient:
    """Return gspread's HTTP client for these credentials (plain, without its endless retries)."""
    client = HTTPClient(credentials)
    client.set_timeout((10, 120))
    return client


# -- retries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how long in total, to retry a request Google answered with 429 or 5xx."""

    tries: int = 5
    first_wait: float = 1.0
    max_wait: float = 32.0
    max_total: float = 90.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Return the wait before the next try: jittered exponential, at least Retry-After."""
        backoff = min(self.max_wait, self.first_wait * 2**attempt)
        jittered = backoff * (0.5 + self.jitter() / 2)
        return max(jittered, retry_after or 0.0)


class _Transient(Exception):
    """A failure worth another try: 429, 5xx or a lost connection."""

    def __init__(self, status: int | None, retry_after: float | None, detail: str) -> None:
        super().__init__(detail)
        self.status, self.retry_after, self.detail = status, retry_after, detail


class _Rejected(Exception):
    """Google refused the request for good (4xx other than 429)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


# -- the register -----------------------------------------------------------------------


@dataclass
class _Current:
    """Part of a tab as it is now: its headers and some columns (or all rows)."""

    headers: list[str]
    columns: dict[str, list[str]]
    rows: list[list[str]] | None = None

    def value(self, header: str, offset: int) -> str:
        column = self.columns.get(header, [])
        return column[offset] if offset < len(column) else ""


class GoogleRegister:
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
    def open(
        cls,
        location: str,
        config: Config | None = None,
        *,
        http_client: HTTPClient | None = None,
        retry: RetryPolicy | None = None,
    ) -> GoogleRegister:
        """Open the spreadsheet at a URL or ``google:KEY``, never by title (no Drive access)."""
        key = spreadsheet_key(location)
        account = ""
        if http_client is None:
            credentials = load_credentials(config.google_credentials if config else None)
            account = getattr(credentials, "service_account_email", "") or ""
            http_client = connect(credentials)
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
        rows = storable_rows(rows)
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
            unknown = {h for row in rows for h in row if h not in headers}
            if unknown:
                raise LayoutError(
                    f"Tabblad '{tab}' mist kolom(men) {', '.join(sorted(unknown))}; "
                    "voer 'klachtsheet init' uit"
                )
            nummers, pending = _plan_append(headers, rows, existing if keyed else None)
            if pending:
                self._append_with_check(tab, headers, pending, keyed)
        return nummers

    def update(self, tab: str, updates: Sequence[CellUpdate]) -> UpdateResult:
        """Set cells of rows found by Nummer in the sheet as it is right now."""
        if not updates:
            return UpdateResult(0)
        updates = storable_updates(updates)
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
            wanted = storable_table(rows)
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

    # -- layout --------------------------------------------------------------------------

    def _layout_once(
        self, tabs: Sequence[schema.Tab], attempt: int, planned: list[str]
    ) -> list[str]:
        # A retry looks again: the previous batchUpdate may have been applied.
        metadata = self._fetch_metadata(refresh=attempt > 0 or self._metadata is None)
        sheets = {s["properties"]["title"]: s for s in metadata.get("sheets", [])}
        present = [tab for tab in tabs if tab.name in sheets]
        ranges = [f"{_quoted(t.name)}!1:1" for t in present if t.name != schema.INSTELLINGEN_TAB]
        if any(t.name == schema.INSTELLINGEN_TAB for t in present):
            ranges.append(_quoted(schema.INSTELLINGEN_TAB))
        values: dict[str, list[list[str]]] = {}
        if ranges:
            answers = self._send(self.client.values_batch_get, self.key, ranges)["valueRanges"]
            for r, answer in zip(ranges, answers, strict=True):
                values[_tab_of_range(r)] = answer.get("values", [])
        plan = _LayoutPlan(sheets, tabs, values)
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

    def _fetch_metadata(self, *, refresh: bool = False) -> dict[str, Any]:
        """Return the spreadsheet's metadata, fetched at most once unless a retry must look again."""
        if self._metadata is None or refresh:
            self._metadata = self._retrying(
                "openen",
                lambda _n: self._send(
                    self.client.fetch_sheet_metadata, self.key, {"includeGridData": "false"}
                ),
            )
        return self._metadata

    def _titles(self) -> set[str]:
        return {s["properties"]["title"] for s in self._fetch_metadata().get("sheets", [])}

    def _sheet(self, tab: str) -> dict[str, Any] | None:
        for sheet in self._fetch_metadata().get("sheets", []):
            if sheet["properties"]["title"] == tab:
                return sheet
        return None

    def _grow(self, sheet: dict[str, Any], rows: int) -> None:
        sheet_id = sheet["properties"]["sheetId"]
        body = {
            "requests": [
                {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": rows}}
            ]
        }
        self._retrying(
            "uitbreiden", lambda _n: self._send(self.client.batch_update, self.key, body)
        )
        sheet["properties"].setdefault("gridProperties", {})["rowCount"] = (
            sheet["properties"]["gridProperties"].get("rowCount", 0) + rows
        )

    def _batch_get(self, ranges: Sequence[str]) -> list[dict[str, Any]]:
        params = {"majorDimension": "ROWS", "valueRenderOption": "FORMATTED_VALUE"}
        answer = self._retrying(
            "lezen",
            lambda _n: self._send(
                self.client.values_batch_get, self.key, list(ranges), dict(params)
            ),
        )
        return answer.get("valueRanges", [])

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
            data.append({"range": f"{q}!{cell}", "majorDimension": "ROWS", "values": [[value]]})
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

    def _retrying(self, what: str, attempt: Callable[[int], T]) -> T:
        """Call attempt(0), attempt(1), ... while Google answers 429/5xx, within the policy."""
        waited = 0.0
        last: _Transient | None = None
        for number in range(self.retry.tries):
            try:
                return attempt(number)
            except _Transient as problem:
                last = problem
                if number + 1 >= self.retry.tries:
                    break
                delay = self.retry.delay(number, problem.retry_after)
                if waited + delay > self.retry.max_total:
                    break
                log.warning(
                    "Google Sheets (%s): %s; nieuwe poging over %.1f s", what, problem.detail, delay
                )
                self.retry.sleep(delay)
                waited += delay
        assert last is not None
        if last.status == 429:
            raise RegisterBusy(
                "Google Sheets meldt te veel verzoeken (429), ook na "
                f"{number + 1} pogingen; probeer het over een paar minuten opnieuw"
            )
        raise RegisterError(
            f"Google Sheets is niet bereikbaar ({last.detail}), ook na {number + 1} pogingen; "
            "probeer het later opnieuw"
        )

    def _send(self, method: Callable[..., T], *args: Any) -> T:
        """Send one request; sort failures into worth-retrying and final."""
        try:
            return method(*args)
        except APIError as error:
            status = error.response.status_code
            message = str(error.error.get("message", ""))
            if status in RETRYABLE_STATUS:
                raise _Transient(status, _retry_after(error.response), f"HTTP {status}") from None
            raise _Rejected(status, message) from None
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
            auth_exceptions.TransportError,
        ) as error:
            raise _Transient(None, None, f"verbinding verbroken: {type(error).__name__}") from None
        except auth_exceptions.RefreshError:
            raise RegisterError(
                "Google weigert de sleutel van het serviceaccount; maak een nieuwe sleutel "
                "(zie docs/google.md)"
            ) from None

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn a final refusal from Google into one Dutch line."""
        try:
            yield
        except _Rejected as rejected:
            raise self._explain(what, rejected) from None

    def _explain(self, what: str, rejected: _Rejected) -> RegisterError:
        account = f" ({self.account})" if self.account else ""
        if rejected.status == 404:
            return RegisterError(
                f"Google-spreadsheet {self.key} niet gevonden; controleer de URL in de configuratie"
            )
        if rejected.status == 403:
            return RegisterError(
                f"Geen toegang tot Google-spreadsheet {self.key}; deel hem met het "
                f"serviceaccount{account} als bewerker"
            )
        if rejected.status == 400 and "Unable to parse range" in rejected.message:
            return LayoutError(
                f"Een tabblad ontbreekt in de Google-spreadsheet ({rejected.message}); "
                "voer 'klachtsheet init' uit"
            )
        if rejected.status == 401:
            return RegisterError(
                "Google weigert de sleutel van het serviceaccount; maak een nieuwe sleutel "
                "(zie docs/google.md)"
            )
        return RegisterError(
            f"Google Sheets weigert het {what} (HTTP {rejected.status}): {rejected.message}"
        )


# -- planning writes (pure) --------------------------------------------------------------


def _plan_append(
    headers: list[str], rows: Sequence[Mapping[str, str]], existing: set[str] | None
) -> tuple[list[str], list[list[str]]]:
    """Return the Nummers of the rows and the rows still to send, in header order."""
    nummers: list[str] = []
    pending: list[list[str]] = []
    today = now().date()
    for values in rows:
        values = {k: "" if v is None else str(v) for k, v in values.items()}
        if existing is None:
            nummers.append("")
        else:
            given = values.get(NUMMER, "").strip()
            if given and given in existing:
                nummers.append(given)  # already there: a replayed append adds nothing
                continue
            given = given or nummer.new_nummer(existing, today)
            values[NUMMER] = given
            existing.add(given)
            nummers.append(given)
        pending.append([values.get(h, "") if h else "" for h in headers])
    return nummers, pending


def _plan_update(
    current: _Current, updates: Sequence[CellUpdate]
) -> tuple[dict[tuple[int, str], str], UpdateResult]:
    """Map updates to the rows as they are now; return the cells that change."""
    rows_by_nummer: dict[str, list[int]] = {}
    for offset, value in enumerate(current.columns.get(NUMMER, [])):
        if value.strip():
            rows_by_nummer.setdefault(value.strip(), []).append(offset)
    unnumbered: dict[str, list[int]] = {}
    if current.rows is not None:
        width = len(current.headers)
        index = current.headers.index(NUMMER)
        for offset, row in enumerate(current.rows):
            padded = _pad(row[:width], width)
            if not padded[index].strip() and any(v != "" for v in row):
                unnumbered.setdefault(fingerprint(padded), []).append(offset)
    cells: dict[tuple[int, str], str] = {}
    written, missing, ambiguous, changed = 0, [], [], []
    claimed: dict[str, int] = {}
    for change in updates:
        offset = find_row(change, rows_by_nummer, unnumbered, claimed)
        if offset is None:
            missing.append(change.nummer)
            continue
        if offset == -1:
            ambiguous.append(change.nummer)
            continue
        key = (offset, change.header)
        before = cells.get(key, current.value(change.header, offset))
        if change.expected is not None and before != change.expected:
            changed.append(change.nummer)
            continue
        if before != change.value:
            cells[key] = change.value
            written += 1
    result = UpdateResult(
        written,
        tuple(dict.fromkeys(missing)),
        tuple(dict.fromkeys(ambiguous)),
        tuple(dict.fromkeys(changed)),
    )
    return cells, result


class _LayoutPlan:
    """The spreadsheet batchUpdate requests that bring the tabs up to the schema."""

    def __init__(
        self,
        sheets: dict[str, dict[str, Any]],
        tabs: Sequence[schema.Tab],
        values: dict[str, list[list[str]]],
    ) -> None:
        self.sheets, self.tabs, self.values = sheets, tabs, values
        self.requests: list[dict[str, Any]] = []
        self.changes: list[str] = []
        self.headers: dict[str, list[str]] = {}
        self.ids: dict[str, int] = {
            title: s["properties"]["sheetId"] for title, s in sheets.items()
        }

    def build(self) -> tuple[list[dict[str, Any]], list[str]]:
        formatted = []
        for tab in self.tabs:
            if tab.name not in self.sheets:
                self._add_tab(tab)
                formatted.append(tab)
            elif self._upgrade_tab(tab) or not self._has_marker(tab):
                formatted.append(tab)
                self.changes.append(
                    f"Opmaak van tabblad '{tab.name}' bijgewerkt "
                    "(vaste kopregel, keuzelijsten, beveiliging, kleuren)"
                )
        for tab in formatted:
            self._format(tab)
        return self.requests, self.changes

    def _new_id(self) -> int:
        while True:
            candidate = 1 + secrets.randbelow(2**31 - 2)
            if candidate not in self.ids.values():
                return candidate

    def _add_tab(self, tab: schema.Tab) -> None:
        sheet_id = self._new_id()
        self.ids[tab.name] = sheet_id
        headers = list(tab.headers)
        self.headers[tab.name] = headers
        self.requests.append(
            {
                "addSheet": {
                    "properties": {
                        "sheetId": sheet_id,
                        "title": tab.name,
                        "gridProperties": {
                            "rowCount": max(NEW_TAB_ROWS, len(tab.seed_rows) + 1),
                            "columnCount": len(headers),
                            "frozenRowCount": 1,
                        },
                    }
                }
            }
        )
        rows = [headers, *[list(r) for r in tab.seed_rows]]
        self.requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                    "rows": [_row_data(r) for r in rows],
                    "fields": "userEnteredValue",
                }
            }
        )
        self.changes.append(f"Tabblad '{tab.name}' toegevoegd")

    def _upgrade_tab(self, tab: schema.Tab) -> bool:
        """Add missing headers at the end, and missing settings; tell whether anything changed."""
        sheet = self.sheets[tab.name]
        sheet_id = sheet["properties"]["sheetId"]
        rows = self.values.get(tab.name, [])
        headers = _header_row(rows[0] if rows else [])
        present = {h for h in headers if h}
        missing = [h for h in tab.headers if h not in present]
        changed = False
        if missing:
            start = len(headers)
            columns = sheet["properties"].get("gridProperties", {}).get("columnCount", 0)
            if start + len(missing) > columns:
                self.requests.append(
                    {
                        "appendDimension": {
                            "sheetId": sheet_id,
                            "dimension": "COLUMNS",
                            "length": start + len(missing) - columns,
                        }
                    }
                )
            self.requests.append(
                {
                    "updateCells": {
                        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": start},
                        "rows": [_row_data(missing)],
                        "fields": "userEnteredValue",
                    }
                }
            )
            headers = headers + missing
            for header in missing:
                self.changes.append(f"Kolom '{header}' toegevoegd aan tabblad '{tab.name}'")
            changed = True
        self.headers[tab.name] = headers
        if tab.name == schema.INSTELLINGEN_TAB:
            changed = self._add_settings(sheet_id, headers, rows[1:]) or changed
        return changed

    def _add_settings(self, sheet_id: int, headers: list[str], rows: list[list[str]]) -> bool:
        name_col = headers.index("Instelling")
        names = {str(r[name_col]).strip() for r in rows if name_col < len(r)}
        new_rows = []
        for setting in schema.SETTINGS:
            if setting.name in names:
                continue
            values = {
                "Instelling": setting.name,
                "Waarde": setting.default,
                "Toelichting": setting.help,
            }
            new_rows.append([values.get(h, "") for h in headers])
            self.changes.append(f"Instelling '{setting.name}' toegevoegd")
        if new_rows:
            self.requests.append(
                {
                    "appendCells": {
                        "sheetId": sheet_id,
                        "rows": [_row_data(r) for r in new_rows],
                        "fields": "userEnteredValue",
                    }
                }
            )
        return bool(new_rows)

    def _has_marker(self, tab: schema.Tab) -> bool:
        ranges = self.sheets[tab.name].get("protectedRanges", [])
        return any((p.get("description") or "").startswith(HEADER_MARK) for p in ranges)

    def _format(self, tab: schema.Tab) -> None:
        """Re-apply our formatting to one tab: ours is removed first, people's is kept."""
        sheet_id = self.ids[tab.name]
        headers = self.headers[tab.name]
        existing = self.sheets.get(tab.name, {})
        for protected in existing.get("protectedRanges", []):
            if (protected.get("description") or "").startswith(MARK):
                self.requests.append(
                    {"deleteProtectedRange": {"protectedRangeId": protected["protectedRangeId"]}}
                )
        rules = existing.get("conditionalFormats", [])
        for index in range(len(rules) - 1, -1, -1):
            if _is_our_rule(rules[index]):
                self.requests.append(
                    {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}}
                )
        self.requests.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                    "fields": "gridProperties.frozenRowCount",
                }
            }
        )
        self.requests.append(_header_format(sheet_id, 0, len(headers), HEADER_COLOUR))
        self.requests.append(
            {
                "addProtectedRange": {
                    "protectedRange": {
                        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                        "description": f"{HEADER_MARK}: kolomnamen niet wijzigen, klachtsheet zoekt kolommen op naam",
                        "warningOnly": True,
                    }
                }
            }
        )
        for index, header in enumerate(headers):
            column = tab.by_header(header)
            if column is None:
                continue
            if column.owner is schema.Owner.SYNC:
                self.requests.append(_header_format(sheet_id, index, index + 1, SYNC_COLOUR))
                self.requests.append(
                    {
                        "addProtectedRange": {
                            "protectedRange": {
                                "range": {
                                    "sheetId": sheet_id,
                                    "startRowIndex": 1,
                                    "startColumnIndex": index,
                                    "endColumnIndex": index + 1,
                                },
                                "description": f"{MARK}: '{header}' vult de sync; wijzigingen kunnen "
                                "worden overschreven",
                                "warningOnly": True,
                            }
                        }
                    }
                )
            rule = self._validation(column)
            if rule is not None:
                self.requests.append(
                    {
                        "setDataValidation": {
                            "range": {
                                "sheetId": sheet_id,
                                "startRowIndex": 1,
                                "startColumnIndex": index,
                                "endColumnIndex": index + 1,
                            },
                            "rule": rule,
                        }
                    }
                )
        if tab.name == schema.KLACHTEN_TAB:
            self._overdue_rule(sheet_id, headers)

    def _validation(self, column: schema.Column) -> dict[str, Any] | None:
        if column.allowed:
            condition = {
                "type": "ONE_OF_LIST",
                "values": [{"userEnteredValue": v} for v in column.allowed],
            }
        elif column.choices_from:
            source_tab, source_header = column.choices_from
            source = self.headers.get(source_tab)
            if not source or source_header not in source:
                return None  # e.g. the confidential register has no Categorieën tab
            letter = column_letter(source.index(source_header))
            condition = {
                "type": "ONE_OF_RANGE",
                "values": [{"userEnteredValue": f"={_quoted(source_tab)}!${letter}$2:${letter}"}],
            }
        else:
            return None
        # Not strict: an unknown category must stay typeable so the sync can propose it.
        return {
            "condition": condition,
            "strict": False,
            "showCustomUi": True,
            "inputMessage": column.help or f"Kies een waarde voor '{column.header}'.",
        }

    def _overdue_rule(self, sheet_id: int, headers: list[str]) -> None:
        due_header = schema.KLACHTEN.header("antwoord_uiterlijk")
        status_header = schema.KLACHTEN.header("status")
        if due_header not in headers or status_header not in headers:
            return
        due = f"${column_letter(headers.index(due_header))}2"
        status = f"${column_letter(headers.index(status_header))}2"
        closed = ",".join(f'{status}="{s}"' for s in schema.CLOSED_STATUSES)
        # The sync writes dates as text (26-11-2026); a person may type a real date.
        as_date = (
            f"IF(ISNUMBER({due}),{due},DATE(VALUE(RIGHT({due},4)),VALUE(MID({due},4,2)),"
            f"VALUE(LEFT({due},2))))"
        )
        formula = (
            f"=AND({RULE_MARK},LEN({due})>0,NOT(OR({closed})),IFERROR({as_date},TODAY()+1)<TODAY())"
        )
        self.requests.append(
            {
                "addConditionalFormatRule": {
                    "index": 0,
                    "rule": {
                        "ranges": [
                            {
                                "sheetId": sheet_id,
                                "startRowIndex": 1,
                                "startColumnIndex": 0,
                                "endColumnIndex": len(headers),
                            }
                        ],
                        "booleanRule": {
                            "condition": {
                                "type": "CUSTOM_FORMULA",
                                "values": [{"userEnteredValue": formula}],
                            },
                            "format": {"backgroundColor": OVERDUE_COLOUR},
                        },
                    },
                }
            }
        )


# -- small helpers -----------------------------------------------------------------------


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
    name = text.split("!", 1)[0] if text.endswith("!1:1") else text
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


def _is_our_rule(rule: dict[str, Any]) -> bool:
    condition = rule.get("booleanRule", {}).get("condition", {})
    return any(RULE_MARK in str(v.get("userEnteredValue", "")) for v in condition.get("values", []))


def _row_data(values: Sequence[str]) -> dict[str, Any]:
    """Return a RowData of text cells: stringValue, so nothing is ever read as a formula."""
    return {"values": [{"userEnteredValue": {"stringValue": str(v)}} for v in values]}


def _header_format(sheet_id: int, start: int, end: int, colour: dict[str, float]) -> dict:
    return {
        "repeatCell": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 0,
                "endRowIndex": 1,
                "startColumnIndex": start,
                "endColumnIndex": max(end, start + 1),
            },
            "cell": {
                "userEnteredFormat": {
                    "backgroundColor": colour,
                    "textFormat": {"bold": True},
                    "wrapStrategy": "WRAP",
                }
            },
            "fields": "userEnteredFormat(backgroundColor,textFormat.bold,wrapStrategy)",
        }
    }
