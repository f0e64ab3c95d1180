"""Render what the sync sends: confirmations, coordinator e-mails, digests and notices.

Every text comes from a template in ``templates/brieven/`` that the organisation
may change (or override in its own templates folder) without touching code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any

import jinja2

from klachtsheet.categories import normalise
from klachtsheet.exceptions import TemplateError
from klachtsheet.messages.mailer import compose
from klachtsheet.messages.outbox import DIGESTS_FOLDER
from klachtsheet.messages.salutation import salutation
from klachtsheet.messages.texts import render
from klachtsheet.model import parse_date
from klachtsheet.rules.context import RuleContext
from klachtsheet.rules.followup import Digest, Reviewed

FOLDER = "brieven"
SUBJECT = re.compile(r"^Onderwerp:[ \t]*(.+?)[ \t]*$")

CONFIRMATION_EMAIL = "bevestiging.eml"
CONFIRMATION_LETTER = "bevestiging-brief.html"
PHONE_SCRIPT = "belscript.txt"
PHONE_SERVICE_TASK = "taak-telefoondienst.eml"
COORDINATOR_EMAIL = "coordinator.eml"
FIRST_LINE_NOTICE = "terugkoppeling-medewerker.eml"

DIGEST_TEMPLATES = {
    "te-laat": "overzicht-te-laat.txt",
    "te-laat-alles": "overzicht-te-laat.txt",
    "overdracht": "overzicht-niet-overdragen.txt",
    "overdracht-kopie": "overzicht-niet-overdragen.txt",
    "telefoondienst": "overzicht-telefoondienst.txt",
    "tevredenheid": "bellijst-tevredenheid.txt",
    # Escalation steps (rules/escalation.py, issue 16).
    "escalatie-regio": "escalatie.txt",
    "escalatie-klachtmanager": "escalatie.txt",
}

# Templates renamed since a release (new name -> old name), so own copies keep working.
RENAMED = {"bellijst-tevredenheid.txt": "belijst-tevredenheid.txt"}


@dataclass(frozen=True)
class Piece:
    """One output: a file for the outbox and, for an e-mail, the message to send."""

    folder: str
    filename: str
    content: bytes
    message: EmailMessage | None = None


class Letters:
    """Renders outputs with one template environment and the organisation's settings."""

    def __init__(self, env: jinja2.Environment, ctx: RuleContext, sender: str = "") -> None:
        self.env, self.ctx, self.sender = env, ctx, sender

    # -- per complaint -------------------------------------------------------------------

    def confirmation(self, row: Reviewed) -> list[Piece]:
        """Render the handover confirmation in the participant's preferred way."""
        confirmation = row.review.confirmation
        if confirmation is None:
            raise ValueError(f"no confirmation due for {row.nummer}")
        context = self.context(row)
        if confirmation.via == "E-mail":
            return [
                self._email(
                    row.nummer,
                    CONFIRMATION_EMAIL,
                    "bevestiging-email.txt",
                    context,
                    to=row.complaint.email_deelnemer.strip(),
                    to_name=row.complaint.deelnemer.strip(),
                )
            ]
        if confirmation.via == "Brief":
            name, subtype, template = CONFIRMATION_LETTER, "html", "bevestiging-brief.html"
        else:
            name, subtype, template = PHONE_SCRIPT, "plain", "belscript.txt"
        document = self._render(template, context)
        pieces = [Piece(row.nummer, name, document.encode())]
        # The phone service prints the letter or makes the call; it gets the document. A
        # confidential one goes to the vertrouwenspersoon only.
        if row.register == "vertrouwelijk":
            to, to_name = self.ctx.confidant_email.strip(), self.ctx.confidant.strip()
        else:
            to, to_name = self.ctx.phone_service_email.strip(), "Telefoondienst"
        pieces.append(
            self._email(
                row.nummer,
                PHONE_SERVICE_TASK,
                "taak-telefoondienst.txt",
                {**context, "bestand": name},
                to=to,
                to_name=to_name or "Vertrouwenspersoon",
                attachments=((name, subtype, document),),
            )
        )
        return pieces

    def coordinator(self, row: Reviewed) -> Piece:
        """Render the e-mail that hands the complaint to its coordinator."""
        return self._email(
            row.nummer,
            COORDINATOR_EMAIL,
            "coordinator-email.txt",
            self.context(row),
            to=row.review.coordinator_email,
            to_name=row.review.coordinator,
        )

    def first_line_notice(self, row: Reviewed) -> Piece:
        """Render the notice telling the first-line colleague the complaint was fed back."""
        return self._email(
            row.nummer,
            FIRST_LINE_NOTICE,
            "terugkoppeling-medewerker.txt",
            self.context(row),
            to=row.complaint.email_invoerder.strip(),
            to_name=row.complaint.ingevoerd_door.strip(),
        )

    # -- digests -------------------------------------------------------------------------

    def digest(self, digest: Digest) -> Piece:
        """Render one digest (overdue, phone service, satisfaction calls) for one recipient."""
        template = DIGEST_TEMPLATES[digest.kind]
        context = {
            **self._base(),
            "ontvanger": digest.recipient,
            "meldingen": [self.context(row) for row in digest.items],
        }
        slug = _slug(digest.recipient) or "onbekend"
        return self._email(
            DIGESTS_FOLDER,
            f"{self.ctx.today.isoformat()}-{digest.kind}-{slug}.eml",
            template,
            context,
            to=digest.email,
            to_name=digest.recipient,
        )

    # -- helpers -------------------------------------------------------------------------

    def _base(self) -> dict[str, Any]:
        return {
            "organisatie": self.ctx.organisation,
            "telefoon_organisatie": self.ctx.organisation_phone,
            "termijn": self.ctx.term,
            "vandaag": self.ctx.today,
            "ondertekenaar": self.ctx.signatory.strip(),
            "contactpersoon": self.ctx.contact_person.strip(),
            "retouradres": self.ctx.return_address.strip(),
            "klachtmanager": self.ctx.complaints_manager.strip(),
        }

    def context(self, row: Reviewed) -> dict[str, Any]:
        """Return the names a complaint template may use."""
        c, review = row.complaint, row.review
        location = self.ctx.locations.find(c.locatie)
        confidential = row.register == "vertrouwelijk"
        place = location.name if location else c.locatie.strip()
        if confidential:
            role = f"de vertrouwenspersoon van {self.ctx.organisation}"
        else:
            role = f"de coördinator van {place or 'uw regio'}"
        return {
            **self._base(),
            "nummer": row.nummer,
            "deelnemer": c.deelnemer.strip(),
            "aanhef": salutation(c.aanhef, c.deelnemer),
            "functie": role,
            "oplossing": c.oplossing.strip(),
            "problemen": list(review.messages),
            "adresregels": address_lines(c.deelnemer, c.adres),
            "email_deelnemer": c.email_deelnemer.strip(),
            "telefoon": c.telefoon.strip(),
            "kanaal": c.kanaal.strip(),
            "ingevoerd_door": c.ingevoerd_door.strip(),
            "ontvangen_op": _date(c.ontvangen_op),
            "locatie": location.name if location else c.locatie.strip(),
            "activiteit": c.activiteit.strip(),
            "datum_activiteit": _date(c.datum_activiteit),
            "categorie": review.category.name if review.category else c.categorie.strip(),
            "omschrijving": c.omschrijving.strip(),
            "oplossing_1e_lijn": c.oplossing_1e_lijn.strip(),
            "status": review.status or c.status.strip(),
            "coordinator": review.coordinator,
            "coordinator_email": review.coordinator_email,
            "overgedragen_op": review.handed_over,
            "antwoord_uiterlijk": review.answer_by,
            "teruggekoppeld_op": _date(c.teruggekoppeld_deelnemer_op),
            "aangifte": review.police_advice,
            "vertrouwelijk": confidential,
            "via": review.confirmation.via if review.confirmation else c.bevestiging_via.strip(),
        }

    def _render(self, name: str, context: dict[str, Any]) -> str:
        old = RENAMED.get(name)
        if old is not None:
            # A copy made by 'teksten-kopieren' before the rename still counts.
            try:
                self.env.get_template(f"{FOLDER}/{old}")
                name = old
            except jinja2.TemplateNotFound:
                pass
        return render(self.env, f"{FOLDER}/{name}", **context)

    def _email(
        self,
        folder: str,
        filename: str,
        template: str,
        context: dict[str, Any],
        *,
        to: str,
        to_name: str,
        attachments: Sequence[tuple[str, str, str]] = (),
    ) -> Piece:
        subject, body = split_subject(self._render(template, context), f"{FOLDER}/{template}")
        message = compose(
            to=to,
            to_name=to_name,
            subject=subject,
            body=body,
            sender=self.sender,
            sender_name=self.ctx.organisation,
            attachments=tuple(attachments),
        )
        return Piece(folder, filename, message.as_bytes(), message)


def split_subject(text: str, template: str) -> tuple[str, str]:
    """Split a rendered e-mail template into its 'Onderwerp:' line and the body."""
    first, _, rest = text.lstrip("\n").partition("\n")
    match = SUBJECT.match(first)
    if not match:
        raise TemplateError(f"Sjabloon '{template}' moet beginnen met een regel 'Onderwerp: ...'")
    return match[1], rest.lstrip("\n")


def address_lines(name: str, address: str) -> list[str]:
    """Return the lines of a window-envelope address block: name, street, postcode and town."""
    parts = [p.strip() for p in re.split(r"[\n;]|,\s*", address or "") if p.strip()]
    return ([name.strip()] if name.strip() else []) + parts


def _date(text: str) -> date | None:
    return parse_date(text).day


def _slug(text: str) -> str:
    return normalise(text).replace(" ", "-")[:40]
