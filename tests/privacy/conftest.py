"""Fixtures for the privacy tests: two registers full of distinctive, fictional people."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from klachtsheet import nummer, schema
from klachtsheet.config import Config, load_config
from klachtsheet.model import Complaint, format_date
from klachtsheet.privacy import confidential
from klachtsheet.privacy.retention import add_months
from klachtsheet.register.local import LocalRegister

TODAY = date(2026, 11, 26)


@dataclass(frozen=True)
class Person:
    """A fictional participant; every value is distinctive enough to search for."""

    naam: str
    deelnemernummer: str
    telefoon: str
    email: str
    adres: str

    def secrets(self) -> tuple[str, ...]:
        """Return the strings that must never turn up in a log or in Logboek."""
        street = self.adres.split(",")[0]
        digits = "".join(c for c in self.telefoon if c.isdigit())
        return (
            self.naam,
            self.naam.split()[-1],
            self.telefoon,
            digits,
            self.email,
            self.adres,
            street,
            self.deelnemernummer,
        )


GERRITDINA = Person(
    "Gerritdina Vlasblom-Terpstra",
    "DN-740213",
    "06-31415926",
    "g.vlasblom@voorbeeld.nl",
    "Kwakkelpad 77, 9999 ZZ Grootegast",
)
HENDRIKUS = Person(
    "Hendrikus Zwanenburg",
    "DN-551902",
    "020-2718281",
    "h.zwanenburg@voorbeeld.nl",
    "Lepelaarsingel 13, 9998 YY Oudeschans",
)
# Named only inside free text: a volunteer complained about, and a staff member.
VOLUNTEER = "Wubbo Kiekebosch"
STAFF = Person("Meindert Oosterbroek", "", "", "m.oosterbroek@voorbeeld.nl", "")
PEOPLE = (GERRITDINA, HENDRIKUS)


def make_nummer(n: int, year: int = 24) -> str:
    """Return a valid Nummer built from a counter."""
    body = f"{n:05d}"
    digits = f"{year:02d}{body}"
    return f"{year:02d}-{body[:3]}-{body[3:]}{nummer.check_digit(digits)}"


def complaint(n: int, person: Person, **values: str) -> Complaint:
    """Return a complete complaint about a person; keyword arguments override columns."""
    base = {
        "nummer": make_nummer(n),
        "ontvangen_op": "02-01-2024",
        "kanaal": "Telefoon",
        "ingevoerd_door": STAFF.naam,
        "email_invoerder": STAFF.email,
        "soort": schema.KLACHT,
        "deelnemer": person.naam,
        "aanhef": f"Geachte heer of mevrouw {person.naam}",
        "deelnemernummer": person.deelnemernummer,
        "telefoon": person.telefoon,
        "email_deelnemer": person.email,
        "adres": person.adres,
        "bevestiging_via": "Brief",
        "locatie": "Utrecht",
        "activiteit": "Concert in TivoliVredenburg",
        "datum_activiteit": "30-12-2023",
        "categorie": "Niet ophalen",
        "vertrouwelijk": schema.NO,
        "omschrijving": f"{person.naam} werd niet opgehaald aan de {person.adres}.",
        "opgelost_1e_lijn": schema.NO,
        "oplossing_1e_lijn": f"Teruggebeld op {person.telefoon}.",
        "status": schema.AFGESLOTEN,
        "coordinator": "Bram Jansen",
        "overgedragen_op": "03-01-2024",
        "antwoord_uiterlijk": "17-01-2024",
        "oplossing": f"Met {person.naam} afgesproken: nieuwe ophaaltijd.",
        "tevredenheid": "Tevreden",
        "afgesloten_op": "10-01-2024",
        "notities": f"Gebeld met {person.naam}.",
    }
    base.update(values)
    return Complaint(**base)


def closed_months_ago(n: int, person: Person, months: int, **values: str) -> Complaint:
    """Return a complaint closed exactly so many calendar months before TODAY."""
    closed = add_months(TODAY, -months)
    received = add_months(closed, -1)
    return complaint(
        n,
        person,
        ontvangen_op=format_date(received),
        overgedragen_op=format_date(received),
        antwoord_uiterlijk=format_date(received),
        afgesloten_op=format_date(closed),
        **values,
    )


def fill(register: LocalRegister, rows: list[Complaint]) -> None:
    """Append complaints to a register."""
    register.append(schema.KLACHTEN_TAB, [c.to_mapping() for c in rows])


@dataclass
class World:
    """Two registers, a configuration file and an outbox, all under one temporary folder."""

    root: Path
    config_path: Path
    config: Config
    shared: LocalRegister
    confidential: LocalRegister

    def outbox(self, nummer_: str, name: str, text: str) -> Path:
        folder = self.config.outbox_dir / nummer_
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path


def _set_settings(path: Path, values: dict[str, str]) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    for row in workbook[schema.INSTELLINGEN_TAB].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    workbook.save(path)


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Return an empty shared and confidential register with a configuration pointing at them."""
    config_path = tmp_path / "klachtsheet.toml"
    config_path.write_text(
        '[register]\nlocatie = "klachtenregister.xlsx"\n'
        'vertrouwelijk = "vertrouwelijk-register.xlsx"\n'
        '[mappen]\nuitvoer = "uitvoer"\n',
        encoding="utf-8",
    )
    config = load_config(config_path, environ={}, cwd=tmp_path)
    shared = LocalRegister(Path(config.register))
    shared.ensure_layout(schema.EXAMPLE_TABS)
    secret = LocalRegister(Path(config.confidential_register))
    secret.ensure_layout(schema.CONFIDENTIAL_TABS)
    _set_settings(
        Path(config.register),
        {"Vertrouwenspersoon": "Vera Veilig", "E-mail vertrouwenspersoon": "vera@stichting.nl"},
    )
    return World(tmp_path, config_path, config, shared, secret)


