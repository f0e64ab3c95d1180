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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from klachtsheet import categories, schema
from klachtsheet.config import Config, is_google
from klachtsheet.messages.texts import environment, render
from klachtsheet.model import setting_int, settings
from klachtsheet.privacy.access_files import (
    CHECKLIST,
    REVIEW,
    WORKBOOK,
    _copy_documents,
    _file_name,
    _new_folder,
    _write,
    _write_workbook,
    _zip,
)
from klachtsheet.privacy.access_find import (
    ABOUT_OTHERS,
    MIN_PHONE_DIGITS,
    Found,
    PersonQuery,
    about_others,
    find_person,
    name_parts,
    names_match,
    phone_key,
    read_registers,
)
from klachtsheet.privacy.retention import SETTING as RETENTION_SETTING
from klachtsheet.privacy.retention import add_months
from klachtsheet.privacy.scrub import REGISTER_NAMES, outbox_dir_of
from klachtsheet.register import Register
from klachtsheet.schema import CONFIDENTIAL, SHARED
from klachtsheet.sync import logbook
from klachtsheet.wording import count

__all__ = [
    "ABOUT_OTHERS", "CHECKLIST", "MIN_PHONE_DIGITS", "REVIEW", "WORKBOOK", "AccessReport",
    "Found", "PersonQuery", "Record", "about_others", "answer_access_request", "find_person",
    "name_parts", "names_match", "phone_key", "read_registers", "record",
]  # fmt: skip

log = logging.getLogger(__name__)

BY = "inzage"
LETTER = "begeleidende-brief.html"

# Columns about staff or internal bookkeeping rather than about the participant.
EXCLUDED_KEYS = ("ingevoerd_door", "email_invoerder", "coordinator", "controle")
# Free text may name a volunteer, a fellow participant or a staff member.
REVIEW_KEYS = ("omschrijving", "oplossing_1e_lijn", "notities")
# Documents sent to the participant; anything else (a note to the coordinator) is reviewed.
_TO_PARTICIPANT = re.compile(r"^(bevestiging|terugkoppeling|brief|antwoord)", re.IGNORECASE)


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
    if not found:
        notes.append(not_found_note(query))
    catalogue = categories.Catalogue(
        categories.from_table(tables[SHARED].get(schema.CATEGORIEEN_TAB))
    )
    values = settings(tables[SHARED].get(schema.INSTELLINGEN_TAB))
    request_date = request_date or today
    folder = _new_folder(folder, config.output_dir / "inzage", today)
    records = []
    for item in found:
        copied = [
            document
            for outbox in outbox_dir_of(config, item.register)
            for document in _copy_documents(outbox, item.complaint.nummer, folder)
        ]
        records.append(record(item, catalogue, copied))
    review = _review_lines(records)
    env = environment(config.templates_dir)
    context = _letter_context(config, values, found, records, today, request_date)
    context["gezocht"] = searched(query)
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


def searched(query: PersonQuery) -> str:
    """Return in Dutch what was searched for: 'de naam "H. de Boer"'."""
    if query.deelnemernummer.strip():
        return f'deelnemernummer "{query.deelnemernummer.strip()}"'
    if query.naam.strip():
        return f'de naam "{query.naam.strip()}"'
    if query.telefoon.strip():
        return f'telefoonnummer "{query.telefoon.strip()}"'
    return f'e-mailadres "{query.email.strip()}"'


def not_found_note(query: PersonQuery) -> str:
    """Return what to tell the handler when nothing was found: what was searched, what next."""
    return (
        f"Niets gevonden op {searched(query)} (namen zonder aanhef en voorletters vergeleken). "
        "Zoek ook op het deelnemernummer of het telefoonnummer voordat u de brief verstuurt."
    )


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
