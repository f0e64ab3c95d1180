"""The demo's agenda printed to PDF in Chromium: at most two A4 pages, plain words outside the note."""

from __future__ import annotations

import re
from datetime import date

import pytest

from klachtsheet.config import load_config
from klachtsheet.demo.run import run_demo
from klachtsheet.register.local import LocalRegister
from klachtsheet.reports.agenda import build_agenda, render_agenda, tab_rows
from klachtsheet.reports.agenda_figures import READ_TABS

pytestmark = pytest.mark.browser

JARGON = ("p <", "p<", "p =", "Poisson", "p-waarde")


def pdf_pages(data: bytes) -> int:
    """Count the pages of a PDF: pypdf when installed, else the /Type /Page objects."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    import io

    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, today=date(2026, 12, 2))
    config = load_config(folder / "klachtsheet.toml")
    tables = LocalRegister(config.register).read(READ_TABS)
    return build_agenda(tables, meeting=date(2026, 12, 2))


def without_method_note(text: str) -> str:
    return text.split("Methode:")[0]


def test_demo_agenda_prints_on_at_most_two_pages(browser, demo, tmp_path):
    html = render_agenda(demo, "html")
    assert demo.received >= 30  # a normal month of the demo, not an empty one
    path = tmp_path / "agenda.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        printed = page.evaluate("document.body.innerText")
        method = page.locator("#methode").inner_text()
        # Chart and discussion points come before the tables.
        order = page.evaluate(
            """() => [...document.querySelectorAll('h2, figure, table')]
                      .map(e => e.tagName === 'H2' ? e.textContent : e.tagName)"""
        )
    finally:
        page.close()
    assert pdf.startswith(b"%PDF")
    assert 1 <= pdf_pages(pdf) <= 2
    assert order.index("Bespreekpunten") < order.index("FIGURE") < order.index("TABLE")
    assert method.startswith("Methode:")
    outside = printed.replace(method, "")
    for word in JARGON:
        assert word not in outside, word
    # The trend picture per category is on paper too: one line per bar in the chart.
    assert html.count('class="verloop"') >= len([t for t in demo.categories if t.current])


def test_same_content_in_markdown_and_on_the_tab(demo):
    md = render_agenda(demo, "md")
    tab = "\n".join(row[0] for row in tab_rows(demo))
    for text in (md, tab):
        for word in JARGON:
            assert word not in without_method_note(text), word
        assert "Methode:" in text
        assert "Binnen de termijn beantwoord:" in text
        for trend in demo.categories[:5]:
            assert "-".join(str(n) for n in trend.series) in text
        if demo.rising:
            assert "duidelijk meer dan gewoonlijk" in text
