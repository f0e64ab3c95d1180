"""The daily phone list: same validation as the form, all or nothing, reasons per line."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from klachtsheet.cli import cli
from klachtsheet.exceptions import PhoneListError
from klachtsheet.intake.desk import IntakeDesk
from klachtsheet.intake.phonelist import import_phone_list
from support.intake import make_config, rows

HEADER = "Ingevoerd door;Soort;Deelnemer;Locatie;Categorie;Omschrijving;Opgelost in 1e lijn;" \
         "Bevestiging via;Telefoon;Datum activiteit"  # fmt: skip
GOOD = [
    "Mia;Klacht;Mevr. A;Utrecht;niet opgehaald;Niemand kwam;Nee;Telefoon;030 1234567;20-11-2026",
    "Mia;Navraag;Dhr. B;amsterdam;;Vraag over tijd;;;;",
]


@pytest.fixture
def desk(tmp_path, register_path):
    return IntakeDesk(make_config(tmp_path, register_path))


def _csv(tmp_path: Path, lines: list[str], name="lijst.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_good_csv_is_imported(tmp_path, desk, register_path):
    result = import_phone_list(_csv(tmp_path, GOOD), desk)
    assert result.ok and len(result.receipts) == 2
    found = rows(register_path)
    assert [r["Deelnemer"] for r in found] == ["Mevr. A", "Dhr. B"]
    # Synonym and case matched to the register's names; Kanaal defaults to Telefoon.
    assert found[0]["Categorie"] == "Niet ophalen" and found[1]["Locatie"] == "Amsterdam"
    assert found[0]["Kanaal"] == "Telefoon" and found[0]["Status"] == "Overgedragen"
    assert found[1]["Status"] == "Afgehandeld"
    assert {r["Door"] for r in rows(register_path, "Logboek")} == {"import"}


def test_one_bad_line_rejects_the_whole_file_with_dutch_reasons(tmp_path, desk, register_path):
    bad = [GOOD[0], "Mia;Klacht;;Atlantis;Niet ophalen;x;Nee;Brief;;", GOOD[1]]
    result = import_phone_list(_csv(tmp_path, bad), desk)
    assert not result.ok and result.receipts == ()
    [rejected] = result.rejected
    assert rejected.line == 3
    text = str(rejected)
    assert text.startswith("Regel 3: ")
    assert "Deelnemer: Vul 'Naam van de deelnemer' in" in text
    assert "Locatie: 'Atlantis' is geen keuze" in text
    assert "Adres: Vul 'Postadres van de deelnemer' in" in text
    assert rows(register_path) == []
    assert desk.pending_count() == 0


def test_same_file_twice_adds_nothing(tmp_path, desk, register_path):
    path = _csv(tmp_path, GOOD)
    first = import_phone_list(path, desk)
    second = import_phone_list(path, desk)
    assert [r.nummer for r in first.receipts] == [r.nummer for r in second.receipts]
    assert not any(r.created for r in second.receipts)
    assert len(rows(register_path)) == 2


def test_xlsx_is_imported(tmp_path, desk, register_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in [HEADER, *GOOD]:
        sheet.append([v or None for v in line.split(";")])
    path = tmp_path / "lijst.xlsx"
    workbook.save(path)
    assert import_phone_list(path, desk).ok
    assert rows(register_path)[0]["Datum activiteit"] == "20-11-2026"


def test_unknown_column_refuses_the_file(tmp_path, desk):
    path = tmp_path / "lijst.csv"
    path.write_text("Deelnemer;Schoenmaat\nA;42\n")
    with pytest.raises(PhoneListError, match="Kolom 'Schoenmaat' is onbekend"):
        import_phone_list(path, desk)


def test_cli_import_reports_rejected_lines(tmp_path, register_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = _csv(tmp_path, [GOOD[0], "Mia;Klacht;Mevr. C;Utrecht;Overig;x;Nee;E-mail;;"])
    args = ["--register", str(register_path), "import", str(bad)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "Niets ingelezen: 1 van de 2 regels" in result.output
    assert "Regel 3: E-mail deelnemer: Vul 'E-mailadres van de deelnemer' in" in result.output
    good = _csv(tmp_path, GOOD, "goed.csv")
    result = runner.invoke(cli, ["--register", str(register_path), "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "2 regels gelezen, 2 nieuw ingevoerd" in result.output
    assert len(rows(register_path)) == 2


def test_characters_no_register_holds_are_taken_out_and_said(tmp_path, desk, register_path):
    line = "Mia;Klacht;Mevr. \ufffeA\x01;Utrecht;niet opgehaald;Niemand\u2028kwam;Nee;Telefoon;030 1234567;20-11-2026"
    result = import_phone_list(_csv(tmp_path, [line]), desk)
    assert result.ok
    assert result.notes == (
        "Regel 2: tekens die niet in het register passen zijn weggehaald uit Deelnemer",
    )
    [row] = rows(register_path)
    assert row["Deelnemer"] == "Mevr. A" and row["Omschrijving"] == "Niemand\nkwam"
