"""The outbox (every document the sync makes, per Nummer) and the journal of what was sent.

The journal makes sending exactly-once across crashes: the intent to send is
written (and fsync'd) before sending, so a rerun after a crash never sends again.
It holds Nummers, kinds and dates only, never personal data.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from klachtsheet.exceptions import DeliveryError
from klachtsheet.files import atomic_write
from klachtsheet.model import format_datetime, now

log = logging.getLogger(__name__)

DIGESTS_FOLDER = "_overzichten"

INTENT, SENT, FAILED, GIVEN = "voornemen", "verzonden", "mislukt", "toegekend"


class Outbox:
    """Files under ``outbox_dir/<Nummer>/``; digests under ``outbox_dir/_overzichten/``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, folder: str, filename: str) -> Path:
        """Return where a document is kept."""
        if not folder or "/" in folder or "\\" in folder or folder.startswith("."):
            raise DeliveryError(f"Ongeldige map '{folder}' in het postvak")
        return self.root / folder / filename

    def write(self, folder: str, filename: str, content: str | bytes) -> Path:
        """Write a document atomically; readable by the owner only (it holds personal data)."""
        target = self.path(folder, filename)
        data = content.encode() if isinstance(content, str) else content
        try:
            atomic_write(target, data)
        except OSError as error:
            raise DeliveryError(
                f"Kan {target.name} niet in het postvak zetten: {error.strerror}"
            ) from None
        return target

    def free_name(self, folder: str, filename: str) -> str:
        """Return filename, or 'name-2.ext' etc. when another document already has that name.

        An overview is made once (the journal sees to that), so an existing file of the same
        name is an earlier overview of the same day: it is kept, not overwritten.
        """
        target = self.path(folder, filename)
        stem, suffix, counter = target.stem, target.suffix, 1
        while target.exists():
            counter += 1
            target = target.with_name(f"{stem}-{counter}{suffix}")
        return target.name


@dataclass(frozen=True)
class JournalEntry:
    """The last state of one key in the journal."""

    key: str
    status: str
    at: str
    # The day the sync ran for (ISO), which may differ from ``at`` when run with --datum.
    day: str = ""


class Journal:
    """An append-only JSON-lines file: per key the last state wins."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> dict[str, JournalEntry]:
        """Return the last entry per key (an unreadable line is skipped and logged)."""
        entries: dict[str, JournalEntry] = {}
        if not self.path.exists():
            return entries
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    record = json.loads(line)
                    key, status = record["sleutel"], record["status"]
                except (ValueError, KeyError, TypeError):
                    log.warning("journal %s line %d unreadable; skipped", self.path.name, number)
                    continue
                entries[key] = JournalEntry(
                    key, status, record.get("op", ""), record.get("datum", "")
                )
        return entries

    def nummers(self) -> dict[str, list[str]]:
        """Return the Nummers given out earlier per row fingerprint."""
        result: dict[str, list[str]] = {}
        for entry in self.load().values():
            if entry.key.startswith("nummer:") and entry.status == GIVEN:
                _, fingerprint, given = entry.key.split(":", 2)
                result.setdefault(fingerprint, []).append(given)
        return result

    def record(self, keys: Iterable[str], status: str, **extra: str) -> None:
        """Append one line per key and fsync before returning."""
        stamp = format_datetime(now())
        lines = [
            json.dumps({"sleutel": key, "status": status, "op": stamp, **extra}) + "\n"
            for key in keys
        ]
        if not lines:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.writelines(lines)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise DeliveryError(
                f"Kan het verzendjournaal {self.path} niet bijwerken: {error.strerror}"
            ) from None

    def record_nummers(self, given: Mapping[str, str]) -> None:
        """Remember which Nummer each hand-typed row (by fingerprint) received."""
        self.record((f"nummer:{fp}:{n}" for n, fp in given.items()), GIVEN)


def done(entries: Mapping[str, JournalEntry], key: str) -> JournalEntry | None:
    """Return the entry when the key was sent or about to be sent (never send it again)."""
    entry = entries.get(key)
    return entry if entry is not None and entry.status in (INTENT, SENT) else None
