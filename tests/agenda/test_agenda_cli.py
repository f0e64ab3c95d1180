"""The agenda, jaarverslag and demo commands, end to end on a local register."""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.demo.data import generate
from klachtsheet.register import row_values
from klachtsheet.reports.annual import build_annual, render_annual
from klachtsheet.reports.metrics import Period

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
    assert (
        "| Niet ophalen | 6 | 0,7 | ▂▁▂█ 1-0-1-6 | ▲ duidelijk meer dan gewoonlijk |"
        in md.read_text()
    )
    assert "<svg" in html.read_text()
    lines = [row[0] for row in filled.read([schema.AGENDA_TAB])[schema.AGENDA_TAB].rows]
    assert lines[0] == "Klachten: agendapunt teamoverleg 2 maart 2026"
    assert "Niet ophalen: 6 / 0,7 / ▂▁▂█ 1-0-1-6 / ▲ duidelijk meer dan gewoonlijk" in lines
    assert "Utrecht: 3 / 0,7 / ▁▁▆█ 0-0-2-3 / gelijk" in lines


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
    assert "Wat we veranderden' ontbreekt" in result.output  # told to the user, not the reader
    for fmt in ("md", "html"):
        text = (tmp_path / "uitvoer" / f"jaarverslag-2026.{fmt}").read_text()
        assert "Klachtenjaarverslag 2026" in text
        # Until the organisation writes it, the section is left out; the reader never
        # gets instructions about templates.
        assert "Wat we veranderden" not in text
        assert "sjabloon" not in text.lower() and "sjablonenmap" not in text
        for value in [*PERSONAL.values(), "Bram Jansen", "Ria Hoekstra", "T-0", "Parkeren",
                      "Utrecht", "Zwolle"]:  # fmt: skip
            assert value not in text, value


def test_jaarverslag_figures_with_a_partial_earlier_year():
    # The register starts on 10 November 2025 (row 17): 2025 holds 52 days, and on
    # 2 December 2026 the year 2026 is not over yet.
    report = build_annual(
        {schema.KLACHTEN_TAB: klachten_table(ROWS)}, year=2026, today=date(2026, 12, 2)
    )
    assert report.received == 14  # rows 1-12, 14 and 15; row 16 is 31-12-2025
    counts = {(c.group.kind, c.group.name): (c.count, c.previous) for c in report.categories}
    assert counts[("bekend", "Niet ophalen")] == (7, 1)  # rows 1-6 and 14; row 17 in 2025
    assert counts[("bekend", "Tijdstip ophalen")] == (3, 2)  # rows 9, 10, 15; rows 16, 18
    assert counts[("onbekend", "")] == (1, 0)  # 'Parkeren' counted, never named
    assert counts[("vertrouwelijk", "")] == (1, 0)
    assert report.previous_received == 3
    assert report.months[0] == 2 and report.months[1] == 12
    assert report.previous_operation == Period(date(2025, 11, 10), date(2026, 1, 1))
    assert report.operation == Period(date(2026, 1, 1), date(2026, 12, 3))
    assert not report.full and not report.previous_full and not report.comparable
    assert report.month_marks == ("vol",) * 11 + ("deels",)
    assert report.previous_months_in_use == pytest.approx(52 / (365.2425 / 12))
    assert report.risers == () and report.fallers == ()  # totals do not compare
    md = render_annual(report, "md")
    assert "+6" not in md and "Verschil" not in md
    assert "pas in gebruik vanaf 10 november 2025" in md
    assert "December is niet compleet" in md
    # Per month of operation: 7 in 11.07 months, 1 in 1.71 months.
    assert "| Niet ophalen | 7 | 0,6 | 1 | 0,6 |" in md
    assert "| 12\\* |" not in md and "| 0\\* |" in md  # December marked incomplete
    html = render_annual(report, "html")
    assert "pas in gebruik vanaf 10 november 2025" in html and "0*" in html


