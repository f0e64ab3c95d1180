"""The console entry point starts reading the register before the command line is imported."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import click
import pytest

from klachtsheet import launch, readahead
from klachtsheet.cli import cli
from klachtsheet.config import load_config
from klachtsheet.exceptions import RegisterError
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync import BLOCKS_TAB, CONFIDENTIAL_TABS, SHARED_TABS


def test_the_options_read_before_the_command_are_the_groups_options_with_a_value():
    with_value = {
        name
        for param in cli.params
        if isinstance(param, click.Option) and not param.is_flag
        for name in param.opts
        if name.startswith("--")
    }
    assert set(launch.VALUE_OPTIONS) == with_value


@pytest.mark.parametrize(
    ("args", "command", "options"),
    [
        (["sync"], "sync", {}),
        (["-v", "--register", "r.xlsx", "sync", "--datum", "1-1-2027"], "sync", {"--register": "r.xlsx"}),
        (["--register=r.xlsx", "--config", "k.toml", "agenda"], "agenda", {"--register": "r.xlsx", "--config": "k.toml"}),
        (["--help", "sync"], None, {}),
        (["--version"], None, {}),
        (["--register"], None, {"--register": ""}),
        ([], None, {}),
    ],
)  # fmt: skip
def test_the_command_and_its_register_are_found_in_the_arguments(args, command, options):
    assert launch.parse(args) == (command, options)


def same(left: str, right: str) -> bool:
    return os.path.abspath(left) == os.path.abspath(right)


@pytest.mark.parametrize(
    ("args", "toml"),
    [
        (["sync"], None),
        (["--register", "sub/eigen.xlsx", "sync"], None),
        (["--register", "~/elders.xlsx", "sync"], None),
        (["sync"], '[register]\nlocatie = "map/gedeeld.xlsx"\nvertrouwelijk = "geheim/v.xlsx"\n'),
        (["--register", "ander.xlsx", "sync"], '[register]\nvertrouwelijk = "geheim/v.xlsx"\n'),
        (["--register", "https://docs.google.com/spreadsheets/d/abc", "sync"], None),
    ],
)
def test_the_workbooks_read_ahead_are_the_ones_the_configuration_names(tmp_path, args, toml):
    if toml is not None:
        (tmp_path / "klachtsheet.toml").write_text(toml, encoding="utf-8")
    _, options = launch.parse(args)
    config = load_config(register=options.get("--register"), cwd=tmp_path, environ={})

    found = list(launch.workbooks(args, {}, str(tmp_path)))

    expected = [
        (config.register, SHARED_TABS, BLOCKS_TAB),
        (config.confidential_register, CONFIDENTIAL_TABS, None),
    ]
    expected = [(p, t, b) for p, t, b in expected if not p.startswith("https://")]
    assert len(found) == len(expected)
    for (path, tabs, blocks), (want_path, want_tabs, want_blocks) in zip(
        found, expected, strict=True
    ):
        assert same(path, want_path) and tabs == want_tabs and blocks == want_blocks


def test_a_configuration_named_in_the_environment_is_followed(tmp_path):
    settings = tmp_path / "elders" / "instellingen.toml"
    settings.parent.mkdir()
    settings.write_text('[register]\nlocatie = "r.xlsx"\n', encoding="utf-8")
    found = list(launch.workbooks(["sync"], {"KLACHTSHEET_CONFIG": str(settings)}, str(tmp_path)))
    assert same(found[0][0], str(settings.parent / "r.xlsx"))


def test_commands_that_do_not_read_the_register_first_start_no_read(tmp_path):
    assert list(launch.workbooks(["init"], {}, str(tmp_path))) == []
    assert list(launch.workbooks(["formulier"], {}, str(tmp_path))) == []


def test_the_register_takes_the_read_started_ahead_of_it(register_path, monkeypatch):
    readahead.begin(register_path, SHARED_TABS)
    opened = []
    import python_calamine

    original = python_calamine.CalamineWorkbook.from_filelike
    monkeypatch.setattr(
        python_calamine.CalamineWorkbook,
        "from_filelike",
        lambda *a: opened.append(threading.current_thread().name) or original(*a),
    )
    tables = LocalRegister(register_path).read(SHARED_TABS)

    assert "MainThread" not in opened  # parsed in the background, not again by the register
    assert tables["Klachten"].headers[0] == "Nummer"
    assert readahead.take(register_path) is None  # taken once


def test_a_read_ahead_of_a_file_that_changed_since_is_not_used(register_path):
    readahead.begin(register_path, SHARED_TABS)
    writer = LocalRegister(register_path)
    writer.append("Klachten", [{"Soort": "Klacht", "Omschrijving": "Nieuwer dan de vooruitlezing"}])

    tables = LocalRegister(register_path).read(SHARED_TABS)

    texts = {
        row[tables["Klachten"].headers.index("Omschrijving")] for row in tables["Klachten"].rows
    }
    assert "Nieuwer dan de vooruitlezing" in texts


def test_a_damaged_file_read_ahead_is_reported_by_the_normal_read(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 dit is geen werkmap")
    readahead.begin(path, SHARED_TABS)
    with pytest.raises(RegisterError, match=r"geen leesbaar \.xlsx-bestand"):
        LocalRegister(path).read(SHARED_TABS)


def test_the_console_entry_point_runs_a_sync_of_a_register_read_ahead(register_path):
    env = {**os.environ, "PYTHONPATH": str(Path(launch.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "klachtsheet", "--register", str(register_path), "sync",
         "--proefdraai"],
        capture_output=True, text=True, env=env, cwd=register_path.parent, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "meldingen gecontroleerd" in done.stdout


def _leaving(script: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(launch.__file__).parents[1])}
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )


def test_a_quick_exit_still_runs_the_exit_functions_and_flushes_the_output(tmp_path):
    marker = tmp_path / "afgesloten.txt"
    done = _leaving(
        "import atexit, logging, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'ja')\n"
        f"logging.basicConfig(filename={str(tmp_path / 'log.txt')!r})\n"
        "logging.getLogger('x').warning('laatste regel')\n"
        "sys.stdout.write('nog in de buffer')\n"
        "from klachtsheet import launch\n"
        "launch.leave(3)\n"
        "print('niet hier')\n"
    )
    assert done.returncode == 3
    assert done.stdout == "nog in de buffer"
    assert marker.read_text() == "ja"
    assert "laatste regel" in (tmp_path / "log.txt").read_text()


def test_a_quick_exit_waits_for_running_threads_and_leaves_messages_to_the_interpreter():
    done = _leaving(
        "import sys, threading, time\n"
        "from klachtsheet import launch\n"
        "worker = threading.Thread(target=lambda: (time.sleep(0.3), print('thread klaar')))\n"
        "worker.start()\n"
        "launch.leave(0)\n"
        "print('gewoon verder')\n"
        "worker.join()\n"
        "launch.leave('Fout: een boodschap')\n"
        "print('ook hier')\n"
    )
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["gewoon verder", "thread klaar", "ook hier"]
