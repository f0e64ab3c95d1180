"""Wrong access codes, counted atomically: a try is reserved before the code is checked.

Forty guesses sent at the same moment get exactly the allowed number of checks: each
request takes a slot under a lock before the (slow) password hash runs, and gives it back
only when the code was right.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from limits import parse
from werkzeug.exceptions import TooManyRequests


class TooManyAttempts(TooManyRequests):
    """A 429 that knows how long the person really has to wait."""

    def __init__(self, retry_after: float) -> None:
        super().__init__()
        self.retry_after = max(1, math.ceil(retry_after))

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("Retry-After", str(self.retry_after))]


class Attempts:
    """A moving window of tries per key (client address and form), safe across threads."""

    def __init__(self, limit: str, clock: Callable[[], float] = time.monotonic) -> None:
        item = parse(limit)
        self.amount, self.window = item.amount, float(item.get_expiry())
        self.clock = clock
        self._lock = threading.Lock()
        self._tries: dict[str, deque[float]] = {}

    def reserve(self, key: str) -> None:
        """Take one try for key, or raise TooManyAttempts with the true wait."""
        now = self.clock()
        with self._lock:
            tries = self._tries.setdefault(key, deque())
            while tries and tries[0] <= now - self.window:
                tries.popleft()
            if len(tries) >= self.amount:
                raise TooManyAttempts(tries[0] + self.window - now)
            tries.append(now)
            if len(self._tries) > 10_000:
                self._forget_old(now)

    def refund(self, key: str) -> None:
        """Give back the last try of key (the code was right)."""
        with self._lock:
            tries = self._tries.get(key)
            if tries:
                tries.pop()

    def _forget_old(self, now: float) -> None:
        for key in [k for k, t in self._tries.items() if not t or t[-1] <= now - self.window]:
            del self._tries[key]


def wait_text(seconds: float) -> str:
    """Return a Dutch wait time, rounded up to whole minutes ('1 minuut', '15 minuten')."""
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"
