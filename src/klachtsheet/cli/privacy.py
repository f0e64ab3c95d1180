"""Commands for privacy: the retention term, a request for access, erasure on request."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from klachtsheet.cli import DATUM, Session, pass_session
from klachtsheet.cli.options import dry_run_option, folder_option
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.model import now
from klachtsheet.wording import count

# The privacy modules are imported by the command that uses them (a fast --version).

YES_ANSWERS = ("j", "ja", "y", "yes")


def _person_options(command):
    """Add the options that name one participant."""
    options = [
        click.option(
            "--deelnemernummer",
            default="",
            metavar="NUMMER",
            help="Deelnemernummer zoals in het register.",
        ),
        click.option(
            "--naam",
            default="",
            metavar="NAAM",
            help="Volledige naam; hoofdletters en accenten tellen niet.",
        ),
        click.option(
            "--telefoon",
            default="",
            metavar="TELEFOON",
            help="Telefoonnummer; alleen de cijfers tellen.",
        ),
        click.option("--email", default="", metavar="ADRES", help="E-mailadres van de deelnemer."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command()
@dry_run_option()
@click.option(
    "--datum",
    type=DATUM,
    help="Reken alsof het vandaag deze datum is (bijvoorbeeld 26-11-2026).",
)
@pass_session
def bewaartermijn(session: Session, dry_run: bool, datum: date | None) -> None:
    """Wis persoonsgegevens van meldingen die langer dan de bewaartermijn zijn afgesloten.

    De bewaartermijn staat in het tabblad Instellingen (standaard 24 maanden).
    Naam, deelnemernummer, telefoon, e-mail, adres, omschrijving, oplossing en
    notities worden leeggemaakt in het gedeelde en het vertrouwelijke register;
    nummer, data, locatie, categorie, status en tevredenheid blijven staan, dus
    de cijfers veranderen niet. Brieven en e-mails in het postvak-uit over die
    meldingen worden verwijderd. Alles komt in het Logboek, zonder persoonsgegevens.
    """
    from klachtsheet.privacy.retention import apply_retention

    today = datum or now().date()
    config = session.config
    report = apply_retention(
        config,
        session.register(),
        session.existing_confidential_register(),
        today=today,
        dry_run=dry_run,
    )
    click.echo(report.summary())
    if dry_run and report.nummers:
        click.echo("Zou wissen: " + ", ".join(report.nummers))


@click.command()
@_person_options
@folder_option("Map voor het resultaat (standaard uitvoer/inzage/inzage-DATUM).")
@click.option("--zip", "make_zip", is_flag=True, help="Maak er ook een zip-bestand van.")
@click.option(
    "--verzoek-ontvangen",
    type=DATUM,
    help="Datum waarop het verzoek binnenkwam (standaard vandaag).",
)
@pass_session
def inzage(
    session: Session,
    deelnemernummer: str,
    naam: str,
    telefoon: str,
    email: str,
    folder: Path | None,
    make_zip: bool,
    verzoek_ontvangen: date | None,
) -> None:
    """Zet alles wat over één deelnemer bewaard is klaar voor een verzoek om inzage.

    Zoek met precies één van --deelnemernummer, --naam, --telefoon of --email, in
    het gedeelde en het vertrouwelijke register. Het resultaat is één map met per
    melding een overzicht, een werkblad met alle gegevens, de verstuurde brieven en
    e-mails, en een begeleidende brief. Wat over een ander kan gaan, staat gemarkeerd
    als 'Controleren vóór verzenden'. Beantwoord het verzoek binnen een maand.
    """
    from klachtsheet.privacy.access import PersonQuery, answer_access_request

    query = PersonQuery(deelnemernummer, naam, telefoon, email)
    config = session.config
    report = answer_access_request(
        config,
        session.register(),
        session.existing_confidential_register(),
        query,
        today=now().date(),
        folder=folder,
        make_zip=make_zip,
        request_date=verzoek_ontvangen or now().date(),
    )
    click.echo(report.summary())


@click.command()
@click.option(
    "--nummer",
    "nummers",
    multiple=True,
    metavar="NUMMER",
    help="Nummer van een melding; mag vaker.",
)
@_person_options
@dry_run_option()
@click.option("--ja", "yes", is_flag=True, help="Niet om bevestiging vragen.")
@pass_session
def verwijder(
    session: Session,
    nummers: tuple[str, ...],
    deelnemernummer: str,
    naam: str,
    telefoon: str,
    email: str,
    dry_run: bool,
    yes: bool,
) -> None:
    """Wis op verzoek de persoonsgegevens van meldingen.

    Kies de meldingen met --nummer (mag vaker), of alle meldingen van één
    deelnemer met --deelnemernummer, --naam, --telefoon of --email. Er wordt
    hetzelfde gewist als bij de bewaartermijn; de cijfers blijven kloppen.
    Vraagt om bevestiging, tenzij --ja is gegeven.
    """
    from klachtsheet.privacy.access import PersonQuery
    from klachtsheet.privacy.erasure import Selection, apply_erasure, prepare_erasure

    person = None
    if any(v.strip() for v in (deelnemernummer, naam, telefoon, email)):
        person = PersonQuery(deelnemernummer, naam, telefoon, email)
    selection = Selection(tuple(nummers), person)
    config = session.config
    shared, confidential = session.register(), session.existing_confidential_register()
    plan = prepare_erasure(shared, confidential, selection, today=now().date())
    for note in plan.notes:
        click.echo(note)
    if not plan.targets:
        raise KlachtsheetError("Geen meldingen gevonden; er is niets gewist")
    click.echo("Gevonden meldingen:")
    for target in plan.targets:
        click.echo(f"  - {target.describe()}")
    if plan.not_found:
        click.echo(f"Niet gevonden: {', '.join(plan.not_found)}")
    if not dry_run and not yes and not _confirm(plan.cells, plan.open_count):
        click.echo("Niets gewijzigd.")
        return
    report = apply_erasure(config, shared, confidential, plan, dry_run=dry_run)
    click.echo(report.summary())


def _confirm(cells: int, open_count: int) -> bool:
    if open_count:
        click.echo(
            f"Let op: {count(open_count, 'melding is', 'meldingen zijn')} nog niet afgesloten; "
            "daarna is niet meer "
            "te zien wie de deelnemer was."
        )
    answer = click.prompt(
        f"{cells} cel(len) met persoonsgegevens wissen? Dit kan niet ongedaan worden gemaakt [j/N]",
        default="n",
        show_default=False,
    )
    return answer.strip().casefold() in YES_ANSWERS


commands = [bewaartermijn, inzage, verwijder]
