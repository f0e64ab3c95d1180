"""The fast writer: a workbook a person formatted keeps every feature, byte for byte."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.model import CellUpdate
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync

X14 = (
    b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b"<x14:conditionalFormattings><x14:conditionalFormatting "
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<x14:cfRule type="dataBar" id="{00000000-000E-0000-0000-000001000000}">'
    b'<x14:dataBar minLength="0" maxLength="100"><x14:cfvo type="autoMin"/>'
    b'<x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule><xm:sqref>A2:A10</xm:sqref>'
    b"</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
)
RED = PatternFill("solid", fgColor="FFC7CE")
KLACHTEN_XML = "xl/worksheets/sheet1.xml"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def outside_sheet_data(xml: bytes) -> tuple[bytes, bytes]:
    head, rest = xml.split(b"<sheetData>", 1)
    tail = rest.split(b"</sheetData>", 1)[1]
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", head), tail


def row_xml(xml: bytes, number: int) -> bytes:
    return re.search(rb'<row r="%d"[ >].*?</row>' % number, xml, re.S).group()


def formatted_register(tmp_path: Path) -> Path:
    """A register as a person left it: colours, a note, own column and tab, filter, rules."""
    path = tmp_path / "klachtenregister.xlsx"
    LocalRegister(path).ensure_layout(schema.TABS)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Klachten"]
    headers = list(schema.KLACHTEN.headers)
    own = len(headers) + 1
    sheet.cell(row=1, column=own, value="Eigen kolom")
    row = {"Omschrijving": "Met de hand getypt", "Status": "Nieuw", "Kanaal": "Telefoon"}
    for header, value in row.items():
        sheet.cell(row=2, column=headers.index(header) + 1, value=value)
    sheet.cell(row=2, column=own, value="eigen waarde")
    described = sheet.cell(row=2, column=headers.index("Omschrijving") + 1)
    described.fill = RED
    described.comment = Comment("Nagebeld op maandag", "Back office")
    sheet.auto_filter.ref = f"A1:{openpyxl.utils.get_column_letter(own)}1"
    status = openpyxl.utils.get_column_letter(headers.index("Status") + 1)
    sheet.conditional_formatting.add(
        f"{status}2:{status}5000", CellIsRule(operator="equal", formula=['"Nieuw"'], fill=RED)
    )
    sheet.column_dimensions["B"].width = 33
    mine = workbook.create_sheet("Eigen tab")
    mine["A1"], mine["B2"] = "Eigen overzicht", 42
    workbook.save(path)
    parts = members(path)
    parts[KLACHTEN_XML] = parts[KLACHTEN_XML].replace(b"</worksheet>", X14 + b"</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_formatted_workbook_survives_100_appends_and_a_sync(tmp_path):
    path = formatted_register(tmp_path)
    before = members(path)
    head, tail = outside_sheet_data(before[KLACHTEN_XML])
    assert X14 in tail and b"<autoFilter" in tail and b"<conditionalFormatting" in tail
    row_two = row_xml(before[KLACHTEN_XML], 2)

    form = LocalRegister(path)
    for index in range(100):
        writer = form if index % 2 else LocalRegister(path)  # warm and cold processes alike
        writer.append(
            "Klachten",
            [
                {
                    "Ontvangen op": "02-12-2026 20:41",
                    "Kanaal": "Telefoon",
                    "Soort": "Klacht",
                    "Deelnemer": f"Deelnemer {index}",
                    "Omschrijving": f"Klacht {index}",
                }
            ],
        )
    config = Config(
        register=str(path),
        confidential_register=str(tmp_path / "vertrouwelijk.xlsx"),
        output_dir=tmp_path / "uitvoer",
    )
    report = run_sync(config, shared=LocalRegister(path), today=date(2026, 12, 3))
    assert report.written > 0

    after = members(path)
    assert set(after) == set(before)
    # Every part but the sheets the sync writes (Klachten, Logboek) and the styles is byte
    # for byte the same: the note, its drawing, the own tab, the other tabs.
    changed = {name for name in before if before[name] != after[name]}
    logboek = f"xl/worksheets/sheet{[t.name for t in schema.TABS].index('Logboek') + 1}.xml"
    assert changed <= {KLACHTEN_XML, "xl/styles.xml", logboek}
    assert KLACHTEN_XML in changed
    assert any("comments" in name for name in before)
    assert any(name.endswith(".vml") for name in before)
    # Inside the changed sheet: widths, frozen pane, filter, rules, validations, x14 intact.
    assert outside_sheet_data(after[KLACHTEN_XML]) == (head, tail)
    # The person's row keeps its colour, note anchor and own column; only the sync's
    # cells in it may change, and the cells it did not touch are the same bytes.
    new_row_two = row_xml(after[KLACHTEN_XML], 2)
    old_cells = dict(re.findall(rb'<c r="([A-Z]+)2"(.*?)(?:/>|</c>)', row_two, re.S))
    new_cells = dict(re.findall(rb'<c r="([A-Z]+)2"(.*?)(?:/>|</c>)', new_row_two, re.S))
    omschrijving = openpyxl.utils.get_column_letter(
        schema.KLACHTEN.headers.index("Omschrijving") + 1
    ).encode()
    assert new_cells[omschrijving] == old_cells[omschrijving]
    own = openpyxl.utils.get_column_letter(len(schema.KLACHTEN.headers) + 1).encode()
    assert new_cells[own] == old_cells[own]
    # The old styles stay where they were; date styles are only added at the end.
    old_xfs = re.search(rb"<cellXfs[^>]*>(.*)</cellXfs>", before["xl/styles.xml"], re.S)[1]
    new_xfs = re.search(rb"<cellXfs[^>]*>(.*)</cellXfs>", after["xl/styles.xml"], re.S)[1]
    assert new_xfs.startswith(old_xfs)
    # openpyxl (an independent reader) sees all of it.
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Klachten"]
    assert sheet.max_row == 102
    assert sheet.cell(row=2, column=len(schema.KLACHTEN.headers) + 1).value == "eigen waarde"
    cell = sheet.cell(row=2, column=schema.KLACHTEN.headers.index("Omschrijving") + 1)
    assert cell.comment.text.startswith("Nagebeld")
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert workbook["Eigen tab"]["B2"].value == 42
    assert sheet.freeze_panes == "B2"  # as init laid it out (header row and Nummer)


def test_date_columns_are_written_as_real_date_cells_and_read_back_as_dutch_text(register):
    [given] = register.append(
        "Klachten", [{"Ontvangen op": "2026-07-29 09:05", "Datum activiteit": "12 augustus 2026"}]
    )
    register.update("Klachten", [CellUpdate(given, "Afgesloten op", "24/9/26")])

    sheet = openpyxl.load_workbook(register.path)["Klachten"]
    headers = schema.KLACHTEN.headers
    received = sheet.cell(row=2, column=headers.index("Ontvangen op") + 1)
    activity = sheet.cell(row=2, column=headers.index("Datum activiteit") + 1)
    closed = sheet.cell(row=2, column=headers.index("Afgesloten op") + 1)
    assert received.is_date and received.number_format == "dd-mm-yyyy hh:mm"
    assert activity.is_date and activity.number_format == "dd-mm-yyyy"
    assert closed.value.date() == date(2026, 9, 24)
    [row] = LocalRegister(register.path).read(["Klachten"])["Klachten"].records()
    assert row["Ontvangen op"] == "29-07-2026 09:05"
    assert row["Datum activiteit"] == "12-08-2026"
    assert row["Afgesloten op"] == "24-09-2026"
    # The copy in memory says what a fresh read says.
    [warm] = register.read(["Klachten"])["Klachten"].records()
    assert warm == row


def test_a_text_that_is_no_date_stays_text_in_a_date_column(register):
    register.append("Klachten", [{"Ontvangen op": "gisteren", "Omschrijving": "=1+1"}])

    [row] = LocalRegister(register.path).read(["Klachten"])["Klachten"].records()
    assert row["Ontvangen op"] == "gisteren"
    assert row["Omschrijving"] == "=1+1"
    xml = members(register.path)[KLACHTEN_XML]
    assert b"<f>" not in xml


def test_replace_rows_rewrites_only_that_tab_and_nothing_when_unchanged(register):
    register.append("Klachten", [{"Omschrijving": "blijft"}])
    before = members(register.path)
    register.replace_rows("Agenda", [["Eerste punt"], ["Tweede punt"]])
    after = members(register.path)
    changed = {name for name in before if before[name] != after[name]}
    assert len(changed) == 1 and changed.pop().startswith("xl/worksheets/")
    stamp = register.path.stat().st_mtime_ns
    register.replace_rows("Agenda", [["Eerste punt"], ["Tweede punt"]])
    assert register.path.stat().st_mtime_ns == stamp
    assert LocalRegister(register.path).read(["Agenda"])["Agenda"].rows[:2] == (
        ("Eerste punt",),
        ("Tweede punt",),
    )


def test_a_file_without_row_numbers_falls_back_to_openpyxl_once(register):
    parts = members(register.path)
    parts[KLACHTEN_XML] = re.sub(rb'<row r="\d+"', b"<row", parts[KLACHTEN_XML])
    with zipfile.ZipFile(register.path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    register.append("Klachten", [{"Omschrijving": "toch geschreven"}])

    [row] = LocalRegister(register.path).read(["Klachten"])["Klachten"].records()
    assert row["Omschrijving"] == "toch geschreven"
    assert b'<row r="1"' in members(register.path)[KLACHTEN_XML]


def test_one_register_per_process_for_the_form_writer_and_the_sync(tmp_path, register_path):
    from klachtsheet.intake.writer import QueueWriter
    from klachtsheet.register import open_register

    config = Config(
        register=str(register_path),
        confidential_register=str(tmp_path / "vertrouwelijk.xlsx"),
        queue_dir=tmp_path / "wachtrij",
        output_dir=tmp_path / "uitvoer",
    )
    writer = QueueWriter.from_config(config)

    assert writer._open_shared() is writer._open_shared()
    assert writer._open_shared() is open_register(str(register_path), config)
    assert open_register(str(tmp_path / "." / register_path.name)) is writer._open_shared()
