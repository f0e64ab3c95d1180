"""The writing half of GoogleRegister: cells in runs under ~2 MB, appends that never double."""

from __future__ import annotations

import logging

from klachtsheet.register import trimmed_row
from klachtsheet.register.google import formats
from klachtsheet.register.google.plan import (
    NUMMER,
)
from klachtsheet.register.google.ranges import (
    MAX_REQUEST_BYTES,
    _check_size,
    _quoted,
    chunks,
    column_letter,
    json_size,
)
from klachtsheet.register.google.reading import Reader

log = logging.getLogger(__name__)


# A run of cells in one column is split so each range stays well inside one request.
RUN_BYTES = MAX_REQUEST_BYTES // 4


# What a cell is sent as: text, or a date's serial number (RAW).
Sent = str | float | int


def _runs(column: list[tuple[int, Sent]]) -> list[tuple[int, list[Sent]]]:
    """Group (offset, value) pairs sorted by offset into runs of consecutive rows."""
    runs: list[tuple[int, list[Sent]]] = []
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


class Writer(Reader):
    """Writes for GoogleRegister; every request is RAW, so nothing becomes a formula."""

    def _write_cells(self, tab: str, headers: list[str], cells: dict[tuple[int, str], str]) -> None:
        """Write cells in values.batchUpdate requests of under ~2 MB each.

        Cells of one column on consecutive rows go as one range (a first sync sets a
        column on thousands of rows: one range, not thousands); a cell that does not
        change breaks the run, so nothing else is overwritten. A failure part-way leaves
        the earlier requests written; the next run finds those cells right and writes
        only the rest.
        """
        q = _quoted(tab)
        by_column: dict[str, list[tuple[int, Sent]]] = {}
        for (offset, header), value in cells.items():
            row = [value]
            _check_size(row)
            # A date goes as a serial number (RAW, so never a formula) into a date column.
            sent = formats.cell_value(tab, header, row[0])
            by_column.setdefault(header, []).append((offset, sent))
        data = []
        for header, column in by_column.items():
            letter = column_letter(headers.index(header))
            for first, values in _runs(sorted(column, key=lambda pair: pair[0])):
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
            body = {
                "majorDimension": "ROWS",
                "values": [formats.row_values(tab, headers, trimmed_row(r)) for r in remaining],
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
        have = [trimmed_row(formats.comparable(tab, headers, r)) for r in current.rows or []]
        sent = [trimmed_row(formats.comparable(tab, headers, r)) for r in rows]
        for start in range(len(have) - len(sent), -1, -1):
            if have[start : start + len(sent)] == sent:
                return []
        return rows
