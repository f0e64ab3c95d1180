"""Where the configuration and the registers are found: names and rules, importable at no cost.

The console entry point (``launch``) needs them before anything heavy is imported, to start
reading the register while the command line loads; ``config`` builds on the same rules.
"""

from __future__ import annotations

import os

CONFIG_FILENAME = "klachtsheet.toml"
DEFAULT_REGISTER = "klachtenregister.xlsx"
DEFAULT_CONFIDENTIAL_REGISTER = "vertrouwelijk-register.xlsx"
ENV_CONFIG = "KLACHTSHEET_CONFIG"


def is_google(location: str) -> bool:
    """Tell whether a register location is a Google spreadsheet rather than a file."""
    return location.startswith(("https://", "http://")) or location.startswith("google:")


def in_folder(folder: str | os.PathLike[str], location: str) -> str:
    """Return a register's file path, relative ones taken from this folder (``~`` expanded)."""
    return os.path.join(folder, os.path.expanduser(location))


def confidential_beside(register: str) -> str:
    """Return where the confidential register is when no place is configured: beside it."""
    return os.path.join(os.path.dirname(register), DEFAULT_CONFIDENTIAL_REGISTER)
