"""The sync command: check and complete the register, send confirmations and follow-ups."""

from __future__ import annotations

import logging
import sys
from datetime import date
from typing import TYPE_CHECKING

import click

from klachtsheet.cli import DATUM, Fout, Session, pass_session
from klachtsheet.cli.options import dry_run_option
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.model import now

if TYPE_CHECKING:  # the sync itself is imported when the command runs (fast --version)
    from klachtsheet.sync.changeset import ChangeSet
    from klachtsheet.sync.report import SyncReport

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

log = logging.getLogger(__name__)

# Below this many rows a run takes a second or two: no progress bar needed.
PROGRESS_FROM_ROWS = 2000
CELL_WIDTH = 60
# Exit code of a run that did everything except some rows (their reason is in Controle).
PARTIAL_EXIT = 3


@click.command()
@dry_run_option("Proefdraai: laat alleen zien wat er zou veranderen; schrijft en verstuurt niets.")
@click.option(
    "--datum",
    type=DATUM,
    default=None,
    help="Doe alsof het vandaag deze datum is (standaard: vandaag).",
)
@click.option(
    "--agenda",
    "with_agenda",
    is_flag=True,
    help="Maak daarna ook het agendapunt klachten (bestanden en tabblad Agenda).",
)
@pass_session
def sync(session: Session, dry_run: bool, datum: date | None, with_agenda: bool) -> None:
    """De dagelijkse controle: controleer en vul het register aan, verstuur wat klaarstaat.

    Controleert categorieën, statussen, datums en verplichte velden (opmerkingen
    komen in de kolom Controle), wijst de coördinator toe, berekent Antwoord
    uiterlijk, geeft met de hand ingevoerde rijen een Nummer, stuurt de deelnemer
    één keer een bevestiging van de overdracht en de coördinator een e-mail, en
    verstuurt de overzichten voor opvolging. Schrijft alleen de kolommen van de
    sync; wat mensen invullen blijft staan.

    Met --agenda maakt de sync daarna ook het agendapunt voor het teamoverleg
    (zoals 'klachtsheet agenda'); plan dat bijvoorbeeld op de ochtend van het
    overleg.

    Plan hem elke werkdag om 6.30 en 18.30 uur, buiten kantoortijd. Heeft iemand
    het .xlsx-register open in LibreOffice of Excel, dan wacht hij (instelling
    wachten_als_geopend) en zegt wie het open heeft. Een tweede controle tegelijk
    stopt meteen, en bij een fout is de afsluitcode niet 0 (3: alles gedaan
    behalve de rijen met een opmerking in Controle die niet konden worden
    afgehandeld).
    """
    config = session.config
    shared = session.register()
    confidential = session.existing_confidential_register()
    # The workbooks are read on the second core while the sync's code is imported.
    from klachtsheet.register import prefetch
    from klachtsheet.sync import BLOCKS_TAB, CONFIDENTIAL_TABS, SHARED_TABS

    prefetch(shared, SHARED_TABS, BLOCKS_TAB)
    prefetch(confidential, CONFIDENTIAL_TABS)
    from klachtsheet.sync.report import plural
    from klachtsheet.sync.run import run_sync
    from klachtsheet.sync.waiting import wait_until_closed

    bar = _ProgressBar()
    try:
        report = run_sync(
            config,
            shared=shared,
            confidential=confidential,
            today=datum,
            dry_run=dry_run,
            progress=bar.update,
            waiting=_tell,
        )
    except KlachtsheetError:
        raise
    except Exception as error:  # a scheduler needs one line and a non-zero exit, not a trace
        log.debug("sync failed", exc_info=True)
        raise Fout(
            f"sync afgebroken door een onverwachte fout ({type(error).__name__}: {error})"
        ) from None
    finally:
        bar.close()
    _print(report)
    if not report.ok:
        raise Fout(report.failures[0])
    if with_agenda and not dry_run:
        from klachtsheet.reports.agenda import write_agenda

        wait_until_closed([shared], config.open_wait, notify=_tell, what="het agendapunt")
        paths = write_agenda(config, shared, meeting=datum or now().date())
        click.echo("Agendapunt klachten: " + ", ".join(str(p) for p in paths))
    if report.not_done and not dry_run:
        raise Gedeeltelijk(
            f"{plural(report.not_done, 'rij kon', 'rijen konden')} niet worden afgehandeld; "
            "de reden staat in de kolom Controle van die rijen, de rest is gedaan"
        )


class Gedeeltelijk(Fout):
    """Some rows could not be handled; everything else was done (exit code 3)."""

    exit_code = PARTIAL_EXIT


def _tell(message: str) -> None:
    click.echo(message, err=True)


class _ProgressBar:
    """A click progress bar, only in a terminal and only for a large register."""

    def __init__(self) -> None:
        self.bar: ProgressBar[int] | None = None
        self.shown = 0

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM_ROWS or not sys.stdout.isatty():
                return
            self.bar = click.progressbar(length=total, label="Meldingen controleren")
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _print(report: SyncReport) -> None:
    if report.dry_run:
        _print_changes(report.changes)
    for warning in report.warnings:
        click.echo(f"Let op: {warning}", err=True)
    for name, count in report.proposed_categories.items():
        click.echo(f"Nieuwe categorie voorgesteld: '{name}' ({count}x)")
    click.echo(report.summary())


def _print_changes(changes: ChangeSet) -> None:
    rows = changes.table()
    if not rows and not changes.outgoing:
        click.echo("Geen wijzigingen.")
        return
    header = ("Nummer", "Kolom", "Oud", "Nieuw")
    cells = [header] + [tuple(_cell(v) for v in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    for index, row in enumerate(cells):
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            click.echo("  ".join("-" * w for w in widths))
    if changes.outgoing:
        click.echo("")
        click.echo("Te versturen:")
        for out in changes.outgoing:
            about = f" {out.nummer}" if out.nummer else ""
            click.echo(f"  - {_KINDS.get(out.kind, out.kind)}{about} ({out.via})")


_KINDS = {
    "bevestiging": "bevestiging aan deelnemer",
    "coordinator": "e-mail aan coördinator",
    "terugkoppeling": "bericht aan medewerker 1e lijn",
    "te-laat": "overzicht te late klachten",
    "telefoondienst": "overzicht voor de telefoondienst",
    "tevredenheid": "bellijst tevredenheid",
    "overdracht": "niet over te dragen: bericht aan back office",
    "overdracht-kopie": "niet over te dragen: kopie aan klachtmanager",
    "te-laat-alles": "overzicht te late klachten voor de klachtmanager",
}


def _cell(value: str) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= CELL_WIDTH else flat[: CELL_WIDTH - 1] + "…"


commands: list[click.Command] = [sync]
