"""The jinja2 environment for every text an organisation may edit (letters, e-mails, agenda)."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, format_percent

from klachtsheet.config import STATE_FOLDER
from klachtsheet.exceptions import TemplateError
from klachtsheet.files import make_folder, packaged
from klachtsheet.model import parse_date

log = logging.getLogger(__name__)

LOCALE = "nl_NL"
# The folder, in the state folder, of the templates compiled by earlier runs.
COMPILED_FOLDER = "sjablonen-gecompileerd"


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


# What the compiled code of a template depends on besides its text and its escaping.
_COMPILED_BY = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix",
    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
    "keep_trailing_newline", "optimized",
)  # fmt: skip


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates as compiled by earlier runs, kept in an output folder's state folder.

    Compiling the agenda's templates takes a fifth of a second of every agenda, and the
    letters' a tenth of every sync that sends: jinja2 keeps the compiled code per template
    file and takes it only while the file's text is unchanged (its checksum). The code
    also depends on the escaping, on the filters known when it was compiled and on the
    environment's syntax settings, so each kind of environment, each escaping, each set of
    settings (``_COMPILED_BY``) and each jinja2 version keeps its own files. The files hold
    template code only, never a value from the register. They are kept only in an output
    folder that is already there (an agenda to standard output makes none), and a folder
    that cannot be written only means compiling again next time.
    """

    def __init__(
        self, home: Path, kind: str, escaping: str = "naar-naam", settings: str = ""
    ) -> None:
        self.home, self.kind, self.settings = home, kind, settings
        self.folder = home / STATE_FOLDER / COMPILED_FOLDER
        pattern = f"{kind}-{escaping}-jinja{jinja2.__version__}{settings}-%s.cache"
        super().__init__(str(self.folder), pattern)

    def for_environment(self, env: jinja2.Environment) -> CompiledTemplates:
        """Return the store named after the environment's syntax settings."""
        settings = repr([getattr(env, name) for name in _COMPILED_BY] + sorted(env.extensions))
        digest = hashlib.sha256(settings.encode()).hexdigest()[:8]
        return CompiledTemplates(self.home, self.kind, settings=f"-{digest}")

    def escaping(self, autoescape: bool) -> CompiledTemplates:
        """Return the store for an overlay that always (or never) escapes."""
        escaping = "html" if autoescape else "tekst"
        return CompiledTemplates(self.home, self.kind, escaping, self.settings)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or damaged (jinja2 unpickles its checksum): compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if not self.home.is_dir():
            return
        try:
            make_folder(self.folder)
            super().dump_bytecode(bucket)
        except OSError as error:
            log.warning("compiled template not kept (%s)", type(error).__name__)


def environment(
    templates_dir: Path | None = None, compiled: CompiledTemplates | None = None
) -> jinja2.Environment:
    """Return the environment: the organisation's folder first, then the packaged defaults.

    ``compiled`` keeps the compiled templates between runs (see ``CompiledTemplates``).
    """
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
    if compiled is not None:
        env.bytecode_cache = compiled.for_environment(env)
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
