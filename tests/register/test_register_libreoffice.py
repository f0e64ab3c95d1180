"""A real spreadsheet program opens the workbook and sees the tabs and headers."""

from __future__ import annotations

import csv
import subprocess

import pytest

from klachtsheet import schema

pytestmark = pytest.mark.libreoffice


def test_libreoffice_opens_the_register_and_shows_tabs_and_headers(soffice, register, tmp_path):
    register.append("Klachten", [{"Omschrijving": '=HYPERLINK("http://x","y")'}])
    out = tmp_path / "csv"
    out.mkdir()
    # Filter option token 12 = -1 exports every sheet to its own file (LibreOffice >= 7.2).
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            register.location,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert result.returncode == 0, result.stderr
    files = {p.stem.split("-", 1)[1]: p for p in out.glob("*.csv")}
    assert set(files) == {t.name for t in schema.TABS}
    for tab in schema.TABS:
        with files[tab.name].open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == tab.headers
    with files["Klachten"].open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    # Shown as the text typed, not evaluated as a formula (which would show "y").
    assert rows[1][schema.KLACHTEN.headers.index("Omschrijving")] == '=HYPERLINK("http://x","y")'
