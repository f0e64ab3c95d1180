"""The wheel carries the Dutch texts, and an editable install finds them at the top level."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import klachtsheet
from klachtsheet.files import packaged
from klachtsheet.intake import load_forms
from klachtsheet.messages.texts import environment

ROOT = Path(__file__).resolve().parents[2]
PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]


def shipped(folder: str) -> set[str]:
    """Return the files under ROOT/folder, relative to it (as the wheel should carry them)."""
    base = ROOT / folder
    return {
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """Build the wheel from this checkout with hatchling (no build isolation: no network)."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [*PIP_WHEEL, "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [built] = out.glob("klachtsheet-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_wheel_carries_every_form_and_template(wheel):
    names = set(wheel.namelist())
    forms = {
        n.removeprefix("klachtsheet/forms/") for n in names if n.startswith("klachtsheet/forms/")
    }
    templates = {
        n.removeprefix("klachtsheet/templates/")
        for n in names
        if n.startswith("klachtsheet/templates/")
    }

    assert any(n.endswith(".yaml") for n in forms)
    assert forms == shipped("forms")
    assert templates == shipped("templates")
    assert any(t.endswith(".md") or t.endswith(".txt") or t.endswith(".html") for t in templates)


def test_wheel_carries_the_code_and_no_development_files(wheel):
    names = set(wheel.namelist())

    assert "klachtsheet/cli/__init__.py" in names
    assert "klachtsheet/web/static/klachtsheet.css" in names
    assert not any(n.endswith("ruff.toml") for n in names)
    assert not any(n.startswith(("tests/", "klachtsheet/tests/")) for n in names)
    assert not any("__pycache__" in n for n in names)


@pytest.mark.skipif(
    not Path(klachtsheet.__file__).resolve().is_relative_to(ROOT / "src"),
    reason="klachtsheet is installed from a wheel here, not from this checkout",
)
def test_editable_install_finds_the_top_level_forms_and_templates():
    """From a clone (editable install) the texts are the top-level folders people edit."""
    forms, templates = packaged("forms"), packaged("templates")

    assert forms.resolve() == (ROOT / "forms").resolve()
    assert templates.resolve() == (ROOT / "templates").resolve()
    assert any(forms.glob("*.yaml")) and any(templates.rglob("*.txt"))
    assert set(load_forms()) >= {"telefoondienst", "vrijwilliger"}
    assert environment().loader.get_source(environment(), "agenda/agenda.md")[1] == str(
        templates / "agenda" / "agenda.md"
    )
