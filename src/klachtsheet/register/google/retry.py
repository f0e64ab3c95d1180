"""Retries of requests Google answered with 429 or 5xx, and Dutch explanations of refusals."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from google.auth import exceptions as auth_exceptions
from gspread.exceptions import APIError

from klachtsheet.exceptions import LayoutError, RegisterBusy, RegisterError

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how long in total, to retry a request Google answered with 429 or 5xx."""

    tries: int = 5
    first_wait: float = 1.0
    max_wait: float = 32.0
    max_total: float = 90.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Return the wait before the next try: jittered exponential, at least Retry-After."""
        backoff = min(self.max_wait, self.first_wait * 2**attempt)
        jittered = backoff * (0.5 + self.jitter() / 2)
        return max(jittered, retry_after or 0.0)


class _Transient(Exception):
    """A failure worth another try: 429, 5xx or a lost connection."""

    def __init__(self, status: int | None, retry_after: float | None, detail: str) -> None:
        super().__init__(detail)
        self.status, self.retry_after, self.detail = status, retry_after, detail


class _Rejected(Exception):
    """Google refused the request for good (4xx other than 429)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def retrying(policy: RetryPolicy, what: str, attempt: Callable[[int], T]) -> T:
    """Call attempt(0), attempt(1), ... while Google answers 429/5xx, within the policy."""
    waited = 0.0
    last: _Transient | None = None
    for number in range(policy.tries):
        try:
            return attempt(number)
        except _Transient as problem:
            last = problem
            if number + 1 >= policy.tries:
                break
            delay = policy.delay(number, problem.retry_after)
            if waited + delay > policy.max_total:
                break
            log.warning(
                "Google Sheets (%s): %s; nieuwe poging over %.1f s", what, problem.detail, delay
            )
            policy.sleep(delay)
            waited += delay
    assert last is not None
    if last.status == 429:
        raise RegisterBusy(
            "Google Sheets meldt te veel verzoeken (429), ook na "
            f"{number + 1} pogingen; probeer het over een paar minuten opnieuw"
        )
    raise RegisterError(
        f"Google Sheets is niet bereikbaar ({last.detail}), ook na {number + 1} pogingen; "
        "probeer het later opnieuw"
    )


def send(method: Callable[..., T], *args: Any) -> T:
    """Send one request; sort failures into worth-retrying and final."""
    try:
        return method(*args)
    except APIError as error:
        status = error.response.status_code
        message = str(error.error.get("message", ""))
        if status in RETRYABLE_STATUS:
            raise _Transient(status, _retry_after(error.response), f"HTTP {status}") from None
        raise _Rejected(status, message) from None
    except (
        requests.ConnectionError,
        requests.Timeout,
        auth_exceptions.TransportError,
    ) as error:
        raise _Transient(None, None, f"verbinding verbroken: {type(error).__name__}") from None
    except auth_exceptions.RefreshError:
        raise RegisterError(
            "Google weigert de sleutel van het serviceaccount; maak een nieuwe sleutel "
            "(zie docs/google.md)"
        ) from None


def explain(key: str, account: str, what: str, rejected: _Rejected) -> RegisterError:
    """Turn a final refusal from Google into one Dutch line."""
    account = f" ({account})" if account else ""
    if rejected.status == 404:
        return RegisterError(
            f"Google-spreadsheet {key} niet gevonden; controleer de URL in de configuratie"
        )
    if rejected.status == 403:
        return RegisterError(
            f"Geen toegang tot Google-spreadsheet {key}; deel hem met het "
            f"serviceaccount{account} als bewerker"
        )
    if rejected.status == 400 and "Unable to parse range" in rejected.message:
        return LayoutError(
            f"Een tabblad ontbreekt in de Google-spreadsheet ({rejected.message}); "
            "voer 'klachtsheet init' uit"
        )
    if rejected.status == 401:
        return RegisterError(
            "Google weigert de sleutel van het serviceaccount; maak een nieuwe sleutel "
            "(zie docs/google.md)"
        )
    return RegisterError(
        f"Google Sheets weigert het {what} (HTTP {rejected.status}): {rejected.message}"
    )
