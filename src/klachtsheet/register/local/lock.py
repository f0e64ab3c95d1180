"""Who may write: the file lock between processes and the refusal while a person has it open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from klachtsheet.exceptions import RegisterBusy


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


def person_lock_files(path: Path) -> list[Path]:
    """Return the lock files LibreOffice or Excel keep while a person has the file open."""
    name = path.name
    candidates = [f".~lock.{name}#", f"~${name}", f"~${name[2:]}"]
    return [path.with_name(c) for c in candidates if path.with_name(c).exists()]


def refuse_if_open_by_person(path: Path) -> None:
    found = person_lock_files(path)
    if found:
        raise RegisterBusy(
            f"Register {path.name} is geopend in LibreOffice of Excel "
            f"({found[0].name}); sluit het bestand en probeer opnieuw. Staat het bij "
            "niemand open, verwijder dan dat vergrendelbestand."
        )


def remove_stale_temp_files(path: Path) -> None:
    # Under the lock nobody else is saving, so a temp file is left over from a crash.
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
