"""A sync with nothing to send starts without the libraries only other work needs."""

from __future__ import annotations

import subprocess
import sys

# Each is tens of milliseconds of a scheduled sync's start (issue 17): openpyxl creates and
# upgrades layouts, jinja2 and smtplib make and send messages, YAML reads form definitions,
# email-validator judges unusual addresses, importlib.metadata answers --version.
HEAVY = ("openpyxl", "jinja2", "yaml", "email_validator", "importlib.metadata", "smtplib", "babel")


def test_the_sync_command_imports_none_of_the_heavy_libraries():
    code = (
        "import sys\n"
        "import klachtsheet.cli, klachtsheet.cli.sync, klachtsheet.sync.run\n"
        "import klachtsheet.register.local, klachtsheet.intake.queue\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_lazy_names_still_import():
    from klachtsheet import __version__
    from klachtsheet.intake import FormDefinition, load_forms, validate

    assert __version__ and callable(load_forms) and callable(validate)
    assert FormDefinition.__name__ == "FormDefinition"
