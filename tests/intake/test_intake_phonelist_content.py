"""Issue 12, bullet 5: the phone list carries Ontvangen op; re-import is by content."""

from __future__ import annotations

from klachtsheet.cli import cli
from klachtsheet.intake.desk import IntakeDesk
from klachtsheet.intake.phonelist import import_phone_list
from support.intake import make_config, rows

# "Deelnemer" is the register's header; the form calls it differently.
HEADER = "Ontvangen op;Ingevoerd door;Soort;Deelnemer;Locatie;Categorie;Omschrijving;" \
         "Opgelost in 1e lijn;Bevestiging via;Telefoon"  # fmt: skip
LINE_1 = "01-12-2026;Mia;Klacht;Mevr. A;Utrecht;Niet ophalen;Niemand kwam;Nee;Telefoon;030 1234567"
LINE_2 = "01-12-2026;Mia;Navraag;Dhr. B;Utrecht;;Vraag over tijd;;;"
LINE_3 = "02-12-2026;Mia;Navraag;Mevr. C;Utrecht;;Nog een vraag;;;"


def _write(tmp_path, lines, name):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_received_date_is_kept_and_reimport_skips_known_lines(tmp_path, register_path):
    desk = IntakeDesk(make_config(tmp_path, register_path))
    first = import_phone_list(_write(tmp_path, [LINE_1, LINE_2], "maandag.csv"), desk)
    assert first.ok, first.rejected
    found = rows(register_path)
    assert [r["Ontvangen op"] for r in found] == ["01-12-2026", "01-12-2026"]
    assert found[0]["Deelnemer"] == "Mevr. A"

    # The same list with one line added, saved again (other bytes: ';' and an extra space).
    again = import_phone_list(
        _write(tmp_path, [LINE_1 + " ", LINE_3, LINE_2], "maandag-bijgewerkt.csv"), desk
    )
    assert again.ok
    assert [line for line, _ in again.skipped()] == [2, 4]
    assert [r["Deelnemer"] for r in rows(register_path)] == ["Mevr. A", "Dhr. B", "Mevr. C"]


def test_cli_says_what_it_skipped(tmp_path, register_path, runner):
    config = tmp_path / "klachtsheet.toml"
    config.write_text(f'[register]\nlocatie = "{register_path.name}"\n')
    path = _write(tmp_path, [LINE_1], "lijst.csv")
    assert runner.invoke(cli, ["--config", str(config), "import", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["--config", str(config), "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 nieuw ingevoerd, 1 overgeslagen" in result.output
    assert "regel 2:" in result.output and "overgeslagen: was al eerder ingelezen" in result.output


def test_received_in_the_future_is_refused(tmp_path, register_path):
    desk = IntakeDesk(make_config(tmp_path, register_path))
    result = import_phone_list(_write(tmp_path, ["01-12-2099" + LINE_2[10:]], "x.csv"), desk)
    assert not result.ok and "Ontvangen op" in str(result.rejected[0])
