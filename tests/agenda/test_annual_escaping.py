"""The jaarverslag's HTML escapes what people typed (locations, categories)."""

from __future__ import annotations

from klachtsheet import schema
from klachtsheet.model import Table
from klachtsheet.reports.annual import build_annual, render_annual

from .conftest import klachten_table

EVIL = "<img src=x onerror=alert(1)>"


def test_a_location_or_category_with_html_is_escaped():
    rows = [
        {"nummer": f"X-{i}", "ontvangen_op": "10-02-2026", "categorie": EVIL, "locatie": EVIL,
         "soort": "Klacht", "status": "Nieuw", "kanaal": "Telefoon"}
        for i in range(3)
    ]  # fmt: skip
    categories = Table(
        schema.CATEGORIEEN_TAB,
        tuple(schema.CATEGORIEEN.headers),
        ((EVIL,) + ("",) * (len(schema.CATEGORIEEN.headers) - 1),),
    )
    tables = {schema.KLACHTEN_TAB: klachten_table(rows), schema.CATEGORIEEN_TAB: categories}
    html = render_annual(build_annual(tables, year=2026), "html")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
