"""The back office keeps the workbook open: the sync waits, names who, and does its work once."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from klachtsheet.exceptions import RegisterOpen
from klachtsheet.messages.outbox import SENT, Journal
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.plan import JOURNAL_FILE
from klachtsheet.sync.run import run_sync

TODAY = date(2026, 11, 26)

LIBREOFFICE_LOCK = (
    "Jan de Backoffice,jan,PC-BALIE,02.12.2026 09:12,file:///home/jan/.config/libreoffice/4;"
)


def confirmations(config) -> list[str]:
    """Return the keys of the confirmations the sent-mail journal records as sent."""
    path = config.state_dir / JOURNAL_FILE
    if not path.exists():
        return []
    return [
        key
        for key, entry in Journal(path).load().items()
        if entry.status == SENT and key.startswith("bevestiging:")
    ]


def outbox_files(config):
    return sorted(p for p in config.outbox_dir.rglob("*") if p.is_file())


def cells(path):
    sheet = openpyxl.load_workbook(path)["Klachten"]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_sync_waits_for_the_person_to_close_the_workbook_then_confirms_once(
    config, register_path, messy, sh
):
    lock = register_path.with_name(f".~lock.{register_path.name}#")
    lock.write_text(LIBREOFFICE_LOCK, encoding="utf-8")
    told: list[str] = []
    closer = threading.Timer(1.5, lock.unlink)
    closer.start()
    started = time.monotonic()
    try:
        report = run_sync(
            replace(config, open_wait=30),
            shared=LocalRegister(register_path),
            today=TODAY,
            waiting=told.append,
        )
    finally:
        closer.cancel()

    assert time.monotonic() - started >= 1.4
    assert "Jan de Backoffice" in told[0] and "PC-BALIE" in told[0]
    assert "wacht" in told[0]
    assert told[-1] == "Het register is gesloten; de dagelijkse controle gaat verder."
    rows = sh.read_rows(register_path)
    confirmed = [r["Nummer"] for r in rows if r["Bevestiging verstuurd op"] == "26-11-2026"]
    assert report.ok and len(confirmed) == 3
    sent = confirmations(config)
    assert sorted(sent) == sorted(f"bevestiging:{n}" for n in confirmed)
    files = {p: p.read_bytes() for p in outbox_files(config)}

    again = run_sync(config, shared=LocalRegister(register_path), today=TODAY)

    assert again.messages == 0
    assert confirmations(config) == sent
    assert {p: p.read_bytes() for p in outbox_files(config)} == files


def test_sync_gives_up_naming_the_person_and_leaves_nothing_half_done(
    config, register_path, messy, tmp_path
):
    lock = register_path.with_name(f".~lock.{register_path.name}#")
    lock.write_text(LIBREOFFICE_LOCK, encoding="utf-8")
    before = cells(register_path)

    with pytest.raises(RegisterOpen, match="geopend door Jan de Backoffice") as raised:
        run_sync(replace(config, open_wait=0.5), shared=LocalRegister(register_path), today=TODAY)

    assert "zonder iets te versturen" in str(raised.value)
    assert outbox_files(config) == [] and confirmations(config) == []
    assert cells(register_path) == before

    lock.unlink()
    report = run_sync(config, shared=LocalRegister(register_path), today=TODAY)
    assert report.ok and len(confirmations(config)) == 3


def test_an_excel_owner_file_names_the_person(register_path):
    owner = register_path.with_name(f"~${register_path.name}")
    name = b"Karin Smit"
    owner.write_bytes(bytes([len(name)]) + name + b" " * (53 - len(name)))

    assert LocalRegister(register_path).opened_by() == "Karin Smit (Excel)"


def test_the_command_says_who_has_it_open_and_exits_non_zero_after_waiting(
    runner, tmp_path, register_path, messy
):
    from klachtsheet.cli import cli

    config_file = tmp_path / "klachtsheet.toml"
    config_file.write_text(
        f'[register]\nlocatie = "{register_path.name}"\nwachten_als_geopend = 1\n'
        '[mappen]\nuitvoer = "uitvoer"\n'
    )
    register_path.with_name(f".~lock.{register_path.name}#").write_text(LIBREOFFICE_LOCK)

    result = runner.invoke(cli, ["--config", str(config_file), "sync", "--datum", "26-11-2026"])

    assert result.exit_code == 1
    assert "geopend door Jan de Backoffice (LibreOffice op PC-BALIE" in result.output
    assert "wacht tot het gesloten is (hoogstens 1 seconde)" in result.output
    assert not (tmp_path / "uitvoer" / "postvak-uit").exists() or not any(
        (tmp_path / "uitvoer" / "postvak-uit").rglob("*.eml")
    )
