"""Benchmark the sync on the local register: time and peak memory at 1k, 10k and 50k rows.

Run: python benchmarks/sync.py [ROWS ...]

The register is generated: mostly closed complaints, some open, a few messy; every row
has its own description (Dutch, with accents), phone number and address, as in a real
register, so no per-text cache makes the rules look faster than they are.

Each measurement runs in a fresh subprocess, so its peak resident memory
(getrusage maxrss) is the sync's own. The first run does the real work (a few
hand-typed rows get a Nummer, open complaints get their answer-by date, the due
confirmations go to the outbox); the second is the steady state, which only reads.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from klachtsheet import schema
from klachtsheet.model import format_date, parse_date
from klachtsheet.nummer import new_nummer
from klachtsheet.workdays import add_working_days

TODAY = date(2026, 11, 26)
SIZES = (1_000, 10_000, 50_000)

CHILD = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from klachtsheet.config import Config
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync

path, out = Path(sys.argv[1]), Path(sys.argv[2])
config = Config(register=str(path), confidential_register=str(path.with_name("v.xlsx")),
                output_dir=out)
start = time.perf_counter()
report = run_sync(config, shared=LocalRegister(path), today=date(2026, 11, 26))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "written": report.written,
                  "sent": report.messages, "summary": report.summary()}))
"""


DATE_HEADERS = {c.header for c in schema.KLACHTEN.columns if c.is_date}


def _cell(sheet, header: str, value: str):
    """Return a date column's date as a date cell (as LibreOffice and klachtsheet keep it)."""
    day = parse_date(value).day if header in DATE_HEADERS and value else None
    if day is None:
        return value
    cell = WriteOnlyCell(sheet, value=day)
    cell.number_format = "DD-MM-YYYY"
    return cell


# Descriptions are made of these, so that each row's story is its own (as in a real
# register, where no two are alike): Dutch, with accents, now and then a loss or a theft.
OPENINGS = ("De chauffeur", "Mevrouw", "Meneer", "De begeleider", "Een vrijwilliger",
            "Onze deelnemer", "De taxi", "Het café", "De zaal")  # fmt: skip
MIDDLES = ("was ruim twintig minuten te laat", "heeft lang buiten in de kou gewacht",
           "vond de stoel bij de ingang te krap", "kreeg geen bericht over de vertraging",
           "was geïrriteerd over de toon aan de telefoon", "mist haar rollator sinds de reünie",
           "zegt dat zijn portemonnee is gestolen", "kon de lift niet vinden",
           "had één uur op de bus gewacht", "vond het eten in het café te duur",
           "kreeg de verkeerde rij op het kaartje", "hoorde het toneel slecht")  # fmt: skip
ENDINGS = ("", "Graag een reactie.", "Dit is al de tweede keer.", "Ze wil gebeld worden.",
           "Hij vraagt of het volgende keer beter kan.", "Met vriendelijke groet.")  # fmt: skip
STREETS = ("Dorpsstraat", "Kerkweg", "Molenlaan", "Brinkstraat", "Schoolstraat", "Julianaweg")


def story(rng: random.Random, index: int) -> str:
    """Return a description of a complaint, different for every row."""
    parts = [rng.choice(OPENINGS), rng.choice(MIDDLES)]
    if rng.random() < 0.4:
        parts += ["en", rng.choice(MIDDLES)]
    return f"{' '.join(parts)} (voorstelling {index % 97 + 1}). {rng.choice(ENDINGS)}".strip()


def build(path: Path, rows: int, seed: int = 4) -> None:
    """Write a register of ``rows`` complaints, mostly closed, some open, a few messy."""
    rng = random.Random(seed)
    categories = [row[0] for row in schema.SEED_CATEGORIES]
    locations = [row[0] for row in schema.SEED_LOCATIONS]
    workbook = Workbook(write_only=True)
    headers = schema.KLACHTEN.headers
    sheet = workbook.create_sheet(schema.KLACHTEN_TAB)
    sheet.append(headers)
    used: set[str] = set()
    for index in range(rows):
        received = TODAY - timedelta(days=rng.randint(0, 700))
        handed = received + timedelta(days=rng.randint(0, 3))
        roll = rng.random()
        values = {
            "Nummer": new_nummer(used, received),
            "Ontvangen op": format_date(received),
            "Kanaal": rng.choice(schema.KANALEN),
            "Ingevoerd door": "Medewerker",
            "Soort": "Klacht",
            "Deelnemer": f"Deelnemer {index}",
            "Telefoon": f"06{rng.randrange(10**8):08d}",
            "E-mail deelnemer": f"d{index}@example.org",
            "Adres": f"{rng.choice(STREETS)} {rng.randrange(1, 300)}, {1000 + index % 8999} AB",
            "Bevestiging via": "E-mail",
            "Locatie": rng.choice(locations),
            "Categorie": rng.choice(categories),
            "Omschrijving": story(rng, index),
            "Status": "Afgesloten",
            "Coördinator": "Iemand",
            "Overgedragen op": format_date(handed),
            "Antwoord uiterlijk": format_date(add_working_days(handed, 10)),
            "Bevestiging verstuurd op": format_date(handed),
            "Teruggekoppeld deelnemer op": format_date(handed + timedelta(days=5)),
            "Tevredenheid": "Tevreden",
            "Afgesloten op": format_date(handed + timedelta(days=8)),
        }
        used.add(values["Nummer"])
        if roll < 0.01:  # handed over today-ish, confirmation still due
            values.update({"Status": "Overgedragen", "Coördinator": "",
                           "Antwoord uiterlijk": "", "Bevestiging verstuurd op": "",
                           "Teruggekoppeld deelnemer op": "", "Tevredenheid": "",
                           "Afgesloten op": ""})  # fmt: skip
        elif roll < 0.02:  # typed by hand, without a Nummer
            values.update({"Nummer": "", "Status": "Nieuw", "Afgesloten op": ""})
        elif roll < 0.025:  # unknown category
            values["Categorie"] = f"Nieuwe soort klacht {rng.randint(1, 5)}"
        sheet.append([_cell(sheet, h, values.get(h, "")) for h in headers])
    for tab in schema.EXAMPLE_TABS[1:]:  # with the example Locaties, as a real register has
        other = workbook.create_sheet(tab.name)
        other.append(tab.headers)
        for seed_row in tab.seed_rows:
            other.append(list(seed_row))
    workbook.save(path)


def measure(path: Path, out: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(out)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def main(sizes: tuple[int, ...]) -> None:
    print(
        f"{'rijen':>7}  {'1e sync (s)':>11}  {'piek (MB)':>9}  {'cellen':>7}  {'berichten':>9}"
        f"  {'2e sync (s)':>11}  {'piek (MB)':>9}  {'cellen':>6}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            path = Path(folder) / f"register-{rows}.xlsx"
            start = time.perf_counter()
            build(path, rows)
            built = time.perf_counter() - start
            first = measure(path, Path(folder) / f"uit-{rows}")
            second = measure(path, Path(folder) / f"uit-{rows}")
            print(
                f"{rows:>7}  {first['seconds']:>11.2f}  {first['peak_mb']:>9.0f}  "
                f"{first['written']:>7}  {first['sent']:>9}  {second['seconds']:>11.2f}  "
                f"{second['peak_mb']:>9.0f}  {second['written']:>6}",
                flush=True,
            )
            print(f"         (opbouw {built:.1f} s; {first['summary']})", file=sys.stderr)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
