"""A real browser fills in both forms, with and without JavaScript."""

from __future__ import annotations

import re

import pytest

from support.intake import CODE, empty_locations, rows

pytestmark = pytest.mark.browser


@pytest.fixture
def page_for(browser, live_server):
    """Return a function that opens a signed-in page for a form, with or without script."""
    base, _ = live_server
    contexts = []

    def open_page(form: str, javascript: bool = True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base}/formulier/{form}")
        page.get_by_label("Toegangscode").fill(CODE)
        page.get_by_role("button", name="Verder").click()
        page.wait_for_url(f"**/formulier/{form}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def _nummer(page) -> str:
    page.wait_for_selector("#nummer")
    return page.inner_text("#nummer")


def test_phone_service_form_with_javascript(page_for, live_server, register_path):
    page = page_for("telefoondienst")
    address = page.locator("#blok-adres")
    solution = page.locator("#blok-oplossing_1e_lijn")
    assert address.is_hidden() and solution.is_hidden()
    page.get_by_label("Uw naam").fill("Mia de Boer")
    page.locator("#veld-kanaal-0").check()  # Telefoon
    page.locator("#veld-soort-0").check()  # Klacht
    page.get_by_label("Naam van de deelnemer").fill("Mevrouw T. Jansen")
    page.get_by_label("Locatie").select_option("Utrecht")
    page.get_by_label("Datum van de activiteit").fill("2026-11-20")
    page.get_by_label("Categorie van de klacht").select_option("Verlies, vermissing of diefstal")
    page.get_by_label("Omschrijving").fill('Tas kwijt. =IMPORTXML("http://x","//a")')
    page.locator("#veld-opgelost_1e_lijn-1").check()  # Nee
    assert solution.is_hidden()
    page.get_by_label("Brief").check()
    assert address.is_visible()  # show-if by script
    page.get_by_label("Postadres van de deelnemer").fill("Dorpsstraat 1\n3511 AB Utrecht")
    page.get_by_role("button", name="Versturen").click()
    nummer = _nummer(page)
    assert re.fullmatch(r"\d{2}-\d{3}-\d{3}", nummer)
    assert "aangifte te doen bij de politie" in page.content()
    assert "werkdagen" in page.content()
    _, app = live_server
    assert app.extensions["klachtsheet"].writer.wait_idle(60)
    [row] = rows(register_path)
    assert row["Nummer"] == nummer
    assert row["Ingevoerd door"] == "Mia de Boer" and row["Deelnemer"] == "Mevrouw T. Jansen"
    assert row["Omschrijving"] == 'Tas kwijt. =IMPORTXML("http://x","//a")'
    assert row["Adres"] == "Dorpsstraat 1\n3511 AB Utrecht"
    assert row["Datum activiteit"] == "20-11-2026" and row["Bevestiging via"] == "Brief"
    assert row["Status"] == "Overgedragen"


def _report_a_volunteer_saw(page, location) -> None:
    """Fill in and send the volunteer form; ``location`` fills in its location field."""
    page.get_by_label("Uw naam").fill("Kees")
    location(page.get_by_label("Locatie van het uitje"))
    page.get_by_label("Welk uitje was het?").fill("Concert")
    page.get_by_label("Datum van het uitje").fill("2026-11-21")
    page.get_by_label("Naam van de deelnemer").fill("Meneer P. de Wit")
    page.get_by_label("Wat vertelde de deelnemer?").fill("Slecht geluid.")
    page.get_by_role("button", name="Versturen").click()


def test_volunteer_form_without_javascript(page_for, live_server, register_path):
    page = page_for("vrijwilliger", javascript=False)
    _report_a_volunteer_saw(page, lambda field: field.select_option("Amsterdam"))
    nummer = _nummer(page)
    _, app = live_server
    assert app.extensions["klachtsheet"].writer.wait_idle(60)
    [row] = rows(register_path)
    assert (row["Nummer"], row["Kanaal"], row["Status"]) == (nummer, "Vrijwilliger", "Nieuw")
    assert row["Activiteit"] == "Concert" and row["Deelnemer"] == "Meneer P. de Wit"


def test_show_if_without_javascript_shows_everything_and_server_applies_it(page_for):
    page = page_for("telefoondienst", javascript=False)
    address = page.locator("#blok-adres")
    assert address.is_visible()
    assert "Alleen invullen als" in address.inner_text()
    page.get_by_label("Uw naam").fill("Mia")
    page.locator("#veld-kanaal-1").check()  # Post
    page.locator("#veld-soort-0").check()  # Klacht
    page.get_by_label("Naam van de deelnemer").fill("Mevrouw A")
    page.get_by_label("Locatie").select_option("Utrecht")
    page.get_by_label("Categorie van de klacht").select_option("Overig")
    page.get_by_label("Omschrijving").fill("Iets")
    page.locator("#veld-opgelost_1e_lijn-1").check()
    page.get_by_label("Brief").check()
    page.get_by_role("button", name="Versturen").click()
    # The address is required now; its message stands beside the field.
    error = page.locator("#blok-adres .fout")
    assert "Vul 'Postadres van de deelnemer' in" in error.inner_text()
    assert page.locator("#foutenoverzicht a[href='#veld-adres']").is_visible()
    assert page.get_by_label("Naam van de deelnemer").input_value() == "Mevrouw A"


def test_missing_required_field_message_beside_the_field(page_for):
    page = page_for("vrijwilliger")
    page.get_by_role("button", name="Versturen").click()
    message = page.locator("#fout-deelnemer")
    assert message.inner_text().endswith("Vul 'Naam van de deelnemer' in")
    field = page.get_by_label("Naam van de deelnemer")
    assert "fout-deelnemer" in field.get_attribute("aria-describedby")
    # The summary receives focus and links to the field.
    assert page.evaluate("document.activeElement.id") == "foutenoverzicht"
    page.locator("#foutenoverzicht a[href='#veld-deelnemer']").click()
    assert page.evaluate("location.hash") == "#veld-deelnemer"


def test_pasted_text_over_the_limit_is_never_cut_and_the_form_says_so(page_for):
    page = page_for("telefoondienst")
    field = page.get_by_label("Omschrijving")
    limit = int(field.get_attribute("data-max-tekens"))
    text = "x" * (limit + 25)
    field.fill(text)
    assert len(field.input_value()) == limit + 25  # no maxlength: nothing cut silently
    counter = page.locator("#veld-omschrijving + .teller")
    assert f"Te lang: {limit + 25} tekens, maximaal {limit}" in counter.inner_text()
    page.get_by_role("button", name="Versturen").click()
    assert f"is te lang: {limit + 25} tekens, maximaal {limit}" in page.content()


def test_the_location_is_typed_while_the_register_has_no_locations(
    page_for, live_server, register_path
):
    empty_locations(register_path)
    _, app = live_server
    app.extensions["klachtsheet"].writer.refresh()
    page = page_for("vrijwilliger")
    assert "Het tabblad Locaties in het register heeft nog geen keuzes" in page.content()
    _report_a_volunteer_saw(page, lambda field: field.fill("Deventer"))
    nummer = _nummer(page)
    assert app.extensions["klachtsheet"].writer.wait_idle(60)
    [row] = rows(register_path)
    assert (row["Nummer"], row["Locatie"], row["Deelnemer"]) == (
        nummer,
        "Deventer",
        "Meneer P. de Wit",
    )
