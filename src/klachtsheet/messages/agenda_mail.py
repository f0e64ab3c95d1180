"""The agenda for the klachtmanager (seed: 'Beleg Klachtenmanagement bij de Vertrouwenspersoon')."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from klachtsheet.categories import normalise
from klachtsheet.messages.mailer import Mailer, compose
from klachtsheet.messages.outbox import DIGESTS_FOLDER, Outbox

if TYPE_CHECKING:
    from klachtsheet.config import Config

log = logging.getLogger(__name__)

BODY = """Beste {name},

Hierbij het agendapunt klachten voor het teamoverleg van {day:%d-%m-%Y}, als bijlage
({files}). U bent in Instellingen de klachtmanager en krijgt het daarom elke keer.

Met vriendelijke groet,

De klachtensync van {organisation}
"""


def mail_agenda(
    config: Config, values: Mapping[str, str], paths: Sequence[Path], meeting: date
) -> tuple[Path | None, str]:
    """Put the agenda for the klachtmanager in the outbox and send it; return (file, note)."""
    email = values.get("email_klachtmanager", "").strip()
    name = values.get("klachtmanager", "").strip()
    if not email and not name:
        return None, ""
    attachments = []
    for path in paths:
        subtype = "html" if path.suffix == ".html" else "markdown"
        attachments.append((path.name, subtype, path.read_text(encoding="utf-8")))
    message = compose(
        to=email,
        to_name=name or "Klachtmanager",
        subject=f"Agendapunt klachten – teamoverleg {meeting:%d-%m-%Y}",
        body=BODY.format(
            name=name or "klachtmanager",
            day=meeting,
            files=", ".join(p.name for p in paths),
            organisation=values.get("organisatie", ""),
        ),
        sender=config.smtp.sender if config.smtp else "",
        sender_name=values.get("organisatie", ""),
        attachments=tuple(attachments),
    )
    slug = normalise(name or email).replace(" ", "-")[:40] or "klachtmanager"
    target = Outbox(config.outbox_dir).write(
        DIGESTS_FOLDER, f"{meeting.isoformat()}-agenda-{slug}.eml", message.as_bytes()
    )
    if not email:
        return target, "Geen 'E-mail klachtmanager' in Instellingen; de agenda staat in het postvak"
    with Mailer(config.smtp) as mailer:
        sent = mailer.send(message)
    return (
        target,
        "" if sent else "Geen SMTP ingesteld; de agenda voor de klachtmanager staat in het postvak",
    )
