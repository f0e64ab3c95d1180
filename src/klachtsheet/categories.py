"""Categories: matching what people typed to the Categorieën tab, and police-report advice."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
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
    return " ".join(_plain(text).split())


def _plain(text: str) -> str:
    """Return text without accents, in lower case, with a space for each non-word character.

    Every description is distinct and the police check reads each one on every run: hence
    tables and one regular expression, not a loop over the characters.
    """
    text = text or ""
    if text.isascii():
        # ASCII: casefold is lower, and one table of bytes finds what is not a word character.
        return text.lower().encode("ascii").translate(_ASCII_WORDS).decode("ascii")
    decomposed = unicodedata.normalize("NFKD", text)
    if _NOT_ACCENT.search(decomposed) is not None:  # other scripts and signs, one at a time
        return decomposed.translate(_UNMARKED).casefold().translate(_WORDS)
    # Dutch text: letters with accents, which decompose into ASCII letters and accents; the
    # encoder drops the accents (a search and the encoder cost half of removing them).
    plain = decomposed.encode("ascii", "ignore").lower()
    return plain.translate(_ASCII_WORDS).decode("ascii")


class _CodeTable(dict[int, int | None]):
    """A str.translate table filled in per character as characters are met."""

    def __init__(self, keep: Callable[[str], bool], otherwise: int | None) -> None:
        super().__init__()
        self._keep, self._otherwise = keep, otherwise

    def __missing__(self, code: int) -> int | None:
        self[code] = found = code if self._keep(chr(code)) else self._otherwise
        return found


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a str pattern


# Accents (combining marks) dropped; what is not a word character (letter, digit,
# underscore, as \w) turned into a space; for ASCII one table of bytes does the latter.
_UNMARKED = _CodeTable(lambda char: not unicodedata.combining(char), None)
_WORDS = _CodeTable(_is_word, ord(" "))
# What is neither ASCII nor in the block of combining accents (less its one mark of
# combining class 0, U+034F).
_NOT_ACCENT = re.compile("[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")
_ASCII_WORDS = bytes(c if _is_word(chr(c)) else ord(" ") for c in range(128)) + bytes(128)


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
        # Not through normalise and its cache: each description is read once per run.
        words = _plain(description).split()
        needed = self._needed
        # A phrase matches only where all its words are (the exceptions only ever remove
        # words): most descriptions hold no phrase's words, or only a common one ("mijn"
        # of "mijn * weg"), and then the regular expressions need not run.
        if needed is not None:
            if needed.keys().isdisjoint(words):
                return False
            present = set(words)
            if not any(
                all_of <= present for word in needed.keys() & present for all_of in needed[word]
            ):
                return False
        text = _pattern(self.exceptions).sub(" | ", f" {' '.join(words)} ")
        return _pattern(self.phrases).search(text) is not None

    @cached_property
    def _needed(self) -> dict[str, list[frozenset[str]]] | None:
        # Once per instance: hashing the phrase tuple for a cache costs more than the check.
        return _words_needed(self.phrases)


DEFAULT_PHRASES = PolicePhrases()


def _words(phrase: str) -> list[str]:
    """Return a phrase's words as compared, "star" standing for its wildcard."""
    return normalise(phrase.replace("*", " STAR ")).split()


def _words_needed(phrases: tuple[str, ...]) -> dict[str, list[frozenset[str]]] | None:
    """Return each phrase's words, by its longest word (None: a phrase may match any text)."""
    needed: dict[str, list[frozenset[str]]] = {}
    for phrase in phrases:
        words = _words(phrase)
        literal = [w for w in words if w != "star"]
        if words and not literal:
            return None  # a phrase of wildcards only: any text may match
        if literal:
            needed.setdefault(max(literal, key=len), []).append(frozenset(literal))
    return needed


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
