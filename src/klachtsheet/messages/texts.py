"""The jinja2 environment for every text an organisation may edit (letters, e-mails, agenda)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, format_percent

from klachtsheet.exceptions import TemplateError
from klachtsheet.files import packaged
from klachtsheet.model import parse_date

LOCALE = "nl_NL"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value).day
    return None


def datum(value: Any, format: str = "long") -> str:
    """Format a date in Dutch: 'long' gives '26 november 2026', 'full' adds the weekday."""
    day = _as_date(value)
    if day is None:
        return ""
    return babel_format_date(day, format=format, locale=LOCALE)


def getal(value: Any, digits: int = 1) -> str:
    """Format a number the Dutch way (1.234,5)."""
    if value is None:
        return "–"
    return format_decimal(round(float(value), digits), locale=LOCALE)


def procent(value: Any) -> str:
    """Format a share (0.25) as a Dutch percentage (25%)."""
    if value is None:
        return "–"
    return format_percent(float(value), locale=LOCALE)


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """Return the environment: the organisation's folder first, then the packaged defaults."""
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(packaged("templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"], default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(datum=datum, getal=getal, procent=procent)
    return env


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render a template, turning any template fault into a Dutch message naming the file."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"Sjabloon '{name}' niet gevonden") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"Sjabloon '{error.filename or name}' regel {error.lineno}: {error.message}"
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(f"Sjabloon '{name}': onbekende naam ({error.message})") from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"Sjabloon '{name}': {error}") from None


def packaged_templates_dir() -> Path:
    """Return the folder of the templates shipped with klachtsheet."""
    return packaged("templates")
