"""The workbook laid out for work, as openpyxl sees it (LibreOffice: test_register_libreoffice)."""

from __future__ import annotations

import openpyxl
from openpyxl.utils import get_column_letter

from klachtsheet import schema
from klachtsheet.register import presentation
from klachtsheet.register.local import LocalRegister


def test_klachten_has_filter_frozen_nummer_notes_and_overdue_colouring(register_path):
    sheet = openpyxl.load_workbook(register_path)["Klachten"]
    headers = [c.value for c in sheet[1]]
    last = get_column_letter(len(headers))

    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{last}1048576"
    for index, header in enumerate(headers, start=1):
        column = schema.KLACHTEN.by_header(header)
        note = sheet.cell(row=1, column=index).comment
        assert note is not None and column.help in note.text, header
        width = sheet.column_dimensions[get_column_letter(index)].width
        assert width >= len(header) + 2, header  # no header cut off
    formulas = [r.formula[0] for cf in sheet.conditional_formatting for r in cf.rules]
    assert len(formulas) == 1 and presentation.RULE_MARK in formulas[0]
    letter = get_column_letter(headers.index("Telefoon") + 1)
    assert sheet.column_dimensions[letter].number_format == "@"
    letter = get_column_letter(headers.index("Ontvangen op") + 1)
    assert sheet.column_dimensions[letter].number_format == "dd-mm-yyyy"
    assert sheet.column_dimensions[
        get_column_letter(headers.index("Omschrijving") + 1)
    ].alignment.wrap_text


def test_sync_columns_carry_an_input_message_saying_who_fills_them(register_path):
    sheet = openpyxl.load_workbook(register_path)["Klachten"]
    headers = [c.value for c in sheet[1]]
    prompts = {
        str(dv.sqref).split(":")[0]: dv.prompt
        for dv in sheet.data_validations.dataValidation
        if dv.showInputMessage
    }
    for column in schema.KLACHTEN.columns:
        letter = get_column_letter(headers.index(column.header) + 1)
        if column.owner is schema.Owner.SYNC:
            assert "dagelijkse controle" in prompts[f"{letter}2"], column.header
            note = sheet.cell(row=1, column=headers.index(column.header) + 1).comment.text
            assert "overschreven" in note
        else:
            assert f"{letter}2" not in prompts


def test_widths_fit_the_content(register, register_path):
    register.append("Klachten", [{"Categorie": "Te laat of niet gebeld m.b.t. ophaaltijd"}])
    path = register_path
    workbook = openpyxl.load_workbook(path)
    workbook["Klachten"].auto_filter.ref = None  # an old register: init lays it out again
    workbook.save(path)

    changes = LocalRegister(path).ensure_layout(schema.TABS)

    assert changes == [
        "Tabblad 'Klachten' opgemaakt: filterknoppen, vaste kopregel, kolombreedtes en "
        "toelichting bij elke kolom"
    ]
    sheet = openpyxl.load_workbook(path)["Klachten"]
    headers = [c.value for c in sheet[1]]
    letter = get_column_letter(headers.index("Categorie") + 1)
    assert sheet.column_dimensions[letter].width >= len("Te laat of niet gebeld m.b.t. ophaaltijd")
    assert LocalRegister(path).ensure_layout(schema.TABS) == []


def test_init_upgrades_an_old_register_without_touching_its_data(tmp_path):
    path = tmp_path / "oud.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Klachten"
    sheet.append(["Nummer", "Ontvangen op", "Telefoon", "Omschrijving"])
    sheet.append(["26-000-001", "3-5-2026", "0612345678", "oude klacht"])
    workbook.save(path)
    before = [(c.value, c.data_type) for c in openpyxl.load_workbook(path)["Klachten"][2]]

    LocalRegister(path).ensure_layout(schema.TABS)

    sheet = openpyxl.load_workbook(path)["Klachten"]
    assert [(c.value, c.data_type) for c in sheet[2]][:4] == before
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref
