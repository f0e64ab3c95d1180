"""Rows reviewed as their blocks are parsed: the same run as reviewing after the whole read."""

from __future__ import annotations

import email
import email.policy
import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from klachtsheet import nummer, readahead, schema, sheetblocks
from klachtsheet.register import blocks as blocks_module
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync import early as early_module
from klachtsheet.sync import plan as plan_module
from klachtsheet.sync import run as run_module
from klachtsheet.sync.run import run_sync
from support.sync import MESSY_ROWS, SETTINGS, TODAY, read_rows, set_settings, type_rows


@pytest.fixture
def watched(monkeypatch):
    """Record what each plan() was given as ``early``, and whether it fitted."""
    seen: dict[str, list] = {"early": [], "fits": []}
    original_plan, original_fits = run_module.plan, early_module.Prereviewed.fits

    def plan(*args, **kwargs):
        seen["early"].append(kwargs.get("early"))
        return original_plan(*args, **kwargs)

    def fits(self, tables):
        seen["fits"].append(result := original_fits(self, tables))
        return result

    monkeypatch.setattr(run_module, "plan", plan)
    monkeypatch.setattr(early_module.Prereviewed, "fits", fits)
    return seen


def many_messy_rows(path: Path) -> None:
    set_settings(path, SETTINGS)
    rows = [
        {**row, "Deelnemer": f"{row.get('Deelnemer', '')} {n}"}
        for n in range(6)
        for row in MESSY_ROWS
    ]
    type_rows(path, rows)
    # Twice the same Nummer, a Nummer with spaces round it, a confidential stub.
    twin = {"Nummer": "26-999-001", "Ontvangen op": "20-11-2026", "Soort": "Klacht",
            "Deelnemer": "Tweeling", "Status": "Nieuw", "Locatie": "Utrecht"}  # fmt: skip
    type_rows(path, [twin, twin, {**twin, "Nummer": " 26-999-002 ", "Deelnemer": "Spatie"},
                     {**twin, "Nummer": "26-999-003", "Vertrouwelijk": "Ja"}])  # fmt: skip


def outbox(config) -> dict[str, tuple[str, ...]]:
    """Return each file of the outbox: for a message its addressee, subject and text."""
    found = {}
    for path in sorted(p for p in config.outbox_dir.rglob("*") if p.is_file()):
        if path.suffix == ".eml":  # not its Date and Message-ID
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            texts = [part.get_content() for part in message.walk() if not part.is_multipart()]
            found[str(path.relative_to(config.outbox_dir))] = (
                message["To"],
                message["Subject"],
                *map(str, texts),
            )
        else:
            found[str(path.relative_to(config.outbox_dir))] = (path.read_bytes().decode("latin-1"),)
    return found


@pytest.mark.parametrize("block_bytes", [400, 5_000])
def test_reviewing_blocks_as_they_are_parsed_changes_and_sends_what_a_whole_read_does(
    tmp_path, config, register_path, monkeypatch, watched, block_bytes
):
    many_messy_rows(register_path)
    other = tmp_path / "zonder" / register_path.name
    other.parent.mkdir()
    shutil.copyfile(register_path, other)
    other_config = replace(config, register=str(other), output_dir=tmp_path / "zonder" / "uit")
    monkeypatch.setattr(readahead, "BLOCK_BYTES", block_bytes)
    # openpyxl typed the rows: the file holds shared strings (see sheetblocks).
    monkeypatch.setattr(sheetblocks, "SHARED_STRINGS_SHARE", float("inf"))

    # The same new Nummers in both runs.
    monkeypatch.setattr(nummer.secrets, "randbelow", random.Random(7).randrange)
    with_blocks = run_sync(config, shared=LocalRegister(register_path), today=TODAY)
    monkeypatch.setattr(readahead, "begin", lambda *args: None)  # no read ahead: read whole
    monkeypatch.setattr(nummer.secrets, "randbelow", random.Random(7).randrange)
    without = run_sync(other_config, shared=LocalRegister(other), today=TODAY)

    used, not_used = watched["early"]
    assert watched["fits"] == [True]
    assert used is not None and not_used is None
    assert len(used.reviews) > 40  # most rows were reviewed as their block came
    assert read_rows(register_path) == read_rows(other)
    assert outbox(config) == outbox(other_config) and outbox(config)
    assert with_blocks.summary() == without.summary()
    assert with_blocks.warnings == without.warnings


def test_a_register_changed_after_its_blocks_were_reviewed_is_planned_as_read(
    config, register_path, monkeypatch, watched
):
    many_messy_rows(register_path)
    monkeypatch.setattr(readahead, "BLOCK_BYTES", 400)
    monkeypatch.setattr(sheetblocks, "SHARED_STRINGS_SHARE", float("inf"))
    register = LocalRegister(register_path)
    original = early_module.prereview

    def prereview_then_a_person_saves(shared, today):
        found = original(shared, today)
        LocalRegister(register_path).append(
            schema.KLACHTEN_TAB, [{"Deelnemer": "Laat getypt", "Status": "Nieuw"}]
        )
        return found

    monkeypatch.setattr(run_module, "prereview", prereview_then_a_person_saves)
    report = run_sync(config, shared=register, today=TODAY)

    assert watched["fits"] == [False] and watched["early"] == [None]
    late = [r for r in read_rows(register_path) if r["Deelnemer"] == "Laat getypt"]
    assert late and late[0]["Nummer"]  # the row typed meanwhile was seen and numbered
    assert report.checked == len(read_rows(register_path))  # the late row among them


def test_a_review_made_ahead_is_used_only_for_the_very_row_it_reviewed(config, register_path):
    many_messy_rows(register_path)
    tables = LocalRegister(register_path).read(plan_module.SHARED_TABS)
    klachten = tables[schema.KLACHTEN_TAB]
    found = early_module.Prereviewed(
        run_module.build_context(tables, TODAY),
        {t: tables[t] for t in early_module.CONTEXT_TABS},
        headers=klachten.headers,
    )
    found.add(2, list(klachten.rows))
    assert found.fits(tables)

    changed = list(klachten.rows)
    changed[3] = ("x", *changed[3][1:])
    assert not found.fits({**tables, schema.KLACHTEN_TAB: replace(klachten, rows=tuple(changed))})
    settings = tables[schema.INSTELLINGEN_TAB]
    assert not found.fits(
        {**tables, schema.INSTELLINGEN_TAB: replace(settings, rows=settings.rows[:-1])}
    )
    # Reviews are only of shared rows with a Nummer of their own, not of stubs or of rows
    # whose Nummer the sync still has to give or to trim.
    reviewed = {c.nummer for c, _ in found.reviews.values()}
    assert "26-999-003" not in reviewed and " 26-999-002 " not in reviewed
    assert "" not in reviewed and "26-999-001" in reviewed


def test_a_failure_while_reviewing_ahead_leaves_the_run_to_the_whole_read(
    config, register_path, monkeypatch, watched, caplog
):
    many_messy_rows(register_path)
    monkeypatch.setattr(readahead, "BLOCK_BYTES", 400)
    monkeypatch.setattr(sheetblocks, "SHARED_STRINGS_SHARE", float("inf"))

    def broken(*args):
        raise MemoryError("stand-in for anything")

    monkeypatch.setattr(blocks_module, "complaints_of", broken)
    report = run_sync(config, shared=LocalRegister(register_path), today=TODAY)

    assert watched["early"] == [None] and watched["fits"] == []
    assert report.checked == len(read_rows(register_path))
    assert all(r["Nummer"] for r in read_rows(register_path))  # the run did its work
    assert "MemoryError" in caplog.text and "Tweeling" not in caplog.text
