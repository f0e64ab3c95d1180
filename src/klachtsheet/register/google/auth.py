"""Credentials and opening: the service-account key, the spreadsheet key, the HTTP client."""

from __future__ import annotations

import json
import logging
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from google.oauth2 import service_account
from gspread import HTTPClient
from gspread.exceptions import NoValidUrlKeyFound
from gspread.utils import extract_id_from_url

from klachtsheet.exceptions import ConfigError

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

log = logging.getLogger(__name__)

SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
SPREADSHEET_URL = "https://docs.google.com/spreadsheets/d/{key}"


def spreadsheet_key(location: str) -> str:
    """Return the spreadsheet key of a ``google:KEY`` location or a Google Sheets URL."""
    text = (location or "").strip()
    if text.startswith("google:"):
        key = text.removeprefix("google:").strip()
    else:
        try:
            key = extract_id_from_url(text)
        except NoValidUrlKeyFound:
            key = ""
    if not re.fullmatch(r"[A-Za-z0-9_-]{3,}", key):
        raise ConfigError(
            f"'{location}' is geen adres van een Google-spreadsheet; gebruik de URL "
            "(https://docs.google.com/spreadsheets/d/...) of google:SLEUTEL"
        )
    return key


def load_credentials(path: Path | None) -> Credentials:
    """Read a service-account key file, limited to the Sheets scope."""
    if path is None:
        raise ConfigError(
            "Geen Google-sleutel ingesteld: zet google_sleutel onder [register] in "
            "klachtsheet.toml of de omgevingsvariabele GOOGLE_APPLICATION_CREDENTIALS"
        )
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Google-sleutel {path} niet gevonden") from None
    except OSError as error:
        raise ConfigError(f"Google-sleutel {path} is niet leesbaar ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError(f"Google-sleutel {path} is geen JSON-sleutelbestand") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError(
            f"Google-sleutel {path} is geen sleutel van een serviceaccount (zie docs/google.md)"
        )
    try:
        credentials = service_account.Credentials.from_service_account_info(
            info, scopes=[SHEETS_SCOPE]
        )
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"Google-sleutel {path} is onvolledig of beschadigd") from None
    _warn_if_shared(path)
    return credentials


def _warn_if_shared(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "Google-sleutel %s is leesbaar voor anderen; maak hem privé met: chmod 600 %s",
            path,
            path,
        )


def connect(credentials: Credentials) -> HTTPClient:
    """Return gspread's HTTP client for these credentials (plain, without its endless retries)."""
    client = HTTPClient(credentials)
    client.set_timeout((10, 120))
    return client
