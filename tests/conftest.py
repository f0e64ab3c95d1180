"""Fixtures shared by every area's tests; each area keeps its own in tests/<area>/conftest.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from klachtsheet import schema
from klachtsheet.cli.dutch import use_dutch
from klachtsheet.register.local import LocalRegister

# The fake Google Sheets fixtures (fake, fake_url, make_register, ...) for every area.
pytest_plugins = ["support.google"]

CHROMIUM = os.environ.get("KLACHTSHEET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() == "true"


def need_tool(available: bool, what: str) -> None:
    """Skip locally when a tool is missing; in CI a missing tool is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing in CI; .ci/run must install it")
    pytest.skip(f"{what} is not installed here")


@pytest.fixture
def register_path(tmp_path: Path) -> Path:
    """Return the path of a freshly initialised local register."""
    path = tmp_path / "klachtenregister.xlsx"
    LocalRegister(path).ensure_layout(schema.EXAMPLE_TABS)
    return path


@pytest.fixture
def register(register_path: Path) -> LocalRegister:
    """Return a freshly initialised local register."""
    return LocalRegister(register_path)


@pytest.fixture
def runner() -> CliRunner:
    """Return a click test runner; click's own messages in Dutch, as in klachtsheet.cli.main."""
    use_dutch()
    return CliRunner()


@pytest.fixture(scope="session")
def browser():
    """Return a headless Chromium driven by Playwright (Debian's /usr/bin/chromium)."""
    need_tool(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})")
    try:
        from playwright import sync_api
    except ImportError:
        sync_api = None
    need_tool(sync_api is not None, "Playwright (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def soffice() -> str:
    """Return the path of headless LibreOffice."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    need_tool(found is not None, "LibreOffice (libreoffice-calc-nogui)")
    return found
