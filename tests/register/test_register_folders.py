"""Files and the folders made for them survive a crash: each new folder's name is synced."""

from __future__ import annotations

import threading

from klachtsheet import files
from klachtsheet.messages.outbox import Outbox


def synced_folders(monkeypatch) -> list:
    synced: list = []
    original = files.fsync_directory

    def fsync_directory(directory):
        synced.append(directory)
        original(directory)

    monkeypatch.setattr(files, "fsync_directory", fsync_directory)
    return synced


def test_a_letter_in_a_new_folder_syncs_the_folder_it_was_made_in(tmp_path, monkeypatch):
    synced = synced_folders(monkeypatch)
    outbox = Outbox(tmp_path / "postvak-uit")

    written = outbox.write("26-482-713", "brief.html", "<p>Beste mevrouw</p>")

    assert written.read_text() == "<p>Beste mevrouw</p>"
    # postvak-uit's name in tmp_path, the Nummer's in postvak-uit, the letter's in its folder.
    assert synced == [tmp_path, tmp_path / "postvak-uit", tmp_path / "postvak-uit" / "26-482-713"]
    for folder in (tmp_path / "postvak-uit", written.parent):
        assert folder.stat().st_mode & 0o777 == files.PRIVATE_DIR


def test_a_letter_in_a_folder_that_is_there_syncs_only_that_folder(tmp_path, monkeypatch):
    (tmp_path / "postvak-uit" / "26-482-713").mkdir(parents=True)
    synced = synced_folders(monkeypatch)
    Outbox(tmp_path / "postvak-uit").write("26-482-713", "brief.html", "tekst")
    assert synced == [tmp_path / "postvak-uit" / "26-482-713"]


def test_threads_making_the_same_folders_at_once_all_write_their_file(tmp_path):
    folder = tmp_path / "a" / "b" / "c"
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            files.atomic_write(folder / f"{n}.txt", str(n))
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.read_text() for p in folder.iterdir()) == [str(n) for n in range(8)]
