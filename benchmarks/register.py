"""Benchmark the local register: append one row and read all tabs at 1k, 5k and 20k rows.

Run: python benchmarks/register.py [--sizes 1000,5000,20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from klachtsheet import nummer, schema
from klachtsheet.register.local import LocalRegister

TEXT = "De taxi kwam drie kwartier te laat en de deelnemer heeft het begin gemist."


def build(path: Path, rows: int) -> None:
    """Write a register with this many complaint rows (write-only mode, then the layout)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Klachten")
    sheet.append(list(schema.KLACHTEN.headers))
    rng = random.Random(1)
    seen: set[str] = set()
    statuses = schema.STATUSSEN
    for i in range(rows):
        number = nummer.new_nummer(seen, __import__("datetime").date(2026, 1, 1))
        seen.add(number)
        values = {h: "" for h in schema.KLACHTEN.headers}
        values.update(
            {
                "Nummer": number,
                "Ontvangen op": f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2026 10:00",
                "Kanaal": rng.choice(schema.KANALEN),
                "Soort": "Klacht",
                "Deelnemer": f"Deelnemer {i}",
                "Telefoon": "06-00000000",
                "Locatie": "Utrecht",
                "Categorie": rng.choice(schema.SEED_CATEGORIES)[0],
                "Omschrijving": TEXT,
                "Status": rng.choice(statuses),
            }
        )
        sheet.append(list(values.values()))
    workbook.save(path)
    LocalRegister(path).ensure_layout(schema.TABS)


def timed(action, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms"


def profile_top(action, limit: int = 4) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    action()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"openpyxl/(reader|writer)/(excel|worksheet|_writer)|zipfile")
    lines = [line for line in out.getvalue().splitlines() if "(" in line and "{" not in line][
        :limit
    ]
    return "\n".join("    " + line.strip()[:110] for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="show where the time goes")
    args = parser.parse_args()
    tabs = [t.name for t in schema.TABS]
    print(
        f"{'rows':>7} | {'append 1 row':>13} | {'read, same process':>18} |"
        f" {'read, new process':>17} | size"
    )
    print("-" * 80)
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "r.xlsx"
            build(path, size)
            register = LocalRegister(path)
            appends = timed(
                lambda r=register: r.append("Klachten", [{"Omschrijving": TEXT}]), args.repeat
            )
            reads = timed(lambda r=register: r.read(tabs), args.repeat)
            cold = timed(lambda p=path: LocalRegister(p).read(tabs), args.repeat)
            print(
                f"{size:>7} | {ms(appends):>13} | {ms(reads):>18} | {ms(cold):>17} |"
                f" {path.stat().st_size // 1024} KiB"
            )
            if args.profile:
                print(
                    "  append:\n"
                    + profile_top(lambda r=register: r.append("Klachten", [{"Omschrijving": TEXT}]))
                )


if __name__ == "__main__":
    main()