def test_jaarverslag_figures_of_two_full_years():
    rows = [*ROWS, {"nummer": "T-30", "ontvangen_op": "01-01-2025", "categorie": "Overig",
                    "soort": "Klacht"}]  # fmt: skip
    report = build_annual(
        {schema.KLACHTEN_TAB: klachten_table(rows)}, year=2026, today=date(2027, 1, 5)
    )
    assert report.full and report.previous_full and report.comparable
    assert report.month_marks == ("vol",) * 12
    md = render_annual(report, "md")
    assert "| Niet ophalen | 7 | 1 | +1 |" not in md  # change is +6
    assert "| Niet ophalen | 7 | 1 | +6 |" in md
    assert "geen volledig jaar" not in md and "\\*" not in md


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
    assert "duidelijk meer dan gewoonlijk" in agendas[1].read_text()
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


def test_agenda_goes_beside_the_register_not_the_current_folder(runner, register, tmp_path,
                                                                monkeypatch):  # fmt: skip
    table = klachten_table(ROWS)
    register.replace_rows(schema.KLACHTEN_TAB, [list(r) for r in table.rows])
    elsewhere = tmp_path / "ergens" / "anders"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(
        cli, ["--register", register.location, "agenda", "--vergadering", "02-03-2026",
              "--formaat", "md"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    beside = tmp_path / "uitvoer" / "agenda-2026-03-02.md"  # the register is in tmp_path
    assert beside.is_file() and str(beside) in result.output
    assert not (elsewhere / "uitvoer").exists()


def test_agenda_to_standard_output(runner, filled, tmp_path):
    result = runner.invoke(
        cli, ["--register", filled.location, "agenda", "--vergadering", "02-03-2026",
              "--formaat", "md", "--uitvoer", "-"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## Klachten: agendapunt teamoverleg 2 maart 2026")
    assert "Methode:" in result.stdout and "tabblad Agenda" not in result.stdout
    assert "tabblad Agenda" in result.stderr  # the rest is said on the error stream
    assert not (tmp_path / "uitvoer").exists() and not (tmp_path / "-").exists()


def test_configured_output_folder_wins(runner, filled, tmp_path):
    (tmp_path / "klachtsheet.toml").write_text(
        f'[register]\nlocatie = "{filled.location}"\n[mappen]\nuitvoer = "stukken"\n'
    )
    result = runner.invoke(cli, ["agenda", "--vergadering", "02-03-2026", "--formaat", "html"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "stukken" / "agenda-2026-03-02.html").is_file()


def test_jaarverslag_counts_only_deadlines_that_passed():
    rows = [
        {"nummer": "A", "ontvangen_op": "01-11-2026", "status": "In behandeling",
         "antwoord_uiterlijk": "20-11-2026"},  # overdue on 2 December
        {"nummer": "B", "ontvangen_op": "25-11-2026", "status": "In behandeling",
         "antwoord_uiterlijk": "16-12-2026"},  # not yet due
        {"nummer": "C", "ontvangen_op": "01-10-2026", "status": "Afgesloten",
         "antwoord_uiterlijk": "15-10-2026", "teruggekoppeld_deelnemer_op": "14-10-2026"},
    ]  # fmt: skip
    report = build_annual(
        {schema.KLACHTEN_TAB: klachten_table(rows)}, year=2026, today=date(2026, 12, 2)
    )
    assert (report.figures.term.on_time, report.figures.term.open_overdue) == (1, 1)
    assert report.figures.within_term.whole == 2


def test_jaarverslag_to_standard_output(runner, filled, tmp_path):
    result = runner.invoke(
        cli, ["--register", filled.location, "jaarverslag", "--jaar", "2026", "--formaat", "md",
              "--uitvoer", "-"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Klachtenjaarverslag 2026")
    assert "ontbreekt" not in result.stdout and "ontbreekt" in result.stderr
    assert not (tmp_path / "uitvoer").exists()


def test_the_second_agenda_in_a_folder_takes_the_templates_the_first_compiled(
    runner, filled, tmp_path, monkeypatch
):
    import jinja2

    arguments = ["--register", filled.location, "agenda", "--vergadering", "02-03-2026"]
    first = runner.invoke(cli, arguments)
    assert first.exit_code == 0, first.output
    written = {p.name: p.read_text() for p in (tmp_path / "uitvoer").glob("agenda-*")}
    assert set(written) == {"agenda-2026-03-02.md", "agenda-2026-03-02.html"}

    def compile_again(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", compile_again)
    again = runner.invoke(cli, arguments)
    assert again.exit_code == 0, again.output
    assert {p.name: p.read_text() for p in (tmp_path / "uitvoer").glob("agenda-*")} == written
