"""Benchmark: the help-desk additions (issue 16) on a 50,000-row register, in memory.

Caller history (index build and one look-up), duplicate hints, the change snapshot and its
comparison. Run: python benchmarks/helpdesk.py [rows]
"""

from __future__ import annotations

import sys
import time
from datetime import date

from agenda import make_rows
from klachtsheet import schema
from klachtsheet.intake.history import HistoryIndex, Query
from klachtsheet.model import Table, complaints
from klachtsheet.rules.duplicates import duplicate_hints
from klachtsheet.sync.changes import detect, snapshot

TODAY = date(2026, 11, 26)


def timed(label: str, func, results: list[tuple[str, float]]):
    start = time.perf_counter()
    value = func()
    results.append((label, time.perf_counter() - start))
    return value


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    results: list[tuple[str, float]] = []
    rows = timed(f"generate {count:,} rows", lambda: make_rows(count), results)
    table = Table(schema.KLACHTEN_TAB, schema.KLACHTEN.headers, tuple(tuple(r) for r in rows))
    parsed = timed("complaints(table)", lambda: complaints(table), results)
    index = timed("HistoryIndex (once per 30 s)", lambda: HistoryIndex(parsed), results)
    sample = next(c for c in parsed if c.telefoon)
    query = Query(telefoon=sample.telefoon, naam=sample.deelnemer)
    found = timed("one look-up as you type", lambda: index.history(query, TODAY), results)
    hints = timed("duplicate_hints", lambda: duplicate_hints(parsed), results)
    seen = timed("change snapshot", lambda: snapshot(table), results)
    timed("compare with the last snapshot", lambda: detect(seen, seen, "gedeeld"), results)
    print(f"helpdesk benchmark, {count:,} rows; {len(found)} earlier complaints found, "
          f"{len(hints)} rows with a duplicate hint")  # fmt: skip
    width = max(len(label) for label, _ in results)
    print(f"{'step':<{width}}  seconds")
    print(f"{'-' * width}  -------")
    for label, seconds in results:
        print(f"{label:<{width}}  {seconds:7.3f}")


if __name__ == "__main__":
    main()
