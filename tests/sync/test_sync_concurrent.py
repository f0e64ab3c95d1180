"""A person edits and re-sorts the register while the sync runs: their work survives."""

from __future__ import annotations

import subprocess
import sys

from klachtsheet.sync.run import run_sync

# Another process: under the register's lock, edit a people-owned cell and sort the rows
# by Deelnemer descending, as a coordinator working in LibreOffice would.
EDITOR = """
import sys, filelock, openpyxl
path = sys.argv[1]
with filelock.FileLock(path + ".lock", timeout=30):
    wb = openpyxl.load_workbook(path)
    ws = wb["Klachten"]
    headers = [c.value for c in ws[1]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    name, notes, status = (headers.index(h) for h in ("Deelnemer", "Notities", "Status"))
    for row in rows:
        if row[name] == "Dhr. Bakker":
            row[notes] = "Gebeld, belt terug"
        if row[name] == "Dhr. Visser":
            row[status] = "Nieuw"
    rows.sort(key=lambda r: r[name] or "", reverse=True)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value  # value=None would keep the old one
    wb.save(path)
"""


class EditedMeanwhile:
    """The register, with a person's edit landing between the sync's read and its write."""

    def __init__(self, inner) -> None:
        self.inner, self.location = inner, inner.location

    def read(self, tabs):
        return self.inner.read(tabs)

    def batch(self):
        # The sync's writes start here: the person's edit lands just before them.
        subprocess.run([sys.executable, "-c", EDITOR, str(self.inner.path)], check=True)
        return self.inner.batch()

    def update(self, tab, updates):
        return self.inner.update(tab, updates)

    def append(self, tab, rows):
        return self.inner.append(tab, rows)


def test_edits_between_read_and_write_survive(config, register, register_path, messy, sh):
    report = run_sync(config, shared=EditedMeanwhile(register), today=sh.TODAY)

    rows = sh.by_name(sh.read_rows(register_path))
    names = [row["Deelnemer"] for row in sh.read_rows(register_path)]
    assert names == sorted(names, reverse=True)  # the person's sort order stays
    assert rows["Dhr. Bakker"]["Notities"] == "Gebeld, belt terug"
    assert rows["Dhr. Visser"]["Status"] == "Nieuw"
    # Every write landed on its own row, found by Nummer (or by fingerprint when typed
    # without one), not by the position the sync read it at.
    assert rows["Dhr. Bakker"]["Coördinator"] == "Ria Hoekstra"
    assert rows["Mevr. Jansen"]["Coördinator"] == "Bram Jansen"
    assert rows["Mevr. Jansen"]["Bevestiging verstuurd op"] == "26-11-2026"
    assert rows["Mevr. de Wit"]["Aangifte geadviseerd"] == "Ja"
    assert rows["Dhr. Peters"]["Controle"].startswith("Onbekende categorie")
    assert rows["Dhr. Kok"]["Controle"] == ""
    # Visser's row had no Nummer and the person changed it meanwhile: it is not found now,
    # and the next sync numbers and checks it afresh.
    assert rows["Dhr. Visser"]["Nummer"] == ""
    assert any("verdwenen of veranderd" in w for w in report.warnings)
    run_sync(config, shared=register, today=sh.TODAY)
    visser = sh.by_name(sh.read_rows(register_path))["Dhr. Visser"]
    assert visser["Nummer"] != "" and visser["Controle"] == ""
