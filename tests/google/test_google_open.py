"""Opening a Google register: locations, the service-account key, and `klachtsheet init`."""

from __future__ import annotations

import json
import logging
import os

import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.config import load_config
from klachtsheet.exceptions import ConfigError
from klachtsheet.register import google as google_register
from klachtsheet.register import open_register
from klachtsheet.register.google import SHEETS_SCOPE, GoogleRegister, spreadsheet_key
from support.fake_sheets import FakeHTTPClient

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcd"


@pytest.mark.parametrize(
    "location",
    [
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit",
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
        f"https://docs.google.com/spreadsheets/d/{KEY}",
        f"google:{KEY}",
    ],
)
def test_google_location_gives_the_key(location):
    assert spreadsheet_key(location) == KEY


@pytest.mark.parametrize("location", ["https://example.org/sheet", "google:", "google:a b"])
def test_google_bad_location_is_a_dutch_config_error(location):
    with pytest.raises(ConfigError, match="geen adres van een Google-spreadsheet"):
        spreadsheet_key(location)


def test_google_key_file_is_required(tmp_path):
    config = load_config(cwd=tmp_path, environ={})
    with pytest.raises(ConfigError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        GoogleRegister.open(f"google:{KEY}", config)


def test_google_key_file_problems_are_dutch_one_liners(tmp_path):
    cases = {
        tmp_path / "ontbreekt.json": "niet gevonden",
        tmp_path: "niet leesbaar",
    }
    (tmp_path / "kapot.json").write_text("{niet json", encoding="utf-8")
    cases[tmp_path / "kapot.json"] = "geen JSON-sleutelbestand"
    (tmp_path / "gebruiker.json").write_text(json.dumps({"type": "authorized_user"}))
    cases[tmp_path / "gebruiker.json"] = "geen sleutel van een serviceaccount"
    (tmp_path / "half.json").write_text(json.dumps({"type": "service_account"}))
    cases[tmp_path / "half.json"] = "onvolledig of beschadigd"
    for path, message in cases.items():
        with pytest.raises(ConfigError, match=message) as caught:
            google_register.load_credentials(path)
        assert "\n" not in str(caught.value)
        assert "BEGIN PRIVATE KEY" not in str(caught.value)


def test_google_key_from_environment_gets_only_the_sheets_scope(tmp_path, service_account_file):
    config = load_config(
        cwd=tmp_path, environ={"GOOGLE_APPLICATION_CREDENTIALS": str(service_account_file)}
    )
    credentials = google_register.load_credentials(config.google_credentials)
    assert tuple(credentials.scopes) == (SHEETS_SCOPE,)
    register = GoogleRegister.open(f"https://docs.google.com/spreadsheets/d/{KEY}/edit", config)
    assert register.key == KEY
    assert register.account == "klachtsheet@klachtsheet-test.iam.gserviceaccount.com"
    assert register.client.timeout == (10, 120)


def test_google_key_readable_by_others_is_warned_about(service_account_file, caplog):
    os.chmod(service_account_file, 0o644)
    with caplog.at_level(logging.WARNING, logger="klachtsheet.register.google"):
        google_register.load_credentials(service_account_file)
    assert "chmod 600" in caplog.text
    assert "PRIVATE" not in caplog.text


def test_google_open_register_picks_the_google_backend(tmp_path, service_account_file):
    toml = tmp_path / "klachtsheet.toml"
    toml.write_text(
        f'[register]\nlocatie = "google:{KEY}"\ngoogle_sleutel = "{service_account_file}"\n',
        encoding="utf-8",
    )
    config = load_config(toml)
    register = open_register(config.register, config)
    assert isinstance(register, GoogleRegister) and register.key == KEY


def test_google_cli_init_with_a_url(
    fake, fake_url, tmp_path, runner, monkeypatch, service_account_file
):
    shared, confidential = fake.create("gedeeld-sleutel"), fake.create("vertrouwelijk-sleutel")
    toml = tmp_path / "klachtsheet.toml"
    toml.write_text(
        f'[register]\nvertrouwelijk = "google:{confidential}"\n'
        f'google_sleutel = "{service_account_file}"\n',
        encoding="utf-8",
    )
    # The only seam: gspread's client goes to the fake instead of sheets.googleapis.com.
    monkeypatch.setattr(google_register, "connect", lambda credentials: FakeHTTPClient(fake_url))
    url = f"https://docs.google.com/spreadsheets/d/{shared}/edit"
    args = ["--config", str(toml), "--register", url, "init"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"{url}:" in result.output
    assert result.output.count(f"Tabblad '{schema.KLACHTEN_TAB}' toegevoegd") == 2
    assert [s.title for s in fake.book(shared).sheets][1:] == [t.name for t in schema.TABS]
    assert [s.title for s in fake.book(confidential).sheets][1:] == [
        t.name for t in schema.CONFIDENTIAL_TABS
    ]
    again = runner.invoke(cli, args)
    assert again.exit_code == 0
    assert again.output.count("alles is al aanwezig, niets veranderd") == 2


def test_google_cli_init_not_shared_is_one_dutch_line(
    fake, fake_url, tmp_path, runner, monkeypatch, service_account_file
):
    fake.create("prive")
    fake.forbidden.add("prive")
    monkeypatch.setattr(google_register, "connect", lambda credentials: FakeHTTPClient(fake_url))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(service_account_file))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--register", "google:prive", "init", "--zonder-vertrouwelijk"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Fout: Geen toegang tot Google-spreadsheet prive; deel hem met het serviceaccount "
        "(klachtsheet@klachtsheet-test.iam.gserviceaccount.com) als bewerker"
    ]
