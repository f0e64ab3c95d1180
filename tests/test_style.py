"""The code passes ruff's lint and format checks and mypy (configured in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["src", "tests", "benchmarks"]


RUFF = [sys.executable, "-m", "ruff"] if not shutil.which("ruff") else ["ruff"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*RUFF, *args, *TARGETS], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("args", [("check",), ("format", "--check")], ids=["lint", "format"])
def test_ruff(args):
    result = ruff(*args)

    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy():
    """mypy over src/ (the files and strictness are in pyproject's [tool.mypy])."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--config-file", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues found" in result.stdout


@pytest.mark.parametrize(
    ("where", "code", "rule"),
    [
        ("src/klachtsheet/sync/x.py", "import click\n", "TID251"),
        ("src/klachtsheet/sync/x.py", "import flask\n", "TID251"),
        ("src/klachtsheet/web/x.py", "import click\n", "TID251"),
        ("src/klachtsheet/cli/x.py", "from flask import Flask\n", "TID251"),
        ("src/klachtsheet/cli/x.py", "print('hallo')\n", "T201"),
        ("src/klachtsheet/rules/x.py", "print('hallo')\n", "T201"),
    ],
)
def test_layout_rules_bite(where, code, rule):
    """The import and print rules of docs/development.md are enforced where they apply."""
    args = ["check", "--no-cache", "--select", "TID251,T20", "--stdin-filename", where, "-"]
    result = subprocess.run([*RUFF, *args], cwd=ROOT, input=code, capture_output=True, text=True)

    assert rule in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("src/klachtsheet/cli/x.py", "import click\n"),
        ("src/klachtsheet/web/x.py", "import flask\n"),
    ],
)
def test_layout_rules_allow_their_own_folder(where, code):
    args = ["check", "--no-cache", "--select", "TID251", "--stdin-filename", where, "-"]
    result = subprocess.run([*RUFF, *args], cwd=ROOT, input=code, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr
