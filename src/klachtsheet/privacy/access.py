"""The right of access: every record about one participant, from both registers, in one folder.

The folder holds a readable page per complaint, a workbook with the rows, the
documents from the outbox and a Dutch cover letter. Parts that may concern
someone else (free-text fields, complaints about a volunteer or a fellow
participant, documents not addressed to the participant) are marked
"Controleren vóór verzenden" and listed in an internal checklist, which the zip leaves out.
"""

from __future__ import annotations

import logging
import re
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from klachtsheet import categories, schema
from klachtsheet.config import Config, is_google
from klachtsheet.exceptions import KlachtsheetError, RegisterError
from klachtsheet.files import atomic_write
from klachtsheet.messages.texts import environment, render
from klachtsheet.model import Complaint, Table, complaints, setting_int, settings
from klachtsheet.privacy.anonymise import CONFIDENTIAL, SHARED
from klachtsheet.privacy.retention import SETTING as RETENTION_SETTING
from klachtsheet.privacy.retention import add_months
from klachtsheet.privacy.scrub import REGISTER_NAMES, outbox_files, safe_outbox_folder
from klachtsheet.register import Register
from klachtsheet.sync import logbook
from klachtsheet.wording import count

log = logging.getLogger(__name__)

BY = "inzage"
REVIEW = "Controleren vóór verzenden"
CHECKLIST = "controlelijst-niet-meesturen.txt"
LETTER = "begeleidende-brief.html"
WORKBOOK = "gegevens.xlsx"
MIN_PHONE_DIGITS = 6

# Columns about staff or internal bookkeeping rather than about the participant.
EXCLUDED_KEYS = ("ingevoerd_door", "email_invoerder", "coordinator", "controle")
# Free text may name a volunteer, a fellow participant or a staff member.
REVIEW_KEYS = ("omschrijving", "oplossing_1e_lijn", "notities")
# Categories whose complaints are about another person by their nature.
ABOUT_OTHERS = (
    "Een klacht m.b.t. een vrijwilliger",
    "Een klacht m.b.t. een mede-deelnemer",
    "Vrijwilliger met een klacht",
)
_ABOUT_OTHERS_WORDS = ("vrijwilliger", "deelnemer")
# Documents sent to the participant; anything else (a note to the coordinator) is reviewed.
_TO_PARTICIPANT = re.compile(r"^(bevestiging|terugkoppeling|brief|antwoord)", re.IGNORECASE)


def phone_key(text: str) -> str:
    """Return a phone number as compared: digits only, +31 and 0031 read as a leading 0."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _compact(text: str) -> str:
    return "".join(categories.normalise(text).split())


@dataclass(frozen=True)
class PersonQuery:
    """Who an access or erasure request is about: exactly one way to recognise the person."""

    deelnemernummer: str = ""
    naam: str = ""
    telefoon: str = ""
    email: str = ""

    def __post_init__(self) -> None:
        given = [
            v for v in (self.deelnemernummer, self.naam, self.telefoon, self.email) if v.strip()
        ]
        if len(given) != 1:
            raise KlachtsheetError(
                "Geef precies één van: deelnemernummer, naam, telefoonnummer of e-mailadres"
            )
        if self.telefoon.strip() and len(phone_key(self.telefoon)) < MIN_PHONE_DIGITS:
            raise KlachtsheetError(f"Een telefoonnummer heeft minstens {MIN_PHONE_DIGITS} cijfers")
        if self.naam.strip() and len(categories.normalise(self.naam)) < 2:
            raise KlachtsheetError("Geef de naam zoals die in het register staat")
        if self.email.strip() and "@" not in self.email:
            raise KlachtsheetError("Een e-mailadres bevat een @")

    def matches(self, complaint: Complaint) -> bool:
        """Tell whether a complaint is about this person; empty cells never match."""
        if self.deelnemernummer.strip():
            value = _compact(complaint.deelnemernummer)
            return bool(value) and value == _compact(self.deelnemernummer)
        if self.naam.strip():
            value = categories.normalise(complaint.deelnemer)
            return bool(value) and value == categories.normalise(self.naam)
        if self.telefoon.strip():
            value = phone_key(complaint.telefoon)
            return len(value) >= MIN_PHONE_DIGITS and value == phone_key(self.telefoon)
        value = complaint.email_deelnemer.strip().casefold()
        return bool(value) and value == self.email.strip().casefold()


@dataclass(frozen=True)
class Found:
    """One complaint about the person, and the register it came from."""

    register: str
    complaint: Complaint


def find_person(tables: Mapping[str, Mapping[str, Table]], query: PersonQuery) -> list[Found]:
    """Return the complaints about one person in every register given (label -> tables)."""
    found = []
    for label, register_tables in tables.items():
        table = register_tables.get(schema.KLACHTEN_TAB)
        if table is None:
            continue
        found.extend(Found(label, c) for c in complaints(table) if query.matches(c))
    return sorted(found, key=_received)


def _received(item: Found) -> tuple[date, str]:
    day = item.complaint.date("ontvangen_op").day
    return (day or date.min, item.complaint.nummer)


def read_registers(
    shared: Register, confidential: Register | None, tabs: Sequence[str]
) -> tuple[dict[str, dict[str, Table]], list[str]]:
    """Read both registers once; a missing confidential register becomes a note."""
    result = {SHARED: shared.read(tabs)}
    notes = []
    if confidential is None:
        notes.append(
            "Geen vertrouwelijk register gevonden; alleen het gedeelde register doorzocht."
        )
    else:
        try:
            result[CONFIDENTIAL] = confidential.read(
                [t for t in tabs if t in (schema.KLACHTEN_TAB, schema.LOGBOEK_TAB)]
            )
        except RegisterError as error:
            notes.append(f"Vertrouwelijk register niet doorzocht: {error}")
    return result, notes


def about_others(complaint: Complaint, catalogue: categories.Catalogue) -> bool:
    """Tell whether a complaint's category is about another person by its nature."""
    matched = catalogue.match(complaint.categorie)
    if matched is not None and matched.name in ABOUT_OTHERS:
        return True
    text = categories.normalise(complaint.categorie)
    return any(word in text for word in _ABOUT_OTHERS_WORDS)


