"""The agenda makes Klachten's complaints as its blocks are parsed: the same agenda as after."""

from __future__ import annotations

import shutil

import pytest

from klachtsheet import readahead, schema, sheetblocks
from klachtsheet.config import load_config
from klachtsheet.register import blocks as blocks_module
from klachtsheet.register.local import LocalRegister
from klachtsheet.reports import AGENDA_BLOCKS_TAB, AGENDA_TABS
from klachtsheet.reports.agenda import write_agenda

from .conftest import MEETING, ROWS, SINCE, klachten_table


def many_rows(path):
    rows = [
        {**row, "nummer": f"{row['nummer']}-{n}", "deelnemer": f"{row.get('deelnemer', '')} {n}"}
        for n in range(12)
        for row in ROWS
    ]
    table = klachten_table(rows)
    LocalRegister(path).replace_rows(schema.KLACHTEN_TAB, [list(r) for r in table.rows])
    return len(rows)


@pytest.mark.parametrize("block_bytes", [400, 20_000])
def test_an_agenda_from_blocks_is_the_agenda_of_the_whole_read(
    tmp_path, register_path, monkeypatch, block_bytes
):
    count = many_rows(register_path)
    other = tmp_path / "zonder" / register_path.name
    other.parent.mkdir()
    shutil.copyfile(register_path, other)
    monkeypatch.setattr(readahead, "BLOCK_BYTES", block_bytes)
    # openpyxl typed the rows: the file holds shared strings (see sheetblocks).
    monkeypatch.setattr(sheetblocks, "SHARED_STRINGS_SHARE", float("inf"))
    adopted = []
    original = blocks_module.ComplaintBlocks.adopt

    def adopt(self, table):
        adopted.append((len(self.complaints), table.name))
        original(self, table)

    monkeypatch.setattr(blocks_module.ComplaintBlocks, "adopt", adopt)

    def agenda(path):
        register = LocalRegister(path)
        register.prefetch(AGENDA_TABS, AGENDA_BLOCKS_TAB)
        config = load_config(None, register=str(path), cwd=path.parent)
        target = path.parent / "agenda.md"
        write_agenda(config, register, meeting=MEETING, since=SINCE, formats=["md"],
                     target=target, update_tab=False)  # fmt: skip
        return target.read_text(encoding="utf-8")

    with_blocks = agenda(register_path)
    assert adopted == [(count, schema.KLACHTEN_TAB)]
    monkeypatch.setattr(readahead, "begin", lambda *args: None)  # no read ahead: read whole
    assert agenda(other) == with_blocks
    assert adopted == [(count, schema.KLACHTEN_TAB)]  # nothing came in blocks the second time


def test_a_register_changed_while_its_blocks_came_is_counted_as_read(
    tmp_path, register_path, monkeypatch
):
    many_rows(register_path)
    monkeypatch.setattr(readahead, "BLOCK_BYTES", 400)
    monkeypatch.setattr(sheetblocks, "SHARED_STRINGS_SHARE", float("inf"))
    original = blocks_module.complaints_ahead

    def ahead_then_a_person_saves(register, tab):
        found = original(register, tab)
        extra = klachten_table([{**ROWS[0], "nummer": "T-99", "deelnemer": "Laat getypt"}])
        LocalRegister(register_path).append(
            schema.KLACHTEN_TAB, [dict(zip(extra.headers, extra.rows[0], strict=True))]
        )
        return found

    monkeypatch.setattr("klachtsheet.reports.agenda_write.complaints_ahead",
                        ahead_then_a_person_saves)  # fmt: skip
    register = LocalRegister(register_path)
    register.prefetch(AGENDA_TABS, AGENDA_BLOCKS_TAB)
    config = load_config(None, register=str(register_path), cwd=tmp_path)
    target = tmp_path / "agenda.md"
    write_agenda(config, register, meeting=MEETING, since=SINCE, formats=["md"],
                 target=target, update_tab=False)  # fmt: skip
    whole = tmp_path / "heel.md"
    write_agenda(config, LocalRegister(register_path), meeting=MEETING, since=SINCE,
                 formats=["md"], target=whole, update_tab=False)  # fmt: skip
    assert target.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8")
