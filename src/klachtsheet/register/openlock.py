"""Who has the local workbook open: the lock files LibreOffice and Excel leave beside it.

LibreOffice writes ``.~lock.NAME#`` holding ``Name,system user,computer,date,profile;``;
Excel writes ``~$NAME`` (the first two characters of a long name replaced) holding the
user name after a length byte. Both are read best-effort: an unreadable file still
means the workbook is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OpenedBy:
    """A person's program holding the workbook open."""

    lock_file: Path
    program: str
    person: str = ""
    computer: str = ""
    since: str = ""

    def describe(self) -> str:
        """Return who has it open, in Dutch: 'Jan Jansen (LibreOffice op PC-01, sinds ...)'."""
        where = self.program
        if self.computer:
            where += f" op {self.computer}"
        if self.since:
            where += f", sinds {self.since}"
        who = self.person or "iemand"
        return f"{who} ({where})"


def lock_files(path: Path) -> list[Path]:
    """Return the lock files LibreOffice or Excel keep while a person has the file open."""
    name = path.name
    candidates = [f".~lock.{name}#", f"~${name}", f"~${name[2:]}"]
    return [path.with_name(c) for c in dict.fromkeys(candidates) if path.with_name(c).exists()]


def opened_by(path: Path) -> OpenedBy | None:
    """Return who has the workbook open, or None when no lock file is there."""
    for lock in lock_files(path):
        return _read(lock)
    return None


def _read(lock: Path) -> OpenedBy:
    try:
        data = lock.read_bytes()[:4096]
    except OSError:
        data = b""
    if lock.name.startswith(".~lock."):
        fields = data.decode("utf-8", "replace").strip().rstrip(";").split(",")
        fields += [""] * (4 - len(fields))
        person = fields[0].strip() or fields[1].strip()
        return OpenedBy(lock, "LibreOffice", person, fields[2].strip(), fields[3].strip())
    person = ""
    if data:
        size = data[0]
        person = data[1 : 1 + size].decode("cp1252", "replace").strip()
        if not person.isprintable():
            person = ""
    return OpenedBy(lock, "Excel", person)
