"""Fixtures of the agenda area: a small register with figures worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.model import Table

MEETING = date(2026, 3, 2)
SINCE = date(2026, 2, 2)

# Personal data in the fixture; no report may ever show any of it.
PERSONAL = {
    "deelnemer": "Truus Testgeval",
    "telefoon": "06-00001234",
    "email_deelnemer": "truus.testgeval@voorbeeld.nl",
    "adres": "Proefweg 7, 0000 ZZ Verzinstad",
    "omschrijving": "Geheim verhaal over de avond",
    "deelnemernummer": "D-99999",
    "ingevoerd_door": "Ans Invoerder",
    "notities": "Notitie met details",
}


def klachten_table(rows: list[dict[str, str]]) -> Table:
    """Return a Klachten table from rows given as column key -> value."""
    headers = schema.KLACHTEN.headers
    values = []
    for row in rows:
        by_header = {schema.KLACHTEN.header(k): v for k, v in row.items()}
        values.append(tuple(by_header.get(h, "") for h in headers))
    return Table(schema.KLACHTEN_TAB, headers, tuple(values))


def _row(n, received, category, location, soort="Klacht", **more) -> dict[str, str]:
    return {"nummer": f"T-{n:02d}", "ontvangen_op": received, "categorie": category,
            "locatie": location, "soort": soort, **PERSONAL, **more}  # fmt: skip


# The period is 2 February up to 2 March 2026; history periods are
# P1 [5 Jan, 2 Feb), P2 [8 Dec, 5 Jan), P3 [10 Nov, 8 Dec); the first complaint is on
# 10 November 2025, so exactly three earlier periods count.
ROWS = [
    # -- current period ------------------------------------------------------------------
    _row(1, "03-02-2026", "Niet ophalen", "Utrecht", opgelost_1e_lijn="Ja",
         status="Opgelost 1e lijn", afgesloten_op="03-02-2026"),
    _row(2, "04-02-2026", "Niet ophalen", "Utrecht", status="Afgesloten",
         overgedragen_op="05-02-2026", antwoord_uiterlijk="19-02-2026",
         teruggekoppeld_deelnemer_op="18-02-2026", afgesloten_op="20-02-2026",
         tevredenheid="Tevreden", coordinator="Bram Jansen"),
    _row(3, "10-02-2026", "Niet ophalen", "Utrecht", status="In behandeling",
         overgedragen_op="13-02-2026", antwoord_uiterlijk="27-02-2026", coordinator="Bram Jansen"),
    _row(4, "11-02-2026", "Niet ophalen", "Amersfoort", status="Afgesloten",
         overgedragen_op="11-02-2026", antwoord_uiterlijk="25-02-2026",
         teruggekoppeld_deelnemer_op="26-02-2026", afgesloten_op="27-02-2026",
         tevredenheid="Niet tevreden", coordinator="Els Bakker"),
    _row(5, "2026-02-20", "Niet ophalen", "amersfoort", status="Nieuw"),
    _row(6, "27-02-2026", "niet opgehaald", "Rotterdam", opgelost_1e_lijn="ja",
         status="opgelost 1e lijn"),
    _row(7, "15-02-2026", "Geluid theaters", "Rotterdam", status="Overgedragen",
         overgedragen_op="16-02-2026", antwoord_uiterlijk="02-03-2026",
         coordinator="Mohamed El Amrani"),
    _row(8, "16-02-2026", "geluid", "Den Haag", soort="Navraag", status="Afgehandeld",
         opgelost_1e_lijn="Ja"),
    _row(9, "18-02-2026", "Tijdstip ophalen", "Den Haag", status="Teruggekoppeld",
         overgedragen_op="18-02-2026", antwoord_uiterlijk="04-03-2026",
         teruggekoppeld_deelnemer_op="25-02-2026", coordinator="Sanne Mulder"),
    _row(10, "05-02-2026", "ophaaltijd", "Haarlem", status="In behandeling",
         overgedragen_op="06-02-2026", antwoord_uiterlijk="20-02-2026",
         coordinator="Ria Hoekstra"),
    _row(11, "24-02-2026", "Parkeren", "Zwolle", status="Nieuw"),
    {"nummer": "T-12", "ontvangen_op": "12-02-2026", "categorie": "Vrijwilliger met een klacht",
     "locatie": "Groningen", "vertrouwelijk": "Ja", "status": "Overgedragen",
     "antwoord_uiterlijk": "20-02-2026",
     "omschrijving": "Vertrouwelijk: zie het vertrouwelijke register"},
    _row(13, "gisteren", "Niet ophalen", "Utrecht", status="Nieuw"),
    # -- earlier periods -----------------------------------------------------------------
    _row(14, "10-01-2026", "Niet ophalen", "Utrecht", status="Afgesloten",
         overgedragen_op="12-01-2026", antwoord_uiterlijk="26-01-2026",
         teruggekoppeld_deelnemer_op="20-01-2026", afgesloten_op="22-01-2026",
         tevredenheid="Tevreden", coordinator="Bram Jansen"),
    _row(15, "20-01-2026", "Tijdstip ophalen", "Utrecht", opgelost_1e_lijn="Ja",
         status="Opgelost 1e lijn", afgesloten_op="20-01-2026"),
    _row(16, "31-12-2025", "Tijdstip ophalen", "Haarlem", status="Afgesloten",
         overgedragen_op="02-01-2026", antwoord_uiterlijk="16-01-2026",
         teruggekoppeld_deelnemer_op="19-01-2026", afgesloten_op="19-01-2026",
         tevredenheid="Deels tevreden", coordinator="Ria Hoekstra"),
    _row(17, "10-11-2025", "Niet ophalen", "Amsterdam", status="Afgesloten",
         overgedragen_op="10-11-2025", antwoord_uiterlijk="24-11-2025",
         teruggekoppeld_deelnemer_op="24-11-2025", afgesloten_op="01-12-2025",
         tevredenheid="Tevreden", coordinator="Anna de Vries"),
    _row(18, "20-11-2025", "Tijdstip ophalen", "Amsterdam", soort="Navraag",
         status="Afgehandeld", opgelost_1e_lijn="Ja"),
]  # fmt: skip


@pytest.fixture
def tables() -> dict[str, Table]:
    """Return the hand-checked register as tables (Klachten only; the rest default)."""
    return {schema.KLACHTEN_TAB: klachten_table(ROWS)}
