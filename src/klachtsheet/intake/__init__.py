"""Intake: form definitions, validation, the desk, the durable queue and the phone list."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klachtsheet.intake.definitions import ABSOLUTE_MAX as ABSOLUTE_MAX
    from klachtsheet.intake.definitions import CHOICE as CHOICE
    from klachtsheet.intake.definitions import CHOICE_TABS as CHOICE_TABS
    from klachtsheet.intake.definitions import DATE as DATE
    from klachtsheet.intake.definitions import DEFAULT_MAX as DEFAULT_MAX
    from klachtsheet.intake.definitions import EMAIL as EMAIL
    from klachtsheet.intake.definitions import FORM_KEYS as FORM_KEYS
    from klachtsheet.intake.definitions import LONG as LONG
    from klachtsheet.intake.definitions import PHONE as PHONE
    from klachtsheet.intake.definitions import SHORT as SHORT
    from klachtsheet.intake.definitions import SYSTEM_KEYS as SYSTEM_KEYS
    from klachtsheet.intake.definitions import TYPES as TYPES
    from klachtsheet.intake.definitions import YES_NO as YES_NO
    from klachtsheet.intake.definitions import Choices as Choices
    from klachtsheet.intake.definitions import Condition as Condition
    from klachtsheet.intake.definitions import FormDefinition as FormDefinition
    from klachtsheet.intake.definitions import FormField as FormField
    from klachtsheet.intake.definitions import Outcome as Outcome
    from klachtsheet.intake.definitions import Validated as Validated
    from klachtsheet.intake.parsing import load_forms as load_forms
    from klachtsheet.intake.parsing import packaged_forms_dir as packaged_forms_dir
    from klachtsheet.intake.parsing import parse_definition as parse_definition
    from klachtsheet.intake.validation import build_complaint as build_complaint
    from klachtsheet.intake.validation import is_required as is_required
    from klachtsheet.intake.validation import is_shown as is_shown
    from klachtsheet.intake.validation import outcome as outcome
    from klachtsheet.intake.validation import validate as validate

# The sync imports the queue (klachtsheet.intake.queue) and must not pay for YAML and the
# form rules it never uses: the names below are imported when first asked for.
_WHERE = {
    "ABSOLUTE_MAX": "definitions",
    "CHOICE": "definitions",
    "CHOICE_TABS": "definitions",
    "DATE": "definitions",
    "DEFAULT_MAX": "definitions",
    "EMAIL": "definitions",
    "FORM_KEYS": "definitions",
    "LONG": "definitions",
    "PHONE": "definitions",
    "SHORT": "definitions",
    "SYSTEM_KEYS": "definitions",
    "TYPES": "definitions",
    "YES_NO": "definitions",
    "Choices": "definitions",
    "Condition": "definitions",
    "FormDefinition": "definitions",
    "FormField": "definitions",
    "Outcome": "definitions",
    "Validated": "definitions",
    "load_forms": "parsing",
    "packaged_forms_dir": "parsing",
    "parse_definition": "parsing",
    "build_complaint": "validation",
    "is_required": "validation",
    "is_shown": "validation",
    "outcome": "validation",
    "validate": "validation",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)


__all__ = sorted(_WHERE)
