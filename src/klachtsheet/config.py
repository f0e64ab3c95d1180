"""Configuration: one ``klachtsheet.toml`` read into one frozen object; secrets from the environment."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from klachtsheet.exceptions import ConfigError
from klachtsheet.locations import (
    CONFIG_FILENAME,
    DEFAULT_CONFIDENTIAL_REGISTER,
    DEFAULT_REGISTER,
    ENV_CONFIG,
    confidential_beside,
    in_folder,
    is_google,
)

ENV_SECRET_KEY = "KLACHTSHEET_SECRET_KEY"  # noqa: S105 (a variable name, not a secret)
ENV_SMTP_PASSWORD = "KLACHTSHEET_SMTP_PASSWORD"  # noqa: S105
ENV_GOOGLE_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS"

SMTP_SECURITY = ("starttls", "ssl", "geen")


@dataclass(frozen=True)
class SmtpConfig:
    """Where e-mail is sent; without it, e-mails stay in the outbox."""

    host: str
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    security: str = "starttls"
    timeout: float = 30.0


@dataclass(frozen=True)
class ServerConfig:
    """How ``klachtsheet serve`` listens and who may use the forms."""

    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: str = field(default="", repr=False)
    # Form name -> hashed access code (werkzeug.security.generate_password_hash).
    access_codes: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Behind a TLS-terminating proxy the cookies must be Secure; locally on http they cannot be.
    secure_cookies: bool = True
    # Behind a reverse proxy (nginx, Caddy) every request comes from the proxy's address:
    # trust its X-Forwarded-For, so rate limits count per person and not for everyone at once.
    behind_proxy: bool = False
    debug: bool = False


# Seconds the sync waits for the local workbook to be closed (``[register] wachten_als_geopend``).
DEFAULT_OPEN_WAIT = 300.0
# The tool's own bookkeeping (locks, journals, compiled templates), in an output folder.
STATE_FOLDER = ".klachtsheet"


@dataclass(frozen=True)
class Config:
    """Everything klachtsheet needs to know about its surroundings."""

    register: str = DEFAULT_REGISTER
    confidential_register: str = DEFAULT_CONFIDENTIAL_REGISTER
    google_credentials: Path | None = None
    forms_dir: Path | None = None
    templates_dir: Path | None = None
    output_dir: Path = Path("uitvoer")
    # True when [mappen] uitvoer is set; else reports go beside the register (reports/).
    output_dir_set: bool = False
    queue_dir: Path = Path("wachtrij")
    smtp: SmtpConfig | None = None
    server: ServerConfig = field(default_factory=ServerConfig)
    source: Path | None = None
    # Seconds the sync waits for a person to close the local workbook before it gives up.
    open_wait: float = DEFAULT_OPEN_WAIT

    @property
    def outbox_dir(self) -> Path:
        return self.output_dir / "postvak-uit"

    @property
    def state_dir(self) -> Path:
        """Return where the tool keeps its own bookkeeping (locks, sent-mail journal)."""
        return self.output_dir / STATE_FOLDER

    @property
    def confidential_output_dir(self) -> Path:
        """Return where the confidential register's outbox, overviews and journal live.

        Beside a local confidential register (``vertrouwelijk-register-uitvoer/`` next to
        ``vertrouwelijk-register.xlsx``); for a Google sheet a folder ``vertrouwelijk/`` in
        the output folder. Never the shared outbox.
        """
        if is_google(self.confidential_register):
            return self.output_dir / "vertrouwelijk"
        path = Path(self.confidential_register)
        return path.with_name(path.stem + "-uitvoer")

    @property
    def confidential_outbox_dir(self) -> Path:
        return self.confidential_output_dir / "postvak-uit"

    @property
    def confidential_state_dir(self) -> Path:
        return self.confidential_output_dir / STATE_FOLDER

    def with_register(self, register: str | None) -> Config:
        """Return a copy that uses another register location."""
        return self if not register else replace(self, register=register)


_KNOWN: dict[str, set[str]] = {
    "register": {"locatie", "vertrouwelijk", "google_sleutel", "wachten_als_geopend"},
    "mappen": {"formulieren", "sjablonen", "uitvoer", "wachtrij"},
    "smtp": {"server", "poort", "gebruiker", "afzender", "beveiliging", "time-out"},
    "server": {"adres", "poort", "toegangscodes", "veilige_cookies", "achter_proxy", "debug"},
}


def load_config(
    path: Path | None = None,
    *,
    register: str | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Config:
    """Read the configuration file (if any) and the environment into a Config."""
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    if path is None and environ.get(ENV_CONFIG):
        path = Path(environ[ENV_CONFIG])
    if path is None and (cwd / CONFIG_FILENAME).is_file():
        path = cwd / CONFIG_FILENAME
    data: dict[str, Any] = {}
    base = cwd
    if path is not None:
        path = path if path.is_absolute() else cwd / path
        data = _read_toml(path)
        base = path.parent
    config = _build(data, path, base, environ)
    if register and not is_google(register):
        register = str(Path(in_folder(cwd, register)))
        if "vertrouwelijk" not in data.get("register", {}):
            # Without a configured place, the confidential register sits beside the shared one.
            beside = str(Path(confidential_beside(register)))
            config = replace(config, confidential_register=beside)
    return config.with_register(register)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuratiebestand niet gevonden") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: geen geldige TOML ({error})") from None
    except OSError as error:
        raise ConfigError(f"{path}: kan het bestand niet lezen ({error.strerror})") from None


def _check_known(data: dict[str, Any], where: str) -> None:
    """Refuse sections and keys klachtsheet does not know (a typo would be ignored silently)."""
    for section, values in data.items():
        if section not in _KNOWN:
            raise ConfigError(f"{where}: onbekend onderdeel [{section}]")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: '{section}' moet een onderdeel [{section}] zijn")
        for key in values:
            if key not in _KNOWN[section]:
                raise ConfigError(f"{where}: onbekende instelling '{section}.{key}'")


def _build(data: dict[str, Any], path: Path | None, base: Path, environ: Mapping[str, str]):
    where = str(path) if path else CONFIG_FILENAME
    _check_known(data, where)

    def text(section: str, key: str, default: str | None = None) -> str | None:
        value = data.get(section, {}).get(key, default)
        if value is not None and not isinstance(value, str):
            raise ConfigError(
                f"{where}: '{section}.{key}' moet tekst zijn (tussen aanhalingstekens)"
            )
        return value

    def number(section: str, key: str, default: int) -> int:
        value = data.get(section, {}).get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 65536:
            raise ConfigError(f"{where}: '{section}.{key}' moet een getal tussen 1 en 65535 zijn")
        return value

    def flag(section: str, key: str, default: bool) -> bool:
        value = data.get(section, {}).get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{section}.{key}' moet true of false zijn")
        return value

    def folder(key: str) -> Path | None:
        value = text("mappen", key)
        return None if value is None else (base / Path(value).expanduser())

    def location(key: str, default: str) -> str:
        value = text("register", key, default) or default
        return value if is_google(value) else str(Path(in_folder(base, value)))

    credentials = text("register", "google_sleutel") or environ.get(ENV_GOOGLE_CREDENTIALS)
    return Config(
        register=location("locatie", DEFAULT_REGISTER),
        confidential_register=location("vertrouwelijk", DEFAULT_CONFIDENTIAL_REGISTER),
        google_credentials=(base / Path(credentials).expanduser()) if credentials else None,
        forms_dir=folder("formulieren"),
        templates_dir=folder("sjablonen"),
        output_dir=folder("uitvoer") or base / "uitvoer",
        output_dir_set="uitvoer" in data.get("mappen", {}),
        queue_dir=folder("wachtrij") or base / "wachtrij",
        smtp=_smtp(data, where, text, number, environ),
        server=_server(data, where, text, number, flag, environ),
        source=path,
        open_wait=_seconds(data, where, "register", "wachten_als_geopend", DEFAULT_OPEN_WAIT),
    )


def _seconds(data: dict[str, Any], where: str, section: str, key: str, default: float) -> float:
    value = data.get(section, {}).get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 86_400:
        raise ConfigError(
            f"{where}: '{section}.{key}' moet een aantal seconden tussen 0 en 86400 zijn"
        )
    return float(value)


def _smtp(data, where, text, number, environ) -> SmtpConfig | None:
    if "smtp" not in data:
        return None
    host = text("smtp", "server")
    if not host:
        raise ConfigError(f"{where}: 'smtp.server' ontbreekt (of haal het onderdeel [smtp] weg)")
    security = text("smtp", "beveiliging", "starttls")
    if security not in SMTP_SECURITY:
        raise ConfigError(f"{where}: 'smtp.beveiliging' moet starttls, ssl of geen zijn")
    sender = text("smtp", "afzender", "")
    if not sender or "@" not in sender:
        raise ConfigError(f"{where}: 'smtp.afzender' moet een e-mailadres zijn")
    timeout = data["smtp"].get("time-out", 30)
    if not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(f"{where}: 'smtp.time-out' moet een aantal seconden zijn")
    return SmtpConfig(
        host=host,
        port=number("smtp", "poort", 587),
        user=text("smtp", "gebruiker", ""),
        password=environ.get(ENV_SMTP_PASSWORD, ""),
        sender=sender,
        security=security,
        timeout=float(timeout),
    )


def _server(data, where, text, number, flag, environ) -> ServerConfig:
    codes = data.get("server", {}).get("toegangscodes", {})
    if not isinstance(codes, dict) or not all(isinstance(v, str) for v in codes.values()):
        raise ConfigError(
            f"{where}: 'server.toegangscodes' moet per formulier een versleutelde code bevatten"
        )
    for form, hashed in codes.items():
        if not hashed.startswith(("pbkdf2:", "scrypt:")):
            raise ConfigError(
                f"{where}: toegangscode voor '{form}' is niet versleuteld; "
                "maak er een met 'klachtsheet toegangscode'"
            )
    return ServerConfig(
        host=text("server", "adres", "127.0.0.1"),
        port=number("server", "poort", 8080),
        secret_key=environ.get(ENV_SECRET_KEY, ""),
        access_codes=dict(codes),
        secure_cookies=flag("server", "veilige_cookies", True),
        behind_proxy=flag("server", "achter_proxy", False),
        debug=flag("server", "debug", False),
    )
