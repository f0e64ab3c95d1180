"""The HTML agenda opens in Chromium with a readable chart (inline SVG, no script)."""

from __future__ import annotations

import pytest

from klachtsheet.reports.agenda import build_agenda, render_agenda

from .conftest import MEETING, SINCE

pytestmark = pytest.mark.browser


def test_chart_is_visible_and_readable(browser, tables, tmp_path):
    html = render_agenda(build_agenda(tables, meeting=MEETING, since=SINCE), "html")
    assert "<script" not in html.lower()
    path = tmp_path / "agenda.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    try:
        page.goto(path.as_uri())
        svg = page.locator("figure svg")
        assert svg.is_visible()
        bars = page.locator("svg rect.bar.huidig")
        assert bars.count() == 5  # five groups counted in the period or before
        widths = []
        for i in range(bars.count()):
            box = bars.nth(i).bounding_box()
            assert box is not None and box["height"] > 0
            widths.append(box["width"])
        assert widths[0] > 100  # the largest bar (6) fills the scale
        assert all(w > 0 for w in widths)
        labels = page.locator("svg text.label").all_text_contents()
        assert labels[0] == "Niet ophalen"
        assert "Tijdstip ophalen" in labels and "Vertrouwelijk (alleen aantal)" in labels
        for i in range(len(labels)):
            box = page.locator("svg text.label").nth(i).bounding_box()
            assert box is not None and box["width"] > 20 and box["x"] >= 0
        # The rising category stands out in red; its value is printed next to the bar.
        assert page.locator("svg g.staaf.stijgt text.waarde").first.text_content() == "6 ▲"
        assert page.locator("h2", has_text="Bespreekpunten").is_visible()
        shot = tmp_path / "agenda.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        pdf = page.pdf(format="A4")  # print styles: the page prints without error
        assert pdf.startswith(b"%PDF")
    finally:
        page.close()
