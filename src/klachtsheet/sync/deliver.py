"""Deliver the plan: render every message, journal the intent, send, journal the result.

One row's problem (a bad address, a name with a line break, a template that fails for that
row's values) never stops the others: it becomes a :class:`RowFailure`, which the run
turns into a Controle message and a Logboek line for that row. Only what stops every
message (the outbox cannot be written, the mail server cannot be reached) ends delivery.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from klachtsheet.exceptions import DeliveryError, RowDeliveryError, TemplateError
from klachtsheet.messages.outbox import DIGESTS_FOLDER, FAILED, INTENT, SENT, Journal, Outbox
from klachtsheet.rules import RuleContext
from klachtsheet.rules import followup as fu
from klachtsheet.schema import CONFIDENTIAL, SHARED
from klachtsheet.sync.plan import (
    CONFIRMATION,
    COORDINATOR_MAIL,
    FIRST_LINE,
    JOURNAL_FILE,
    Plan,
    Unit,
)

if TYPE_CHECKING:
    import jinja2

    from klachtsheet.config import Config
    from klachtsheet.messages.letters import Letters, Piece
    from klachtsheet.messages.mailer import Mailer


log = logging.getLogger(__name__)

KIND_NAMES = {
    CONFIRMATION: "bevestiging",
    COORDINATOR_MAIL: "e-mail aan de coördinator",
    FIRST_LINE: "terugkoppeling aan de medewerker",
    fu.OVERDUE: "overzicht te laat",
    fu.PHONE_SERVICE: "overzicht telefoondienst",
    fu.SATISFACTION: "belijst tevredenheid",
}


@dataclass(frozen=True)
class RowFailure:
    """One unit that could not be made or sent, and why (Dutch, for the Controle column)."""

    unit: Unit
    message: str
    # A short reason without personal data, for the Logboek.
    reason: str

    @property
    def nummer(self) -> str:
        return self.unit.outgoing.nummer

    @property
    def register(self) -> str:
        return self.unit.outgoing.register


@dataclass
class Delivery:
    """What delivery did."""

    delivered: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    rows: list[RowFailure] = field(default_factory=list)


def deliver(the_plan: Plan, ctx: RuleContext, config: Config, journal: Journal) -> Delivery:
    """Render and send every unit; journal the intent first so nothing goes twice."""
    result = Delivery()
    if not the_plan.units:
        return result
    # Templates and SMTP only when something goes out: most runs send nothing.
    from klachtsheet.messages.letters import Letters
    from klachtsheet.messages.mailer import Mailer
    from klachtsheet.messages.texts import CompiledTemplates, environment

    compiled = CompiledTemplates(config.output_dir, "brieven")
    env = environment(config.templates_dir, compiled)
    try:
        _check_templates(env, the_plan)
    except TemplateError as error:
        # A template that is missing or does not parse fails for every row alike.
        result.failures.append(str(error))
        return result
    letters = Letters(env, ctx, config.smtp.sender if config.smtp else "")
    # The confidential register's documents and journal live beside it, never in the shared
    # outbox (the wall); the Nummers journal stays shared (it names no one).
    outboxes: dict[str, Outbox] = {
        SHARED: Outbox(config.outbox_dir),
        CONFIDENTIAL: Outbox(config.confidential_outbox_dir),
    }
    journals: dict[str, Journal] = {
        SHARED: journal,
        CONFIDENTIAL: Journal(config.confidential_state_dir / JOURNAL_FILE),
    }
    day = ctx.today.isoformat()
    rendered: list[tuple[Unit, list[Piece]]] = []
    for unit in the_plan.units:
        try:
            rendered.append((unit, render_unit(letters, unit)))
        except Exception as error:  # one row's template or values; the rest goes on
            _row_failed(result, unit, error, "niet op te maken")
    # What went out but is not yet journalled as sent. Its SENT goes into the commit of the
    # next unit's INTENT: one commit (and one fsync) a message instead of two, and a crash
    # still leaves the journal as the one-by-one order could (nothing runs between the
    # sending and that commit; the letters were made before).
    unsettled: tuple[Journal, tuple[str, ...]] | None = None
    try:
        with Mailer(config.smtp) as mailer:
            for unit, pieces in rendered:
                keys = unit.outgoing.keys
                outbox = outboxes[unit.outgoing.register]
                journal = journals[unit.outgoing.register]
                states = [(keys, INTENT)]
                if unsettled is not None and unsettled[0] is journal:
                    states.insert(0, (unsettled[1], SENT))
                elif unsettled is not None:  # the other register's journal
                    unsettled[0].record(unsettled[1], SENT, datum=day)
                journal.record_states(states, datum=day)
                unsettled = None  # only now: if that commit failed, finally tries it alone
                try:
                    _send(pieces, outbox, mailer, unit, result)
                except RowDeliveryError as error:
                    journal.record(keys, FAILED, datum=day)
                    _row_failed(result, unit, error, "niet verstuurd")
                    continue
                except DeliveryError as error:
                    # The outbox or the mail server: nothing more can go in this run.
                    journal.record(keys, FAILED, datum=day)
                    result.failures.append(str(error))
                    return result
                unsettled = (journal, keys)
                result.delivered.append(unit)
    finally:
        # Also when the run is stopped: what went out is journalled as sent.
        if unsettled is not None:
            unsettled[0].record(unsettled[1], SENT, datum=day)
    return result


def _send(
    pieces: list[Piece], outbox: Outbox, mailer: Mailer, unit: Unit, result: Delivery
) -> None:
    """Put a unit's pieces in the outbox, then mail those with an addressee."""
    for piece in pieces:
        name = piece.filename
        if piece.folder == DIGESTS_FOLDER:
            name = outbox.free_name(piece.folder, name)
        outbox.write(piece.folder, name, piece.content)
    for piece in pieces:
        if piece.message is not None and not piece.message["To"]:
            result.warnings.append(_no_address(unit, piece))
        elif piece.message is not None:
            mailer.send(piece.message)


