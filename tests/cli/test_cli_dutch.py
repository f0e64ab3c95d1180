"""Every message click can print comes through in Dutch, now and after a click upgrade."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest

from klachtsheet.cli import cli
from klachtsheet.cli.dutch import NL

STRING = r'"(?:[^"\\]|\\.)*"'
STRINGS = rf"((?:{STRING}\s*)+)"
GETTEXT = re.compile(rf"\b_\(\s*{STRINGS}\)", re.S)
NGETTEXT = re.compile(rf"\bngettext\(\s*{STRINGS},\s*{STRINGS},", re.S)


def _literal(source: str) -> str:
    return "".join(ast.literal_eval(part) for part in re.findall(STRING, source))


def click_msgids() -> set[str]:
    """Return every message id click marks for gettext, read from click's own source."""
    found: set[str] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found.update(_literal(m[1]) for m in GETTEXT.finditer(text))
        for m in NGETTEXT.finditer(text):
            found.update((_literal(m[1]), _literal(m[2])))
    return found


def test_the_scan_finds_click_messages():
    ids = click_msgids()
    # A scan that finds nothing would pass the next test vacuously.
    assert len(ids) >= 60
    assert {"Usage:", "Did you mean {possibility}?", "{name} {filename!r} does not exist."} <= ids


def test_every_click_message_has_a_dutch_translation():
    missing = sorted(click_msgids() - set(NL))
    assert missing == [], f"click-berichten zonder Nederlandse vertaling: {missing}"


@pytest.mark.parametrize("message", sorted(NL))
def test_a_translation_keeps_the_placeholders(message):
    def fields(text: str) -> set[str]:
        return set(re.findall(r"\{(\w+)", text)) | set(re.findall(r"%\((\w+)\)", text))

    assert fields(NL[message]) == fields(message)


@pytest.mark.parametrize(
    ("args", "expected", "english"),
    [
        (["synk"], "Bedoelt u 'sync'?", "Did you mean"),
        (["serve", "--poort", "abc"], "'abc' is geen geldig geheel getal", "integer"),
        (["import", "/nergens/lijst.csv"], "Bestand '/nergens/lijst.csv' bestaat niet", "File"),
        (["jaarverslag"], "Ontbrekende optie '--jaar'", "Missing"),
    ],
)
def test_errors_are_dutch(runner, args, expected, english):
    result = runner.invoke(cli, args)

    assert result.exit_code == 2
    assert expected in result.output
    assert english not in result.output


def test_metavars_and_plurals_are_dutch(runner):
    texts = [runner.invoke(cli, [name, "--help"]).output for name in cli.commands]
    texts.append(runner.invoke(cli, ["--help"]).output)
    every = "\n".join(texts)
    for english in ("FILE", "DIRECTORY", "PATH", "TEXT", "INTEGER", "(en)", "dry run"):
        assert english not in every
    assert "BESTAND" in every and "MAP" in every
    assert "--proefdraai" in every
