"""The production server: waitress with limits, and the app's Dutch pages for its errors.

Waitress answers some requests itself, before the app sees them (a body over
``max_request_body_size``, headers too large, a malformed request). Those answers get the
app's own Dutch error page with the same security headers, so no English plain-text page
without headers ever leaves the server.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

from flask import Flask, render_template
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask

from klachtsheet.exceptions import ConfigError
from klachtsheet.web import MAX_CONTENT_LENGTH, SECURITY_HEADERS
from klachtsheet.web.errors import MESSAGES

# Idle or slow connections are closed after this many seconds, so a hundred idle sockets
# cannot keep the form unreachable; the connection limit is well above a team's need.
CHANNEL_TIMEOUT = 20
CONNECTION_LIMIT = 200
MAX_HEADER_SIZE = 64 * 1024


def _pages(app: Flask) -> dict[int, bytes]:
    """Render the Dutch error pages once, for the error task that cannot use the app."""
    pages = {}
    with app.test_request_context("/"):
        for code, (title, message) in MESSAGES.items():
            if "{wacht}" in message:
                message = message.format(wacht="een paar minuten")
            pages[code] = render_template("errors/fout.html", title=title, message=message).encode()
    return pages


def _channel_class(pages: dict[int, bytes]) -> type[HTTPChannel]:
    class DutchErrorTask(ErrorTask):
        """Waitress's own error answers, as the app's Dutch page with security headers."""

        def execute(self) -> None:
            error = self.request.error
            code = int(getattr(error, "code", 400) or 400)
            body = pages.get(code) or pages[500 if code >= 500 else 400]
            reason = getattr(error, "reason", "Bad Request")
            self.status = f"{code} {reason}"
            self.response_headers.extend(
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Cache-Control", "no-store"),
                    ("Connection", "close"),
                    *SECURITY_HEADERS.items(),
                ]
            )
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class DutchChannel(HTTPChannel):
        error_task_class = DutchErrorTask

    return DutchChannel


def make_server(app: Flask, host: str, port: int, threads: int = 8, **options: Any):
    """Bind the socket (raising ConfigError in Dutch when the port is taken) and return it.

    Nothing is printed here: the caller shows its banner only once the port is ours.
    """
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "klachtsheet",
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": 5,
        # The same limit as the app: a bigger body is refused before it is read in full.
        "max_request_body_size": MAX_CONTENT_LENGTH,
        "max_request_header_size": MAX_HEADER_SIZE,
        "asyncore_use_poll": True,
        **options,
    }
    try:
        # Waitress leaks its socket and wake-up pipe when the bind fails, so try the port
        # with a socket of our own first (closed either way); create_server still checks.
        _try_bind(host, port)
        server = create_server(app, **settings)
    except OSError as error:
        if error.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
            what = "al in gebruik" if error.errno != errno.EACCES else "niet toegestaan"
            raise ConfigError(
                f"Poort {port} op {host} is {what}; kies een andere met --poort of stop "
                "het programma dat hem gebruikt"
            ) from None
        raise ConfigError(f"Kan niet luisteren op {host}:{port}: {error.strerror}") from None
    # The channel class of the server (and of each listening socket of a multi-server).
    channel = _channel_class(_pages(app))
    # One listening socket, or several (a multi-socket server keeps them in its map).
    for listener in [server, *getattr(server, "map", {}).values()]:
        if hasattr(listener, "channel_class"):
            listener.channel_class = channel
    return server


def _try_bind(host: str, port: int) -> None:
    """Raise OSError when host:port cannot be bound (as waitress binds: SO_REUSEADDR)."""
    if port == 0:
        return
    for family, kind, proto, _, address in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    ):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
        return
