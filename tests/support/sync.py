"""Helpers of the sync tests: a register with hand-typed, messy rows, settings, ports."""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import filelock
import openpyxl

from klachtsheet import schema
from klachtsheet.nummer import new_nummer
from klachtsheet.register.local import LocalRegister

TODAY = date(2026, 11, 26)

SETTINGS = {
    "Vertrouwenspersoon": "Vera Vertrouwen",
    "E-mail vertrouwenspersoon": "vertrouwen@voorbeeld.nl",
    "E-mail telefoondienst": "telefoondienst@voorbeeld.nl",
    "Telefoon organisatie": "030-1234567",
}


def _nummer() -> str:
    return new_nummer(set(), TODAY)


# Hand-typed rows; each is found again by its Deelnemer. Keys are Dutch headers.
MESSY_ROWS: list[dict[str, str]] = [
    {  # no Nummer; lower case; synonym category; ISO handover date; e-mail confirmation
        "Ontvangen op": "20-11-2026", "Kanaal": "Telefoon", "Ingevoerd door": "Tineke",
        "E-mail invoerder": "tineke@voorbeeld.nl", "Soort": "klacht",
        "Deelnemer": "Mevr. Jansen", "Telefoon": "06-11111111",
        "E-mail deelnemer": "jansen@example.org", "Bevestiging via": "E-mail",
        "Locatie": "utrecht", "Activiteit": "Concert in TivoliVredenburg",
        "Categorie": "niet  opgehaald", "Omschrijving": "Niemand kwam mij ophalen.",
        "Status": "Overgedragen", "Overgedragen op": "2026-11-20",
    },
    {  # words date; region coordinator; letter; stale Controle message to be cleared
        "Nummer": "@nummer", "Ontvangen op": "21 november 2026", "Kanaal": "Post",
        "Soort": "Klacht", "Deelnemer": "Dhr. Bakker", "Adres": "Dorpsstraat 1, 1234 AB Haarlem",
        "Bevestiging via": "brief", "Locatie": "Haarlem", "Categorie": "Geluid Theaters",
        "Omschrijving": "Ik kon de acteurs niet verstaan.", "Status": "overgedragen",
        "Overgedragen op": "23-11-2026", "Controle": "Onbekende categorie 'x': oud",
    },
    {  # police advice by category without punctuation; phone script
        "Nummer": "@nummer", "Ontvangen op": "19-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Mevr. de Wit", "Telefoon": "020-1234567",
        "Bevestiging via": "Telefoon", "Locatie": "Amsterdam",
        "Categorie": "verlies vermissing of diefstal", "Omschrijving": "Mijn sjaal is weg.",
        "Status": "Overgedragen", "Overgedragen op": "20-11-2026",
    },
    {  # unknown category
        "Nummer": "@nummer", "Ontvangen op": "25-11-2026", "Kanaal": "E-mail",
        "Soort": "Klacht", "Deelnemer": "Dhr. Peters", "Locatie": "Rotterdam",
        "Categorie": "Parkeerplaats te klein", "Omschrijving": "Geen plek voor de bus.",
        "Status": "Nieuw",
    },
    {  # unknown location: no guess, no confirmation
        "Nummer": "@nummer", "Ontvangen op": "24-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Mevr. Mulder", "E-mail deelnemer": "mulder@example.org",
        "Bevestiging via": "E-mail", "Locatie": "Zwolle", "Categorie": "Tijdstip ophalen",
        "Omschrijving": "Veel te vroeg opgehaald.", "Status": "Overgedragen",
        "Overgedragen op": "24-11-2026",
    },
    {  # invalid status; no Nummer
        "Ontvangen op": "25/11/2026", "Kanaal": "Telefoon", "Soort": "Klacht",
        "Deelnemer": "Dhr. Visser", "Locatie": "Den Haag", "Categorie": "Overig",
        "Omschrijving": "Het was te koud in de zaal.", "Status": "Bezig",
    },
    {  # impossible date
        "Nummer": "@nummer", "Ontvangen op": "31-02-2026", "Kanaal": "Telefoon",
        "Soort": "Navraag", "Deelnemer": "Mevr. Smit", "Status": "Nieuw",
        "Locatie": "Utrecht",
    },
    {  # handed over without a handover date: message, coordinator, no answer-by date
        "Nummer": "@nummer", "Ontvangen op": "24-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Dhr. Hoekstra", "E-mail deelnemer": "hoek@example.org",
        "Locatie": "Amersfoort", "Categorie": "Tijdstip ophalen",
        "Omschrijving": "Te laat opgehaald.", "Status": "Overgedragen",
    },
    {  # coordinator typed by a person; overdue; confirmation already sent
        "Nummer": "@nummer", "Ontvangen op": "30-10-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Mevr. Dijkstra", "Locatie": "Groningen",
        "Categorie": "Slechte plekken theater", "Omschrijving": "Achter een pilaar.",
        "Status": "In behandeling", "Coördinator": "Piet Piet",
        "Overgedragen op": "02-11-2026", "Bevestiging verstuurd op": "03-11-2026",
        "Antwoord uiterlijk": "16-11-2026",
    },
    {  # volunteer report still Nieuw after 6 days
        "Nummer": "@nummer", "Ontvangen op": "20-11-2026", "Kanaal": "Vrijwilliger",
        "Ingevoerd door": "Vrijwilliger Kees", "Soort": "Klacht", "Deelnemer": "Dhr. Kok",
        "Telefoon": "06-22222222", "Locatie": "Utrecht",
        "Categorie": "Voorstelling valt tegen", "Omschrijving": "Saai.", "Status": "Nieuw",
    },
    {  # fed back 25 days ago: satisfaction call due, first-line colleague to tell
        "Nummer": "@nummer", "Ontvangen op": "15-10-2026", "Kanaal": "Telefoon",
        "Ingevoerd door": "Tineke", "E-mail invoerder": "tineke@voorbeeld.nl",
        "Soort": "Klacht", "Deelnemer": "Mevr. Bos", "Telefoon": "06-33333333",
        "Locatie": "Amersfoort", "Categorie": "Niet ophalen",
        "Omschrijving": "Vergeten.", "Status": "Teruggekoppeld", "Coördinator": "Karin Smit",
        "Overgedragen op": "20-10-2026", "Bevestiging verstuurd op": "21-10-2026",
        "Teruggekoppeld deelnemer op": "01-11-2026",
    },
    {  # confidential category typed into the shared register
        "Nummer": "@nummer", "Ontvangen op": "25-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Dhr. Claes", "Locatie": "Utrecht",
        "Categorie": "vrijwilliger met een klacht", "Omschrijving": "Vertrouwelijk verhaal.",
        "Status": "Nieuw",
    },
]  # fmt: skip


