"""Reading a Google register: whole tabs, some columns, and the columns a write needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from klachtsheet import schema
from klachtsheet.model import Table
from klachtsheet.register.google.client import SheetsClient
from klachtsheet.register.google.headers import SCAN_ROWS, check_rows, header_row, is_header_row
from klachtsheet.register.google.plan import _Current
from klachtsheet.register.google.ranges import _pad, _quoted, column_letter
from klachtsheet.register.google.retry import _Rejected

# Tabs read() fetches the header row of too: the sync appends to the Logboek unread.
HEADERS_WITH_READ = (schema.LOGBOEK_TAB,)


class Reader(SheetsClient):
    """The reading half of GoogleRegister (it also re-reads right before every write)."""

    _headers: dict[str, list[str]]

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
            names, extra, wanted, answers, spans = self._fetch(names, extra, wanted)
            if not names:
                return {}
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
            found = header_row(name, values[0] if values else [])
            if found and is_header_row(name, found):
                self._headers[name] = found  # else an append looks again, and refuses
        return tables

    def read_columns(
        self, tabs: Sequence[str], columns: Mapping[str, Sequence[str]]
    ) -> dict[str, Table]:
        """Read tabs, the ones named in columns limited to those columns (one batchGet)."""
        return self.read(tabs, columns)

    def _fetch(self, names: list[str], extra: list[str], wanted: dict[str, list[str]]):
        """Read the planned ranges; when a tab is missing, learn which exist and read those."""
        try:
            ranges, spans = self._plan_read(names, extra, wanted)
            return names, extra, wanted, self._batch_get(ranges), spans
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
                return names, extra, wanted, [], {}
            ranges, spans = self._plan_read(names, extra, wanted)
            return names, extra, wanted, self._batch_get(ranges), spans

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
