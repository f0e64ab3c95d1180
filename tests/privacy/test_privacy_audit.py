"""The audit trail: every command, run on fixtures, leaves no personal data in logs or Logboek.

The commands are discovered from the CLI at test time, so a command added later is
covered without touching this file. Only servers that never return are skipped.
"""

from __future__ import annotations

import csv
import logging
import signal
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.model import complaints

# Commands that serve until stopped; everything else must finish.
LONG_RUNNING = ("serve", "server", "web", "worker")
# Run last: they erase the data the other commands should see first.
ERASING = ("bewaartermijn", "verwijder")
SECONDS_PER_COMMAND = 60
ANSWERS = "n\n" * 10  # any prompt is declined


@dataclass(frozen=True)
class Run:
    """One invocation: the command path and its arguments."""

    path: tuple[str, ...]
    args: tuple[str, ...]

    @property
    def name(self) -> str:
        return " ".join((*self.path, *self.args))


def leaf_commands(group: click.Group, prefix=()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def is_long_running(path: tuple[str, ...]) -> bool:
    return any(word in part for part in path for word in LONG_RUNNING)


def known_runs(path: tuple[str, ...], world, kit) -> list[tuple[str, ...]] | None:
    """Arguments for the commands whose needs are known; None means: derive them."""
    g, h = kit.GERRITDINA, kit.HENDRIKUS
    out = world.root / "runs"
    table = {
        ("init",): [()],
        ("check",): [()],
        ("sync",): [(), ()],
        ("agenda",): [(), ("--vergadering", "26-11-2026")],
        ("jaarverslag",): [("--jaar", "2024")],
        ("demo",): [("--map", str(out / "demo"))],
        ("import",): [(str(world.root / "telefoonlijst.csv"),)] * 2,
        ("toegangscode",): [("telefoondienst", "--code", "lang-genoeg-geheim")],
        ("inzage",): [
            ("--naam", g.naam, "--map", str(out / "inzage-1"), "--zip"),
            ("--telefoon", h.telefoon, "--map", str(out / "inzage-2")),
            ("--deelnemernummer", g.deelnemernummer, "--map", str(out / "inzage-3")),
            ("--email", h.email, "--map", str(out / "inzage-4")),
        ],
        ("verwijder",): [
            ("--naam", h.naam, "--dry-run"),
            ("--telefoon", h.telefoon),  # declined at the prompt
            ("--nummer", kit.make_nummer(2), "--ja"),
            ("--naam", g.naam, "--ja"),
        ],
        ("bewaartermijn",): [("--dry-run",), ("--datum", "26-11-2026"), ("--datum", "26-11-2026")],
    }
    return table.get(path)


def derived_args(command: click.Command, world, kit) -> tuple[str, ...]:
    """Give every required parameter a plausible value, guessed from its type and name."""
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        value = guess(param, world, kit)
        if isinstance(param, click.Option):
            args.extend([param.opts[0], value])
        else:
            args.append(value)
    return tuple(args)


def missing_required(command: click.Command, known, derived) -> tuple[str, ...]:
    """Return the derived options a known argument list lacks (a command may gain some later)."""
    if not known:
        return derived
    extra: list[str] = []
    for param in command.params:
        if param.required and isinstance(param, click.Option) and param.opts[0] not in known:
            index = derived.index(param.opts[0])
            extra.extend(derived[index : index + 2])
    return tuple(extra)


def guess(param: click.Parameter, world, kit) -> str:
    name = (param.name or "").lower()
    kind = param.type
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.Path):
        if kind.exists:
            return str(world.root / "telefoonlijst.csv")
        return str(world.root / "runs" / f"{name}-uit")
    if isinstance(kind, click.DateTime):
        return "2026-11-26"
    hints = {
        "jaar": "2024",
        "nummer": kit.make_nummer(1),
        "naam": kit.GERRITDINA.naam,
        "telefoon": kit.GERRITDINA.telefoon,
        "datum": "26-11-2026",
        "vergadering": "26-11-2026",
        "email": kit.GERRITDINA.email,
    }
    for hint, value in hints.items():
        if hint in name:
            return value
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return str(getattr(kind, "min", None) or 1)
    return "test"


