"""The durable queue: journal before confirmation, replay writes every row exactly once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from klachtsheet import schema
from klachtsheet.exceptions import RegisterBusy
from klachtsheet.intake.queue import SubmissionQueue
from klachtsheet.intake.writer import QueueWriter, flush_queue
from klachtsheet.register.local import LocalRegister
from support.intake import rows


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
    from support.intake import make_config

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


def test_an_old_jsonl_queue_is_imported_once_nothing_lost(tmp_path, register_path):
    folder = tmp_path / "wachtrij"
    folder.mkdir()
    text = "Regel een\u2028regel twee\u2029\x85 einde"  # split the old reader's lines
    records = [
        {"op": "seen", "id": "token-seen-aaaaaaaaaa", "form": "f", "nummer": "K-2026-0001",
         "at": "2026-11-20T10:00:00", "outcome": {"nummer": "K-2026-0001"}},
        {"op": "add", "id": "token-wait-aaaaaaaaaa", "form": "f", "nummer": "K-2026-0002",
         "at": "2026-11-20T10:01:00", "outcome": {"nummer": "K-2026-0002"},
         "parts": {"klachten": {"Nummer": "K-2026-0002", "Omschrijving": text},
                   "logboek": {"Nummer": "K-2026-0002", "Actie": "Ingevoerd"}}},
        {"op": "written", "part": "klachten", "ids": ["token-wait-aaaaaaaaaa"]},
    ]  # fmt: skip
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (folder / "inzendingen.jsonl").write_text(data + '{"op": "add", "id": "torn', "utf-8")
    queue = SubmissionQueue(folder)
    pending = queue.pending()
    assert [e.nummer for e in pending] == ["K-2026-0002"]
    assert pending[0].parts["klachten"]["Omschrijving"] == text
    assert pending[0].written == {"klachten"}
    assert queue.lookup("token-seen-aaaaaaaaaa").done
    assert not (folder / "inzendingen.jsonl").exists()
    assert (queue.path.stat().st_mode & 0o777) == 0o600
    # Another queue object later: imported once, nothing doubled.
    assert [e.nummer for e in SubmissionQueue(folder).pending()] == ["K-2026-0002"]
    assert SubmissionQueue(folder).nummers() == {"K-2026-0001", "K-2026-0002"}


def test_an_old_sent_journal_is_imported_once(tmp_path):
    from klachtsheet.messages.outbox import SENT, Journal

    old = tmp_path / "verzonden.jsonl"
    old.write_text(
        json.dumps({"sleutel": "bevestiging:K-1", "status": "voornemen"}) + "\n"
        + json.dumps({"sleutel": "bevestiging:K-1", "status": SENT, "datum": "2026-11-20"})
        + "\n{torn",
        "utf-8",
    )  # fmt: skip
    journal = Journal(tmp_path / "verzonden.sqlite")
    entries = journal.load()
    assert entries["bevestiging:K-1"].status == SENT
    assert entries["bevestiging:K-1"].day == "2026-11-20"
    assert not old.exists()
    journal.record(["coordinator:K-1"], SENT)
    assert set(Journal(tmp_path / "verzonden.sqlite").load()) == {
        "bevestiging:K-1",
        "coordinator:K-1",
    }


def test_text_with_line_separators_survives_the_queue(writer, register_path):
    text = "a\u2028b\u2029c\x85d\ud800e\ufffe"

    def build(nummer):
        return {"nummer": nummer}, {"klachten": {"Nummer": nummer, "Omschrijving": text}}

    entry, _ = writer.queue.submit("token-bbbbbbbbbbbbbbbb", "f", build)
    assert SubmissionQueue(writer.queue.directory).lookup("token-bbbbbbbbbbbbbbbb") is not None
    writer.flush()
    [row] = rows(register_path)
    assert row["Nummer"] == entry.nummer
    assert row["Omschrijving"] == "a\nb\nc\nd\ufffde"
