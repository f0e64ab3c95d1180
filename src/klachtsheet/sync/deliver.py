"""Deliver the plan: render every message, journal the intent, send, journal the result."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from klachtsheet.exceptions import DeliveryError, TemplateError
from klachtsheet.messages.outbox import FAILED, INTENT, SENT, Journal, Outbox
from klachtsheet.rules import RuleContext
from klachtsheet.rules import followup as fu
from klachtsheet.sync.plan import CONFIRMATION, COORDINATOR_MAIL, FIRST_LINE, Plan, Unit

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.messages.letters import Letters, Piece


log = logging.getLogger(__name__)


def deliver(
    the_plan: Plan, ctx: RuleContext, config: Config, journal: Journal
) -> tuple[list[Unit], tuple[str, ...], tuple[str, ...]]:
    """Render and send every unit; journal the intent first so nothing goes twice."""
    if not the_plan.units:
        return [], (), ()
    # Templates and mail only when there is something to send (a sync with nothing to do
    # does not import jinja2, email and ssl).
    from klachtsheet.messages.letters import Letters
    from klachtsheet.messages.mailer import Mailer
    from klachtsheet.messages.texts import environment

    letters = Letters(
        environment(config.templates_dir), ctx, config.smtp.sender if config.smtp else ""
    )
    try:
        rendered = [(unit, render_unit(letters, unit)) for unit in the_plan.units]
    except TemplateError as error:
        return [], (), (str(error),)
    outbox = Outbox(config.outbox_dir)
    delivered: list[Unit] = []
    warnings: list[str] = []
    day = ctx.today.isoformat()
    with Mailer(config.smtp) as mailer:
        for unit, pieces in rendered:
            keys = unit.outgoing.keys
            journal.record(keys, INTENT, datum=day)
            try:
                for piece in pieces:
                    outbox.write(piece.folder, piece.filename, piece.content)
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
