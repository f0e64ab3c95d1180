"""The schema holds the design's tabs, headers, owners and seeds."""

from klachtsheet import nummer, schema

DESIGN_HEADERS = [
    "Nummer",
    "Ontvangen op",
    "Kanaal",
    "Ingevoerd door",
    "E-mail invoerder",
    "Soort",
    "Deelnemer",
    "Deelnemernummer",
    "Telefoon",
    "E-mail deelnemer",
    "Adres",
    "Bevestiging via",
    "Locatie",
    "Activiteit",
    "Datum activiteit",
    "Categorie",
    "Omschrijving",
    "Opgelost in 1e lijn",
    "Oplossing 1e lijn",
    "Status",
    "Coördinator",
    "Overgedragen op",
    "Antwoord uiterlijk",
    "Bevestiging verstuurd op",
    "Aangifte geadviseerd",
    "Teruggekoppeld deelnemer op",
    "Teruggekoppeld medewerker op",
    "Tevredenheid",
    "Afgesloten op",
    "Notities",
    "Controle",
]


# Columns added to the design's: the stub marker, the letter's greeting, the coordinator's
# solution for the first-line colleague (step 5), and the link between duplicates.
ADDED = {"Vertrouwelijk", "Aanhef", "Oplossing coördinator", "Zelfde als"}


def test_klachten_has_the_design_headers_in_order_plus_vertrouwelijk():
    headers = [h for h in schema.KLACHTEN.headers if h not in ADDED]

    assert headers == DESIGN_HEADERS
    assert len(set(schema.KLACHTEN.headers)) == len(schema.KLACHTEN.headers)


def test_sync_owns_exactly_the_columns_of_the_design():
    owned = {c.header for c in schema.KLACHTEN.columns if c.owner is schema.Owner.SYNC}
    fills = {c.header for c in schema.KLACHTEN.columns if c.sync_fills_empty}

    assert owned == {
        "Antwoord uiterlijk",
        "Bevestiging verstuurd op",
        "Aangifte geadviseerd",
        "Controle",
    }
    # Filled only while empty: a person's Ja/Nee in Aangifte geadviseerd always wins, and the
    # date the first-line colleague was told is written once, when the sync told her.
    assert fills == {
        "Nummer",
        "Coördinator",
        "Aangifte geadviseerd",
        "Teruggekoppeld medewerker op",
    }


def test_seeded_categories_are_the_seeds_fifteen_plus_loss_with_police_advice():
    names = [row[0] for row in schema.SEED_CATEGORIES]

    assert len(names) == 16
    assert names[-1] == "Verlies, vermissing of diefstal"
    assert [row[0] for row in schema.SEED_CATEGORIES if row[3] == "Ja"] == [names[-1]]
    assert "Overig" in names


def test_enumerated_columns_have_allowed_values():
    assert schema.KLACHTEN.column("kanaal").allowed == (
        "Telefoon",
        "Post",
        "E-mail",
        "Vrijwilliger",
    )
    assert schema.KLACHTEN.column("soort").allowed == ("Klacht", "Navraag")
    assert "Afgehandeld" in schema.KLACHTEN.column("status").allowed
    assert schema.KLACHTEN.column("aangifte_geadviseerd").allowed == ("Ja", "Nee")


def test_every_setting_has_a_default_and_help():
    assert {s.key for s in schema.SETTINGS} >= {"antwoordtermijn", "bewaartermijn_maanden"}
    assert all(s.help and s.name for s in schema.SETTINGS)
    assert next(s for s in schema.SETTINGS if s.key == "antwoordtermijn").default == "10"


def test_nummer_is_digits_with_a_check_digit_that_catches_misheard_digits_and_swaps():
    value = nummer.new_nummer(set(), schema_date())

    assert nummer.is_valid(value)
    assert value.startswith("26-") and len(value) == 10
    digits = value.replace("-", "")
    for position in range(len(digits)):
        for wrong in "0123456789":
            if wrong != digits[position]:
                changed = digits[:position] + wrong + digits[position + 1 :]
                assert nummer.normalise(changed) is None
    for position in range(len(digits) - 1):
        a, b = digits[position], digits[position + 1]
        if a != b:
            swapped = digits[:position] + b + a + digits[position + 2 :]
            assert nummer.normalise(swapped) is None
    assert nummer.normalise(digits) == value
    assert nummer.normalise(" ".join([digits[:2], digits[2:5], digits[5:]])) == value


def test_new_nummer_avoids_existing_ones():
    taken = set()
    for _ in range(2000):
        taken.add(nummer.new_nummer(taken, schema_date()))

    assert len(taken) == 2000


def schema_date():
    from datetime import date

    return date(2026, 11, 26)
