"""Command line: parses options and calls the library; prints, never decides."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

import click

from klachtsheet.cli.dutch import use_dutch
from klachtsheet.config import Config, load_config
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.model import parse_date
from klachtsheet.register import Register, open_confidential, open_register

# Click's own words in Dutch before the commands below are defined: a Path option
# takes its name ("bestand", "map") when it is created.
use_dutch()

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Fout(click.ClickException):
    """A user-facing error, printed as one Dutch line."""

    def show(self, file=None) -> None:
        click.echo(f"Fout: {self.format_message()}", err=True, file=file)


class DutchDate(click.ParamType):
    """A date typed the way people type it in the register (26-11-2026)."""

    name = "DATUM"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        parsed = parse_date(str(value))
        if parsed.day is None:
            self.fail(f"'{value}' is geen datum; schrijf bijvoorbeeld 26-11-2026", param, ctx)
        return parsed.day


DATUM = DutchDate()


class Session:
    """What every command needs: the configuration, loaded once, and the register."""

    def __init__(self, config_path: Path | None, register: str | None) -> None:
        self._config_path = config_path
        self._register_override = register
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self._config_path, register=self._register_override)
        return self._config

    def register(self) -> Register:
        """Open the shared register."""
        return open_register(self.config.register, self.config)

    def confidential_register(self) -> Register:
        """Open the confidential register."""
        return open_register(self.config.confidential_register, self.config)

    def existing_confidential_register(self) -> Register | None:
        """Open the confidential register, or return None when it was never created."""
        return open_confidential(self.config)


class Group(click.Group):
    """A click group that turns klachtsheet errors into one Dutch line and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KlachtsheetError as error:
            raise Fout(str(error)) from None


pass_session = click.make_pass_decorator(Session)


def _show_version(ctx: click.Context, value: bool) -> None:
    # The version is looked up only when asked for (importlib.metadata is slow to import).
    if not value or ctx.resilient_parsing:
        return
    from klachtsheet import __version__

    click.echo(f"klachtsheet {__version__}")
    ctx.exit()


@click.group(
    cls=Group,
    context_settings=CONTEXT_SETTINGS,
    options_metavar="[OPTIES]",
    subcommand_metavar="OPDRACHT [ARGUMENTEN]...",
)
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _show_version(ctx, value),
    help="Toon het versienummer en stop.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuratiebestand (standaard klachtsheet.toml in deze map).",
)
@click.option(
    "--register",
    "register",
    metavar="PAD_OF_URL",
    help="Register: een .xlsx-bestand of de URL van een Google-spreadsheet.",
)
@click.option("-v", "--verbose", is_flag=True, help="Toon meer over wat er gebeurt.")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, register: str | None, verbose: bool):
    """Klachtenregister: formulier, controle en teamoverleg.

    Zonder configuratie staat het register in klachtenregister.xlsx in deze map.
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    ctx.obj = Session(config_path, register)


def _add_commands() -> None:
    # Each area of the tool keeps its commands in a module of its own.
    from klachtsheet.cli import agenda, demo, intake, privacy, register, sync

    for module in (register, intake, sync, agenda, privacy, demo):
        for command in module.commands:
            command.options_metavar = "[OPTIES]"
            cli.add_command(command)


_add_commands()


def main() -> None:
    """Run the command line."""
    from klachtsheet.cli.dutch import use_dutch

    use_dutch()
    cli(prog_name="klachtsheet")
