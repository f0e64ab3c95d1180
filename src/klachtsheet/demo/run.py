"""A demo register: a year of realistic, clearly fictional complaints, synced and on the agenda.

Everything is invented: surnames such as 'Verzonnen' and 'Demostra', e-mail addresses
at voorbeeld.nl and example.org, phone numbers 06-0000xxxx and postcodes 0000 ZZ
(no Dutch postcode starts with 0). A fixed seed makes the same rows every time,
relative to the day the demo runs.
"""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

from werkzeug.security import generate_password_hash

from klachtsheet import schema
from klachtsheet.config import CONFIG_FILENAME, load_config
from klachtsheet.demo.data import COUNT, SETTINGS, DemoResult, generate
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.model import now
from klachtsheet.register import row_values
from klachtsheet.register.local import LocalRegister
from klachtsheet.reports.agenda import write_agenda
from klachtsheet.sync.run import run_sync

log = logging.getLogger(__name__)


MARKER = ".klachtsheet-demo"

CONFIG_TEXT = """\
# Demo van klachtsheet: alle gegevens zijn verzonnen.
# Er is geen [smtp]-onderdeel, dus er wordt niets verstuurd: alles komt in het postvak uit.

[register]
locatie = "klachtenregister.xlsx"
vertrouwelijk = "vertrouwelijk-register.xlsx"

[mappen]
uitvoer = "uitvoer"
wachtrij = "wachtrij"

[server]
adres = "127.0.0.1"
# Alleen voor het uitproberen op deze computer (http); achter https weer true.
veilige_cookies = false

[server.toegangscodes]
# De demo-toegangscode is "{code}"; maak echte codes met 'klachtsheet toegangscode'.
telefoondienst = "{hashed}"
vrijwilliger = "{hashed}"
"""
# Only for trying the forms on this computer; printed after the demo.
DEMO_ACCESS_CODE = "theater-demo"

# -- running ----------------------------------------------------------------------------------


def prepare_folder(folder: Path) -> None:
    """Create the folder, or clear a previous demo in it; refuse a folder with other content."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise KlachtsheetError(f"{folder} is een bestand, geen map; kies een andere --map")
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise KlachtsheetError(
                f"Map {folder} bestaat al en is niet leeg; kies een lege of nieuwe map met --map"
            )
        # Only what an earlier demo made; anything else someone put there stays.
        for name in ("klachtenregister.xlsx", "vertrouwelijk-register.xlsx", CONFIG_FILENAME):
            (folder / name).unlink(missing_ok=True)
            (folder / f"{name}.lock").unlink(missing_ok=True)
        for name in ("uitvoer", "wachtrij"):
            shutil.rmtree(folder / name, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Gemaakt door 'klachtsheet demo'; alle gegevens zijn verzonnen.\n",
                                 encoding="utf-8")  # fmt: skip


def run_demo(
    folder: Path,
    *,
    today: date | None = None,
    count: int = COUNT,
) -> DemoResult:
    """Create the demo register in ``folder``, run the sync and write the agenda."""
    today = today or now().date()
    folder = Path(folder).absolute()
    prepare_folder(folder)
    config_file = folder / CONFIG_FILENAME
    hashed = generate_password_hash(DEMO_ACCESS_CODE)
    config_file.write_text(
        CONFIG_TEXT.format(code=DEMO_ACCESS_CODE, hashed=hashed), encoding="utf-8"
    )
    config = load_config(config_file)
    shared = LocalRegister(Path(config.register))
    secret = LocalRegister(Path(config.confidential_register))
    shared.ensure_layout(schema.EXAMPLE_TABS)
    secret.ensure_layout(schema.CONFIDENTIAL_TABS)
    shared.replace_rows(schema.INSTELLINGEN_TAB, _settings_rows())
    data = generate(today, count=count)
    headers = schema.KLACHTEN.headers
    # One write of all rows, as they would stand after a year of use (rows typed by
    # hand without a Nummer stay without one, for the sync to number).
    shared.replace_rows(schema.KLACHTEN_TAB, [row_values(headers, r) for r in data.shared])
    secret.append(schema.KLACHTEN_TAB, list(data.confidential))
    log.info("demo register written: %d rows", len(data.shared))
    report = run_sync(config, shared=shared, confidential=secret, today=today)
    agenda = write_agenda(config, shared, meeting=today)
    # Now that the rows are there: columns as wide as their content.
    shared.ensure_layout(schema.TABS)
    secret.ensure_layout(schema.CONFIDENTIAL_TABS)
    return DemoResult(
        folder=folder,
        config_file=config_file,
        register=Path(config.register),
        confidential_register=Path(config.confidential_register),
        outbox=config.outbox_dir,
        agenda=tuple(agenda),
        complaints=len(data.shared),
        confidential=len(data.confidential),
        sync_note=report.summary(),
        year=today.year,
        access_code=DEMO_ACCESS_CODE,
    )


def _settings_rows() -> list[list[str]]:
    rows = []
    for setting in schema.SETTINGS:
        rows.append([setting.name, SETTINGS.get(setting.key, setting.default), setting.help])
    return rows
