"""The confirmation letter: one A4 page in Chromium, the address in the envelope window."""

from __future__ import annotations

import re

import pytest

from klachtsheet.sync.run import run_sync

MM = 96 / 25.4  # CSS pixels per millimetre


@pytest.mark.browser
def test_letter_prints_on_one_a4_page_with_address_in_window(
    browser, config, register, register_path, messy, sh
):
    run_sync(config, shared=register, today=sh.TODAY)
    nummer = sh.by_name(sh.read_rows(register_path))["Dhr. Bakker"]["Nummer"]
    html = (config.outbox_dir / nummer / "bevestiging-brief.html").read_text()
    assert "@page" in html and "size: A4" in html
    assert "donderdag 10 december 2026" in html and "10 werkdagen" in html
    assert "aangifte" not in html.lower()

    page = browser.new_page()
    try:
        page.set_content(html)
        page.emulate_media(media="print")
        window = page.eval_on_selector(".venster", "e => e.getBoundingClientRect().toJSON()")
        text = page.inner_text(".venster")
        fits = page.eval_on_selector(".inhoud", "e => e.scrollHeight <= e.clientHeight")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.close()

    assert text.splitlines() == ["Dhr. Bakker", "Dorpsstraat 1", "1234 AB Haarlem"]
    # A Dutch window envelope shows about 20-110 mm from the left, 45-90 mm from the top.
    assert window["left"] / MM >= 20 and (window["left"] + window["width"]) / MM <= 110
    assert window["top"] / MM >= 45 and (window["top"] + window["height"]) / MM <= 90
    assert fits  # no text cut off at the bottom of the page
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1
    [box] = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert (round(float(box[0])), round(float(box[1]))) == (595, 842)
