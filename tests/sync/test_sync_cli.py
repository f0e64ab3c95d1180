"""The `klachtsheet sync` command: help, dry-run table, summary, lock and exit codes."""

from __future__ import annotations

import filelock
import pytest

from klachtsheet.cli import cli


@pytest.fixture
def config_file(tmp_path, register_path):
    path = tmp_path / "klachtsheet.toml"
    path.write_text(
        f'[register]\nlocatie = "{register_path.name}"\n[mappen]\nuitvoer = "uitvoer"\n'
    )
    return path


def invoke(runner, config_file, *args):
    return runner.invoke(cli, ["--config", str(config_file), "sync", *args])


def test_help_is_dutch_and_names_the_options(runner):
    result = runner.invoke(cli, ["sync", "--help"])
    assert result.exit_code == 0
    assert "--dry-run" in result.output and "--datum" in result.output
    assert "De dagelijkse controle: controleer en vul het register aan" in result.output
    assert "--proefdraai" in result.output and "6.30" in result.output


def test_dry_run_prints_a_table_and_changes_nothing(runner, config_file, register_path, messy):
    before = register_path.read_bytes()
    result = invoke(runner, config_file, "--dry-run", "--datum", "26-11-2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["Nummer", "Kolom", "Oud", "Nieuw"]
    assert any("Coördinator" in line and "Bram Jansen" in line for line in lines)
    assert "  - bevestiging aan deelnemer" in result.output
    assert "Nieuwe categorie voorgesteld: 'Parkeerplaats te klein' (1x)" in result.output
    assert lines[-1].startswith("Proefdraai")
    assert register_path.read_bytes() == before
    assert not (config_file.parent / "uitvoer").exists()


def test_run_prints_one_summary_line(runner, config_file, messy):
    result = invoke(runner, config_file, "--datum", "26-11-2026")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("12 meldingen gecontroleerd, 4 toegewezen, ")
    again = invoke(runner, config_file, "--datum", "26-11-2026")
    assert again.stdout.splitlines()[-1].startswith(
        "12 meldingen gecontroleerd, 0 toegewezen, 0 bevestigingen klaargezet, 1 te laat"
    )


def test_overlapping_run_exits_non_zero_with_one_line(runner, config_file, messy):
    state = config_file.parent / "uitvoer" / ".klachtsheet"
    state.mkdir(parents=True)
    with filelock.FileLock(str(state / "sync.lock")):
        result = invoke(runner, config_file)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Fout: Er loopt al een sync")


def test_bad_date_is_refused_in_dutch(runner, config_file):
    result = invoke(runner, config_file, "--datum", "morgen")
    assert result.exit_code == 2
    assert "'morgen' is geen datum" in result.output


def test_missing_register_exits_non_zero(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--register", str(tmp_path / "weg.xlsx"), "sync"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Fout: Register") and "klachtsheet init" in result.stderr


def test_sync_with_agenda_writes_the_agenda_files_and_tab(
    runner, config_file, register_path, messy, tmp_path
):
    result = invoke(runner, config_file, "--datum", "26-11-2026", "--agenda")

    assert result.exit_code == 0, result.output
    assert "Agendapunt klachten:" in result.output
    markdown = next(tmp_path.rglob("agenda-2026-11-26.md"))
    assert "Parkeerplaats te klein" in markdown.read_text()  # the proposed category
    from klachtsheet.register.local import LocalRegister

    agenda = LocalRegister(register_path).read(["Agenda"])["Agenda"]
    assert len(agenda.rows) > 5
