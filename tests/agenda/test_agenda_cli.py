"""The agenda, jaarverslag and demo commands, end to end on a local register."""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.demo.data import generate
from klachtsheet.register import row_values
from klachtsheet.reports.annual import build_annual, render_annual

from .conftest import PERSONAL, ROWS, klachten_table


@pytest.fixture
def filled(register, tmp_path, monkeypatch):
    table = klachten_table(ROWS)
    register.replace_rows(schema.KLACHTEN_TAB, [list(r) for r in table.rows])
    monkeypatch.chdir(tmp_path)  # no klachtsheet.toml here: output goes to ./uitvoer
    return register


@pytest.mark.parametrize("command", ["agenda", "jaarverslag", "demo"])
def test_help_is_dutch(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert {"agenda": "teamoverleg", "jaarverslag": "jaarverslag", "demo": "verzonnen"}[
        command
    ] in result.output


def test_agenda_writes_files_and_the_tab(runner, filled, tmp_path):
    result = runner.invoke(
        cli, ["--register", filled.location, "agenda", "--vergadering", "02-03-2026",
              "--sinds", "2026-02-02"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    md = tmp_path / "uitvoer" / "agenda-2026-03-02.md"
    html = tmp_path / "uitvoer" / "agenda-2026-03-02.html"
    assert str(md) in result.output and str(html) in result.output
    assert "| Niet ophalen | 6 | 0,7 | ▲ stijgt boven toeval (p < 0,001) |" in md.read_text()
    assert "<svg" in html.read_text()
    lines = [row[0] for row in filled.read([schema.AGENDA_TAB])[schema.AGENDA_TAB].rows]
    assert lines[0] == "Klachten: agendapunt teamoverleg 2 maart 2026"
    assert "Niet ophalen: 6 / 0,7 / ▲ stijgt boven toeval (p < 0,001)" in lines


def test_agenda_to_one_file(runner, filled, tmp_path):
    target = tmp_path / "notulen.md"
    result = runner.invoke(
        cli, ["--register", filled.location, "agenda", "--vergadering", "02-03-2026",
              "--formaat", "md", "--uitvoer", str(target)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("## Klachten: agendapunt teamoverleg 2 maart 2026")


def test_agenda_rejects_bad_input(runner, filled):
    result = runner.invoke(
        cli, ["--register", filled.location, "agenda", "--vergadering", "morgen"]
    )
    assert result.exit_code == 2 and "geen datum" in result.output
    result = runner.invoke(
        cli, ["--register", filled.location, "agenda", "--vergadering", "02-03-2026",
              "--sinds", "05-03-2026"],
    )  # fmt: skip
    assert result.exit_code == 1 and "Fout:" in result.output


def test_jaarverslag_has_no_personal_data(runner, filled, tmp_path):
    result = runner.invoke(cli, ["--register", filled.location, "jaarverslag", "--jaar", "2026"])
    assert result.exit_code == 0, result.output
    for fmt in ("md", "html"):
        text = (tmp_path / "uitvoer" / f"jaarverslag-2026.{fmt}").read_text()
        assert "Klachtenjaarverslag 2026" in text
        assert "Wat we veranderden" in text
        for value in [*PERSONAL.values(), "Bram Jansen", "Ria Hoekstra", "T-0", "Parkeren",
                      "Utrecht", "Zwolle"]:  # fmt: skip
            assert value not in text, value


def test_jaarverslag_figures():
    report = build_annual({schema.KLACHTEN_TAB: klachten_table(ROWS)}, year=2026)
    assert report.received == 14  # rows 1-12, 14 and 15; row 16 is 31-12-2025
    counts = {(c.group.kind, c.group.name): (c.count, c.previous) for c in report.categories}
    assert counts[("bekend", "Niet ophalen")] == (7, 1)  # rows 1-6 and 14; row 17 in 2025
    assert counts[("bekend", "Tijdstip ophalen")] == (3, 2)  # rows 9, 10, 15; rows 16, 18
    assert counts[("onbekend", "")] == (1, 0)  # 'Parkeren' counted, never named
    assert counts[("vertrouwelijk", "")] == (1, 0)
    assert report.previous_received == 3
    assert report.months[0] == 2 and report.months[1] == 12
    md = render_annual(report, "md")
    assert "| Niet ophalen | 7 | 1 | +1 |" not in md  # change is +6
    assert "| Niet ophalen | 7 | 1 | +6 |" in md


def test_demo_runs_and_says_where_to_look(runner, tmp_path):
    folder = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", "--map", str(folder)])
    assert result.exit_code == 0, result.output
    for name in ("klachtenregister.xlsx", "vertrouwelijk-register.xlsx", "klachtsheet.toml"):
        assert str(folder / name) in result.output
        assert (folder / name).exists()
    assert "serve" in result.output and "Postvak uit" in result.output
    agendas = sorted((folder / "uitvoer").glob("agenda-*"))
    assert [p.suffix for p in agendas] == [".html", ".md"]
    assert "stijgt boven toeval" in agendas[1].read_text()
    assert any((folder / "uitvoer" / "postvak-uit").iterdir())
    # Running it again in the same folder starts over instead of refusing.
    again = runner.invoke(cli, ["demo", "--map", str(folder)])
    assert again.exit_code == 0, again.output


def test_demo_refuses_a_folder_with_other_files(runner, tmp_path):
    (tmp_path / "mijn-bestand.txt").write_text("van mij")
    result = runner.invoke(cli, ["demo", "--map", str(tmp_path)])
    assert result.exit_code == 1 and "niet leeg" in result.output
    assert (tmp_path / "mijn-bestand.txt").read_text() == "van mij"


def test_demo_data_is_fixed_fictional_and_varied():
    today = date(2026, 11, 26)
    first, second = generate(today), generate(today)
    assert first == second  # fixed seed
    rows = first.shared
    assert {r["Kanaal"] for r in rows} >= set(schema.KANALEN)
    assert {r["Status"] for r in rows} >= set(schema.STATUSSEN)
    assert sum(1 for r in rows if not r["Nummer"]) >= 5  # typed by hand
    assert all(r["Telefoon"].startswith("06-0000") for r in rows if r["Telefoon"])
    assert all(r["E-mail deelnemer"].endswith(("@voorbeeld.nl", "@example.org"))
               for r in rows if r["E-mail deelnemer"])  # fmt: skip
    stubs = [r for r in rows if r["Vertrouwelijk"] == "Ja"]
    assert len(stubs) == len(first.confidential) == 5
    assert all(not r["Deelnemer"] and not r["Telefoon"] for r in stubs)
    assert {r["Nummer"] for r in stubs} == {r["Nummer"] for r in first.confidential}
    headers = schema.KLACHTEN.headers
    assert all(len(row_values(headers, r)) == len(headers) for r in rows)
