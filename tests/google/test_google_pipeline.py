"""The whole way on Google Sheets: the form writes a complaint, the sync completes it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from google.auth.credentials import AnonymousCredentials

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.register import google as google_backend
from klachtsheet.web import create_app
from support.fake_sheets import FakeHTTPClient
from support.intake import COMPLAINT, make_config, post

SHARED, SECRET = "google:form-register", "google:form-vertrouwelijk"


@pytest.fixture
def on_fake(monkeypatch, fake, fake_url, make_register):
    """Make every GoogleRegister the tool opens talk to the fake; create both spreadsheets."""
    monkeypatch.setattr(google_backend, "load_credentials", lambda path: AnonymousCredentials())
    monkeypatch.setattr(google_backend, "connect", lambda credentials: FakeHTTPClient(fake_url))
    make_register("form-register").ensure_layout(schema.EXAMPLE_TABS)
    make_register("form-vertrouwelijk").ensure_layout(schema.CONFIDENTIAL_TABS)
    return fake


def test_form_submission_and_sync_on_google_sheets(
    on_fake, make_register, tmp_path, runner, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # the sync's outbox and state go to ./uitvoer

    config = replace(
        make_config(tmp_path, tmp_path / "niet-gebruikt.xlsx"),
        register=SHARED,
        confidential_register=SECRET,
    )
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    response = post(
        app.test_client(), **{**COMPLAINT, "omschrijving": '=IMPORTXML("http://x","//a")'}
    )
    assert response.status_code in (302, 303)

    [row] = list(make_register("form-register").read(["Klachten"])["Klachten"].records())
    assert row["Omschrijving"] == '=IMPORTXML("http://x","//a")'
    assert row["Status"] == "Overgedragen" and row["Coördinator"] == ""
    appends = [r for r in on_fake.requests if r.kind == "values.append"]
    assert appends and all(r.query["valueInputOption"] == ["RAW"] for r in appends)

    result = runner.invoke(
        cli, ["--register", SHARED, "sync"], env={"KLACHTSHEET_CONFIG": ""}, catch_exceptions=False
    )

    assert result.exit_code == 0, result.output
    [row] = list(make_register("form-register").read(["Klachten"])["Klachten"].records())
    assert row["Coördinator"] == "Bram Jansen"
    assert row["Antwoord uiterlijk"]
    assert row["Bevestiging verstuurd op"]
    assert list((tmp_path / "uitvoer" / "postvak-uit").glob("*/belscript.txt"))
