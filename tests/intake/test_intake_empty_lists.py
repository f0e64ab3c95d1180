"""A list the form takes from the register is still empty: the question is asked as text."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet import cells, schema
from klachtsheet.categories import Catalogue, Category, from_table
from klachtsheet.cli import cli
from klachtsheet.files import packaged
from klachtsheet.intake.definitions import Choices
from klachtsheet.intake.parsing import load_forms
from klachtsheet.intake.validation import validate
from support.intake import COMPLAINT, empty_locations, post, rows, unlock

FORMS = load_forms(packaged("forms"))
PHONE = FORMS["telefoondienst"]
EMPTY_NOTE = "Het tabblad Locaties in het register heeft nog geen keuzes"


@pytest.fixture
def register_path(register_path: Path) -> Path:
    """The register as `init` leaves it: Locaties has its headers and no row."""
    empty_locations(register_path)
    return register_path


def test_the_form_asks_the_location_as_text_and_keeps_what_was_typed(client, register_path):
    unlock(client)
    page = client.get("/formulier/telefoondienst").text
    field = re.search(r'<input id="veld-locatie" name="locatie"[^>]*>', page)
    assert field is not None and 'type="text"' in field[0]
    assert EMPTY_NOTE in page
    assert 'aria-describedby="uitleg-locatie"' in field[0]  # the note is read out with it

    response = post(client, **{**COMPLAINT, "locatie": "Zwolle-Zuid"})

    assert response.status_code == 303
    [row] = rows(register_path)
    assert row["Locatie"] == "Zwolle-Zuid"
    assert row["Omschrijving"] == COMPLAINT["omschrijving"]


def test_once_the_list_is_filled_it_is_a_choice_again(client, register):
    register.append(schema.LOCATIES_TAB, [{"Locatie": "Zwolle", "Regio": "Oost"}])
    client.application.extensions["klachtsheet"].writer.refresh()
    unlock(client)

    page = client.get("/formulier/telefoondienst").text
    refused = post(client, **{**COMPLAINT, "locatie": "Zwolle-Zuid"})

    # One location: a radio button to choose, no text box, no note.
    assert 'id="veld-locatie-0" name="locatie"' in page and 'value="Zwolle"' in page
    assert 'id="veld-locatie" name="locatie"' not in page and EMPTY_NOTE not in page
    assert refused.status_code == 422
    assert "&#39;Zwolle-Zuid&#39; is geen keuze" in refused.text


def test_a_category_list_without_active_categories_is_asked_as_text_too():
    inactive = Catalogue([Category("Overig", active=False)])
    values = {**COMPLAINT, "categorie": "Iets nieuws", "locatie": "Utrecht"}

    result = validate(PHONE, values, Choices(("Utrecht",), inactive))

    assert result.ok, result.errors
    assert result.values["categorie"] == "Iets nieuws"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_typed_location_is_kept_as_cleaned_or_refused_beside_the_field(text):
    result = validate(
        PHONE, {**COMPLAINT, "locatie": text}, Choices((), Catalogue(from_table(None)))
    )

    error = result.errors.get("locatie")
    kept = result.values["locatie"]
    assert error is None or "geen keuze" not in error
    if error is None and kept:
        # Exactly the text as the one boundary cleans it: nothing cut, nothing guessed.
        assert kept == " ".join(cells.clean(text, limit=10**9).text.split())
        assert len(kept) <= PHONE.field("locatie").max_length
    if not cells.clean(text, limit=10**9).text.strip():
        assert error == "Kies een antwoord bij 'Locatie'"  # still required


def test_check_says_which_list_is_empty(runner, register_path):
    locations_empty = runner.invoke(cli, ["--register", str(register_path), "check"])
    workbook = openpyxl.load_workbook(register_path)
    for row in workbook[schema.CATEGORIEEN_TAB].iter_rows(min_row=2):
        row[1].value = "Nee"  # Actief
    workbook.save(register_path)
    both_empty = runner.invoke(cli, ["--register", str(register_path), "check"])

    assert locations_empty.exit_code == 0, locations_empty.output
    assert "Let op: Tabblad Locaties is leeg" in locations_empty.output
    assert "vul uw locaties en coördinatoren in" in locations_empty.output
    assert "geen actieve categorie" not in locations_empty.output
    assert "Let op: Tabblad Categorieën heeft geen actieve categorie" in both_empty.output
