"""Read form definitions from YAML (the packaged ones, then the organisation's own) and check them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from klachtsheet import schema
from klachtsheet.exceptions import FormDefinitionError
from klachtsheet.files import packaged
from klachtsheet.intake.definitions import (
    ABSOLUTE_MAX,
    CHOICE,
    CHOICE_TABS,
    DEFAULT_MAX,
    FORM_KEYS,
    SHORT,
    TYPES,
    YES_NO,
    Condition,
    FormDefinition,
    FormField,
)

FIELD_KEYS = {
    "kolom", "vraag", "uitleg", "type", "verplicht", "verplicht_als", "tonen_als", "keuzes",
    "keuzes_uit", "max_tekens", "foutmelding",
}  # fmt: skip
FORM_PARTS = {"titel", "uitleg", "vaste_waarden", "velden"}
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")

# -- loading definitions ---------------------------------------------------------------------


class _Map(dict):
    """A mapping read from YAML that remembers the line of each key."""

    line: int = 0
    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """A safe loader whose mappings know their line numbers and refuse duplicate keys."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result.lines:
            raise FormDefinitionError(f"regel {line}: '{key}' staat er twee keer")
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def parse_definition(text: str, name: str, source: str = "") -> FormDefinition:
    """Read one form definition from YAML text, or raise FormDefinitionError naming file and line."""
    where = source or f"{name}.yaml"
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except FormDefinitionError as error:
        raise FormDefinitionError(f"Formulier {where} {error}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else "onbekende regel"
        raise FormDefinitionError(
            f"Formulier {where} {line}: geen geldige YAML ({error.problem or error.context}); "
            "controleer het inspringen, de dubbele punten en de aanhalingstekens"
        ) from None
    except yaml.YAMLError as error:
        raise FormDefinitionError(f"Formulier {where}: geen geldige YAML ({error})") from None
    problems: list[str] = []
    definition = _definition(data, name, where, problems)
    if problems or definition is None:
        raise FormDefinitionError("\n".join(f"Formulier {where} {p}" for p in problems))
    return definition


def _definition(data: Any, name: str, where: str, problems: list[str]) -> FormDefinition | None:
    if not NAME.match(name):
        problems.append(f"regel 1: de bestandsnaam '{name}' mag alleen kleine letters en cijfers")
    if not isinstance(data, _Map):
        problems.append("regel 1: het bestand moet beginnen met 'titel:', 'uitleg:' en 'velden:'")
        return None
    for key in data:
        if key not in FORM_PARTS:
            problems.append(f"regel {data.lines[key]}: onbekend onderdeel '{key}'")
    title = data.get("titel")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"regel {data.line}: 'titel' ontbreekt of is leeg")
        title = name
    intro = data.get("uitleg", "") or ""
    if not isinstance(intro, str):
        problems.append(f"regel {data.lines.get('uitleg', data.line)}: 'uitleg' moet tekst zijn")
        intro = ""
    fixed = _fixed(data, problems)
    raw_fields = data.get("velden")
    if not isinstance(raw_fields, list) or not raw_fields:
        problems.append(
            f"regel {data.lines.get('velden', data.line)}: 'velden' moet een lijst zijn"
        )
        return None
    fields_: list[FormField] = []
    for raw in raw_fields:
        item = _field(raw, fields_, dict(fixed), problems, data.lines.get("velden", 1))
        if item is not None:
            fields_.append(item)
    return FormDefinition(name, title.strip(), intro.strip(), tuple(fields_), fixed, where)


def _fixed(data: _Map, problems: list[str]) -> tuple[tuple[str, str], ...]:
    raw = data.get("vaste_waarden") or {}
    line = data.lines.get("vaste_waarden", data.line)
    if not isinstance(raw, dict):
        problems.append(f"regel {line}: 'vaste_waarden' moet per kolom een waarde geven")
        return ()
    result = []
    for header, value in raw.items():
        column = schema.KLACHTEN.by_header(str(header))
        at = raw.lines.get(header, line) if isinstance(raw, _Map) else line
        if column is None or column.key not in FORM_KEYS:
            problems.append(f"regel {at}: '{header}' is geen kolom die een formulier mag vullen")
            continue
        text = _scalar(value)
        if column.allowed and text not in column.allowed:
            problems.append(
                f"regel {at}: '{text}' mag niet in '{header}'; kies uit {', '.join(column.allowed)}"
            )
            continue
        result.append((column.key, text))
    return tuple(result)


