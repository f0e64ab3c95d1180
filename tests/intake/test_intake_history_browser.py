"""In Chromium: the caller's history appears while typing, and by button without script."""

from __future__ import annotations

import threading

import pytest
import waitress

from klachtsheet.register.local import LocalRegister
from klachtsheet.web import create_app
from support.history import ROWS, TODAY
from support.intake import CODE

pytestmark = pytest.mark.browser


@pytest.fixture
def server(config, register_path):
    LocalRegister(register_path).append("Klachten", ROWS)
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_TODAY": TODAY})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(5)
        server.close()
        app.extensions["klachtsheet"].writer.stop()


@pytest.fixture
def page_for(browser, server):
    contexts = []

    def open_page(javascript: bool = True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/formulier/telefoondienst")
        page.get_by_label("Toegangscode").fill(CODE)
        page.get_by_role("button", name="Verder").click()
        page.wait_for_url("**/formulier/telefoondienst")
        return page

    yield open_page
    for context in contexts:
        context.close()


def _nummers(page) -> list[str]:
    return page.locator("#historie tbody tr td:first-child").all_inner_texts()


def test_history_appears_while_typing(page_for):
    page = page_for()
    page.get_by_label("Naam van de deelnemer").fill("Mevrouw T. Jansen")
    page.wait_for_selector("#historie tbody tr")
    assert _nummers(page) == ["26-100-003", "26-100-002", "26-100-001"]
    panel = page.inner_text("#historie")
    assert "26-100-004" not in panel and "Vertrouwenspersoon" not in panel
    assert "GEHEIME" not in page.content()
    # A stranger's number: the list goes and nothing of her shows.
    page.get_by_label("Naam van de deelnemer").fill("")
    page.get_by_label("Deelnemernummer").fill("D-5555")
    page.wait_for_selector("#historie .historie-leeg")
    assert "Geen eerdere meldingen" in page.inner_text("#historie")
    assert _nummers(page) == []
    # Waar is mijn klacht?
    page.get_by_label("Nummer van de melding").fill("26-100-002")
    page.wait_for_selector("#waar .waar-antwoord")
    answer = page.inner_text("#waar")
    assert "status Overgedragen" in answer and "16 december 2026" in answer


def test_history_by_button_without_script(page_for):
    page = page_for(javascript=False)
    page.get_by_label("Uw naam").fill("Mia de Boer")
    page.get_by_label("Deelnemernummer").fill("D-1234")
    page.get_by_role("button", name="Eerdere meldingen zoeken").click()
    page.wait_for_selector("#historie tbody tr")
    assert _nummers(page) == ["26-100-003", "26-100-001"]
    assert page.get_by_label("Uw naam").input_value() == "Mia de Boer"
    assert "26-100-004" not in page.inner_text("#historie")
    page.get_by_label("Deelnemernummer").fill("D-5555")
    page.get_by_role("button", name="Eerdere meldingen zoeken").click()
    page.wait_for_selector("#historie .historie-leeg")
    assert _nummers(page) == []
    page.get_by_label("Nummer van de melding").fill("26-100-003")
    page.get_by_role("button", name="Opzoeken").click()
    page.wait_for_selector("#waar .waar-antwoord")
    assert "Overgedragen" in page.inner_text("#waar")
    assert "16 december 2026" in page.inner_text("#waar")
