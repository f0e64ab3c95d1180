"""Categories: matching what people typed to the Categorieën tab, and police-report advice."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from klachtsheet import schema
from klachtsheet.model import Table

POLICE_PHRASES, POLICE_EXCEPTIONS = schema.POLICE_PHRASES, schema.POLICE_EXCEPTIONS


@dataclass(frozen=True)
class Category:
    """One row of the Categorieën tab."""

    name: str
    active: bool = True
    confidential: bool = False
    police_advice: bool = False
    synonyms: tuple[str, ...] = ()


# A register repeats the same few texts (categories, yes/no, places) on every row: each
# distinct text is normalised once per process.
@lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Return text as compared: no accents, no case, no punctuation, single spaces."""
    text = text or ""
    if text.isascii():
        # Nothing to decompose, and ASCII casefold is lower: most texts take this path.
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", plain).split())


_NOT_WORD = re.compile(r"[^\w]+")


def _yes(value: str) -> bool:
    return normalise(value) in ("ja", "j", "yes", "x", "waar", "1")


def from_table(table: Table | None) -> list[Category]:
    """Read the Categorieën tab."""
    if table is None:
        return [
            Category(r[0], _yes(r[1]), _yes(r[2]), _yes(r[3]), _split(r[4]))
            for r in schema.SEED_CATEGORIES
        ]
    result = []
    for record in table.records():
        name = record.get("Categorie", "").strip()
        if name:
            result.append(
                Category(
                    name=name,
                    active=not record.get("Actief", "").strip() or _yes(record["Actief"]),
                    confidential=_yes(record.get("Vertrouwelijk", "")),
                    police_advice=_yes(record.get("Aangifte-advies", "")),
                    synonyms=_split(record.get("Ook bekend als", "")),
                )
            )
    return result


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in re.split(r"[;\n]", text or "") if s.strip())


class Catalogue:
    """All categories, indexed for matching by name and synonym."""

    def __init__(self, categories: list[Category]) -> None:
        self.categories = categories
        self._index: dict[str, Category] = {}
        for category in categories:
            for key in (category.name, *category.synonyms):
                self._index.setdefault(normalise(key), category)

    def match(self, text: str) -> Category | None:
        """Return the category that text means, or None when it is unknown."""
        return self._index.get(normalise(text)) if text and text.strip() else None

    def active_names(self) -> list[str]:
        """Return the names of the active categories, in the tab's order."""
        return [c.name for c in self.categories if c.active]


@dataclass(frozen=True)
class PolicePhrases:
    """The phrases that mean loss or theft, and the idioms that only look like it."""

    phrases: tuple[str, ...] = POLICE_PHRASES
    exceptions: tuple[str, ...] = POLICE_EXCEPTIONS

    @classmethod
    def from_settings(cls, phrases: str, exceptions: str) -> PolicePhrases:
        """Read the two settings (phrases separated by ';'); empty means the defaults."""
        return cls(_split(phrases) or POLICE_PHRASES, _split(exceptions) or POLICE_EXCEPTIONS)

    def matches(self, description: str) -> bool:
        """Tell whether the description speaks of loss, disappearance or theft."""
        normal = normalise(description)
        anchors = self._anchors
        # Most descriptions hold none of the phrases' words: then no phrase can match (the
        # exceptions only ever remove words), and the regular expressions need not run.
        if anchors is not None and anchors.isdisjoint(normal.split()):
            return False
        text = _pattern(self.exceptions).sub(" | ", f" {normal} ")
        return _pattern(self.phrases).search(text) is not None

    @cached_property
    def _anchors(self) -> frozenset[str] | None:
        # Once per instance: hashing the phrase tuple for a cache costs more than the check.
        return _anchor_words(self.phrases)


DEFAULT_PHRASES = PolicePhrases()


def _words(phrase: str) -> list[str]:
    """Return a phrase's words as compared, "star" standing for its wildcard."""
    return normalise(phrase.replace("*", " STAR ")).split()


def _anchor_words(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """Return one word of each phrase that a text must hold for it to match (None: can't tell)."""
    anchors = set()
    for phrase in phrases:
        words = _words(phrase)
        literal = [w for w in words if w != "star"]
        if words and not literal:
            return None  # a phrase of wildcards only: any text may match
        if literal:
            anchors.add(max(literal, key=len))  # the longest word is the rarest, as a rule
    return frozenset(anchors)


@lru_cache(maxsize=16)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for phrase in phrases:
        words = _words(phrase)
        if not words:
            continue
        parts = [r"(?:\w+ ){0,2}\w+" if w == "star" else re.escape(w) for w in words]
        alternatives.append(" ".join(parts))
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<= )(?:" + "|".join(alternatives) + r")(?= )")


def needs_police_advice(
    category: Category | None, description: str, phrases: PolicePhrases = DEFAULT_PHRASES
) -> bool:
    """Tell whether the participant should be advised to report to the police."""
    if category is not None and category.police_advice:
        return True
    return phrases.matches(description)
