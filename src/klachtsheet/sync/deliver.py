"""Deliver the plan: render every message, journal the intent, send, journal the result."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from klachtsheet.exceptions import DeliveryError, TemplateError
from klachtsheet.messages.letters import Letters, Piece
from klachtsheet.messages.mailer import Mailer
from klachtsheet.messages.outbox import DIGESTS_FOLDER, FAILED, INTENT, SENT, Journal, Outbox
from klachtsheet.messages.texts import environment
from klachtsheet.rules import RuleContext
from klachtsheet.rules import followup as fu
from klachtsheet.sync.changeset import CONFIDENTIAL, SHARED
from klachtsheet.sync.plan import (
    CONFIRMATION,
    COORDINATOR_MAIL,
    FIRST_LINE,
    JOURNAL_FILE,
    Plan,
    Unit,
)

if TYPE_CHECKING:
    from klachtsheet.config import Config


log = logging.getLogger(__name__)


def deliver(
    the_plan: Plan, ctx: RuleContext, config: Config, journal: Journal
) -> tuple[list[Unit], tuple[str, ...], tuple[str, ...]]:
    """Render and send every unit; journal the intent first so nothing goes twice."""
    if not the_plan.units:
        return [], (), ()
    letters = Letters(
        environment(config.templates_dir), ctx, config.smtp.sender if config.smtp else ""
    )
    try:
        rendered = [(unit, render_unit(letters, unit)) for unit in the_plan.units]
    except TemplateError as error:
        return [], (), (str(error),)
    # The confidential register's documents and journal live beside it, never in the shared
    # outbox (the wall); the Nummers journal stays shared (it names no one).
    outboxes = {
        SHARED: Outbox(config.outbox_dir),
        CONFIDENTIAL: Outbox(config.confidential_outbox_dir),
    }
    journals = {
        SHARED: journal,
        CONFIDENTIAL: Journal(config.confidential_state_dir / JOURNAL_FILE),
    }
    delivered: list[Unit] = []
    warnings: list[str] = []
    day = ctx.today.isoformat()
    with Mailer(config.smtp) as mailer:
        for unit, pieces in rendered:
            keys = unit.outgoing.keys
            outbox = outboxes[unit.outgoing.register]
            journal = journals[unit.outgoing.register]
            journal.record(keys, INTENT, datum=day)
            try:
                for piece in pieces:
                    name = piece.filename
                    if piece.folder == DIGESTS_FOLDER:
                        name = outbox.free_name(piece.folder, name)
                    outbox.write(piece.folder, name, piece.content)
                for piece in pieces:
                    if piece.message is not None and not piece.message["To"]:
                        warnings.append(_no_address(unit, piece))
                    elif piece.message is not None:
                        mailer.send(piece.message)
            except DeliveryError as error:
                journal.record(keys, FAILED, datum=day)
                return delivered, tuple(warnings), (str(error),)
            journal.record(keys, SENT, datum=day)
            delivered.append(unit)
    return delivered, tuple(warnings), ()


def render_unit(letters: Letters, unit: Unit) -> list[Piece]:
    kind = unit.outgoing.kind
    if kind == CONFIRMATION:
        return letters.confirmation(unit.row)
    if kind == COORDINATOR_MAIL:
        return [letters.coordinator(unit.row)]
    if kind == FIRST_LINE:
        return [letters.first_line_notice(unit.row)]
    return [letters.digest(unit.digest)]


def _no_address(unit: Unit, piece: Piece) -> str:
    where = f"{piece.folder}/{piece.filename}"
    if unit.outgoing.kind == fu.PHONE_SERVICE or piece.filename.startswith("taak-"):
        return f"Geen 'E-mail telefoondienst' in Instellingen; {where} staat alleen in het postvak"
    who = f"Nummer {unit.outgoing.nummer}: " if unit.outgoing.nummer else ""
    return f"{who}geen e-mailadres bekend; {where} staat alleen in het postvak"
