"""Benchmark privacy: retention planning, a full retention run, a second run, and an access request.

Half the complaints are closed more than 24 months ago, so a first retention run anonymises
about half the register in one write.

Run: python benchmarks/privacy.py [--sizes 1000,5000,20000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import openpyxl

from klachtsheet import nummer, schema
from klachtsheet.config import Config
from klachtsheet.model import format_date
from klachtsheet.privacy.access import PersonQuery, answer_access_request
from klachtsheet.privacy.retention import add_months, apply_retention, plan_retention
from klachtsheet.register.local import LocalRegister

TODAY = date(2026, 11, 26)
TEXT = "De taxi kwam drie kwartier te laat en de deelnemer heeft het begin gemist."


def build(path: Path, rows: int) -> None:
    """Write a register with this many complaints about rows // 3 participants."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(schema.KLACHTEN_TAB)
    sheet.append(list(schema.KLACHTEN.headers))
    rng = random.Random(7)
    seen: set[str] = set()
    for i in range(rows):
        number = nummer.new_nummer(seen, TODAY)
        seen.add(number)
        closed = add_months(TODAY, -rng.randint(1, 48))
        person = i % max(1, rows // 3)
        values = dict.fromkeys(schema.KLACHTEN.headers, "")
        values.update(
            {
                "Nummer": number,
                "Ontvangen op": format_date(add_months(closed, -1)),
                "Kanaal": rng.choice(schema.KANALEN),
                "Soort": schema.KLACHT,
                "Deelnemer": f"Deelnemer {person}",
                "Deelnemernummer": f"DN-{person:06d}",
                "Telefoon": f"06-{person:08d}",
                "Adres": f"Straat {person}, 1234 AB Plaats",
                "Locatie": "Utrecht",
                "Categorie": rng.choice(schema.SEED_CATEGORIES)[0],
                "Omschrijving": TEXT,
                "Notities": TEXT,
                "Status": schema.AFGESLOTEN,
                "Afgesloten op": format_date(closed),
            }
        )
        sheet.append(list(values.values()))
    workbook.save(path)
    LocalRegister(path).ensure_layout(schema.TABS)


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(rows: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="klachtsheet-bench-"))
    try:
        path = folder / "klachtenregister.xlsx"
        build(path, rows)
        register = LocalRegister(path)
        config = Config(
            register=str(path),
            confidential_register=str(folder / "geen.xlsx"),
            output_dir=folder / "uitvoer",
        )
        tables = register.read([schema.KLACHTEN_TAB, schema.INSTELLINGEN_TAB])
        result = {"plan": seconds(lambda: plan_retention(tables, today=TODAY))}
        result["cells"] = len(plan_retention(tables, today=TODAY))
        result["first run"] = seconds(lambda: apply_retention(config, register, None, today=TODAY))
        result["second run"] = seconds(lambda: apply_retention(config, register, None, today=TODAY))
        query = PersonQuery(deelnemernummer="DN-000001")
        result["inzage"] = seconds(
            lambda: answer_access_request(
                config, register, None, query, today=TODAY, folder=folder / "inzage"
            )
        )
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,20000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(
        f"{'rows':>7} {'cells':>7} {'plan (s)':>9} {'1st run (s)':>12} "
        f"{'2nd run (s)':>12} {'inzage (s)':>11}"
    )
    for rows in sizes:
        r = run(rows)
        print(
            f"{rows:>7} {int(r['cells']):>7} {r['plan']:>9.3f} {r['first run']:>12.2f} "
            f"{r['second run']:>12.2f} {r['inzage']:>11.2f}"
        )


if __name__ == "__main__":
    main()