@dataclass(frozen=True)
class Field:
    """One value shown to the participant, and whether someone must look at it first."""

    header: str
    value: str
    review: bool = False


@dataclass(frozen=True)
class Record:
    """One complaint as it goes into the access folder."""

    register: str
    nummer: str
    fields: tuple[Field, ...]
    about_others: bool
    documents: tuple[tuple[str, bool], ...]  # (relative path, needs review)

    @property
    def register_name(self) -> str:
        return REGISTER_NAMES.get(self.register, self.register)

    def value(self, header: str) -> str:
        return next((f.value for f in self.fields if f.header == header), "")

    @property
    def review_headers(self) -> tuple[str, ...]:
        return tuple(f.header for f in self.fields if f.review and f.value.strip())


def record(item: Found, catalogue: categories.Catalogue, documents: Sequence[str]) -> Record:
    """Return the fields of one complaint that the participant gets to see."""
    complaint = item.complaint
    fields = []
    for column in schema.KLACHTEN.columns:
        if column.key in EXCLUDED_KEYS:
            continue
        value = complaint.get(column.key)
        fields.append(Field(column.header, value, column.key in REVIEW_KEYS))
    # Columns people added may hold anything, so they are always reviewed.
    fields.extend(Field(header, value, True) for header, value in complaint.extra)
    return Record(
        register=item.register,
        nummer=complaint.nummer,
        fields=tuple(fields),
        about_others=about_others(complaint, catalogue),
        documents=tuple((d, not _TO_PARTICIPANT.match(Path(d).name)) for d in documents),
    )


@dataclass(frozen=True)
class AccessReport:
    """What an access request produced."""

    folder: Path
    zip_path: Path | None
    complaints: int
    documents: int
    review: tuple[str, ...]
    deadline: date
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """Return a short Dutch account for the person handling the request."""
        lines = [
            f"Inzage klaargezet in {self.folder}: {count(self.complaints, 'melding', 'meldingen')}, "
            f"{count(self.documents, 'document', 'documenten')} uit het postvak-uit, en een "
            "begeleidende brief.",
        ]
        if self.zip_path:
            lines.append(f"Zip-bestand: {self.zip_path} (zonder de controlelijst).")
        if self.review:
            lines.append(
                f"{count(len(self.review), 'punt', 'punten')} '{REVIEW}': zie {CHECKLIST} in de map. "
                "Verstuur niets voordat die zijn nagekeken."
            )
        lines.append(f"Beantwoord het verzoek uiterlijk op {self.deadline:%d-%m-%Y}.")
        lines.extend(self.notes)
        return "\n".join(lines)


