"""One print run a day: all of today's letters in one file, one letter per A4 page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from klachtsheet.messages.printrun import combine_letters
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync

DAY = date(2026, 11, 26)


def _letter(name: str, street: str) -> dict[str, str]:
    return {
        "Nummer": "@nummer", "Ontvangen op": "25-11-2026", "Kanaal": "Post", "Soort": "Klacht",
        "Deelnemer": name, "Adres": f"{street}, 3511 AB Utrecht", "Bevestiging via": "Brief",
        "Locatie": "Utrecht", "Categorie": "Niet ophalen", "Omschrijving": "Niet opgehaald.",
        "Status": "Overgedragen", "Overgedragen op": "25-11-2026",
    }  # fmt: skip


def _call(name: str, phone: str) -> dict[str, str]:
    return {**_letter(name, "Laan 2"), "Bevestiging via": "Telefoon", "Telefoon": phone}


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture
def printed(config, register_path, sh):
    sh.set_settings(register_path, sh.SETTINGS)
    sh.type_rows(
        register_path,
        [_letter("Mevr. Een", "Straat 1"), _letter("Dhr. Twee", "Straat 2"),
         _letter("Mevr. Drie", "Straat 3"), _call("Dhr. Vier", "06-44444444"),
         _call("Mevr. Vijf", "06-55555555")],
    )  # fmt: skip
    report = run_sync(config, shared=LocalRegister(register_path), today=DAY)
    return report


def test_the_summary_names_the_days_files(printed, config):
    folder = config.outbox_dir / "_afdrukken"
    letters = folder / "2026-11-26-brieven.html"
    scripts = folder / "2026-11-26-belscripts.txt"
    assert letters.is_file() and scripts.is_file()
    line = printed.summary()
    assert "3 brieven te printen (postvak-uit/_afdrukken/2026-11-26-brieven.html)" in line
    assert "2 belscripts klaargezet (postvak-uit/_afdrukken/2026-11-26-belscripts.txt)" in line
    html = letters.read_text()
    assert html.count('<div class="brief">') == 3
    for name in ("Mevr. Een", "Dhr. Twee", "Mevr. Drie"):
        assert html.count(name) >= 1
    text = scripts.read_text()
    assert "Dhr. Vier" in text and "Mevr. Vijf" in text
    assert text.index("1. Nummer") < text.index("2. Nummer")


def test_a_second_sync_the_same_day_adds_its_letters_to_the_same_file(
    printed, config, register_path, sh
):
    sh.type_rows(register_path, [_letter("Dhr. Zes", "Straat 6")])
    report = run_sync(config, shared=LocalRegister(register_path), today=DAY)
    assert report.letters == 1
    html = (config.outbox_dir / "_afdrukken" / "2026-11-26-brieven.html").read_text()
    assert html.count('<div class="brief">') == 4 and html.count("Dhr. Zes") >= 1
    assert "(postvak-uit/_afdrukken/2026-11-26-brieven.html)" in report.summary()


def test_combining_keeps_one_style_and_breaks_between_letters():
    doc = "<html><head><style>.page{}</style></head><body><div class='page'>@</div></body></html>"
    combined = combine_letters([doc.replace("@", "een"), doc.replace("@", "twee")], "Brieven")
    assert combined.count(".page{}") == 1
    assert "break-after: page" in combined and "een" in combined and "twee" in combined


@pytest.mark.browser
def test_three_letters_print_as_three_a4_pages(printed, config, browser):
    letters = config.outbox_dir / "_afdrukken" / "2026-11-26-brieven.html"
    page = browser.new_page()
    try:
        page.goto(letters.as_uri())
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    assert _pages(pdf) == 3
    # A4 in points: 595 x 842 (Chromium writes the MediaBox of every page).
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)


@pytest.mark.browser
def test_short_letters_still_get_a_page_each(tmp_path, browser):
    # An organisation's own template without a full-page block: the breaks do the work.
    short = "<html><head><style>p{margin:0}</style></head><body><p>Brief @</p></body></html>"
    path = tmp_path / "brieven.html"
    path.write_text(combine_letters([short.replace("@", str(i)) for i in range(4)], "Brieven"))
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        pdf = page.pdf(format="A4")
    finally:
        page.close()
    assert _pages(pdf) == 4
