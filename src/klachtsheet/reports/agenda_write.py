"""Writing the agenda: files beside the register (or in the configured folder), or standard output, and the Agenda tab."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from klachtsheet import schema
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.files import atomic_write, make_folder
from klachtsheet.model import Table, now
from klachtsheet.register.blocks import complaints_ahead
from klachtsheet.reports import AGENDA_BLOCKS_TAB
from klachtsheet.reports.agenda_figures import READ_TABS, build_agenda
from klachtsheet.reports.agenda_render import (
    FORMATS,
    agenda_environment,
    compile_ahead,
    output_folder,
    render_agenda,
    tab_rows,
)

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.register import Register

log = logging.getLogger(__name__)

# ``target`` meaning "standard output" (``--uitvoer -``).
STDOUT = Path("-")


def agenda_filename(meeting: date, fmt: str) -> str:
    """Return the file name of the agenda for a meeting."""
    return f"agenda-{meeting.isoformat()}.{fmt}"


def check_formats(formats: Sequence[str], target: Path | None) -> None:
    """Refuse unknown formats, and a single target for more than one format."""
    if target is not None and len(formats) != 1:
        raise KlachtsheetError("Kies één formaat (--formaat) als je een uitvoerbestand opgeeft")
    for fmt in formats:
        if fmt not in FORMATS:
            raise KlachtsheetError(f"Onbekend formaat '{fmt}'; kies md of html")


def write_agenda(
    config: Config,
    register: Register,
    *,
    meeting: date | None = None,
    since: date | None = None,
    formats: Sequence[str] = FORMATS,
    target: Path | None = None,
    tables: Mapping[str, Table] | None = None,
    update_tab: bool = True,
    stdout: TextIO | None = None,
) -> list[Path]:
    """Build the agenda, write it as files and into the Agenda tab; return the files.

    Files go to ``output_folder(config)`` (agenda-YYYY-MM-DD.md/.html) unless ``target``
    is given (then only one format); a target of ``-`` writes to standard output (or
    ``stdout``) and returns no path. Pass ``tables`` when the register was read already.
    """
    meeting = meeting or now().date()
    check_formats(formats, target)
    if target is None:  # made now rather than later: the compiled templates are kept there
        with contextlib.suppress(OSError):  # writing the agenda says so in its own words
            make_folder(output_folder(config))
    env = agenda_environment(config)
    compile_ahead(env, [*formats, "txt"] if update_tab else formats)
    if tables is None:
        # The complaints are made as the blocks of Klachten come, while the rest is parsed.
        ahead = complaints_ahead(register, AGENDA_BLOCKS_TAB)
        tables = register.read(READ_TABS)
        if ahead is not None and ahead.same_rows(tables.get(AGENDA_BLOCKS_TAB)):
            ahead.adopt(tables[AGENDA_BLOCKS_TAB])
        del ahead
    agenda = build_agenda(tables, meeting=meeting, since=since, config=config)
    paths = emit(
        {fmt: render_agenda(agenda, fmt, env) for fmt in formats},
        target,
        lambda fmt: output_folder(config) / agenda_filename(meeting, fmt),
        stdout,
    )
    if update_tab:
        register.replace_rows(schema.AGENDA_TAB, tab_rows(agenda, env))
    log.info(
        "agenda for %s written: %d received, %d overdue, %d flagged",
        meeting.isoformat(), agenda.received, agenda.overdue_count, len(agenda.rising),
    )  # fmt: skip
    return paths


def write_text(path: Path, text: str) -> None:
    """Write a file atomically, creating its folder."""
    path = Path(path)
    try:
        atomic_write(path, text.replace("\r\n", "\n"))
    except OSError as error:
        raise KlachtsheetError(f"Kan {path} niet schrijven: {error.strerror}") from None


def emit(
    texts: Mapping[str, str],
    target: Path | None,
    path_for: Callable[[str], Path],
    stdout: TextIO | None = None,
) -> list[Path]:
    """Write each format's text to target (``-`` = standard output) or its own file."""
    paths = []
    for fmt, text in texts.items():
        if target == STDOUT:
            (stdout or sys.stdout).write(text if text.endswith("\n") else text + "\n")
            continue
        path = target or path_for(fmt)
        write_text(path, text)
        paths.append(path)
    return paths
