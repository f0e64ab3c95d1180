"""The local register side by side: the openpyxl path, the new path and the limit.

Run: python benchmarks/local_register.py [--sizes 1000,10000,50000] [--old-up-to 10000]
     [--old-src /work/main/src]

Every figure is one fresh process (so peak memory, getrusage maxrss, is its own):
- old   the openpyxl path: klachtsheet from --old-src (main before issue 17, e.g.
        `git worktree add /tmp/old17 2e9ae7c^1`; that code also needs `pip install holidays`),
        same workbook;
- new   this checkout: calamine reads, patched saves, one register per process;
- limit what no implementation beats: calamine reading every tab alone (plus process
        start), and serialising the same Klachten cells to sheet XML + deflate alone.
Sync "first" does the real work on a fresh copy, "again" is the steady state (nothing to
do). Append is one form submission in a process that already holds the register.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sync as sync_benchmark  # the same generated register as benchmarks/sync.py
import targets  # issue 17's targets, judged on this run

PRELUDE = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
path = Path(sys.argv[1])
def done(seconds, **extra):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "cpu": cpu, **extra}))
"""

CHILDREN = {
    "read": """
from klachtsheet import schema
from klachtsheet.register.local import LocalRegister
start = time.perf_counter()
LocalRegister(path).read([t.name for t in schema.TABS])
done(time.perf_counter() - start)
""",
    "limit_read": """
import python_calamine
start = time.perf_counter()
book = python_calamine.CalamineWorkbook.from_path(str(path))
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python(skip_empty_area=False)
done(time.perf_counter() - start)
""",
    "limit_write": """
import python_calamine, zlib
rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
    "Klachten").to_python(skip_empty_area=False)
rows = [[str(v) for v in row] for row in rows]
def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
def letter(i):
    s = ""
    while i:
        i, r = divmod(i - 1, 26); s = chr(65 + r) + s
    return s
letters = [letter(i + 1) for i in range(len(rows[0]))]
start = time.perf_counter()
parts = []
for n, row in enumerate(rows, start=1):
    cells = "".join(f'<c r="{letters[c]}{n}" t="inlineStr"><is><t>{esc(v)}</t></is></c>'
                    for c, v in enumerate(row) if v)
    parts.append(f'<row r="{n}">{cells}</row>')
data = ("<sheetData>" + "".join(parts) + "</sheetData>").encode()
z = zlib.compressobj(1, zlib.DEFLATED, -15); z.compress(data); z.flush(); zlib.crc32(data)
done(time.perf_counter() - start)
""",
    "append": """
from klachtsheet.register.local import LocalRegister
register = LocalRegister(path)
register.read(["Klachten"])
row = {"Omschrijving": "Een nieuwe klacht via het formulier.", "Kanaal": "Telefoon",
       "Ontvangen op": "02-12-2026 20:41", "Deelnemer": "Mevr. Nieuw"}
times = []
for _ in range(5):
    start = time.perf_counter()
    register.append("Klachten", [row])
    times.append(time.perf_counter() - start)
done(sorted(times)[2])
""",
    "plan": """
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.plan import plan
from klachtsheet.sync.run import SHARED_TABS, build_context
import gc
tables = LocalRegister(path).read(SHARED_TABS)
ctx = build_context(tables, date(2026, 11, 26))
try:  # as the sync runs the rules: with the cycle collector paused (sync/run.py)
    from klachtsheet.sync.run import _collector_paused as paused
except ImportError:  # the old path had no pause
    import contextlib
    paused = contextlib.nullcontext
times = []
for _ in range(2):  # a fresh process first, as in a sync: per-text caches still empty
    start = time.perf_counter()
    with paused():
        plan(tables["Klachten"], None, ctx, {}, {})
    times.append(time.perf_counter() - start)
done(times[0], again=times[1])
""",
}

# The commands a scheduler runs, in their own process (imports included): wall time counts.
COMMAND = """
import contextlib, io
sys.argv = ["klachtsheet", "--register", str(path), *{arguments!r}]
try:
    from klachtsheet.launch import main  # the console entry point: it reads ahead
except ImportError:  # the old path has none
    from klachtsheet.cli import main
start = time.perf_counter()
def report():  # at the exit, which the sync and the agenda take early (launch.leave)
    sys.stdout = sys.__stdout__
    done(time.perf_counter() - start)
import atexit
atexit.register(report)
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    with contextlib.suppress(SystemExit):
        main()
"""
CHILDREN["sync"] = COMMAND.format(arguments=["sync", "--datum", "26-11-2026"])
CHILDREN["agenda"] = COMMAND.format(arguments=["agenda", "--vergadering", "26-11-2026"])


def run(kind: str, path: Path, src: str | None, *arguments: str) -> dict:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + CHILDREN[kind], str(path), *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=path.parent,  # the command's own output folder goes beside the register
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        print(f"{kind} failed: {result.stderr[-300:]}", file=sys.stderr)
        return {"seconds": float("nan"), "peak_mb": float("nan"), "error": result.stderr[-300:]}
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


