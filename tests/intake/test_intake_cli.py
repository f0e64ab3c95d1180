"""The intake commands: help texts and access-code hashing."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

from klachtsheet.cli import cli
from klachtsheet.cli.intake import commands


@pytest.mark.parametrize("command", [c.name for c in commands])
def test_every_command_has_dutch_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Gebruik:" in result.output and "Opties:" in result.output


def test_toegangscode_prints_a_hash_that_checks(runner):
    result = runner.invoke(cli, ["toegangscode", "telefoondienst"],
                           input="zomer-2026\nzomer-2026\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("telefoondienst = "))
    hashed = line.split('"')[1]
    assert check_password_hash(hashed, "zomer-2026")
    assert "zomer-2026" not in result.output.replace(line, "").split("[server")[1]


def test_toegangscode_refuses_a_short_code(runner):
    result = runner.invoke(cli, ["toegangscode", "x", "--code", "kort"])
    assert result.exit_code != 0
    assert "minstens 8 tekens" in result.output


def test_serve_refuses_without_secret_key(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KLACHTSHEET_SECRET_KEY", raising=False)
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert "Fout: Geen sterke geheime sleutel" in result.output