@pytest.fixture
def populated(world: World) -> World:
    """Return the world with complaints of two people in both registers, and outbox documents."""
    volunteer_complaint = complaint(
        3,
        GERRITDINA,
        categorie="Een klacht m.b.t. een vrijwilliger",
        status=schema.IN_BEHANDELING,
        afgesloten_op="",
        omschrijving=f"Chauffeur {VOLUNTEER} reed veel te hard.",
    )
    secret_gerritdina = complaint(
        4,
        GERRITDINA,
        vertrouwelijk=schema.YES,
        categorie="Vrijwilliger met een klacht",
        omschrijving=f"Vertrouwelijk gesprek over {VOLUNTEER}.",
    )
    secret_hendrikus = complaint(6, HENDRIKUS, vertrouwelijk=schema.YES)
    fill(
        world.shared,
        [
            complaint(1, GERRITDINA),
            complaint(2, HENDRIKUS, telefoon="+31 20 2718281"),
            volunteer_complaint,
            confidential.stub(secret_gerritdina),
            complaint(5, HENDRIKUS, status=schema.NIEUW, afgesloten_op=""),
            confidential.stub(secret_hendrikus),
        ],
    )
    fill(world.confidential, [secret_gerritdina, secret_hendrikus])
    world.outbox(make_nummer(1), "bevestiging-brief.html", f"<p>Beste {GERRITDINA.naam}</p>")
    world.outbox(make_nummer(1), "coordinator.eml", f"Bel {GERRITDINA.telefoon} terug.")
    world.outbox(make_nummer(2), "bevestiging.eml", f"Beste {HENDRIKUS.naam}")
    world.outbox(make_nummer(4), "belscript.txt", f"Bel {GERRITDINA.naam}")
    return world


@pytest.fixture
def kit():
    """Return this module, so tests reach its people and builders (conftest cannot be imported)."""
    return sys.modules[__name__]