def plan_runs(world, kit) -> list[Run]:
    runs, last = [], []
    for path, command in leaf_commands(cli):
        if is_long_running(path):
            continue
        derived = derived_args(command, world, kit)
        arg_sets = [
            (*known, *missing_required(command, known, derived))
            for known in known_runs(path, world, kit) or [()]
        ]
        target = last if path[0] in ERASING else runs
        target.extend(Run(path, tuple(args)) for args in arg_sets)
    # init first, erasure last: the others see the personal data.
    runs.sort(key=lambda r: r.path != ("init",))
    last.sort(key=lambda r: ERASING.index(r.path[0]))
    return runs + last


def logboek_rows(register) -> list[dict[str, str]]:
    tables = register.read([schema.LOGBOEK_TAB])
    return list(tables[schema.LOGBOEK_TAB].records()) if schema.LOGBOEK_TAB in tables else []


def klachten_rows(register) -> dict[str, tuple[str, ...]]:
    table = register.read([schema.KLACHTEN_TAB])[schema.KLACHTEN_TAB]
    return {
        c.nummer or f"rij {c.row_number}": tuple(c.to_row(table.headers)) for c in complaints(table)
    }


@pytest.fixture
def audited(kit, populated, monkeypatch):
    """Return the populated world with more kinds of rows, no network and a CSV export."""
    g, h = kit.GERRITDINA, kit.HENDRIKUS
    kit.fill(
        populated.shared,
        [
            kit.complaint(
                7,
                g,
                status=schema.OVERGEDRAGEN,
                afgesloten_op="",
                tevredenheid="",
                bevestiging_via="E-mail",
                ontvangen_op="20-11-2026",
                overgedragen_op="23-11-2026",
                antwoord_uiterlijk="",
            ),
            kit.complaint(
                8,
                h,
                status=schema.NIEUW,
                kanaal="Vrijwilliger",
                categorie="Geen idee",
                afgesloten_op="",
                ontvangen_op="21-11-2026",
                coordinator="",
            ),
            kit.complaint(
                9,
                g,
                status=schema.AFGESLOTEN,
                categorie="Verlies, vermissing of diefstal",
                omschrijving=f"Tas van {g.naam} gestolen.",
                afgesloten_op="20-11-2026",
                ontvangen_op="01-11-2026",
                teruggekoppeld_deelnemer_op="10-11-2026",
            ),
            kit.complaint(
                10, h, nummer="", status=schema.NIEUW, afgesloten_op="", ontvangen_op="22-11-2026"
            ),
        ],
    )
    write_phone_list(populated.root / "telefoonlijst.csv", kit)

    real_connect = socket.socket.connect

    def loopback_only(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "::1", "localhost")
            and "/" not in host
        ):
            raise OSError(f"network blocked in the audit test: {host}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    monkeypatch.chdir(populated.root)
    monkeypatch.delenv("KLACHTSHEET_CONFIG", raising=False)
    return populated


PHONE_LIST_HEADERS = (
    "Ingevoerd door",
    "E-mail invoerder",
    "Kanaal",
    "Soort",
    "Deelnemer",
    "Deelnemernummer",
    "Locatie",
    "Activiteit",
    "Datum activiteit",
    "Categorie",
    "Omschrijving",
    "Opgelost in 1e lijn",
    "Bevestiging via",
    "Telefoon",
    "E-mail deelnemer",
    "Adres",
    "Vertrouwelijk",
)


def write_phone_list(path: Path, kit) -> None:
    """Write a daily phone list with both fixture people, one of them confidential."""
    g, h = kit.GERRITDINA, kit.HENDRIKUS
    rows = [
        (
            kit.STAFF.naam,
            kit.STAFF.email,
            "Telefoon",
            "Klacht",
            g.naam,
            g.deelnemernummer,
            "Utrecht",
            "Film",
            "20-11-2026",
            "Niet ophalen",
            f"{g.naam} stond te wachten.",
            "Nee",
            "Brief",
            g.telefoon,
            g.email,
            g.adres,
            "Nee",
        ),
        (
            kit.STAFF.naam,
            kit.STAFF.email,
            "Telefoon",
            "Klacht",
            h.naam,
            h.deelnemernummer,
            "Utrecht",
            "Film",
            "20-11-2026",
            "Een klacht m.b.t. een vrijwilliger",
            f"Over {kit.VOLUNTEER}.",
            "Nee",
            "Telefoon",
            h.telefoon,
            h.email,
            h.adres,
            "Ja",
        ),
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PHONE_LIST_HEADERS)
        writer.writerows(rows)


class Timeout(Exception):
    """A command ran longer than any command should."""


def _alarm(signum, frame):
    raise Timeout


def secrets(kit) -> list[str]:
    found = [s for p in kit.PEOPLE for s in p.secrets()]
    return [*found, kit.VOLUNTEER, kit.STAFF.naam, kit.STAFF.email]


def test_no_command_leaks_personal_data_and_every_change_is_logged(kit, audited, runner, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="klachtsheet")
    registers = {"gedeeld": audited.shared, "vertrouwelijk": audited.confidential}
    runs = plan_runs(audited, kit)
    assert {r.path[0] for r in runs} >= {"init", "check", "bewaartermijn", "inzage", "verwijder"}
    leaks, unlogged, crashed, results = [], [], [], {}
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for run in runs:
            before = {k: (klachten_rows(r), len(logboek_rows(r))) for k, r in registers.items()}
            caplog.clear()
            signal.alarm(SECONDS_PER_COMMAND)
            try:
                result = runner.invoke(
                    cli,
                    ["--config", str(audited.config_path), "-v", *run.path, *run.args],
                    input=ANSWERS,
                )
            finally:
                signal.alarm(0)
            results[run.name] = result
            if result.exception and not isinstance(result.exception, SystemExit):
                crashed.append(f"{run.name}: {type(result.exception).__name__}")
            logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
            for where, text in (("log", logged), ("stderr", result.stderr)):
                leaks.extend(f"{run.name}: {where} holds {s!r}" for s in secrets(kit) if s in text)
            for label, register in registers.items():
                old_rows, old_count = before[label]
                new_entries = logboek_rows(register)[old_count:]
                for entry in new_entries:
                    if not (entry["Tijdstip"] and entry["Actie"] and entry["Door"]):
                        unlogged.append(f"{run.name}: incomplete Logboek entry {entry}")
                logged_nummers = {e["Nummer"] for e in new_entries}
                for key, row in klachten_rows(register).items():
                    if old_rows.get(key) != row and key not in logged_nummers:
                        unlogged.append(f"{run.name}: {label} {key} changed without Logboek")
    finally:
        signal.signal(signal.SIGALRM, previous)

    for label, register in registers.items():
        text = repr(logboek_rows(register))
        leaks.extend(f"Logboek ({label}) holds {s!r}" for s in secrets(kit) if s in text)
    assert not leaks, "\n".join(leaks)
    assert not unlogged, "\n".join(unlogged)
    for name, result in results.items():
        if name.split()[0] in ("init", "check", "import", *ERASING, "inzage"):
            assert result.exit_code == 0, f"{name}: {result.output}"
    # The audit really exercised erasure: Gerritdina is gone from both registers.
    for register in registers.values():
        assert kit.GERRITDINA.naam not in repr(klachten_rows(register))
    # A command that crashed or refused its arguments was not really audited.
    assert not crashed, "\n".join(crashed)
    refused = [f"{name}: {r.output[-200:]}" for name, r in results.items() if r.exit_code == 2]
    assert not refused, "give these commands arguments in known_runs():\n" + "\n".join(refused)


def test_the_fixture_secrets_would_be_found(kit, audited, caplog):
    """Guard the audit itself: a leaking log line is detected by the same search."""
    caplog.set_level(logging.DEBUG)
    logging.getLogger("klachtsheet.test").warning("oeps: %s", kit.GERRITDINA.telefoon)
    assert any(s in caplog.text for s in secrets(kit))


def test_plan_covers_every_command(kit, audited):
    runs = plan_runs(audited, kit)
    covered = {r.path for r in runs}
    for path, _command in leaf_commands(cli):
        assert path in covered or is_long_running(path), path


@pytest.mark.parametrize("name", ["bewaartermijn", "inzage", "verwijder"])
def test_help_is_dutch(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "--dry-run" in result.output or "--zip" in result.output
    assert any(word in result.output for word in ("persoonsgegevens", "deelnemer"))


def test_phone_list_fixture_holds_the_secrets(kit, audited):
    text = (audited.root / "telefoonlijst.csv").read_text(encoding="utf-8")
    assert kit.GERRITDINA.adres in text and kit.HENDRIKUS.telefoon in text
