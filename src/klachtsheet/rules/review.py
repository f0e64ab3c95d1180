"""Review one row: its problems, its coordinator, its answer-by date and whether to confirm it.

A review only says what the sync-owned cells should hold; the sync compares that
with the sheet, so a second run with nothing changed writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from klachtsheet import schema
from klachtsheet.addresses import is_email
from klachtsheet.categories import Category, needs_police_advice
from klachtsheet.model import Complaint, format_date
from klachtsheet.rules import validation
from klachtsheet.rules.assignment import Assignment, confidant_for, coordinator_for
from klachtsheet.rules.context import (
    NEEDS_COORDINATOR,
    WAITING_FOR_ANSWER,
    RuleContext,
    canonical,
)
from klachtsheet.rules.deadlines import answer_by

# Which register a row is in, and whether it is the stub of a confidential complaint.
SHARED_ROW, CONFIDENTIAL_ROW, STUB_ROW = schema.SHARED, schema.CONFIDENTIAL, "stub"

H = schema.KLACHTEN.header
CONTROLE = H("controle")
ANTWOORD_UITERLIJK = H("antwoord_uiterlijk")
AANGIFTE = H("aangifte_geadviseerd")
COORDINATOR = H("coordinator")
SEPARATOR = "; "


@dataclass(frozen=True)
class Confirmation:
    """A handover confirmation that is due: how it goes and what it says."""

    via: str
    coordinator: str
    coordinator_email: str
    handed_over: date
    answer_by: date
    police_advice: bool


# A NamedTuple, not a frozen dataclass: one is made per row, and a tuple is made at half
# the cost (10 ms of a sync at 10,000 rows). Immutable all the same.
class Review(NamedTuple):
    """What the rules found in one row."""

    kind: str
    soort: str | None = None
    status: str | None = None
    category: Category | None = None
    messages: tuple[str, ...] = ()
    # (header, value) for each sync-owned cell: what it should hold after this run.
    wanted: tuple[tuple[str, str], ...] = ()
    assigned: str = ""
    coordinator: str = ""
    coordinator_email: str = ""
    handed_over: date | None = None
    answer_by: date | None = None
    police_advice: bool = False
    confirmation: Confirmation | None = None
    # A confirmation is due but cannot go: the participant's e-mail address is not valid.
    unsendable: bool = False

    @property
    def controle(self) -> str:
        return SEPARATOR.join(self.messages)


def review(
    complaint: Complaint,
    ctx: RuleContext,
    *,
    kind: str = SHARED_ROW,
    mirror: Mapping[str, str] | None = None,
    counterpart_known: bool | None = None,
) -> Review:
    """Review one row of Klachten; ``mirror`` gives a stub the values of its confidential row."""
    if kind == STUB_ROW:
        return _review_stub(complaint, mirror or {}, counterpart_known, ctx)
    messages: list[str] = []
    messages += validation.nummer_problems(complaint)
    messages += validation.choice_problems(complaint)
    soort = canonical(complaint.soort, schema.SOORTEN)
    status = canonical(complaint.status, schema.STATUSSEN)
    category = ctx.category(complaint.categorie)
    messages += validation.required_problems(complaint, soort, status)
    messages += validation.date_problems(complaint)
    messages += validation.email_problems(complaint)
    messages += validation.category_problems(complaint, category)
    confidential = kind == CONFIDENTIAL_ROW or bool(category and category.confidential)
    if kind == SHARED_ROW and category is not None and category.confidential:
        messages.append(
            f"Categorie '{category.name}' is vertrouwelijk: zet deze melding in het "
            "vertrouwelijke register"
        )
    needs_coordinator = status in NEEDS_COORDINATOR
    messages += validation.location_problems(
        complaint, ctx, needed=needs_coordinator and not confidential
    )

    assignment = _assignment(complaint, ctx, confidential=confidential, needed=needs_coordinator)
    if assignment.problem:
        messages.append(assignment.problem)
    assigned = assignment.name if not complaint.coordinator.strip() else ""
    coordinator = complaint.coordinator.strip() or assignment.name

    handed_over = complaint.date("overgedragen_op").day
    police = _police(complaint, category, ctx)

    confirmation = None
    unsendable = False
    confirmed_on = complaint.date("bevestiging_verstuurd_op").day
    if (
        status in WAITING_FOR_ANSWER
        and soort == schema.KLACHT
        and not complaint.bevestiging_verstuurd_op.strip()
        and not complaint.teruggekoppeld_deelnemer_op.strip()
        and not complaint.afgesloten_op.strip()
        # A confidential complaint typed into the shared register waits until it is moved.
        and not (kind == SHARED_ROW and confidential)
    ):
        via, problem = _via(complaint)
        email = complaint.email_deelnemer.strip()
        unsendable = via in (None, "E-mail") and bool(email) and not validation.is_email(email)
        if problem:
            messages.append(problem)
        elif via and coordinator and handed_over:
            # A confirmation made later than the hand-over restarts the term from today:
            # the letter never promises a date that has already passed.
            start = max(handed_over, ctx.today)
            confirmation = Confirmation(
                via,
                coordinator,
                assignment.email,
                handed_over,
                answer_by(start, ctx.term, ctx.free_days),
                police,
            )
    due = None
    if confirmation is not None:
        due = confirmation.answer_by
    elif confirmed_on and complaint.date("antwoord_uiterlijk").day:
        # What the confirmation promised stays the date the answer is measured against.
        due = complaint.date("antwoord_uiterlijk").day
    elif handed_over:
        start = max(handed_over, confirmed_on) if confirmed_on else handed_over
        due = answer_by(start, ctx.term, ctx.free_days)

    unique = tuple(dict.fromkeys(messages))
    wanted = [
        (CONTROLE, SEPARATOR.join(unique)),
        (ANTWOORD_UITERLIJK, _wanted_due(complaint, status, due)),
        (AANGIFTE, _wanted_advice(complaint, police)),
    ]
    if assigned:
        wanted.append((COORDINATOR, assigned))
    # In the order of Review's fields: _make skips the keyword parsing that costs a
    # Review five times as much (7 ms of a sync at 10,000 rows); it checks the count.
    return Review._make(
        (
            kind,
            soort,
            status,
            category,
            unique,  # messages
            tuple(wanted),
            assigned,
            coordinator,
            assignment.email,  # coordinator_email
            handed_over,
            due,  # answer_by
            police,  # police_advice
            confirmation,
            unsendable,
        )
    )


def _review_stub(
    complaint: Complaint,
    mirror: Mapping[str, str],
    counterpart_known: bool | None,
    ctx: RuleContext,
) -> Review:
    messages = validation.stub_problems(complaint, counterpart_known=counterpart_known)
    messages += confidant_problems(ctx)
    wanted = [(CONTROLE, SEPARATOR.join(messages))]
    wanted += [(header, value) for header, value in mirror.items() if header != CONTROLE]
    return Review(
        kind=STUB_ROW,
        status=canonical(complaint.status, schema.STATUSSEN),
        messages=tuple(messages),
        wanted=tuple(wanted),
    )


def confidant_problems(ctx: RuleContext) -> list[str]:
    """Return what keeps confidential complaints from reaching the vertrouwenspersoon."""
    if not ctx.confidant.strip():
        return [
            "Vertrouwelijke melding, maar de instelling 'Vertrouwenspersoon' is leeg: niemand "
            "krijgt deze melding; vul die in op het tabblad Instellingen"
        ]
    if not is_email(ctx.confidant_email.strip()):
        return [
            "Vertrouwelijke melding, maar 'E-mail vertrouwenspersoon' is leeg of ongeldig: "
            "vul het in op het tabblad Instellingen"
        ]
    return []


def _assignment(
    complaint: Complaint, ctx: RuleContext, *, confidential: bool, needed: bool
) -> Assignment:
    """Return the coordinator for the row (or the e-mail of the one typed in)."""
    typed = complaint.coordinator.strip()
    if typed:
        if confidential and typed.casefold() == ctx.confidant.strip().casefold():
            return Assignment(typed, ctx.confidant_email.strip())
        if confidential:
            # The wall: the story goes to the vertrouwenspersoon only, never to someone typed in.
            return Assignment(
                typed,
                "",
                f"Vertrouwelijke melding met Coördinator '{typed}': alleen de vertrouwenspersoon "
                f"({ctx.confidant.strip() or 'niet ingesteld'}) krijgt deze melding; "
                "er gaat niets naar een ander",
            )
        return ctx.locations.typed(typed)
    if not needed:
        return Assignment()
    if confidential:
        return confidant_for(ctx.confidant, ctx.confidant_email)
    return coordinator_for(ctx.locations.find(complaint.locatie))


def _wanted_due(complaint: Complaint, status: str | None, due: date | None) -> str:
    current = complaint.antwoord_uiterlijk
    # A closed complaint keeps the date it was measured against, even if the term changes.
    if current.strip() and status not in WAITING_FOR_ANSWER and status is not None:
        return current
    return format_date(due) if due else ""


def _police(complaint: Complaint, category: Category | None, ctx: RuleContext) -> bool:
    """Return whether to advise a police report: a person's Ja or Nee always wins."""
    typed = canonical(complaint.aangifte_geadviseerd, schema.YES_NO)
    if typed is not None:
        return typed == schema.YES
    return needs_police_advice(category, complaint.omschrijving, ctx.police)


