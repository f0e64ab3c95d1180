"""Fault injection: kill -9 of the form server and of the sync at random points.

Each trial forks two processes on one small local register: the form server (the Flask
app with its background queue writer, receiving submissions one after another, each
acknowledged only when the receipt page shows its Nummer) and the sync (flushing the queue
and running, again and again). After a random 0.2-1.1 s one or both are killed with
SIGKILL. After all trials one clean run (queue flush + sync) completes what was left, and
the register is counted:

- acknowledged: Nummers a person was shown
- lost: acknowledged Nummers that are not in the register
- duplicated rows: Nummers that appear more than once in Klachten
- duplicated Logboek lines: Ids that appear more than once, and form intake lines
  ('Ingevoerd via formulier') that appear more than once for one Nummer

    python benchmarks/fault_injection.py [--trials 50] [--seed 11]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from werkzeug.security import generate_password_hash

from klachtsheet import schema
from klachtsheet.config import Config, ServerConfig
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.intake.writer import flush_queue
from klachtsheet.register import open_confidential
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync
from klachtsheet.web import create_app

CODE = "toegang-2026"
SECRET = "kT3vQ9xLm2Rb7NwY4pHs8FdJ6cGa1ZeU5oXi0WqBn7Vr"  # noqa: S105 (a test key)
TODAY_ACTION = "Ingevoerd via formulier"
VALUES = {
    "ingevoerd_door": "Mia de Boer", "email_invoerder": "mia@voorbeeld.nl",
    "kanaal": "Telefoon", "soort": "Klacht", "deelnemer": "Mevrouw T. Jansen",
    "locatie": "Utrecht", "activiteit": "Concert", "datum_activiteit": "2026-11-20",
    "categorie": "Niet ophalen", "omschrijving": "Niemand kwam.\u2028Echt niet.",
    "opgelost_1e_lijn": "Nee", "bevestiging_via": "Telefoon", "telefoon": "030 123 4567",
}  # fmt: skip


def make_config(folder: Path) -> Config:
    codes = {"telefoondienst": generate_password_hash(CODE, method="pbkdf2:sha256:1000")}
    return Config(
        register=str(folder / "klachtenregister.xlsx"),
        confidential_register=str(folder / "vertrouwelijk.xlsx"),
        queue_dir=folder / "wachtrij",
        output_dir=folder / "uitvoer",
        server=ServerConfig(secret_key=SECRET, access_codes=codes, secure_cookies=False),
    )


def warm_form_server(config: Config):
    """Create the app once (forms read, register snapshot, access code entered); children fork it."""
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    client = app.test_client()
    page = client.get("/formulier/telefoondienst/toegang").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    client.post("/formulier/telefoondienst/toegang", data={"csrf_token": csrf, "code": CODE})
    app.extensions["klachtsheet"].snapshot()
    return app, client


def _form_server(app, client, acks: Path, seed: int) -> None:
    """The form server process: submit, and record each Nummer the person was shown."""
    rng = random.Random(seed)
    desk = app.extensions["klachtsheet"]
    desk.writer.start()  # the background writer appends queued submissions in batches
    fd = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    while True:
        page = client.get("/formulier/telefoondienst").text
        token = re.search(r'name="inzending" value="([^"]+)"', page)[1]
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        values = {**VALUES, "vertrouwelijk": "Ja" if rng.random() < 0.2 else ""}
        response = client.post(
            "/formulier/telefoondienst", data={"csrf_token": csrf, "inzending": token, **values}
        )
        if response.status_code != 303:
            continue
        receipt = desk.receipt(token)
        shown = client.get(response.headers["Location"])
        if shown.status_code == 200 and receipt is not None and receipt.nummer in shown.text:
            # The person has seen the Nummer: from here on it must never be lost.
            os.write(fd, (receipt.nummer + "\n").encode())


def _sync(config: Config) -> None:
    """The sync process: run again and again (another sync at once stops at the lock)."""
    while True:
        try:
            run_sync(
                config,
                shared=LocalRegister(Path(config.register)),
                confidential=open_confidential(config),
            )
        except KlachtsheetError:
            time.sleep(0.01)


def _fork(target, *args) -> int:
    pid = os.fork()
    if pid == 0:  # the child never returns
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            target(*args)
        finally:
            os._exit(0)
    return pid


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def run_trials(folder: Path, trials: int = 50, seed: int = 11) -> dict[str, int]:
    """Run the trials in folder and return the counts."""
    rng = random.Random(seed)
    config = make_config(folder)
    LocalRegister(Path(config.register)).ensure_layout(schema.EXAMPLE_TABS)
    acks = folder / "getoonde-nummers.txt"
    app, client = warm_form_server(config)
    for trial in range(trials):
        form = _fork(_form_server, app, client, acks, seed * 1000 + trial)
        sync = _fork(_sync, config) if rng.random() < 0.8 else None
        time.sleep(rng.uniform(0.2, 1.1))
        which = rng.random()
        # Kill one first, let the other run a moment, then the other: many interleavings.
        first, second = (form, sync) if which < 0.5 else (sync, form)
        if first:
            _kill(first)
        time.sleep(rng.uniform(0, 0.1))
        if second:
            _kill(second)
    # One clean run completes whatever the killed processes left.
    done = _fork(_recover, config)
    os.waitpid(done, 0)
    return count(config, acks, trials)


def _recover(config: Config) -> None:
    flush_queue(config)
    run_sync(
        config, shared=LocalRegister(Path(config.register)), confidential=open_confidential(config)
    )


def count(config: Config, acks: Path, trials: int) -> dict[str, int]:
    shown = acks.read_text().split() if acks.exists() else []
    shared = LocalRegister(Path(config.register)).read([schema.KLACHTEN_TAB, schema.LOGBOEK_TAB])
    tables = [shared]
    confidential = open_confidential(config)
    if confidential is not None:
        tables.append(confidential.read([schema.KLACHTEN_TAB, schema.LOGBOEK_TAB]))
    klachten = Counter(n.strip() for n in shared[schema.KLACHTEN_TAB].column("Nummer"))
    lost = sum(1 for n in set(shown) if klachten[n] == 0)
    duplicated = sum(c - 1 for n, c in klachten.items() if n and c > 1)
    logboek = 0
    for table in tables:
        log = table[schema.LOGBOEK_TAB]
        ids = Counter(i for i in log.column("Id") if i)
        logboek += sum(c - 1 for c in ids.values() if c > 1)
        intake = Counter(r["Nummer"] for r in log.records() if r["Actie"] == TODAY_ACTION)
        logboek += sum(c - 1 for c in intake.values() if c > 1)
    if confidential is not None:
        secret = Counter(tables[1][schema.KLACHTEN_TAB].column("Nummer"))
        duplicated += sum(c - 1 for n, c in secret.items() if n and c > 1)
    return {
        "trials": trials,
        "acknowledged": len(shown),
        "acknowledged twice": len(shown) - len(set(shown)),
        "rows in register": sum(klachten.values()),
        "lost": lost,
        "duplicated rows": duplicated,
        "duplicated logboek lines": logboek,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        counts = run_trials(Path(folder), args.trials, args.seed)
        seconds = time.monotonic() - started
    width = max(len(k) for k in counts)
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  -----")
    for key, value in counts.items():
        print(f"{key.ljust(width)}  {value}")
    print(f"{'seconds'.ljust(width)}  {seconds:.1f}")
    bad = counts["lost"] + counts["duplicated rows"] + counts["duplicated logboek lines"]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
