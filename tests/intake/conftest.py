"""Fixtures of the intake tests: a configured app, its test client and a live waitress server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress

from klachtsheet.config import Config
from klachtsheet.web import create_app
from support.intake import make_config


@pytest.fixture
def register_path(register_path: Path) -> Path:
    """The shared register, with a vertrouwenspersoon (the form refuses confidential without)."""
    import openpyxl

    workbook = openpyxl.load_workbook(register_path)
    for row in workbook["Instellingen"].iter_rows(min_row=2):
        if row[0].value == "Vertrouwenspersoon":
            row[1].value = "Vera Vertrouwen"
        elif row[0].value == "E-mail vertrouwenspersoon":
            row[1].value = "vertrouwen@voorbeeld.nl"
    workbook.save(register_path)
    return register_path


@pytest.fixture
def config(tmp_path: Path, register_path: Path) -> Config:
    """Return a configuration with access codes, everything under tmp_path."""
    return make_config(tmp_path, register_path)


@pytest.fixture
def app(config: Config):
    """Return the app with writes done inside the request (deterministic)."""
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    yield app
    app.extensions["klachtsheet"].writer.stop()


@pytest.fixture
def client(app):
    """Return Flask's test client."""
    return app.test_client()


@pytest.fixture
def live_server(config: Config) -> Iterator[tuple[str, object]]:
    """Run the app on waitress at 127.0.0.1 on a free port; yield (base URL, app)."""
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_SUBMIT_LIMIT": "1000 per minute"})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    stop = threading.Event()

    def run() -> None:
        # Poll in short steps so the loop ends before the sockets are closed.
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", app
    finally:
        stop.set()
        thread.join(5)
        server.close()
        app.extensions["klachtsheet"].writer.stop()
