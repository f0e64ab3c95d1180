"""One print run a day: all of today's letters as one HTML file, one letter per A4 page,
and the day's phone scripts as one list.

Built from the outbox and the journal (the confirmations sent today), so a second sync on
the same day rebuilds the file with every letter of the day, each once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from klachtsheet.files import atomic_write
from klachtsheet.messages.outbox import SENT, JournalEntry

FOLDER = "_afdrukken"
CONFIRMATION = "bevestiging"
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
BODY = re.compile(r"<body[^>]*>(.*?)</body>", re.S | re.I)
# Every letter starts on a new sheet; the last one leaves no empty page behind.
BREAKS = """
  .brief { break-after: page; page-break-after: always; }
  .brief:last-child { break-after: auto; page-break-after: auto; }
"""


@dataclass(frozen=True)
class PrintRun:
    """The files of one day's print run."""

    letters: Path | None
    scripts: Path | None
    letter_count: int
    script_count: int


def sent_today(entries: Mapping[str, JournalEntry], today: date) -> list[str]:
    """Return the Nummers whose confirmation went out today, in Nummer order."""
    day = today.isoformat()
    return sorted(
        key.split(":", 1)[1]
        for key, e in entries.items()
        if key.startswith(f"{CONFIRMATION}:") and e.status == SENT and e.day == day
    )


def combine_letters(documents: list[str], title: str) -> str:
    """Return one HTML document with each letter on its own page."""
    styles: list[str] = []
    bodies = []
    for document in documents:
        for style in STYLE.findall(document):
            if style not in styles:
                styles.append(style)
        match = BODY.search(document)
        bodies.append(match[1] if match else document)
    parts = "\n".join(f'<div class="brief">\n{body}\n</div>' for body in bodies)
    css = "\n".join(styles) + BREAKS
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f"<body>\n{parts}\n</body>\n</html>\n"
    )


def combine_scripts(scripts: list[tuple[str, str]], title: str) -> str:
    """Return the day's phone scripts as one text list, one script after the other."""
    rule = "=" * 72
    blocks = [f"{title}\n{rule}"]
    for index, (nummer, text) in enumerate(scripts, start=1):
        blocks.append(f"{index}. Nummer {nummer}\n{'-' * 72}\n{text.strip()}\n")
    return "\n\n".join(blocks) + "\n"


def write_print_run(outbox_dir: Path, entries: Mapping[str, JournalEntry], today: date) -> PrintRun:
    """Write today's letters and phone scripts as one file each; return what was written."""
    from klachtsheet.messages.letters import CONFIRMATION_LETTER, PHONE_SCRIPT  # jinja2: lazily

    letters: list[str] = []
    scripts: list[tuple[str, str]] = []
    for nummer in sent_today(entries, today):
        folder = Path(outbox_dir) / nummer
        letter, script = folder / CONFIRMATION_LETTER, folder / PHONE_SCRIPT
        if letter.is_file():
            letters.append(letter.read_text(encoding="utf-8"))
        if script.is_file():
            scripts.append((nummer, script.read_text(encoding="utf-8")))
    target = Path(outbox_dir) / FOLDER
    stamp = today.isoformat()
    letters_path = scripts_path = None
    if letters:
        letters_path = target / f"{stamp}-brieven.html"
        text = combine_letters(letters, f"Brieven van {today:%d-%m-%Y}")
        atomic_write(letters_path, text.encode())
    if scripts:
        scripts_path = target / f"{stamp}-belscripts.txt"
        text = combine_scripts(scripts, f"Belscripts van {today:%d-%m-%Y}")
        atomic_write(scripts_path, text.encode())
    return PrintRun(letters_path, scripts_path, len(letters), len(scripts))
