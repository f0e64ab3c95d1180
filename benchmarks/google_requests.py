"""Sheets API requests and time of a sync-sized write, batched (klachtsheet) vs naive per cell.

Runs against the local fake Sheets API (tests/support/fake_sheets.py) over real HTTP with
100 ms added to every request, as a stand-in for Google's round trip. The work is what
a sync does: read the register, set one cell on 5% of the complaints (found by Nummer),
and log one Logboek line per changed complaint.

- klachtsheet: GoogleRegister.read + update + append, measured in full.
- naive: gspread the usual way (open_by_key, worksheet(), get_all_values to find rows,
  update_cell per changed cell, append_row per Logboek line). Measured for a handful of
  cells and extrapolated linearly to the full count (requests are exact; time is
  measured fixed cost + cells x measured cost per cell). It also writes USER_ENTERED.
  Google allows 60 write requests per minute per user, so the last column gives the
  least time the naive writes would take on real Google.

    PYTHONPATH=tests python benchmarks/google_requests.py [--latency 0.1] [--sizes 100,1000,10000]

(tests/ on the path for the fake, as pytest's pythonpath has it.)
"""

from __future__ import annotations

import argparse
import time

import gspread
from google.auth.credentials import AnonymousCredentials

from klachtsheet import schema
from klachtsheet.model import CellUpdate
from klachtsheet.register.google import GoogleRegister
from klachtsheet.sync import logbook
from support.fake_sheets import FakeHTTPClient, FakeSheets, fill_complaints

H = schema.KLACHTEN.header
SAMPLE_CELLS = 5
WRITE_QUOTA_PER_MINUTE = 60


def _prepare(fake: FakeSheets, url: str, key: str, size: int) -> list[str]:
    fake.create(key)
    latency, fake.latency = fake.latency, 0.0
    GoogleRegister(key, FakeHTTPClient(url)).ensure_layout(schema.TABS)
    nummers = fill_complaints(fake, key, size)
    fake.latency = latency
    return nummers


def batched(fake: FakeSheets, url: str, key: str, chosen: list[str]) -> tuple[int, int, float]:
    """Return requests, writes and seconds of klachtsheet's read + update + append."""
    fake.reset_log()
    start = time.perf_counter()
    register = GoogleRegister(key, FakeHTTPClient(url))
    register.read([tab.name for tab in schema.TABS])
    register.update(
        schema.KLACHTEN_TAB, [CellUpdate(n, H("controle"), "Categorie onbekend") for n in chosen]
    )
    register.append(schema.LOGBOEK_TAB, [logbook.entry(n, "Controle bijgewerkt") for n in chosen])
    seconds = time.perf_counter() - start
    return fake.count(), len(fake.writes()), seconds


def naive(fake: FakeSheets, url: str, key: str, chosen: list[str]) -> tuple[int, int, float, float]:
    """Return fixed requests, fixed seconds and seconds per changed cell, per-cell gspread."""
    fake.reset_log()
    start = time.perf_counter()
    client = gspread.Client(
        AnonymousCredentials(), http_client=lambda auth, session: FakeHTTPClient(url)
    )
    book = client.open_by_key(key)
    klachten = book.worksheet(schema.KLACHTEN_TAB)
    log_sheet = book.worksheet(schema.LOGBOEK_TAB)
    values = klachten.get_all_values()
    row_of = {row[0]: index for index, row in enumerate(values, start=1)}
    column = values[0].index(H("controle")) + 1
    fixed_requests = fake.count()
    fixed_seconds = time.perf_counter() - start
    sample = chosen[:SAMPLE_CELLS]
    start = time.perf_counter()
    for n in sample:
        klachten.update_cell(row_of[n], column, "Categorie onbekend")
        entry = logbook.entry(n, "Controle bijgewerkt")
        log_sheet.append_row([entry[h] for h in schema.LOGBOEK.headers])
    per_cell = (time.perf_counter() - start) / len(sample)
    per_cell_requests = (fake.count() - fixed_requests) / len(sample)
    assert per_cell_requests == 2
    return fixed_requests, int(per_cell_requests), fixed_seconds, per_cell


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added per request")
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    fake = FakeSheets(latency=args.latency)
    lines = []
    with fake.serve() as url:
        for size in sizes:
            changed = max(1, size // 20)
            nummers = _prepare(fake, url, f"ours-{size}", size)
            chosen = nummers[:: max(1, size // changed)][:changed]
            requests, writes, seconds = batched(fake, url, f"ours-{size}", chosen)
            lines.append(
                (
                    size,
                    changed,
                    "klachtsheet (batched)",
                    requests,
                    writes,
                    f"{seconds:.2f}",
                    "-",
                    "measured",
                )
            )
            nummers = _prepare(fake, url, f"naive-{size}", size)
            chosen = nummers[:: max(1, size // changed)][:changed]
            fixed, per_cell, fixed_s, per_cell_s = naive(fake, url, f"naive-{size}", chosen)
            naive_writes = per_cell * changed
            total = fixed_s + per_cell_s * changed
            quota_minutes = naive_writes / WRITE_QUOTA_PER_MINUTE
            note = (
                f"measured {min(SAMPLE_CELLS, changed)} cells, extrapolated to {changed}"
                if changed > SAMPLE_CELLS
                else "measured"
            )
            lines.append(
                (
                    size,
                    changed,
                    "naive per-cell gspread",
                    fixed + naive_writes,
                    naive_writes,
                    f"{total:.2f}",
                    f"{quota_minutes:.1f}",
                    note,
                )
            )
    header = ("rows", "changed", "approach", "requests", "writes", "time s", "quota min", "how")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    print(
        f"Sheets API requests per sync-sized write, fake API with {args.latency * 1000:.0f} ms "
        "latency per request"
    )
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)))


if __name__ == "__main__":
    main()
