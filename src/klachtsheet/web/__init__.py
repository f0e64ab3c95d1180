"""The intake web form: a Flask app factory with one blueprint per area."""

from __future__ import annotations

import logging
import math
import secrets
from collections import Counter
from datetime import timedelta
from typing import Any

from flask import Flask, Response
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from klachtsheet.config import Config, load_config
from klachtsheet.exceptions import ConfigError
from klachtsheet.intake.desk import IntakeDesk
from klachtsheet.messages.texts import datum
from klachtsheet.model import parse_date

log = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128
# The biggest honest form is a few KB; the cap stops floods before any parsing.
MAX_CONTENT_LENGTH = 64 * 1024

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    # The caller-history panel fetches from the same origin only.
    "connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
    "MAX_FORM_MEMORY_SIZE": MAX_CONTENT_LENGTH,
    "SESSION_COOKIE_NAME": "klachtsheet",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # A long phone call must not expire the form a volunteer is filling in.
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    "WTF_CSRF_SSL_STRICT": False,
    # Wrong access codes per address before 429 (only wrong tries count).
    "KLACHTSHEET_CODE_LIMIT": "5 per 15 minutes",
    "KLACHTSHEET_SUBMIT_LIMIT": "120 per minute;2000 per hour",
    # Start the background writer thread that appends queued submissions in batches.
    "KLACHTSHEET_BACKGROUND_WRITER": True,
    # Seconds a submission waits for its register write before the person is told its
    # Nummer; the submission is durable already, so 0 only changes what the page says.
    "KLACHTSHEET_WAIT_FOR_WRITE": 0.0,
}


def create_app(config: Config | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    """Build the form app for this configuration (test_config overrides Flask settings)."""
    config = config or load_config()
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config["SESSION_COOKIE_SECURE"] = config.server.secure_cookies
    app.config["DEBUG"] = config.server.debug
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = _secret_key(app, config)
    if config.server.behind_proxy:
        # One proxy in front: take the client address and scheme it passes on, no more.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    desk = app.config.get("KLACHTSHEET_DESK") or IntakeDesk(config)
    app.extensions["klachtsheet"] = desk
    app.extensions["klachtsheet_config"] = config

    CSRFProtect(app)
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://",
                      headers_enabled=True, key_prefix="klachtsheet")  # fmt: skip
    app.extensions["klachtsheet_limiter"] = limiter

    from klachtsheet.web import errors, forms, health, history

    app.register_blueprint(forms.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(errors.bp)
    forms.apply_limits(app, limiter)
    history.apply_limits(app, limiter)
    app.after_request(_security_headers)
    app.jinja_env.filters.update(datum=datum, iso_date=_iso_date)

    if app.config["KLACHTSHEET_BACKGROUND_WRITER"]:
        desk.writer.start()
    return app


def secret_entropy_bits(key: str) -> float:
    """Estimate a key's entropy: its length times the Shannon entropy of its characters.

    Thirty-two spaces give 0 bits, 'abc' repeated gives ~50; a random key of 32 or more
    characters from letters and digits gives well over 128.
    """
    if not key:
        return 0.0
    counts = Counter(key)
    per_char = -sum((n / len(key)) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def _secret_key(app: Flask, config: Config) -> str:
    key = app.config.get("SECRET_KEY") or config.server.secret_key
    if key and len(key) >= MIN_SECRET_LENGTH and secret_entropy_bits(key) >= MIN_SECRET_BITS:
        return key
    if app.config.get("TESTING") or app.config.get("DEBUG"):
        log.warning("no strong secret key; using a temporary one (debug or test only)")
        return secrets.token_urlsafe(48)
    raise ConfigError(
        f"Geen sterke geheime sleutel: zet KLACHTSHEET_SECRET_KEY op minstens "
        f"{MIN_SECRET_LENGTH} willekeurige tekens, bijvoorbeeld de uitvoer van "
        "'python -c \"import secrets; print(secrets.token_urlsafe(48))\"' "
        "(zie docs/formulier.md)"
    )


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        # Pages may show personal data: never keep them in a shared computer's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _iso_date(text: str) -> str:
    """Return a register date (26-11-2026) as a date input wants it (2026-11-26)."""
    day = parse_date(text or "").day if text else None
    return day.isoformat() if day else ""
