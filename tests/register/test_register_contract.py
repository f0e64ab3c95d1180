"""One contract for the Register protocol, run against both backends: xlsx and Google (fake)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from klachtsheet import nummer, schema
from klachtsheet.exceptions import LayoutError
from klachtsheet.model import CellUpdate
from klachtsheet.register import Register, fingerprint
from klachtsheet.register.local import LocalRegister

KLACHTEN = schema.KLACHTEN_TAB
FORMULA = '=IMPORTXML("http://x","//a")'
H = schema.KLACHTEN.header


class LocalBackend:
    """The xlsx workbook, and what a person can do to it."""

    name = "local"

    def __init__(self, path: Path) -> None:
        self.path = path

    def fresh(self) -> LocalRegister:
        return LocalRegister(self.path)

    def stored(self, tab: str) -> list[list[Any]]:
        workbook = openpyxl.load_workbook(self.path)
        rows = [list(r) for r in workbook[tab].iter_rows(values_only=True)]
        return [_trim(["" if v is None else v for v in r]) for r in rows if any(r)]

    def reorder(self, tab: str) -> None:
        workbook = openpyxl.load_workbook(self.path)
        sheet = workbook[tab]
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        rows.reverse()
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                sheet.cell(row=r, column=c).value = value
        workbook.save(self.path)

    def type_row(self, tab: str, values: dict[str, str]) -> None:
        workbook = openpyxl.load_workbook(self.path)
        sheet = workbook[tab]
        headers = [c.value for c in sheet[1]]
        sheet.append([values.get(h) for h in headers])
        workbook.save(self.path)


class GoogleBackend:
    """A spreadsheet in the fake Sheets API, and what a person can do to it."""

    name = "google"

    def __init__(self, fake, make_register) -> None:
        self.fake, self.make, self.key = fake, make_register, "contract-sheet"

    def fresh(self):
        return self.make(self.key)

    def stored(self, tab: str) -> list[list[Any]]:
        return [r for r in self.fake.rows(self.key, tab) if r]

    def reorder(self, tab: str) -> None:
        self.fake.reorder(self.key, tab)

    def type_row(self, tab: str, values: dict[str, str]) -> None:
        sheet = self.fake.sheet(self.key, tab)
        headers = [str(v) for v in sheet.cells[0]]
        self.fake.put_rows(
            self.key, tab, [[values.get(h, "") for h in headers]], start=sheet.used_rows()
        )


@pytest.fixture(params=["local", "google"])
def backend(request, tmp_path):
    if request.param == "local":
        return LocalBackend(tmp_path / "klachtenregister.xlsx")
    return GoogleBackend(request.getfixturevalue("fake"), request.getfixturevalue("make_register"))


@pytest.fixture
def ready(backend) -> Register:
    """Return a register of the backend with the full layout."""
    register = backend.fresh()
    assert register.ensure_layout(schema.EXAMPLE_TABS)
    return register


def _trim(row: list[Any]) -> list[Any]:
    while row and row[-1] in ("", None):
        row.pop()
    return row


def _complaint(i: int) -> dict[str, str]:
    return {
        H("kanaal"): "Telefoon",
        H("soort"): schema.KLACHT,
        H("deelnemer"): f"Deelnemer {i:03d}",
        H("omschrijving"): f"Omschrijving {i} met   spaties en ë",
        H("status"): schema.OVERGEDRAGEN,
        H("notities"): f"notitie {i}",
    }


def _by_nummer(table) -> dict[str, dict[str, str]]:
    return {r["Nummer"]: r for r in table.records() if r["Nummer"]}


def test_contract_satisfies_protocol(backend, ready):
    assert isinstance(ready, Register)


def test_contract_reads_several_tabs_and_leaves_out_missing(backend, ready):
    tables = backend.fresh().read(
        [KLACHTEN, schema.CATEGORIEEN_TAB, "Bestaat niet", schema.INSTELLINGEN_TAB]
    )
    assert set(tables) == {KLACHTEN, schema.CATEGORIEEN_TAB, schema.INSTELLINGEN_TAB}
    assert tables[KLACHTEN].headers == schema.KLACHTEN.headers
    assert tables[KLACHTEN].rows == ()
    categories = tables[schema.CATEGORIEEN_TAB]
    assert categories.rows == schema.SEED_CATEGORIES
    names = categories.column("Categorie")
    assert "Verlies, vermissing of diefstal" in names
    assert tables[schema.INSTELLINGEN_TAB].column("Instelling") == [s.name for s in schema.SETTINGS]


def test_contract_append_allocates_nummers_and_replay_adds_nothing(backend, ready):
    rows = [_complaint(1), _complaint(2)]
    nummers = backend.fresh().append(KLACHTEN, rows)
    assert len(set(nummers)) == 2 and all(nummer.is_valid(n) for n in nummers)
    replay = [dict(row, Nummer=n) for row, n in zip(rows, nummers, strict=True)]
    assert backend.fresh().append(KLACHTEN, replay) == nummers
    table = backend.fresh().read([KLACHTEN])[KLACHTEN]
    assert sorted(table.column("Nummer")) == sorted(nummers)
    assert _by_nummer(table)[nummers[1]][H("deelnemer")] == "Deelnemer 002"


def test_contract_update_lands_on_its_nummer_after_a_resort(backend, ready):
    nummers = backend.fresh().append(KLACHTEN, [_complaint(i) for i in range(6)])
    register = backend.fresh()
    before = register.read([KLACHTEN])[KLACHTEN]
    people_before = {
        n: {h: v for h, v in r.items() if h not in (H("controle"), H("antwoord_uiterlijk"))}
        for n, r in _by_nummer(before).items()
    }
    stored_before = {r[0]: r for r in backend.stored(KLACHTEN)[1:]}
    backend.reorder(KLACHTEN)  # a person sorts between the read and the write
    updates = [CellUpdate(n, H("controle"), f"controle {n}") for n in nummers[::2]]
    updates += [CellUpdate(nummers[1], H("antwoord_uiterlijk"), "10-12-2026")]
    result = register.update(KLACHTEN, updates)
    assert result.written == 4 and not result.missing and not result.ambiguous
    after = _by_nummer(backend.fresh().read([KLACHTEN])[KLACHTEN])
    for n in nummers:
        expected = f"controle {n}" if n in nummers[::2] else ""
        assert after[n][H("controle")] == expected
        assert {
            h: v for h, v in after[n].items() if h not in (H("controle"), H("antwoord_uiterlijk"))
        } == people_before[n]
    assert after[nummers[1]][H("antwoord_uiterlijk")] == "10-12-2026"
    # Cells owned by people are byte-identical in storage, per Nummer.
    controle = schema.KLACHTEN.headers.index(H("controle"))
    due = schema.KLACHTEN.headers.index(H("antwoord_uiterlijk"))
    for row in backend.stored(KLACHTEN)[1:]:
        old = stored_before[row[0]]
        for i in range(max(len(row), len(old))):
            if i not in (controle, due):
                assert (row[i] if i < len(row) else "") == (old[i] if i < len(old) else "")


def test_contract_fingerprint_gives_hand_typed_rows_their_own_nummer(backend, ready):
    typed = {
        H("deelnemer"): "Handmatig",
        H("omschrijving"): "Zelf ingetypt",
        H("status"): schema.NIEUW,
    }
    backend.type_row(KLACHTEN, typed)
    backend.type_row(KLACHTEN, typed)  # the same row twice: each gets its own Nummer
    register = backend.fresh()
    table = register.read([KLACHTEN])[KLACHTEN]
    assert table.column("Nummer") == ["", ""]
    prints = [fingerprint(row) for row in table.rows]
    assert prints[0] == prints[1]
    new = ["26-111-111", "26-222-222"]
    updates = []
    for n, fp in zip(new, prints, strict=True):
        updates += [CellUpdate(n, "Nummer", n, fp), CellUpdate(n, H("controle"), "nieuw", fp)]
    backend.reorder(KLACHTEN)
    result = register.update(KLACHTEN, updates)
    assert result.written == 4 and not result.missing
    after = backend.fresh().read([KLACHTEN])[KLACHTEN]
    assert sorted(after.column("Nummer")) == new
    assert after.column(H("controle")) == ["nieuw", "nieuw"]
    assert after.column(H("omschrijving")) == ["Zelf ingetypt", "Zelf ingetypt"]


def test_contract_reports_missing_and_ambiguous_nummers(backend, ready):
    backend.type_row(KLACHTEN, {"Nummer": "26-333-333", H("deelnemer"): "A"})
    backend.type_row(KLACHTEN, {"Nummer": "26-333-333", H("deelnemer"): "B"})
    result = backend.fresh().update(
        KLACHTEN,
        [
            CellUpdate("26-333-333", H("controle"), "x"),
            CellUpdate("26-999-999", H("controle"), "y"),
        ],
    )
    assert result.written == 0
    assert result.ambiguous == ("26-333-333",)
    assert result.missing == ("26-999-999",)
    assert backend.fresh().read([KLACHTEN])[KLACHTEN].column(H("controle")) == ["", ""]


def test_contract_expected_value_keeps_a_cell_a_person_filled_meanwhile(backend, ready):
    first, second = backend.fresh().append(KLACHTEN, [_complaint(1), _complaint(2)])
    backend.fresh().update(KLACHTEN, [CellUpdate(first, H("coordinator"), "Piet (mens)")])

    result = backend.fresh().update(
        KLACHTEN,
        [
            CellUpdate(first, H("coordinator"), "Anna (sync)", expected=""),
            CellUpdate(second, H("coordinator"), "Anna (sync)", expected=""),
        ],
    )

    table = backend.fresh().read([KLACHTEN])[KLACHTEN]
    assert result.written == 1
    assert result.changed_meanwhile == (first,)
    assert table.column(H("coordinator")) == ["Piet (mens)", "Anna (sync)"]


def test_contract_update_without_a_change_writes_nothing(backend, ready):
    (n,) = backend.fresh().append(KLACHTEN, [_complaint(1)])
    register = backend.fresh()
    assert register.update(KLACHTEN, [CellUpdate(n, H("status"), schema.OVERGEDRAGEN)]).written == 0
    assert (
        register.update(KLACHTEN, [CellUpdate(n, H("status"), schema.IN_BEHANDELING)]).written == 1
    )


def test_contract_ensure_layout_is_idempotent_and_upgrades_without_loss(backend):
    old_klachten = schema.Tab(
        KLACHTEN, tuple(c for c in schema.KLACHTEN.columns if c.key not in ("notities", "controle"))
    )
    old_tabs = (old_klachten, schema.CATEGORIEEN, schema.LOCATIES)
    assert backend.fresh().ensure_layout(old_tabs)
    (n,) = backend.fresh().append(KLACHTEN, [{H("deelnemer"): "Oud", H("status"): "Nieuw"}])
    changes = backend.fresh().ensure_layout(schema.EXAMPLE_TABS)
    assert f"Kolom 'Notities' toegevoegd aan tabblad '{KLACHTEN}'" in changes
    assert f"Kolom 'Controle' toegevoegd aan tabblad '{KLACHTEN}'" in changes
    assert f"Tabblad '{schema.LOGBOEK_TAB}' toegevoegd" in changes
    assert backend.fresh().ensure_layout(schema.EXAMPLE_TABS) == []
    table = backend.fresh().read([KLACHTEN])[KLACHTEN]
    assert table.headers[-2:] == ("Notities", "Controle")
    assert _by_nummer(table)[n][H("deelnemer")] == "Oud"
    assert _by_nummer(table)[n][H("status")] == "Nieuw"


def test_contract_formula_text_stays_text(backend, ready):
    (n,) = backend.fresh().append(KLACHTEN, [{H("omschrijving"): FORMULA}])
    backend.fresh().update(KLACHTEN, [CellUpdate(n, H("notities"), "=1+1")])
    row = _by_nummer(backend.fresh().read([KLACHTEN])[KLACHTEN])[n]
    assert row[H("omschrijving")] == FORMULA
    assert row[H("notities")] == "=1+1"
    stored = next(r for r in backend.stored(KLACHTEN) if r[0] == n)
    assert FORMULA in stored and "=1+1" in stored  # plain strings, not formulas


def test_contract_logbook_keeps_every_entry_for_one_nummer(backend, ready):
    entries = [
        {"Nummer": "26-444-444", "Actie": "Ingevoerd"},
        {"Nummer": "26-444-444", "Actie": "Bevestiging verstuurd"},
    ]
    assert backend.fresh().append(schema.LOGBOEK_TAB, entries) == ["", ""]
    table = backend.fresh().read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB]
    assert table.column("Actie") == ["Ingevoerd", "Bevestiging verstuurd"]
    assert table.column("Nummer") == ["26-444-444", "26-444-444"]


def test_contract_replace_rows(backend, ready):
    register = backend.fresh()
    register.replace_rows(schema.AGENDA_TAB, [["# Klachten"], ["regel 2"], ["regel 3"]])
    register.replace_rows(schema.AGENDA_TAB, [["# Klachten"], ["korter"]])
    table = backend.fresh().read([schema.AGENDA_TAB])[schema.AGENDA_TAB]
    assert table.rows == (("# Klachten",), ("korter",))


def test_contract_unknown_columns_are_a_layout_error(backend, ready):
    if isinstance(backend, GoogleBackend):
        # Issue 14: a missing column never blocks a submission; its value goes to Notities.
        (kept,) = backend.fresh().append(KLACHTEN, [{"Bestaat niet": "x"}])
        table = backend.fresh().read([KLACHTEN])[KLACHTEN]
        notes = table.column("Notities")[table.column("Nummer").index(kept)]
        assert notes == "[Bestaat niet] x"
    else:
        with pytest.raises(LayoutError, match="Bestaat niet"):
            backend.fresh().append(KLACHTEN, [{"Bestaat niet": "x"}])
    (n,) = backend.fresh().append(KLACHTEN, [_complaint(1)])
    with pytest.raises(LayoutError, match="Bestaat niet"):
        backend.fresh().update(KLACHTEN, [CellUpdate(n, "Bestaat niet", "x")])
