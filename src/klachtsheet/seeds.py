"""What a new register starts with: the Categorieën and Locaties rows, and Ja/Nee.

Data of schema.py kept apart so that the layout itself stays short; import these through
``klachtsheet.schema`` (``schema.YES``, ``schema.CATEGORIEEN.seed_rows``).
"""

from __future__ import annotations

# The two values of every Ja/Nee column.
YES, NO = "Ja", "Nee"

SEED_CATEGORIES: tuple[tuple[str, ...], ...] = (
    # Categorie, Actief, Vertrouwelijk, Aangifte-advies, Ook bekend als
    (
        "Het niet ontvangen van een reservering",
        YES,
        NO,
        NO,
        "Geen reservering ontvangen; Reservering niet ontvangen",
    ),
    ("Een foutieve reservering", YES, NO, NO, "Foute reservering; Verkeerde reservering"),
    ("Tijdstip ophalen", YES, NO, NO, "Ophaaltijd"),
    ("Niet ophalen", YES, NO, NO, "Niet opgehaald; Vergeten op te halen"),
    ("Te laat of niet gebeld m.b.t. ophaaltijd", YES, NO, NO, "Niet gebeld; Te laat gebeld"),
    ("Bereikbaarheid theaters", YES, NO, NO, "Bereikbaarheid"),
    ("Geluid theaters", YES, NO, NO, "Geluid; Slecht verstaanbaar"),
    ("Slechte plekken theater", YES, NO, NO, "Slechte plaatsen; Slechte stoelen"),
    ("Voorstelling valt tegen", YES, NO, NO, "Voorstelling"),
    ("Een klacht m.b.t. een vrijwilliger", YES, NO, NO, "Klacht over vrijwilliger"),
    ("Een klacht m.b.t. een mede-deelnemer", YES, NO, NO, "Klacht over deelnemer"),
    ("Pauze: geen koffie, thee, pauze te kort", YES, NO, NO, "Pauze; Geen koffie"),
    ("Geen of foutieve (financiële) boeking", YES, NO, NO, "Financiële boeking; Betaling"),
    ("Vrijwilliger met een klacht", YES, YES, NO, "Klacht van vrijwilliger"),
    ("Overig", YES, NO, NO, "Anders"),
    (
        "Verlies, vermissing of diefstal",
        YES,
        NO,
        YES,
        "Verlies; Vermissing; Diefstal; Gestolen; Kwijt",
    ),
)

# Clearly fictional example locations, for the demo and the tests only: `init` leaves the
# Locaties tab empty so a real register never holds these people (`check` warns if it does).
SEED_LOCATIONS: tuple[tuple[str, ...], ...] = (
    (
        "Amsterdam",
        "Noord-Holland",
        "Anna de Vries",
        "amsterdam@voorbeeld.nl",
        "Ria Hoekstra",
        "regio.nh@voorbeeld.nl",
    ),
    ("Haarlem", "Noord-Holland", "", "", "Ria Hoekstra", "regio.nh@voorbeeld.nl"),
    (
        "Utrecht",
        "Midden",
        "Bram Jansen",
        "utrecht@voorbeeld.nl",
        "Karin Smit",
        "regio.midden@voorbeeld.nl",
    ),
    (
        "Amersfoort",
        "Midden",
        "Els Bakker",
        "amersfoort@voorbeeld.nl",
        "Karin Smit",
        "regio.midden@voorbeeld.nl",
    ),
    (
        "Rotterdam",
        "Zuid-Holland",
        "Mohamed El Amrani",
        "rotterdam@voorbeeld.nl",
        "Joke Visser",
        "regio.zh@voorbeeld.nl",
    ),
    (
        "Den Haag",
        "Zuid-Holland",
        "Sanne Mulder",
        "denhaag@voorbeeld.nl",
        "Joke Visser",
        "regio.zh@voorbeeld.nl",
    ),
    (
        "Groningen",
        "Noord",
        "Pieter Dijkstra",
        "groningen@voorbeeld.nl",
        "Hilde Postma",
        "regio.noord@voorbeeld.nl",
    ),
    ("Eindhoven", "Zuid", "", "", "Frank Peeters", "regio.zuid@voorbeeld.nl"),
)