def _field(
    raw: Any, earlier: list[FormField], fixed: dict[str, str], problems: list[str], line: int
) -> FormField | None:
    if not isinstance(raw, _Map):
        problems.append(
            f"regel {line}: elk veld begint met '- kolom:' en heeft 'vraag:' en 'type:'"
        )
        return None
    at = raw.line
    before = len(problems)
    for key in raw:
        if key not in FIELD_KEYS:
            problems.append(f"regel {raw.lines[key]}: onbekende eigenschap '{key}'")
    header = _scalar(raw.get("kolom"))
    column = schema.KLACHTEN.by_header(header) if header else None
    if column is None or column.key not in FORM_KEYS:
        allowed = ", ".join(schema.KLACHTEN.header(k) for k in FORM_KEYS)
        problems.append(
            f"regel {at}: kolom '{header}' bestaat niet of wordt niet door het formulier gevuld; "
            f"kies uit: {allowed}"
        )
        return None
    if any(f.key == column.key for f in earlier) or column.key in fixed:
        problems.append(f"regel {at}: kolom '{header}' wordt al gevuld")
    label = _scalar(raw.get("vraag"))
    if not label:
        problems.append(f"regel {at}: 'vraag' ontbreekt bij kolom '{header}'")
    kind = _scalar(raw.get("type"))
    if kind not in TYPES:
        problems.append(
            f"regel {raw.lines.get('type', at)}: type '{kind}' bestaat niet; "
            f"kies uit {', '.join(TYPES)}"
        )
        kind = SHORT
    choices, source = _choices(raw, kind, column, problems)
    required = _flag(raw, "verplicht", problems)
    show_if = _conditions(raw, "tonen_als", earlier, problems)
    required_if = _conditions(raw, "verplicht_als", earlier, problems)
    max_length = raw.get("max_tekens", DEFAULT_MAX[kind])
    if (
        not isinstance(max_length, int)
        or isinstance(max_length, bool)
        or not (0 < max_length <= ABSOLUTE_MAX)
    ):
        problems.append(
            f"regel {raw.lines.get('max_tekens', at)}: 'max_tekens' moet een getal "
            f"van 1 tot {ABSOLUTE_MAX} zijn"
        )
        max_length = DEFAULT_MAX[kind]
    if len(problems) > before:
        return None
    return FormField(
        key=column.key,
        label=label,
        type=kind,
        help=_scalar(raw.get("uitleg")),
        required=required,
        required_if=required_if,
        show_if=show_if,
        choices=choices,
        choices_from=source,
        max_length=max_length,
        error_message=_scalar(raw.get("foutmelding")),
        line=at,
    )


def _choices(raw: _Map, kind: str, column: schema.Column, problems: list[str]):
    at = raw.line
    fixed, source = raw.get("keuzes"), raw.get("keuzes_uit")
    if kind != CHOICE:
        if fixed is not None or source is not None:
            problems.append(f"regel {at}: alleen een veld van type 'keuze' heeft keuzes")
        return (), None
    if (fixed is None) == (source is None):
        problems.append(f"regel {at}: geef bij een keuze óf 'keuzes' óf 'keuzes_uit'")
        return (), None
    if source is not None:
        if source not in CHOICE_TABS:
            problems.append(
                f"regel {raw.lines['keuzes_uit']}: 'keuzes_uit' moet {' of '.join(CHOICE_TABS)} zijn"
            )
        return (), source
    if not isinstance(fixed, list) or not fixed:
        problems.append(f"regel {raw.lines['keuzes']}: 'keuzes' moet een lijst van waarden zijn")
        return (), None
    choices = tuple(_scalar(v) for v in fixed)
    if column.allowed:
        wrong = [c for c in choices if c not in column.allowed]
        if wrong:
            problems.append(
                f"regel {raw.lines['keuzes']}: '{wrong[0]}' mag niet in kolom "
                f"'{column.header}'; kies uit {', '.join(column.allowed)}"
            )
    return choices, None


def _conditions(raw: _Map, key: str, earlier: list[FormField], problems: list[str]):
    value = raw.get(key)
    if value is None:
        return ()
    at = raw.lines[key]
    if not isinstance(value, dict) or not value:
        problems.append(f"regel {at}: '{key}' moet zijn als  'Kolom: waarde'")
        return ()
    result = []
    for header, wanted in value.items():
        ref = next((f for f in earlier if f.header.casefold() == str(header).casefold()), None)
        line = value.lines.get(header, at) if isinstance(value, _Map) else at
        if ref is None:
            problems.append(
                f"regel {line}: '{key}' verwijst naar '{header}', maar dat is geen eerder veld"
            )
            continue
        values = tuple(_scalar(v) for v in (wanted if isinstance(wanted, list) else [wanted]))
        known = schema.YES_NO if ref.type == YES_NO else ref.choices
        if known:
            wrong = [v for v in values if v not in known]
            if wrong:
                problems.append(
                    f"regel {line}: '{wrong[0]}' is geen antwoord van '{header}'; "
                    f"kies uit {', '.join(known)}"
                )
                continue
        result.append(Condition(ref.key, values))
    return tuple(result)


def _flag(raw: _Map, key: str, problems: list[str]) -> bool:
    value = raw.get(key, False)
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("ja", "nee"):
        return text == "ja"
    problems.append(f"regel {raw.lines.get(key, raw.line)}: '{key}' moet ja of nee zijn")
    return False


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return schema.YES if value else schema.NO
    return str(value).strip()


def packaged_forms_dir() -> Path:
    """Return the folder of the form definitions shipped with klachtsheet."""
    return packaged("forms")


def load_forms(forms_dir: Path | None = None) -> dict[str, FormDefinition]:
    """Load the packaged definitions, then those in forms_dir (same name replaces, new adds)."""
    found: dict[str, Path] = {}
    folders = [packaged_forms_dir()] + ([Path(forms_dir)] if forms_dir else [])
    for folder in folders:
        if not folder.is_dir():
            raise FormDefinitionError(f"Map met formulieren {folder} bestaat niet")
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            found[path.stem] = path
    forms = {}
    for name, path in found.items():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise FormDefinitionError(f"Formulier {path}: kan het niet lezen ({error})") from None
        forms[name] = parse_definition(text, name, str(path))
    return forms
