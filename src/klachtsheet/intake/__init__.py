"""Intake: form definitions, validation, the desk, the durable queue and the phone list."""

from klachtsheet.intake.definitions import (
    ABSOLUTE_MAX,
    CHOICE,
    CHOICE_TABS,
    DATE,
    DEFAULT_MAX,
    EMAIL,
    FORM_KEYS,
    LONG,
    PHONE,
    SHORT,
    SYSTEM_KEYS,
    TYPES,
    YES_NO,
    Choices,
    Condition,
    FormDefinition,
    FormField,
    Outcome,
    Validated,
)
from klachtsheet.intake.parsing import load_forms, packaged_forms_dir, parse_definition
from klachtsheet.intake.validation import (
    build_complaint,
    is_required,
    is_shown,
    outcome,
    validate,
)

__all__ = [
    "ABSOLUTE_MAX", "CHOICE", "CHOICE_TABS", "DATE", "DEFAULT_MAX", "EMAIL", "FORM_KEYS", "LONG",
    "PHONE", "SHORT", "SYSTEM_KEYS", "TYPES", "YES_NO", "Choices", "Condition", "FormDefinition",
    "FormField", "Outcome", "Validated", "build_complaint", "is_required", "is_shown",
    "load_forms", "outcome", "packaged_forms_dir", "parse_definition", "validate",
]  # fmt: skip