def answer_access_request(
    config: Config,
    shared: Register,
    confidential: Register | None,
    query: PersonQuery,
    *,
    today: date,
    folder: Path | None = None,
    make_zip: bool = False,
    request_date: date | None = None,
) -> AccessReport:
    """Collect everything about one person into a folder (and a zip) and log that it was done."""
    tabs = [
        schema.KLACHTEN_TAB,
        schema.INSTELLINGEN_TAB,
        schema.CATEGORIEEN_TAB,
        schema.LOGBOEK_TAB,
    ]
    tables, notes = read_registers(shared, confidential, tabs)
    found = find_person(tables, query)
    catalogue = categories.Catalogue(
        categories.from_table(tables[SHARED].get(schema.CATEGORIEEN_TAB))
    )
    values = settings(tables[SHARED].get(schema.INSTELLINGEN_TAB))
    request_date = request_date or today
    folder = _new_folder(folder, config.output_dir / "inzage", today)
    records = []
    for item in found:
        copied = _copy_documents(config.outbox_dir, item.complaint.nummer, folder)
        records.append(record(item, catalogue, copied))
    review = _review_lines(records)
    env = environment(config.templates_dir)
    context = _letter_context(config, values, found, records, today, request_date)
    _write(folder / LETTER, render(env, "privacy/inzage-brief.html", **context))
    for rec in records:
        _write(
            folder / "meldingen" / f"{_file_name(rec)}.html",
            render(env, "privacy/inzage-melding.html", record=rec, review=REVIEW, **context),
        )
    if records:
        _write_workbook(folder / WORKBOOK, records)
    _write(folder / CHECKLIST, _checklist(review, records))
    zip_path = _zip(folder) if make_zip else None
    _log_request(shared, confidential, found)
    log.info(
        "access request answered: %d complaint(s), %d review point(s)", len(records), len(review)
    )
    return AccessReport(
        folder=folder,
        zip_path=zip_path,
        complaints=len(records),
        documents=sum(len(r.documents) for r in records),
        review=tuple(review),
        deadline=add_months(request_date, 1),
        notes=tuple(notes),
    )


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
        relative = Path("documenten") / source_root.name / source.relative_to(source_root)
        target = folder / relative
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(relative.as_posix())
    return copied


def _review_lines(records: Sequence[Record]) -> list[str]:
    """Name what to check: Nummer, field and why, never the values themselves."""
    lines = []
    for rec in records:
        if rec.about_others:
            lines.append(
                f"Melding {rec.nummer}: de categorie gaat over een ander (vrijwilliger of "
                "deelnemer); haal gegevens over die persoon weg."
            )
        for header in rec.review_headers:
            lines.append(f"Melding {rec.nummer}: '{header}' kan over een ander gaan.")
        for document, needs_review in rec.documents:
            if needs_review:
                lines.append(
                    f"Melding {rec.nummer}: document {document} was niet aan de deelnemer "
                    "gericht; bekijk of het mee mag."
                )
    return lines


def _checklist(review: Sequence[str], records: Sequence[Record]) -> str:
    head = [
        "INTERN - NIET MEESTUREN",
        "",
        f"Deze map bevat {count(len(records), 'melding', 'meldingen')}. {REVIEW}:",
        "",
    ]
    body = [f"- {line}" for line in review] or ["- Niets gevonden dat over een ander gaat."]
    tail = [
        "",
        "Haal gegevens over anderen (namen van vrijwilligers, medewerkers of andere",
        "deelnemers) weg of maak ze onleesbaar, in de pagina's in 'meldingen', in",
        f"{WORKBOOK} en in de documenten. Verwijder daarna dit bestand.",
    ]
    return "\n".join([*head, *body, *tail]) + "\n"


def _letter_context(config, values, found, records, today, request_date) -> dict:
    months, _ = setting_int(values, RETENTION_SETTING)
    names = [f.complaint.deelnemer.strip() for f in found if f.complaint.deelnemer.strip()]
    addresses = [f.complaint.adres.strip() for f in found if f.complaint.adres.strip()]
    return {
        "organisatie": values.get("organisatie", ""),
        "telefoon_organisatie": values.get("telefoon_organisatie", ""),
        "naam": names[-1] if names else "",
        "adres": addresses[-1] if addresses else "",
        "vandaag": today,
        "verzoek_ontvangen": request_date,
        "uiterlijk": add_months(request_date, 1),
        "records": records,
        "bewaartermijn_maanden": months,
        "google": is_google(config.register) or is_google(config.confidential_register),
        "vertrouwelijk": any(r.register == CONFIDENTIAL for r in records),
        "werkboek": WORKBOOK,
    }


def _write(path: Path, text: str) -> None:
    atomic_write(path, text)


def _write_workbook(path: Path, records: Sequence[Record]) -> None:
    """Write the rows as text cells: nothing in them can turn into a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
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
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def _zip(folder: Path) -> Path:
    target = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != CHECKLIST:
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    target.chmod(0o600)
    return target


def _log_request(shared: Register, confidential: Register | None, found: Sequence[Found]) -> None:
    """Record in Logboek that the data of these complaints was handed out, without who asked."""
    for label, register in ((SHARED, shared), (CONFIDENTIAL, confidential)):
        nummers = [f.complaint.nummer for f in found if f.register == label and f.complaint.nummer]
        if register is None or not nummers:
            continue
        register.append(
            schema.LOGBOEK_TAB,
            [
                logbook.entry(
                    n, "Inzage verstrekt", "Gegevens klaargezet voor een verzoek om inzage", by=BY
                )
                for n in dict.fromkeys(nummers)
            ],
        )
