"""Validate what people submit and build the register row from it."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from datetime import date, datetime

from klachtsheet import cells, schema
from klachtsheet.addresses import is_email
from klachtsheet.categories import Catalogue, Category, PolicePhrases, needs_police_advice
from klachtsheet.intake.definitions import (
    CHOICE,
    DATE,
    EMAIL,
    LONG,
    PHONE,
    SHORT,
    YES_NO,
    Choices,
    FormDefinition,
    FormField,
    Outcome,
    Validated,
)
from klachtsheet.model import Complaint, format_date, format_datetime, parse_date
from klachtsheet.workdays import add_working_days, parse_free_days

PHONE_TEXT = re.compile(r"^\+?[0-9 ()./-]+$")
# Control characters never belong in a cell; newlines and tabs only in long text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# -- validating a submission -----------------------------------------------------------------


def is_shown(definition: FormDefinition, item: FormField, values: Mapping[str, str]) -> bool:
    """Tell whether a field applies, given the values of the fields before it."""
    return _holds(definition, item.show_if, values)


def is_required(definition: FormDefinition, item: FormField, values: Mapping[str, str]) -> bool:
    """Tell whether a field must be filled in, given the other values."""
    if not is_shown(definition, item, values):
        return False
    if item.required:
        return True
    return bool(item.required_if) and _holds(definition, item.required_if, values)


def _holds(definition: FormDefinition, conditions, values: Mapping[str, str]) -> bool:
    for condition in conditions:
        ref = definition.field(condition.key)
        if not is_shown(definition, ref, values) or values.get(ref.key, "") not in condition.values:
            return False
    return True


def validate(
    definition: FormDefinition, raw: Mapping[str, str], choices: Choices, *, lenient: bool = False
) -> Validated:
    """Check submitted values; ``lenient`` matches choices case-insensitively (for imports)."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for item in definition.fields:
        text = raw.get(item.key, "")
        text = "" if text is None else str(text)
        clean, problem = _clean(item, text, choices, lenient)
        values[item.key] = clean
        if problem:
            errors[item.key] = problem
    for item in definition.fields:
        if not is_shown(definition, item, values):
            # A question that does not apply is not stored (e.g. an address when the
            # confirmation goes by phone): what the person saw is what is kept.
            values[item.key] = ""
            errors.pop(item.key, None)
            continue
        if item.key in errors:
            continue
        if not values[item.key] and is_required(definition, item, values):
            errors[item.key] = item.error_message or _missing(item)
        elif item.as_checkbox and not values[item.key]:
            values[item.key] = schema.NO
    return Validated(values, errors)


def _missing(item: FormField) -> str:
    label = item.label.rstrip("?:")
    if item.type in (CHOICE, YES_NO):
        return f"Kies een antwoord bij '{label}'"
    return f"Vul '{label}' in"


def _clean(item: FormField, text: str, choices: Choices, lenient: bool) -> tuple[str, str | None]:
    # The one text boundary: what cannot be stored in a register is taken out here, and
    # the person is told (the form shows the cleaned text to check and send again).
    cleaned = cells.clean(text, limit=sys.maxsize)  # length is checked below, not cut
    text = cleaned.text.strip()
    if cleaned.changed and not lenient and text:
        label = item.label.rstrip("?:")
        return text, (
            f"'{label}' bevatte tekens die niet kunnen worden bewaard; die zijn weggehaald. "
            "Controleer de tekst en verstuur opnieuw"
        )
    if item.type != LONG:
        text = " ".join(text.split()) if item.type != SHORT else text.replace("\n", " ").strip()
    if not text:
        return "", None
    label = item.label.rstrip("?:")
    if len(text) > item.max_length:
        return text, f"'{label}' is te lang: {len(text)} tekens, maximaal {item.max_length}"
    if CONTROL.search(text) or (item.type != LONG and "\t" in text):
        return text, f"'{label}' bevat tekens die niet zijn toegestaan"
    if item.type in (CHOICE, YES_NO):
        return _clean_choice(item, text, choices, lenient, label)
    if item.type == DATE:
        parsed = parse_date(text)
        day = parsed.day
        if parsed.problem or day is None or not 2000 <= day.year <= 2100:
            return text, f"'{label}' is geen geldige datum; schrijf bijvoorbeeld 26-11-2026"
        return format_date(day), None
    if item.type == PHONE:
        digits = re.sub(r"\D", "", text)
        if not PHONE_TEXT.match(text) or not 6 <= len(digits) <= 15:
            return text, f"'{label}' is geen geldig telefoonnummer, bijvoorbeeld 020 123 4567"
        return text, None
    if item.type == EMAIL and not is_email(text):
        return text, f"'{label}' is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl"
    return text, None


