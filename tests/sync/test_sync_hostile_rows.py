"""Hand-typed rows with any text in any column: the sync never stops for everyone."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync

TODAY_TEXT = "26-11-2026"
TYPICAL = {
    "Ontvangen op": "23-11-2026", "Kanaal": "Telefoon", "Soort": "Klacht",
    "Deelnemer": "Mevr. Tas", "E-mail deelnemer": "tas@example.org", "Bevestiging via": "E-mail",
    "Locatie": "Utrecht", "Categorie": "Niet ophalen", "Omschrijving": "De bus kwam niet.",
    "Status": "Overgedragen", "Overgedragen op": "20-11-2026",
}  # fmt: skip
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
COLUMNS = [h for h in schema.KLACHTEN.headers if h != "Nummer"]


@st.composite
def rows(draw):
    result = []
    for _ in range(draw(st.integers(1, 4))):
        chosen = draw(st.lists(st.sampled_from(COLUMNS), max_size=4, unique=True))
        row = dict(TYPICAL)
        for header in chosen:
            row[header] = draw(TEXT)
        result.append(row)
    return result


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_any_hand_typed_row_leaves_the_run_standing(typed):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "r.xlsx"
        register = LocalRegister(path)
        register.ensure_layout(schema.TABS)
        register.append(schema.KLACHTEN_TAB, typed)
        config = Config(register=str(path), output_dir=tmp / "uitvoer")
        report = run_sync(config, shared=LocalRegister(path))
        assert report.ok, report.failures
        again = run_sync(config, shared=LocalRegister(path))
        assert again.ok and again.messages == 0
        openpyxl.load_workbook(path)