def median_run(runs: list[dict], key: str = "wall") -> dict:
    """Return the run with the median wall time (or other figure)."""
    return sorted(runs, key=lambda r: r.get(key, float("inf")))[len(runs) // 2]


def called_again(runs: list[dict]) -> dict:
    """Return the figures of the median second call of plan() as its own run."""
    again = median_run(runs, "again")
    return {**again, "seconds": again.get("again", float("nan"))}


def cell(figures: dict | None, wall: bool = False) -> str:
    if figures is None:
        return f"{'-':>25}"
    if "error" in figures:
        return f"{'fout (zie hieronder)':>25}"
    seconds = figures["wall"] if wall else figures["seconds"]
    cpu = f"({figures['cpu']:.2f})" if wall and "cpu" in figures else ""
    return f"{seconds:>7.3f} s{cpu:>7} {figures['peak_mb']:>5.0f} MB"


def startup(src: str | None) -> float:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    code = (
        "import sys; sys.argv = ['klachtsheet', '--version']\n"
        "try:\n    from klachtsheet.launch import main\n"
        "except ImportError:\n    from klachtsheet.cli import main\n"
        "main()"
    )
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--old-up-to", type=int, default=10_000, help="old path only up to")
    parser.add_argument("--old-src", default="/work/main/src")
    parser.add_argument("--new-src", default=None, help="default: the installed klachtsheet")
    args = parser.parse_args()
    old_src = args.old_src if Path(args.old_src).is_dir() else None
    new = args.new_src
    print(f"{'operation':<28} {'rows':>6} | {'old (openpyxl)':>25} | {'new':>25} | {'limit':>25}")
    print("-" * 119)
    results: dict[tuple[str, int], tuple[dict | None, dict | None, dict | None]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            base = Path(folder) / f"r{size}" / "register.xlsx"
            base.parent.mkdir()
            sync_benchmark.build(base, size)
            with_old = old_src is not None and size <= args.old_up_to

            def fresh(label: str, base: Path = base) -> Path:
                target = base.parent / label / base.name
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(base, target)
                return target

            def old(kind: str, path: Path, with_old: bool = with_old) -> dict | None:
                return run(kind, path, old_src) if with_old else None

            limit_read = run("limit_read", base, None)
            rows = [
                (
                    "read all tabs (in process)",
                    old("read", base),
                    run("read", base, new),
                    limit_read,
                ),
                (
                    targets.APPEND,
                    old("append", fresh("oa")),
                    run("append", fresh("na"), new),
                    None,
                ),
                ("serialise Klachten cells", None, None, run("limit_write", base, None)),
            ]
            old_path, new_path = fresh("os"), fresh("ns")
            rows.append(
                (
                    targets.SYNC_FIRST,
                    old("sync", old_path),
                    run("sync", new_path, new),
                    None,
                )
            )
            # The ratio the issue asks for, on a noisy machine: alternate the sync with the
            # limit five times and take the median of each.
            again, limits = [], []
            for _ in range(5):
                again.append(run("sync", new_path, new))
                # The same workbook as the sync's: synced, so with its Controle and Logboek.
                limits.append(run("limit_read", new_path, None))
            rows.append(
                (targets.SYNC_AGAIN, old("sync", old_path), median_run(again), median_run(limits))
            )
            # On the synced copies: what every later run of the rules does.
            # One process is too noisy a sample for a figure of a quarter second: the
            # median of five, each its first call and the one after it.
            # The old path's takes seconds a process: the median of three.
            plans = [run("plan", new_path, new) for _ in range(5)]
            old_plans = [p for p in (old("plan", old_path) for _ in range(3)) if p is not None]
            rows.append(
                (
                    targets.PLAN_FRESH,
                    median_run(old_plans, "seconds") if old_plans else None,
                    median_run(plans, "seconds"),
                    None,
                )
            )
            rows.append(
                (
                    targets.PLAN_AGAIN,
                    called_again(old_plans) if old_plans else None,
                    called_again(plans),
                    None,
                )
            )
            # A folder's first agenda compiles its templates and keeps them; every later
            # one (the weekly run) takes them.
            old_agenda, new_agenda = fresh("og"), fresh("ng")
            for label in ("agenda, first in its folder", targets.AGENDA):
                agendas = old("agenda", old_agenda), run("agenda", new_agenda, new)
                rows.append((label, *agendas, limit_read))
            for label, o, n, lim in rows:
                results[(label, size)] = (o, n, lim)
                wall = label.startswith(("sync", "agenda"))
                ratio = ""
                if lim is not None and n is not None and "error" not in n:
                    ratio = f"  {n['wall' if wall else 'seconds'] / lim['wall' if wall else 'seconds']:.1f}x"
                print(
                    f"{label:<28} {size:>6} | {cell(o, wall)} | {cell(n, wall)} | {cell(lim, wall)}"
                    + ratio
                )
            print()
    print(
        f"CLI start-up 'klachtsheet --version': old {startup(old_src):.3f} s, new {startup(new):.3f} s"
    )
    print("The last column: new / limit, side by side in this run; 'sync nothing to do' and")
    print(
        "its limit are the medians of five alternating runs; plan() the median of five processes"
        " (the old path: three)."
    )
    print("sync/agenda: 'klachtsheet sync|agenda' in a process of its own, wall time (start-up")
    print("and imports included), in brackets its")
    print("CPU seconds (user+sys; steadier on a busy machine); limit = calamine reading every")
    print("tab in a fresh process. Other rows: time inside the process. MB: peak resident.")
    print()
    print("\n".join(targets.lines(results)))
    print(targets.__doc__)


if __name__ == "__main__":
    main()
