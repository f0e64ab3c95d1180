"""Who may write: the file lock between processes and the refusal while a person has it open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from klachtsheet.exceptions import RegisterBusy, RegisterOpen
from klachtsheet.register import openlock


@contextmanager
def held(lock: filelock.FileLock, path: Path, timeout: float) -> Iterator[None]:
    """Hold the register's file lock, or say in Dutch that another process has it."""
    try:
        with lock:
            yield
    except filelock.Timeout:
        raise RegisterBusy(
            f"Register {path.name} is al {timeout:.0f} seconden bezet "
            "door een ander proces (formulier of sync); probeer het later opnieuw"
        ) from None


def refuse_if_open_by_person(path: Path) -> None:
    """Raise RegisterOpen, naming who has it open, while LibreOffice or Excel has the file."""
    found = openlock.opened_by(path)
    if found:
        raise RegisterOpen(
            f"Register {path.name} is geopend in LibreOffice of Excel door "
            f"{found.describe()}; sluit het bestand en probeer opnieuw. Staat het bij "
            f"niemand open, verwijder dan het vergrendelbestand {found.lock_file.name}."
        )


def remove_stale_temp_files(path: Path) -> None:
    # Under the lock nobody else is saving, so a temp file is left over from a crash.
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