def _clean_choice(item, text, choices: Choices, lenient: bool, label: str):
    offered = choices.for_field(item)
    if text in offered or choices.asked_as_text(item):
        return text, None
    if item.choices_from == schema.CATEGORIEEN_TAB and lenient:
        match = choices.catalogue.match(text)
        if match is not None and match.name in offered:
            return match.name, None
    if lenient:
        folded = {o.casefold(): o for o in offered}
        if text.casefold() in folded:
            return folded[text.casefold()], None
    shown = ", ".join(offered[:20]) + (" ..." if len(offered) > 20 else "")
    return text, f"'{text}' is geen keuze bij '{label}'; kies uit: {shown}"


# -- building the register row ---------------------------------------------------------------


def build_complaint(
    definition: FormDefinition,
    values: Mapping[str, str],
    nummer: str,
    received: datetime,
    catalogue: Catalogue,
) -> Complaint:
    """Turn clean values into the Klachten row, with the status the intake rules give."""
    data = {key: value for key, value in definition.fixed}
    for item in definition.fields:
        if values.get(item.key):
            data[item.key] = values[item.key]
    category = catalogue.match(data.get("categorie", ""))
    confidential = data.get("vertrouwelijk") == schema.YES or bool(
        category and category.confidential
    )
    data["vertrouwelijk"] = schema.YES if confidential else schema.NO
    data["nummer"] = nummer
    data["ontvangen_op"] = format_datetime(received)
    data.update(_status(data, received.date()))
    return Complaint.of(data)


def _status(data: Mapping[str, str], today: date) -> dict[str, str]:
    if data.get("kanaal") == "Vrijwilliger":
        return {"status": schema.NIEUW}
    if data.get("soort") == schema.NAVRAAG:
        return {"status": schema.AFGEHANDELD}
    solved = data.get("opgelost_1e_lijn")
    if solved == schema.YES:
        return {"status": schema.OPGELOST_1E_LIJN}
    if solved == schema.NO:
        return {"status": schema.OVERGEDRAGEN, "overgedragen_op": format_date(today)}
    return {"status": schema.NIEUW}


def outcome(
    complaint: Complaint,
    category: Category | None,
    answer_days: int,
    settings: Mapping[str, str] | None = None,
) -> Outcome:
    """Return what the person is told after submitting this complaint (as the sync will)."""
    settings = settings or {}
    free_days, _ = parse_free_days(settings.get("extra_vrije_dagen", ""))
    phrases = PolicePhrases.from_settings(
        settings.get("aangifte_woorden", ""), settings.get("aangifte_uitzonderingen", "")
    )
    handed_over = complaint.status == schema.OVERGEDRAGEN
    answer_by = ""
    if handed_over:
        start = complaint.date("overgedragen_op").day
        answer_by = format_date(add_working_days(start, answer_days, free_days)) if start else ""
    police = complaint.soort != schema.NAVRAAG and needs_police_advice(
        category, complaint.omschrijving, phrases
    )
    return Outcome(
        nummer=complaint.nummer,
        soort=complaint.soort,
        status=complaint.status,
        answer_days=answer_days if handed_over else None,
        answer_by=answer_by,
        police_advice=police,
        confidential=complaint.is_confidential,
    )
