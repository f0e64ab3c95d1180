"""The greeting of a letter: the Aanhef column, else a rule from the name ('Geachte ...')."""

from __future__ import annotations

import re

FALLBACK = "Geachte heer of mevrouw"

# Titles as people type them, and how a letter writes them.
_TITLES = {
    "mevrouw": "mevrouw", "mevr": "mevrouw", "mw": "mevrouw", "mvr": "mevrouw",
    "mej": "mevrouw", "juffrouw": "mevrouw", "vrouw": "mevrouw",
    "heer": "heer", "de heer": "heer", "dhr": "heer", "hr": "heer", "meneer": "heer",
    "mijnheer": "heer", "familie": "familie", "fam": "familie",
}  # fmt: skip
_PARTICLES = {
    "de", "den", "der", "van", "het", "'t", "t", "te", "ten", "ter", "in", "op", "onder",
    "aan", "bij", "uit", "voor", "vd", "v", "d", "la", "le", "du", "da", "di", "del", "von",
}  # fmt: skip
_INITIAL = re.compile(r"^(?:[A-Za-zÀ-ÿ]{1,2}\.)+[A-Za-zÀ-ÿ]?$|^[A-Z]{1,3}$")
_GREETING = re.compile(r"^(geachte|beste|lieve|hallo)\b", re.IGNORECASE)


def salutation(aanhef: str, name: str) -> str:
    """Return the greeting without its comma: 'Geachte mevrouw De Boer'.

    A filled-in Aanhef wins ('mevrouw De Boer' gets 'Geachte ' in front). Otherwise the
    name decides: a title (mevrouw, mevr., dhr., de heer, familie) and the surname, with
    initials and first names left out and the tussenvoegsel written with a capital
    ('mevrouw H. de Boer' -> 'Geachte mevrouw De Boer'). Without a title: 'Geachte heer of
    mevrouw'.
    """
    typed = " ".join((aanhef or "").split()).rstrip(",").strip()
    if typed:
        return typed if _GREETING.match(typed) else f"Geachte {typed}"
    title, rest = _title(" ".join((name or "").split()))
    if title is None:
        return FALLBACK
    # "Dhr. en mevr. Jansen": both of them.
    if len(rest) >= 2 and rest[0].casefold() == "en":
        second, after = _title(" ".join(rest[1:]))
        if second is not None and second != title:
            title, rest = f"{title} en {second}", after
    surname = _surname(rest)
    if not surname:
        return FALLBACK
    return f"Geachte {title} {surname}"


def _title(name: str) -> tuple[str | None, list[str]]:
    words = name.replace(",", " ").split()
    lowered = [w.casefold().rstrip(".") for w in words]
    if len(lowered) >= 2 and f"{lowered[0]} {lowered[1]}" in _TITLES:
        return _TITLES[f"{lowered[0]} {lowered[1]}"], words[2:]
    if lowered and lowered[0] in _TITLES:
        return _TITLES[lowered[0]], words[1:]
    return None, words


def _surname(words: list[str]) -> str:
    words = [w for w in words if not _INITIAL.match(w)]
    if not words:
        return ""
    start = len(words) - 1
    for index, word in enumerate(words[:-1]):
        if word.casefold() in _PARTICLES:
            start = index
            break
    parts = words[start:]
    first = parts[0]
    parts[0] = first[:1].upper() + first[1:]
    return " ".join(parts)
