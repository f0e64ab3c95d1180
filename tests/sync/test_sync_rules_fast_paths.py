"""The rules' quick paths give exactly the answers of the slow, obvious ones, for any text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet import categories, nummer, schema
from klachtsheet.categories import PolicePhrases, normalise
from klachtsheet.model import Complaint, Table, complaints

WORDS = sorted(
    {w for p in schema.POLICE_PHRASES + schema.POLICE_EXCEPTIONS for w in p.split()}
    | {"tas", "mijn", "de", "bus", "Gestólen", "KWIJT", "*", "star", "ß", "ﬁets"}
)
PIECES = (
    st.sampled_from(WORDS) | st.sampled_from([" ", ".", ",", "!", "\n", "-"]) | st.text(max_size=4)
)


def regex_only(phrases: PolicePhrases, description: str) -> bool:
    """The answer without the word pre-check: both regular expressions, always."""
    text = categories._pattern(phrases.exceptions).sub(" | ", f" {normalise(description)} ")
    return categories._pattern(phrases.phrases).search(text) is not None


PHRASE = st.lists(st.sampled_from(WORDS), min_size=0, max_size=3).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(PIECES, max_size=25).map(" ".join),
    st.lists(PHRASE, min_size=1, max_size=5),
    st.lists(PHRASE, max_size=4),
)
def test_police_word_check_never_changes_the_answer(description, phrases, exceptions):
    own = PolicePhrases(tuple(phrases), tuple(exceptions))
    assert own.matches(description) == regex_only(own, description)
    assert PolicePhrases().matches(description) == regex_only(PolicePhrases(), description)


# Dutch with accents (the table-free path), marks of every kind, other scripts and signs.
ACCENTED = st.lists(
    st.sampled_from(["één", "geïrriteerd", "café", "reünie", "e\u0301", "a\u034fb", "Ǆ", "İ", "ß"])
    | st.sampled_from(["ﬁ", "①", "™", "Ａ", "ᾳ", "ǰ", "–", "’", "_", "\u00a0", "\t"])
    | PIECES,
    max_size=20,
).map("".join)


@settings(max_examples=600)
@given(st.text(max_size=60) | ACCENTED)
def test_normalise_is_the_decomposing_path_for_any_text(text):
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    assert normalise(text) == " ".join(re.sub(r"[^\w]+", " ", plain).split())


NUMMER_LIKE = st.text(alphabet="0123456789-. \n٣", max_size=12)


@settings(max_examples=500)
@given(NUMMER_LIKE | st.integers(0, 99_999_999).map(lambda i: f"{i:08d}"))
def test_nummer_check_is_its_normal_form(text):
    if len(text) == 8 and text.isdigit():
        text = f"{text[:2]}-{text[2:5]}-{text[5:]}"
    assert nummer.is_valid(text) == (nummer.normalise(text) == text)


def test_every_nummer_given_out_is_valid_and_a_changed_digit_is_not():
    from datetime import date

    given_out: set[str] = set()
    for _ in range(2000):
        n = nummer.new_nummer(given_out, date(2026, 12, 2))
        given_out.add(n)
        assert nummer.is_valid(n)
        wrong = n[:-1] + str((int(n[-1]) + 1) % 10)
        assert not nummer.is_valid(wrong)


TEXT = st.text(max_size=12)


@given(st.dictionaries(st.sampled_from(sorted(c.key for c in schema.KLACHTEN.columns)), TEXT))
def test_complaints_read_from_a_table_equal_the_ones_built_by_hand(values):
    headers = [schema.KLACHTEN.header(key) for key in values] + ["Eigen kolom"]
    row = [*values.values(), "x"]
    read = complaints(Table("Klachten", tuple(headers), (tuple(row),)))
    built = Complaint.of(values, extra=(("Eigen kolom", "x"),), row_number=2)
    assert read == [built]
    assert read[0].extra == built.extra and read[0].row_number == 2
    assert read[0].with_values(notities="n") == Complaint.of({**values, "notities": "n"})
