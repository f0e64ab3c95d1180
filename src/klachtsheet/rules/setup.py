"""What `check` says about the register's own data: settings that are needed, example data."""

from __future__ import annotations

from collections.abc import Mapping

from klachtsheet import schema
from klachtsheet.addresses import is_email
from klachtsheet.intake.definitions import Choices
from klachtsheet.model import Table, settings

EXAMPLE_DOMAIN = "voorbeeld.nl"


def setup_problems(tables: Mapping[str, Table]) -> list[str]:
    """Return Dutch problems in Instellingen that keep complaints from reaching anyone."""
    values = settings(tables.get(schema.INSTELLINGEN_TAB))
    problems = []
    if not values["vertrouwenspersoon"].strip():
        problems.append(
            "Instelling 'Vertrouwenspersoon' is leeg: vertrouwelijke meldingen komen bij "
            "niemand aan; vul die in op het tabblad Instellingen"
        )
    elif not is_email(values["email_vertrouwenspersoon"].strip()):
        problems.append(
            "Instelling 'E-mail vertrouwenspersoon' is leeg of ongeldig: vertrouwelijke "
            "meldingen komen bij niemand aan; vul het in op het tabblad Instellingen"
        )
    return problems


def example_warnings(tables: Mapping[str, Table]) -> list[str]:
    """Return a warning per Locaties row that still holds the demo's fictional people."""
    table = tables.get(schema.LOCATIES_TAB)
    if table is None:
        return []
    examples = {row[2] for row in schema.SEED_LOCATIONS if row[2]} | {
        row[4] for row in schema.SEED_LOCATIONS if row[4]
    }
    warnings = []
    for number, record in enumerate(table.records(), start=2):
        values = [v.strip() for v in record.values()]
        if any(v.casefold().endswith("@" + EXAMPLE_DOMAIN) for v in values) or any(
            v in examples for v in values
        ):
            warnings.append(
                f"Locaties rij {number} ({record.get('Locatie', '').strip() or 'zonder naam'}) "
                "bevat voorbeeldgegevens (voorbeeld.nl of een naam uit de demo): vervang ze "
                "door uw eigen coördinatoren"
            )
    return warnings


def empty_list_warnings(tables: Mapping[str, Table]) -> list[str]:
    """Return a warning for each list the form offers that has nothing to choose from."""
    choices = Choices.from_tables(tables)  # what the form itself offers
    warnings = []
    if not choices.locations:
        warnings.append(
            "Tabblad Locaties is leeg: het formulier vraagt de locatie dan als vrije tekst en "
            "de sync kan geen coördinator kiezen; vul uw locaties en coördinatoren in"
        )
    if not choices.catalogue.active_names():
        warnings.append(
            "Tabblad Categorieën heeft geen actieve categorie: het formulier vraagt de "
            "categorie dan als vrije tekst; vul de categorieën in of zet Actief op Ja"
        )
    return warnings
