"""The command line: help everywhere, version, init, check and configuration errors."""

from __future__ import annotations

import hashlib

import click
import pytest

from klachtsheet import __version__
from klachtsheet.cli import cli
from klachtsheet.config import load_config
from klachtsheet.exceptions import ConfigError


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_root_help_lists_commands(runner):
    result = runner.invoke(cli, ["--help"])

    assert result.exit_code == 0
    assert "init" in result.output and "check" in result.output


@pytest.mark.parametrize("path", list(all_commands(cli)), ids=" ".join)
def test_every_command_has_dutch_help(runner, path):
    result = runner.invoke(cli, [*path, "--help"])

    assert result.exit_code == 0
    command = cli
    for name in path:
        command = command.commands[name]
    assert command.help, f"{' '.join(path)} has no help text"
    first_line = " ".join(command.help.strip().splitlines()[0].split())
    assert first_line in " ".join(result.output.split())
    assert "Gebruik:" in result.output and "Toon deze hulp en stop." in result.output
    assert "Show this message" not in result.output


def test_click_errors_are_dutch(runner):
    result = runner.invoke(cli, ["--onzin"])

    assert result.exit_code == 2
    assert "Fout: Onbekende optie" in result.output
    assert "voor hulp" in result.output


def test_version(runner):
    result = runner.invoke(cli, ["--version"])

    assert result.exit_code == 0
    assert __version__ in result.output


def test_init_twice_changes_nothing_the_second_time(runner, tmp_path):
    path = tmp_path / "r.xlsx"
    first = runner.invoke(cli, ["--register", str(path), "init"])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    second = runner.invoke(cli, ["--register", str(path), "init"])

    assert first.exit_code == 0, first.output
    assert "Tabblad 'Klachten' toegevoegd" in first.output
    assert second.exit_code == 0
    assert "niets veranderd" in second.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_without_configuration_the_register_is_in_the_current_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(cli, ["init"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "klachtenregister.xlsx").exists()
    assert (tmp_path / "vertrouwelijk-register.xlsx").exists()


def test_check_passes_on_a_fresh_register_and_explains_each_problem(runner, register_path):
    import openpyxl

    workbook = openpyxl.load_workbook(register_path)
    for row in workbook["Instellingen"].iter_rows(min_row=2):
        if row[0].value == "Vertrouwenspersoon":
            row[1].value = "Vera Vertrouwen"
        if row[0].value == "E-mail vertrouwenspersoon":
            row[1].value = "vera@stichting.nl"
    workbook.save(register_path)
    ok = runner.invoke(cli, ["--register", str(register_path), "check"])

    workbook = openpyxl.load_workbook(register_path)
    workbook["Klachten"].cell(row=1, column=2).value = "Ontvangen"
    del workbook["Agenda"]
    instellingen = workbook["Instellingen"]
    instellingen.cell(row=3, column=2).value = "tien"
    workbook.save(register_path)
    bad = runner.invoke(cli, ["--register", str(register_path), "check"])

    assert ok.exit_code == 0 and "in orde" in ok.output
    assert bad.exit_code == 1
    lines = [line for line in bad.output.splitlines() if line.startswith("- ")]
    assert "- Tabblad 'Agenda' ontbreekt; 'klachtsheet init' voegt het toe" in lines
    assert any("kolom 'Ontvangen op' ontbreekt" in line for line in lines)
    assert any("'tien', geen geheel getal" in line for line in lines)


def test_check_on_a_missing_register_is_one_dutch_line(runner, tmp_path):
    result = runner.invoke(cli, ["--register", str(tmp_path / "nee.xlsx"), "check"])

    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Fout: Register")
    assert "klachtsheet init" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[register]\nlocatie = 5\n", "'register.locatie' moet tekst zijn"),
        ("[registr]\n", "onbekend onderdeel [registr]"),
        ("[server]\npoort = 'tachtig'\n", "'server.poort' moet een getal"),
        ("[smtp]\npoort = 25\n", "'smtp.server' ontbreekt"),
        ("[server.toegangscodes]\ntelefoondienst = 'geheim'\n", "niet versleuteld"),
        ("[register\n", "geen geldige TOML"),
    ],
)
def test_wrong_settings_give_one_line_naming_key_and_file(runner, tmp_path, content, message):
    config = tmp_path / "klachtsheet.toml"
    config.write_text(content)

    result = runner.invoke(cli, ["--config", str(config), "check"])

    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(f"Fout: {config}")
    assert message in last


def test_config_resolves_paths_next_to_the_file_and_secrets_from_the_environment(tmp_path):
    config_file = tmp_path / "klachtsheet.toml"
    config_file.write_text(
        '[register]\nlocatie = "data/register.xlsx"\n[mappen]\nuitvoer = "uit"\n'
        '[smtp]\nserver = "localhost"\npoort = 2525\nafzender = "klachten@voorbeeld.nl"\n'
    )

    config = load_config(
        config_file,
        environ={"KLACHTSHEET_SMTP_PASSWORD": "pw", "KLACHTSHEET_SECRET_KEY": "s" * 40},
        cwd=tmp_path / "elders",
    )

    assert config.register == str(tmp_path / "data" / "register.xlsx")
    assert config.output_dir == tmp_path / "uit"
    assert config.smtp.port == 2525 and config.smtp.password == "pw"
    assert config.server.secret_key == "s" * 40
    assert "pw" not in repr(config)


def test_missing_config_file_named_explicitly_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="niet gevonden"):
        load_config(tmp_path / "nergens.toml", environ={})


def test_check_reports_a_broken_form_definition_with_file_and_line(runner, tmp_path, register_path):
    forms = tmp_path / "formulieren"
    forms.mkdir()
    (forms / "telefoondienst.yaml").write_text("titel: Kapot\nvelden:\n  - kolom: Bestaat niet\n")
    config = tmp_path / "klachtsheet.toml"
    config.write_text(
        f'[register]\nlocatie = "{register_path.name}"\n[mappen]\nformulieren = "formulieren"\n'
    )

    result = runner.invoke(cli, ["--config", str(config), "check"])

    assert result.exit_code == 1
    assert "telefoondienst.yaml" in result.output
    assert "regel 3" in result.output


def test_copied_texts_are_used_and_never_overwritten(runner, tmp_path):
    first = runner.invoke(cli, ["teksten-kopieren", "--map", str(tmp_path)])
    letter = tmp_path / "sjablonen" / "brieven" / "bevestiging-email.txt"
    letter.write_text("Eigen tekst {{ nummer }}\n")
    second = runner.invoke(cli, ["teksten-kopieren", "--map", str(tmp_path)])

    assert first.exit_code == 0, first.output
    assert (tmp_path / "formulieren" / "telefoondienst.yaml").exists()
    assert "0 sjablonen en 0 formulierbestanden gekopieerd" in second.output
    assert letter.read_text() == "Eigen tekst {{ nummer }}\n"
    from klachtsheet.messages.texts import environment

    env = environment(tmp_path / "sjablonen")
    assert env.get_template("brieven/bevestiging-email.txt").render(nummer="26-1") == (
        "Eigen tekst 26-1\n"
    )


def test_register_option_puts_the_confidential_register_beside_it(runner, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    result = runner.invoke(cli, ["--register", str(tmp_path / "r.xlsx"), "init"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "vertrouwelijk-register.xlsx").exists()
    assert list(elsewhere.iterdir()) == []
