"""Commands that create and check the register."""

from __future__ import annotations

import click

from klachtsheet import schema
from klachtsheet.cli import Session, pass_session
from klachtsheet.register.layout import layout_problems


@click.command()
@click.option(
    "--zonder-vertrouwelijk", is_flag=True, help="Maak het aparte vertrouwelijke register niet aan."
)
@pass_session
def init(session: Session, zonder_vertrouwelijk: bool) -> None:
    """Maak het register aan, of vul een bestaand register aan.

    Voegt ontbrekende tabbladen, kolommen en instellingen toe en verandert niets
    anders. Veilig om vaker uit te voeren.
    """
    register = session.register()
    changes = register.ensure_layout(schema.TABS)
    _report(register.location, changes)
    if not zonder_vertrouwelijk:
        confidential = session.confidential_register()
        _report(confidential.location, confidential.ensure_layout(schema.CONFIDENTIAL_TABS))


def _report(location: str, changes: list[str]) -> None:
    if not changes:
        click.echo(f"{location}: alles is al aanwezig, niets veranderd.")
        return
    click.echo(f"{location}:")
    for change in changes:
        click.echo(f"  - {change}")


@click.command()
@pass_session
def check(session: Session) -> None:
    """Controleer de configuratie en de indeling van het register.

    Elk probleem staat op één regel, met wat eraan te doen is.
    """
    config = session.config
    click.echo(f"Configuratie: {config.source or 'geen bestand, standaardwaarden'}")
    register = session.register()
    tables = register.read([tab.name for tab in schema.TABS])
    problems = layout_problems(tables)
    if problems:
        for problem in problems:
            click.echo(f"- {problem}")
        raise click.exceptions.Exit(1)
    click.echo(f"Register {register.location}: in orde.")


commands = [init, check]
