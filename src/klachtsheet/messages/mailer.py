"""Compose e-mails and send them over SMTP (only when the configuration names a server)."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import lru_cache
from typing import Any

from klachtsheet.addresses import sendable
from klachtsheet.config import SmtpConfig
from klachtsheet.exceptions import DeliveryError, RowDeliveryError
from klachtsheet.model import now

log = logging.getLogger(__name__)

# The outbox copy of an e-mail needs a sender even when no SMTP server is configured.
PLACEHOLDER_SENDER = "klachten@localhost"


class _KeptHeaders(HeaderRegistry):
    """The stdlib's header registry, keeping what every message of a run makes again.

    For each header the stdlib makes a new class, and it parses the same Date, MIME-Version
    and Content-* values anew for every message: about half the cost of composing one (a
    first sync at 10,000 rows composes 190). A parsed header is immutable, so one serves all.
    """

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        self._parsed: dict[tuple[str, str], BaseHeader] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        if (found := self._classes.get(key)) is None:
            found = self._classes[key] = super().__getitem__(name)
        return found

    def __call__(self, name: str, value: Any) -> BaseHeader:
        if type(value) is not str:  # an Address: made afresh, as it carries a person's name
            return super().__call__(name, value)
        if (found := self._parsed.get((name, value))) is None:
            if len(self._parsed) >= 256:  # subjects and message IDs never repeat
                self._parsed.clear()
            found = self._parsed[name, value] = super().__call__(name, value)
        return found


POLICY = policy.default.clone(header_factory=_KeptHeaders())


@lru_cache(maxsize=16)
def _sender(name: str, address: str) -> BaseHeader:
    """Return the From header, made once per run (it is the same on every message)."""
    return POLICY.header_factory("From", Address(display_name=name, addr_spec=address))


def compose(
    *,
    to: str,
    to_name: str,
    subject: str,
    body: str,
    sender: str,
    sender_name: str,
    attachments: tuple[tuple[str, str, str], ...] = (),
) -> EmailMessage:
    """Return an e-mail; attachments are (filename, subtype, text) of text/* parts."""
    # The configured sender may carry its own name: "Klachten <klachten@voorbeeld.nl>".
    own_name, address = parseaddr(sender or "")
    address = address if "@" in address else PLACEHOLDER_SENDER
    message = EmailMessage(policy=POLICY)
    try:
        message["Subject"] = _one_line(subject, "Het onderwerp")
        # The organisation's name is no row's fault: a line break in it becomes a space.
        message["From"] = _sender(" ".join((own_name or sender_name).split()), address)
        if to:
            recipient = sendable(to)
            if recipient is None:
                raise RowDeliveryError(
                    f"'{to}' is geen geldig e-mailadres; het bericht is niet verstuurd"
                )
            message["To"] = Address(
                display_name=_one_line(to_name, "De naam van de ontvanger"), addr_spec=recipient
            )
    except (ValueError, TypeError, IndexError) as error:
        # The email package refuses what cannot go into a header.
        raise RowDeliveryError(
            f"Het bericht kon niet worden opgemaakt ({type(error).__name__}); "
            "controleer naam en e-mailadres"
        ) from None
    message["Date"] = format_datetime(now())
    message["Message-ID"] = make_msgid(domain=address.split("@")[-1])
    message.set_content(body)
    for filename, subtype, text in attachments:
        message.add_attachment(text, subtype=subtype, filename=filename)
    return message


def _one_line(text: str, what: str) -> str:
    """Return a header text; a line break (Alt+Enter in a cell) is an error of that row."""
    if any(c in text for c in "\r\n\x0b\x0c\x85\u2028\u2029"):
        raise RowDeliveryError(
            f"{what} bevat een regeleinde (Alt+Enter); haal dat weg, dan gaat het bericht "
            "bij de volgende sync"
        )
    return text


class Mailer:
    """One SMTP connection per run, opened on the first message; no server means no sending."""

    def __init__(self, smtp: SmtpConfig | None) -> None:
        self.smtp = smtp
        self._connection: smtplib.SMTP | None = None

    @property
    def sender(self) -> str:
        return self.smtp.sender if self.smtp else ""

    def send(self, message: EmailMessage) -> bool:
        """Send a message; return False when no server is configured or it has no recipient."""
        if self.smtp is None or not message["To"]:
            return False
        try:
            connection = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise DeliveryError(
                f"E-mail kon niet worden verstuurd via {self.smtp.host}:{self.smtp.port} "
                f"({type(error).__name__}); het bericht staat in het postvak"
            ) from None
        try:
            connection.send_message(message)
        except (
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPNotSupportedError,
            UnicodeError,
        ) as error:
            # This message only: the server refused its recipient; the others still go.
            raise RowDeliveryError(
                f"De mailserver weigerde dit bericht ({type(error).__name__}); "
                "controleer het e-mailadres"
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise DeliveryError(
                f"E-mail kon niet worden verstuurd via {self.smtp.host}:{self.smtp.port} "
                f"({type(error).__name__}); het bericht staat in het postvak"
            ) from None
        return True

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        smtp = self.smtp
        assert smtp is not None
        if smtp.security == "ssl":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
            if smtp.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
        if smtp.user:
            connection.login(smtp.user, smtp.password)
        self._connection = connection
        log.info("connected to SMTP server %s:%d", smtp.host, smtp.port)
        return connection

    def close(self) -> None:
        """Close the connection, if one is open."""
        if self._connection is not None:
            # The server may have gone away; then there is nothing left to close politely.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._connection.quit()
            self._connection = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