def type_rows(path: Path, rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """Type rows into the workbook as a person would (no Nummer unless given); return them."""
    typed = []
    with filelock.FileLock(str(path) + ".lock", timeout=30):
        workbook = openpyxl.load_workbook(path)
        sheet = workbook[schema.KLACHTEN_TAB]
        headers = [c.value for c in sheet[1]]
        row_index = sheet.max_row + 1
        for values in rows:
            values = {k: (_nummer() if v == "@nummer" else v) for k, v in values.items()}
            for header, value in values.items():
                sheet.cell(row=row_index, column=headers.index(header) + 1, value=value)
            typed.append(values)
            row_index += 1
        workbook.save(path)
    return typed


def set_settings(path: Path, values: Mapping[str, str]) -> None:
    """Fill in values on the Instellingen tab."""
    with filelock.FileLock(str(path) + ".lock", timeout=30):
        workbook = openpyxl.load_workbook(path)
        sheet = workbook[schema.INSTELLINGEN_TAB]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value in values:
                row[1].value = values[row[0].value]
        workbook.save(path)


def read_rows(path: Path, tab: str = schema.KLACHTEN_TAB) -> list[dict[str, str]]:
    """Return a tab's rows as header -> text, the way the register reads them."""
    table = LocalRegister(path).read([tab])[tab]
    return list(table.records())


def by_name(rows: Sequence[Mapping[str, str]]) -> dict[str, Mapping[str, str]]:
    """Index Klachten rows by Deelnemer."""
    return {row["Deelnemer"]: row for row in rows}


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
