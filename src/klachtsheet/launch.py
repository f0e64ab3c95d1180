"""The console entry point: a command that reads the local register starts reading it first.

calamine needs about as long to parse a register of 10,000 rows as Python needs to import
the command line and the sync. Started before those imports rather than after them, the
read runs on the second core meanwhile and is (nearly) done when the command asks for it.
Which file: ``--register``, else the configuration file when there is one, else the default
in this folder; a wrong guess costs only the background read, because the register takes
a read only of the file it opens itself, unchanged (``klachtsheet.readahead``).

Nothing heavy is imported here before the read has started: no click, no pathlib.
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # not typing's: see readahead.py
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

# The command group's options that take a value (cli/__init__.py; a test keeps them equal).
VALUE_OPTIONS = ("--config", "--register")
# Options after which no command runs.
STOPPING = ("-h", "--help", "-V", "--version")
# Commands that end the process without freeing their rows one by one (see leave).
QUICK_EXIT = ("sync", "agenda")


def main() -> None:
    """Run the command line, with the register's read already under way."""
    # Only a head start: the command itself reports any problem (no contextlib.suppress:
    # nothing is imported before the read has started).
    try:  # noqa: SIM105
        read_ahead(sys.argv[1:], os.environ, os.getcwd())
    except Exception:  # noqa: S110
        pass
    from klachtsheet.cli import main as command_line

    try:
        command_line()
    except SystemExit as stop:
        if parse(sys.argv[1:])[0] in QUICK_EXIT:
            leave(stop.code)  # returns only when the process must end the usual way
        raise
    finally:
        # The process ends here. Without this, the interpreter's last collections walk every
        # row still in memory: 50 ms of a sync at 10,000 rows, a sixth of its run. Objects
        # are still freed as usual; only the cycle search over them is skipped.
        gc.freeze()


def leave(code: object) -> None:
    """End the process now, without freeing every object one by one; or return.

    At its end a sync or agenda of 10,000 rows holds about a million objects, and freeing
    them takes 20 ms, a thirtieth of a sync with nothing to do, for memory the system
    takes back anyway. Everything else an exit does is done first: the exit functions
    (logging's flush and close, temporary files), then standard output and error. Every
    file the commands write is closed, synced and renamed before they return, and their
    journals commit each step, so nothing rests on the objects' own clean-up. Returns
    when the usual exit is needed: a thread of ``threading`` still runs (the interpreter
    waits for those), or the code is a message for the interpreter to print.
    """
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    if code is not None and not isinstance(code, int):
        return
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the usual exit reports it
        return
    os._exit(code or 0)


def parse(args: Sequence[str]) -> tuple[str | None, dict[str, str]]:
    """Return the command the arguments name (or None) and the group's options with a value."""
    options: dict[str, str] = {}
    rest: Iterator[str] = iter(args)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name in VALUE_OPTIONS:
            options[name] = value if equals else next(rest, "")
        elif arg in STOPPING:
            return None, options
        elif arg == "--":
            return next(rest, None), options
        elif not arg.startswith("-"):
            return arg, options
    return None, options


def workbooks(
    args: Sequence[str], environ: Mapping[str, str], cwd: str
) -> Iterator[tuple[str, tuple[str, ...], str | None]]:
    """Yield the local workbooks the command will read first, with the tabs it reads.

    And the tab to parse in blocks of rows, whose first rows the command handles while
    the rest is parsed (see readahead), if any.

    The shared register comes first and, when ``--register`` names it, before the
    configuration is loaded: reading it can start meanwhile.
    """
    command, options = parse(args)
    tabs = _tabs(command)
    if tabs is None:
        return
    from klachtsheet import locations

    shared_tabs, confidential_tabs, blocks_of = tabs
    register = options.get("--register") or None
    named = None if register is None or locations.is_google(register) else register
    if named is not None:
        yield locations.in_folder(cwd, named), shared_tabs, blocks_of
    config_file = options.get("--config") or environ.get(locations.ENV_CONFIG)
    if config_file or os.path.isfile(os.path.join(cwd, locations.CONFIG_FILENAME)):
        # Where the file says (rare enough to pay for importing the configuration first).
        from pathlib import Path

        from klachtsheet.config import load_config

        config = load_config(
            Path(config_file) if config_file else None, register=register, cwd=Path(cwd)
        )
        shared, confidential = config.register, config.confidential_register
    elif named is not None:
        shared = locations.in_folder(cwd, named)
        confidential = locations.confidential_beside(shared)
    else:  # the defaults in this folder (the confidential one also beside a Google register)
        shared = register or locations.in_folder(cwd, locations.DEFAULT_REGISTER)
        confidential = locations.in_folder(cwd, locations.DEFAULT_CONFIDENTIAL_REGISTER)
    if named is None and not locations.is_google(shared):
        yield shared, shared_tabs, blocks_of
    if confidential_tabs and not locations.is_google(confidential):
        yield confidential, confidential_tabs, None


def _tabs(command: str | None) -> tuple[tuple[str, ...], tuple[str, ...], str | None] | None:
    """Return the tabs a command reads first, of the shared and the confidential register.

    And the shared register's tab it takes in blocks as they are parsed, if any.
    """
    if command == "sync":
        from klachtsheet.sync import BLOCKS_TAB, CONFIDENTIAL_TABS, SHARED_TABS

        return SHARED_TABS, CONFIDENTIAL_TABS, BLOCKS_TAB
    if command == "agenda":
        from klachtsheet.reports import AGENDA_BLOCKS_TAB, AGENDA_TABS

        return AGENDA_TABS, (), AGENDA_BLOCKS_TAB
    return None


def read_ahead(args: Sequence[str], environ: Mapping[str, str], cwd: str) -> None:
    """Start reading the workbooks the command will read first."""
    from klachtsheet import readahead

    for path, tabs, blocks_of in workbooks(args, environ, cwd):
        readahead.begin(path, tabs, blocks_of)
