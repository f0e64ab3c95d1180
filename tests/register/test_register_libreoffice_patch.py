"""A workbook last saved by LibreOffice (shared strings, its own XML) keeps every feature."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_register_xlsx_patch import KLACHTEN_XML, formatted_register, members, outside_sheet_data

pytestmark = pytest.mark.libreoffice


def convert(soffice: str, source: Path, target_dir: Path, to: str, profile: Path) -> None:
    target_dir.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(target_dir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr


def test_a_workbook_saved_by_libreoffice_survives_100_appends_and_a_sync(soffice, tmp_path):
    source_dir = tmp_path / "gemaakt"
    source_dir.mkdir()
    made = formatted_register(source_dir)
    convert(soffice, made, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML", tmp_path / "profiel")
    path = tmp_path / "lo" / made.name
    before = members(path)
    assert b"<sst" in before["xl/sharedStrings.xml"]  # LibreOffice writes shared strings
    head, tail = outside_sheet_data(before[KLACHTEN_XML])
    assert b"<autoFilter" in tail and b"<conditionalFormatting" in tail
    assert b"<sheetView" in head and b"<cols>" in head

    form = LocalRegister(path)
    for index in range(100):
        form.append(
            "Klachten",
            [{"Ontvangen op": "02-12-2026 20:41", "Kanaal": "Telefoon", "Soort": "Klacht",
              "Deelnemer": f"Deelnemer {index}", "Omschrijving": f"Klacht {index}"}],
        )  # fmt: skip
    config = Config(
        register=str(path),
        confidential_register=str(tmp_path / "vertrouwelijk.xlsx"),
        output_dir=tmp_path / "uitvoer",
    )
    run_sync(config, shared=LocalRegister(path), today=date(2026, 12, 3))

    after = members(path)
    assert set(after) == set(before)
    unchanged = [n for n in before if before[n] == after[n]]
    for name in before:
        if "comments" in name or name.endswith(".vml") or "sharedStrings" in name:
            assert name in unchanged, name
    assert outside_sheet_data(after[KLACHTEN_XML]) == (head, tail)
    # The person's coloured, noted row: the cells the sync did not write are the same bytes.
    row_two = re.compile(rb'<row r="2"[ >].*?</row>', re.S)
    cells = re.compile(rb'<c r="([A-Z]+)2"(.*?)(?:/>|</c>)', re.S)
    old = dict(cells.findall(row_two.search(before[KLACHTEN_XML]).group()))
    new = dict(cells.findall(row_two.search(after[KLACHTEN_XML]).group()))
    for letter in (b"S", b"AJ"):  # Omschrijving (coloured, with the note) and Eigen kolom
        assert new[letter] == old[letter]
    # And LibreOffice opens the result: 1 person's row + 100 appended, own column intact.
    convert(
        soffice,
        path,
        tmp_path / "csv",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        tmp_path / "profiel",
    )
    [klachten] = [p for p in (tmp_path / "csv").glob("*Klachten*.csv")]
    with klachten.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 102
    assert rows[1][len(schema.KLACHTEN.headers)] == "eigen waarde"
    assert rows[101][schema.KLACHTEN.headers.index("Omschrijving")] == "Klacht 99"
