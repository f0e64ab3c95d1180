"""Rows of one participant's earlier complaints (and others'), for the caller-history tests."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 12, 2)


def _row(nummer, ontvangen, **values):
    base = {
        "Nummer": nummer,
        "Ontvangen op": ontvangen,
        "Kanaal": "Telefoon",
        "Soort": "Klacht",
        "Deelnemer": "Mevrouw T. Jansen",
        "Deelnemernummer": "D-1234",
        "Telefoon": "030 123 4567",
        "Locatie": "Utrecht",
        "Categorie": "Niet ophalen",
        "Omschrijving": "GEHEIME-TEKST over het ophalen",
        "Status": "Overgedragen",
        "Coördinator": "Bram Jansen",
        "Antwoord uiterlijk": "16-12-2026",
    }
    base.update(values)
    return base


ROWS = [
    _row("26-100-001", "03-02-2026 10:00", Categorie="Geluid theaters", Status="Afgesloten",
         **{"Afgesloten op": "20-02-2026"}),
    _row("26-100-002", "10-06-2026 11:00", Deelnemernummer="", Telefoon="+31 30 1234567"),
    _row("26-100-003", "01-12-2026 09:30", Deelnemernummer="d 1234", Telefoon=""),
    # Confidential: even with the same participant number it is never shown.
    _row("26-100-004", "15-11-2026 09:00", Vertrouwelijk="Ja",
         Categorie="Vrijwilliger met een klacht", **{"Coördinator": "Vertrouwenspersoon"}),
    # More than two years ago.
    _row("24-100-005", "01-11-2024 09:00"),
    # Someone else.
    _row("26-100-006", "20-11-2026 09:00", Deelnemer="Meneer P. de Wit", Deelnemernummer="D-9999",
         Telefoon="020 765 4321", Categorie="Pauze: geen koffie, thee, pauze te kort"),
]  # fmt: skip