def _wanted_advice(complaint: Complaint, police: bool) -> str:
    # Whatever is in the cell (typed by a person, or written by an earlier run) stays.
    if complaint.aangifte_geadviseerd.strip():
        return complaint.aangifte_geadviseerd
    return schema.YES if police else ""


def _via(complaint: Complaint) -> tuple[str | None, str | None]:
    """Return how the confirmation goes, or a Dutch problem when it cannot go."""
    typed = complaint.bevestiging_via.strip()
    via = canonical(typed, schema.BEVESTIGING_VIA)
    if typed and via is None:
        return None, None  # already reported as a wrong value
    email = complaint.email_deelnemer.strip()
    has_email = validation.is_email(email)
    if via is None:
        if email and not has_email:
            return None, None  # already reported as a wrong address
        if has_email:
            return "E-mail", None
        if complaint.adres.strip():
            return "Brief", None
        if complaint.telefoon.strip():
            return "Telefoon", None
        return None, (
            "Geen manier om de bevestiging te sturen: vul E-mail deelnemer, Adres of Telefoon in"
        )
    if via == "E-mail" and not email:
        return None, (
            "Bevestiging via E-mail, maar E-mail deelnemer is leeg: "
            "vul het in of kies Brief of Telefoon"
        )
    if via == "E-mail" and not has_email:
        return None, None  # already reported as a wrong address
    if via == "Brief" and not complaint.adres.strip():
        return None, (
            "Bevestiging via Brief, maar Adres is leeg: vul het in of kies E-mail of Telefoon"
        )
    if via == "Telefoon" and not complaint.telefoon.strip():
        return None, (
            "Bevestiging via Telefoon, maar Telefoon is leeg: vul het in of kies E-mail of Brief"
        )
    return via, None
