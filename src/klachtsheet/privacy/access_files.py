"""Access requests, part 2: the folder, its workbook, the copied documents and the zip."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl

from klachtsheet.cells import storable
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.files import atomic_write
from klachtsheet.messages.outbox import DIGESTS_FOLDER
from klachtsheet.privacy.scrub import outbox_files, safe_outbox_folder

if TYPE_CHECKING:
    from klachtsheet.privacy.access import Record

REVIEW = "Controleren vóór verzenden"
CHECKLIST = "controlelijst-niet-meesturen.txt"
WORKBOOK = "gegevens.xlsx"


def _new_folder(folder: Path | None, base: Path, today: date) -> Path:
    if folder is not None:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise KlachtsheetError(f"Map {folder} bestaat al en is niet leeg; kies een andere map")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The folder name never holds the person's name: a directory listing is not private.
    stem = f"inzage-{today:%Y-%m-%d}"
    candidate, counter = base / stem, 1
    while candidate.exists():
        counter += 1
        candidate = base / f"{stem}-{counter}"
    candidate.mkdir(mode=0o700)
    return candidate


def _file_name(rec: Record) -> str:
    safe = re.sub(r"[^0-9A-Za-z_-]", "_", rec.nummer) or "zonder-nummer"
    return f"{safe}-{rec.register}"


def _copy_documents(outbox_dir: Path, nummer: str, folder: Path) -> list[str]:
    source_root = safe_outbox_folder(outbox_dir, nummer)
    copied = []
    for source in outbox_files(outbox_dir, nummer):
        if source.is_symlink() or source_root is None:
            continue
        if source.is_relative_to(source_root):
            relative = Path("documenten") / source_root.name / source.relative_to(source_root)
        else:  # an overview naming this complaint among others: reviewed before sending
            relative = Path("documenten") / DIGESTS_FOLDER / source.name
        if (folder / relative).exists():
            copied.append(relative.as_posix())
            continue
        target = folder / relative
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(relative.as_posix())
    return copied


def _write(path: Path, text: str) -> None:
    # A lone surrogate read from a register must not stop the whole request.
    atomic_write(path, text.encode("utf-8", errors="replace"))


def _write_workbook(path: Path, records: Sequence[Record]) -> None:
    """Write the rows as text cells: nothing in them can turn into a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Meldingen"
    headers = ["Register", *[f.header for f in records[0].fields if f.header], REVIEW]
    extra_headers = [f.header for r in records for f in r.fields if f.header not in headers]
    headers[-1:-1] = list(dict.fromkeys(extra_headers))
    for col, header in enumerate(headers, start=1):
        _cell(sheet.cell(row=1, column=col), header)
    for row, rec in enumerate(records, start=2):
        values = {f.header: f.value for f in rec.fields}
        values["Register"] = rec.register_name
        values[REVIEW] = ", ".join(rec.review_headers) + (
            " (categorie gaat over een ander)" if rec.about_others else ""
        )
        for col, header in enumerate(headers, start=1):
            _cell(sheet.cell(row=row, column=col), values.get(header, ""))
    atomic_write(path, workbook.save)


def _cell(cell, value: str) -> None:
    cell.value = storable(value)
    cell.data_type = "s"


def _zip(folder: Path) -> Path:
    target = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != CHECKLIST:
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    target.chmod(0o600)
    return target
