"""The durable queue: journal before confirmation, replay writes every row exactly once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from intake_helpers import rows

from klachtsheet import schema
from klachtsheet.exceptions import RegisterBusy
from klachtsheet.intake.queue import SubmissionQueue
from klachtsheet.intake.writer import QueueWriter, flush_queue
from klachtsheet.register.local import LocalRegister


def _parts(nummer: str, confidential: bool = False):
    row = {"Nummer": nummer, "Deelnemer": "Geheime Naam", "Status": "Nieuw"}
    log = {"Nummer": nummer, "Actie": "Ingevoerd via formulier", "Door": "formulier"}
    if confidential:
        stub = {"Nummer": nummer, "Vertrouwelijk": "Ja", "Status": "Nieuw"}
        return {}, {"vertrouwelijk": row, "vertrouwelijk_logboek": log, "klachten": stub,
                    "logboek": log}  # fmt: skip
    return {}, {"klachten": row, "logboek": log}


@pytest.fixture
def writer(tmp_path: Path, register_path: Path) -> QueueWriter:
    queue = SubmissionQueue(tmp_path / "wachtrij")
    return QueueWriter(queue, lambda: LocalRegister(register_path),
                       lambda: LocalRegister(tmp_path / "vertrouwelijk.xlsx"))  # fmt: skip


def test_submission_is_in_the_journal_before_anything_else(writer):
    entry, created = writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts)
    assert created
    with sqlite3.connect(writer.queue.path) as db:
        assert db.execute("SELECT nummer FROM submissions").fetchall() == [(entry.nummer,)]
    # A fresh queue object (another process, or after a crash) sees it pending.
    again = SubmissionQueue(writer.queue.directory)
    assert [e.nummer for e in again.pending()] == [entry.nummer]
    assert (writer.queue.path.stat().st_mode & 0o777) == 0o600


def test_same_token_same_nummer(writer):
    first, _ = writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts)
    second, created = writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts)
    assert not created and second.nummer == first.nummer
    assert len(writer.queue.pending()) == 1


def test_nummers_avoid_known_ones(writer, monkeypatch):
    taken = {"26-000-001"}
    entry, _ = writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts, known=taken)
    assert entry.nummer not in taken
    assert entry.nummer in writer.queue.nummers()


def test_crash_after_register_write_replays_without_duplicates(writer, register_path):
    entry, _ = writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts)
    # Simulate a crash after the rows were stored but before the journal said so.
    LocalRegister(register_path).append(schema.KLACHTEN_TAB, [entry.parts["klachten"]])
    assert writer.flush() == 1
    assert writer.flush() == 0
    assert [r["Nummer"] for r in rows(register_path)] == [entry.nummer]
    assert len(rows(register_path, "Logboek")) == 1


def test_busy_register_keeps_everything_and_the_reason(writer, register_path):
    lock = register_path.with_name(f".~lock.{register_path.name}#")
    lock.write_text("x")
    writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts)
    with pytest.raises(RegisterBusy):
        writer.flush()
    assert "LibreOffice" in writer.last_error
    assert len(writer.queue.pending()) == 1
    lock.unlink()
    assert writer.flush() == 1 and writer.last_error is None
    assert len(rows(register_path)) == 1


def test_confidential_parts_are_resumed_where_they_stopped(writer, tmp_path, register_path):
    writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f",
                                   lambda n: _parts(n, confidential=True))  # fmt: skip
    # The shared register is busy: the confidential row gets written, the stub waits.
    lock = register_path.with_name(f".~lock.{register_path.name}#")
    lock.write_text("x")
    with pytest.raises(RegisterBusy):
        writer.flush()
    assert len(rows(tmp_path / "vertrouwelijk.xlsx")) == 1
    lock.unlink()
    writer.flush()
    assert rows(tmp_path / "vertrouwelijk.xlsx")[0]["Deelnemer"] == "Geheime Naam"
    assert len(rows(tmp_path / "vertrouwelijk.xlsx")) == 1
    assert [r["Deelnemer"] for r in rows(register_path)] == [""]


def test_written_entries_lose_their_personal_data_but_keep_the_token(writer):
    writer.queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts)
    writer.flush()
    # secure_delete and a checkpoint: the name is gone from every byte of the files.
    for path in writer.queue.directory.iterdir():
        assert b"Geheime Naam" not in path.read_bytes(), path
    assert writer.queue.lookup("token-aaaaaaaaaaaaaaaa").done


def test_flush_queue_for_the_sync(tmp_path, register_path):
    from intake_helpers import make_config

    config = make_config(tmp_path, register_path)
    assert flush_queue(config) == 0  # no queue yet: nothing to do, nothing created
    QueueWriter.from_config(config).queue.submit("token-aaaaaaaaaaaaaaaa", "f", _parts)
    assert flush_queue(config) == 1
    assert flush_queue(config) == 0
    assert len(rows(register_path)) == 1


def test_background_writer_batches_and_drains(writer, register_path):
    for i in range(5):
        writer.queue.submit(f"token-{i:016d}", "f", _parts)
    writer.start()
    try:
        assert writer.wait_idle(30)
    finally:
        writer.stop()
    assert len({r["Nummer"] for r in rows(register_path)}) == 5
