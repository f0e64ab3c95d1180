"""Helpers shared by the intake, sync and Google tests: configs, a complaint, form posts."""

from __future__ import annotations

import re
from pathlib import Path

from werkzeug.security import generate_password_hash

from klachtsheet.config import Config, ServerConfig
from klachtsheet.register.local import LocalRegister

CODE = "toegang-2026"
SECRET = "kT3vQ9xLm2Rb7NwY4pHs8FdJ6cGa1ZeU5oXi0WqBn7Vr"  # random-looking: passes the entropy check
FORMS = ("telefoondienst", "vrijwilliger")
# Quick hashing keeps the suite fast; production uses werkzeug's default (scrypt).
HASH_METHOD = "pbkdf2:sha256:1000"

COMPLAINT = {
    "ingevoerd_door": "Mia de Boer",
    "email_invoerder": "mia@voorbeeld.nl",
    "kanaal": "Telefoon",
    "soort": "Klacht",
    "deelnemer": "Mevrouw T. Jansen",
    "deelnemernummer": "D-1234",
    "locatie": "Utrecht",
    "activiteit": "De Notenkraker",
    "datum_activiteit": "2026-11-20",
    "categorie": "Niet ophalen",
    "omschrijving": "Niemand kwam haar ophalen.",
    "opgelost_1e_lijn": "Nee",
    "bevestiging_via": "Telefoon",
    "telefoon": "030 123 4567",
}

REPORT = {
    "ingevoerd_door": "Kees Vrijwilliger",
    "locatie": "Amsterdam",
    "activiteit": "Concert Concertgebouw",
    "datum_activiteit": "2026-11-21",
    "deelnemer": "Meneer P. de Wit",
    "omschrijving": "Hij kon de spreker slecht verstaan.",
}


def make_config(tmp_path: Path, register_path: Path, **server) -> Config:
    """Return a configuration with access codes for both forms, all files under tmp_path."""
    codes = {name: generate_password_hash(CODE, method=HASH_METHOD) for name in FORMS}
    options = {"secret_key": SECRET, "access_codes": codes, "secure_cookies": False, **server}
    return Config(
        register=str(register_path),
        confidential_register=str(tmp_path / "vertrouwelijk.xlsx"),
        queue_dir=tmp_path / "wachtrij",
        output_dir=tmp_path / "uitvoer",
        server=ServerConfig(**options),
    )


def csrf(html: str) -> str:
    """Return the CSRF token of a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def unlock(client, form: str = "telefoondienst", code: str = CODE):
    """Enter the access code; return the response."""
    page = client.get(f"/formulier/{form}/toegang")
    return client.post(
        f"/formulier/{form}/toegang", data={"csrf_token": csrf(page.text), "code": code}
    )


def open_form(client, form: str = "telefoondienst") -> dict[str, str]:
    """Return the hidden fields (CSRF and one-time token) of a fresh form page."""
    page = client.get(f"/formulier/{form}")
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="inzending" value="([^"]+)"', page.text)[1]
    return {"csrf_token": csrf(page.text), "inzending": token}


def post(client, form: str = "telefoondienst", **values):
    """Unlock, open and submit a form; return the response (not followed)."""
    unlock(client, form)
    data = {**open_form(client, form), **values}
    return client.post(f"/formulier/{form}", data=data)


def rows(path: Path | str, tab: str = "Klachten") -> list[dict[str, str]]:
    """Return the data rows of a tab of a local register."""
    return list(LocalRegister(Path(path)).read([tab])[tab].records())


def empty_locations(path: Path) -> None:
    """Leave the Locaties tab as `init` does: headers, no rows (the back office fills it)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Locaties"]
    sheet.delete_rows(2, sheet.max_row)
    workbook.save(path)
