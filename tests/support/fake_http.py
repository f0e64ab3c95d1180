"""Google's error envelope and response headers, and pointing gspread at the fake."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import gspread
from google.auth.credentials import AnonymousCredentials
from werkzeug.serving import WSGIRequestHandler

from support.fake_model import GOOGLE, REASONS, STATUS_NAMES


def _fault_message(status: int) -> str:
    if status == 429:
        return (
            "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
            "minute per user' of service 'sheets.googleapis.com' for consumer "
            "'project_number:000000000000'."
        )
    if status == 503:
        return "The service is currently unavailable."
    return "Internal error encountered."


def _error_body(code: int, message: str, details: list | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "status": STATUS_NAMES.get(code, "UNKNOWN"),
    }
    if details:
        error["details"] = details
    return {"error": error}


def _respond(
    start_response: Callable,
    status: int,
    body: dict[str, Any],
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    # Indented like Google's answers; big answers compact, as json's C encoder is only used
    # without indent (an indented 20,000-range answer takes seconds to encode).
    compact = json.dumps(body, ensure_ascii=False)
    text = compact if len(compact) > 200_000 else json.dumps(body, ensure_ascii=False, indent=2)
    payload = text.encode("utf-8")
    headers = [
        ("Content-Type", "application/json; charset=UTF-8"),
        ("Content-Length", str(len(payload))),
        ("Server", "ESF"),
        ("Cache-Control", "private"),
        ("Vary", "Origin, X-Origin, Referer"),
    ]
    start_response(f"{status} {REASONS.get(status, 'Error')}", headers + (extra or []))
    return [payload]


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def log_error(self, *args: Any, **kwargs: Any) -> None:
        pass


# -- pointing gspread at it --------------------------------------------------------------


class FakeHTTPClient(gspread.HTTPClient):
    """gspread's HTTP client with dummy credentials, sent to base_url instead of Google."""

    def __init__(self, base_url: str, auth: Any = None) -> None:
        super().__init__(auth or AnonymousCredentials())
        self.base_url = base_url.rstrip("/")
        self.sent: list[tuple[str, str, Any, Any]] = []
        self.set_timeout((5, 60))

    def request(
        self, method, endpoint, params=None, data=None, json=None, files=None, headers=None
    ):
        endpoint = endpoint.replace(GOOGLE, self.base_url, 1)
        # The body as sent (not copied: klachtsheet never changes a body after sending it).
        self.sent.append((method.upper(), endpoint, copy.deepcopy(params), json))
        return super().request(
            method, endpoint, params=params, data=data, json=json, files=files, headers=headers
        )