TEMPLATES = {
    CONFIRMATION: ("bevestiging-email.txt", "bevestiging-brief.html", "belscript.txt",
                   "taak-telefoondienst.txt"),
    COORDINATOR_MAIL: ("coordinator-email.txt",),
    FIRST_LINE: ("terugkoppeling-medewerker.txt",),
}  # fmt: skip


def _check_templates(env: jinja2.Environment, the_plan: Plan) -> None:
    """Load every template the plan needs, so a broken one stops delivery before any row."""
    import jinja2

    from klachtsheet.messages.letters import DIGEST_TEMPLATES, FOLDER

    names: set[str] = set()
    for unit in the_plan.units:
        kind = unit.outgoing.kind
        names.update(TEMPLATES.get(kind, ()))
        if unit.digest is not None and unit.digest.kind in DIGEST_TEMPLATES:
            names.add(DIGEST_TEMPLATES[unit.digest.kind])
    for name in sorted(names):
        full = f"{FOLDER}/{name}"
        try:
            env.get_template(full)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"Sjabloon '{full}' niet gevonden") from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(
                f"Sjabloon '{error.filename or full}' regel {error.lineno}: {error.message}"
            ) from None


def _row_failed(result: Delivery, unit: Unit, error: Exception, what: str) -> None:
    kind = KIND_NAMES.get(unit.outgoing.kind, unit.outgoing.kind)
    if isinstance(error, (RowDeliveryError, TemplateError)):
        detail = str(error)
    else:
        log.warning("%s %s failed: %s", unit.outgoing.kind, unit.outgoing.nummer, type(error))
        detail = f"onverwachte fout {type(error).__name__}"
    message = f"De {kind} is {what}: {detail}"
    result.rows.append(RowFailure(unit, message, f"{kind} {what} ({type(error).__name__})"))
    if not unit.outgoing.nummer:
        # A digest belongs to no row: it is reported as a failure of the run.
        result.failures.append(message)


def render_unit(letters: Letters, unit: Unit) -> list[Piece]:
    kind, row = unit.outgoing.kind, unit.row
    if unit.digest is not None:
        return [letters.digest(unit.digest)]
    assert row is not None  # plan() gives every unit either a digest or a row
    if kind == CONFIRMATION:
        return letters.confirmation(row)
    if kind == COORDINATOR_MAIL:
        return [letters.coordinator(row)]
    if kind == FIRST_LINE:
        return [letters.first_line_notice(row)]
    raise ValueError(f"unknown kind of message: {kind}")


def _no_address(unit: Unit, piece: Piece) -> str:
    where = f"{piece.folder}/{piece.filename}"
    if unit.outgoing.kind == fu.PHONE_SERVICE or piece.filename.startswith("taak-"):
        return f"Geen 'E-mail telefoondienst' in Instellingen; {where} staat alleen in het postvak"
    who = f"Nummer {unit.outgoing.nummer}: " if unit.outgoing.nummer else ""
    return f"{who}geen e-mailadres bekend; {where} staat alleen in het postvak"
