"""Benchmark: the agenda for a 50,000-row register, in memory and end to end from a local file.

Run: python benchmarks/agenda.py [rows]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.demo.data import _Generator
from klachtsheet.model import Table
from klachtsheet.register import row_values
from klachtsheet.register.local import LocalRegister
from klachtsheet.reports.agenda import (
    READ_TABS,
    build_agenda,
    render_agenda,
    tab_rows,
    write_agenda,
)
from klachtsheet.reports.annual import build_annual

MEETING = date(2026, 11, 26)


def make_rows(count: int) -> list[list[str]]:
    """Return ``count`` fictional complaints spread over several years, as sheet rows."""
    gen = _Generator(MEETING, seed=7)
    headers = schema.KLACHTEN.headers
    rows = []
    for i in range(count):
        received = MEETING - timedelta(days=i % 1460)  # four years, evenly
        values = gen.complaint(received)
        rows.append(row_values(headers, {schema.KLACHTEN.header(k): v for k, v in values.items()}))
    return rows


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
    tables = {schema.KLACHTEN_TAB: table}
    agenda = timed("build_agenda (in memory)", lambda: build_agenda(tables, meeting=MEETING),
                   results)  # fmt: skip
    timed("render Markdown", lambda: render_agenda(agenda, "md"), results)
    timed("render HTML (with SVG)", lambda: render_agenda(agenda, "html"), results)
    timed("Agenda tab rows", lambda: tab_rows(agenda), results)
    timed("build_annual (in memory)", lambda: build_annual(tables, year=2026), results)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        register = LocalRegister(path)
        register.ensure_layout(schema.TABS)
        timed("write register (setup)", lambda: register.replace_rows(schema.KLACHTEN_TAB, rows),
              results)  # fmt: skip
        timed("register.read of the four tabs (alone)",
              lambda: register.read(list(READ_TABS)), results)  # fmt: skip
        config = Config(register=str(path), output_dir=Path(folder) / "uitvoer")
        timed("write_agenda end to end (read xlsx, md+html+tab)",
              lambda: write_agenda(config, register, meeting=MEETING), results)  # fmt: skip
    print(f"agenda benchmark, {count:,} rows, received in the period: {agenda.received}, "
          f"overdue: {len(agenda.overdue)}")  # fmt: skip
    width = max(len(label) for label, _ in results)
    print(f"{'step':<{width}}  seconds")
    print(f"{'-' * width}  -------")
    for label, seconds in results:
        print(f"{label:<{width}}  {seconds:7.3f}")


if __name__ == "__main__":
    main()
