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

A second table (issue 14) measures the steady state the way the tool runs: requests
per sync (with and without a confidential register, a first sync and an idle one),
requests per form submission, token fetches per 100 submissions (target: 1) and the
largest request body (Google recommends at most 2 MB).

    PYTHONPATH=tests python benchmarks/google_requests.py [--latency 0.1] [--sizes 100,1000,10000]
        [--steady-rows 1000] [--submissions 100] [--big 20000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import gspread
from google.auth.credentials import AnonymousCredentials

from klachtsheet import schema
from klachtsheet.model import CellUpdate
from klachtsheet.register.google import GoogleRegister
from klachtsheet.sync import logbook
from klachtsheet.sync import run as sync_run
from support.fake_sheets import FakeHTTPClient, FakeSheets, fill_complaints

H = schema.KLACHTEN.header
SAMPLE_CELLS = 5
WRITE_QUOTA_PER_MINUTE = 60


def _prepare(fake: FakeSheets, url: str, key: str, size: int) -> list[str]:
    fake.create(key)
    latency, fake.latency = fake.latency, 0.0
    GoogleRegister(key, FakeHTTPClient(url)).ensure_layout(schema.EXAMPLE_TABS)
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


def _sync_requests(
    fake: FakeSheets, url: str, size: int, confidential: bool, tmp: Path, secret_rows: int = 0
):
    """Return (first sync, idle sync) request counts and the largest body of the first."""
    from datetime import date

    from klachtsheet.config import Config

    key = f"sync-{size}-{confidential}-{secret_rows}"
    _prepare(fake, url, key, size)
    secret = None
    if confidential:
        fake.create(key + "-geheim")
        GoogleRegister(key + "-geheim", FakeHTTPClient(url)).ensure_layout(schema.CONFIDENTIAL_TABS)
        if secret_rows:
            fill_complaints(fake, key + "-geheim", secret_rows)
        secret = GoogleRegister(key + "-geheim", FakeHTTPClient(url))
    config = Config(output_dir=tmp / key)
    counts = []
    largest = 0
    for _ in range(2):
        fake.reset_log()
        sync_run.run_sync(
            config,
            shared=GoogleRegister(key, FakeHTTPClient(url)),
            confidential=secret,
            today=date(2026, 11, 20),
        )
        counts.append(fake.count())
        largest = max(largest, max((r.size for r in fake.requests), default=0))
    return counts[0], counts[1], largest


def _submissions(fake: FakeSheets, url: str, count: int, tmp: Path) -> tuple[float, int, int]:
    """Return requests per submission, token fetches and key-file reads for count posts."""
    from dataclasses import replace

    from klachtsheet.register import google as google_backend
    from klachtsheet.register.google.pool import forget_connections
    from klachtsheet.web import create_app
    from support.counting import CountingCredentials
    from support.intake import COMPLAINT, make_config, post

    made: list[CountingCredentials] = []

    def load(path):
        made.append(CountingCredentials())
        return made[-1]

    google_backend.load_credentials = load
    google_backend.connect = lambda credentials: FakeHTTPClient(url, auth=credentials)
    forget_connections()
    for key, tabs in (("form", schema.EXAMPLE_TABS), ("form-geheim", schema.CONFIDENTIAL_TABS)):
        fake.create(key)
        GoogleRegister(key, FakeHTTPClient(url)).ensure_layout(tabs)
    config = replace(
        make_config(tmp, tmp / "niet-gebruikt.xlsx"),
        register="google:form",
        confidential_register="google:form-geheim",
    )
    app = create_app(
        config,
        {
            "TESTING": True,
            "KLACHTSHEET_BACKGROUND_WRITER": False,
            "KLACHTSHEET_SUBMIT_LIMIT": "100000 per minute",
        },
    )
    client = app.test_client()
    post(client, **COMPLAINT)  # the first one also reads the snapshot
    fake.reset_log()
    for i in range(count):
        post(client, **{**COMPLAINT, "omschrijving": f"Klacht {i}"})
    per_submission = fake.count() / count
    return per_submission, sum(c.fetches for c in made), len(made)


def steady(latency: float, rows: int, submissions: int, big: int) -> None:
    import tempfile

    fake = FakeSheets(latency=latency)
    lines = []
    with tempfile.TemporaryDirectory() as tmp, fake.serve() as url:
        for confidential in (False, True):
            first, idle, largest = _sync_requests(fake, url, rows, confidential, Path(tmp))
            what = "sync, with confidential register" if confidential else "sync"
            lines.append((what, rows, first, idle, f"{largest / 1e6:.2f}"))
        first, idle, largest = _sync_requests(fake, url, rows, True, Path(tmp), secret_rows=5)
        lines.append(
            ("sync, 5 open in the confidential one", rows, first, idle, f"{largest / 1e6:.2f}")
        )
        if big:
            start = time.perf_counter()
            first, idle, largest = _sync_requests(fake, url, big, False, Path(tmp))
            seconds = time.perf_counter() - start
            lines.append(
                (f"first sync of {big} open ({seconds:.0f} s)", big, first, idle,
                 f"{largest / 1e6:.2f}")
            )  # fmt: skip
        per, tokens, keys = _submissions(fake, url, submissions, Path(tmp))
    header = ("what", "rows", "requests (first)", "requests (idle)", "largest MB")
    _table(f"Steady state on the fake ({latency * 1000:.0f} ms per request)", header, lines)
    print()
    _table(
        "Form submissions",
        ("submissions", "requests per submission", "token fetches", "key file reads"),
        [(submissions, f"{per:.1f}", tokens, keys)],
    )


def _table(title: str, header: tuple, lines: list[tuple]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    print(title)
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added per request")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--steady-rows", type=int, default=1000)
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--big", type=int, default=20000, help="0 skips the big first sync")
    parser.add_argument("--only-steady", action="store_true")
    args = parser.parse_args()
    if args.only_steady:
        steady(args.latency, args.steady_rows, args.submissions, args.big)
        return
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
    print()
    steady(args.latency, args.steady_rows, args.submissions, args.big)


if __name__ == "__main__":
    main()
