"""Issue 12, bullet 9: names despite titles and initials; overviews are personal data too."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from klachtsheet.messages.outbox import DIGESTS_FOLDER
from klachtsheet.privacy.access import PersonQuery, names_match
from klachtsheet.privacy.scrub import delete_outbox, outbox_files


@pytest.mark.parametrize(
    ("asked", "typed", "expected"),
    [
        ("H. de Boer", "mevrouw H. de Boer", True),
        ("de Boer", "Mevr. H. de Boer", True),
        ("Hennie de Boer", "mevrouw H. de Boer", True),
        ("mevrouw De Boer", "H. de Boer", True),
        ("J. de Boer", "mevrouw H. de Boer", False),
        ("H. de Vries", "mevrouw H. de Boer", False),
        ("H. de Boer", "", False),
    ],
)
def test_names_match_despite_titles_and_initials(asked, typed, expected):
    assert names_match(asked, typed) is expected
    if typed:
        assert PersonQuery(naam=asked).matches(_row(typed)) is expected


def _row(name):
    from klachtsheet.model import Complaint

    return Complaint(nummer="26-1", deelnemer=name)


def _overview(outbox, name, nummers, person):
    folder = outbox / DIGESTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    message = EmailMessage()
    message["Subject"] = "Overzicht"
    # Non-ASCII and long lines: the body is encoded, the Nummer must still be found.
    message.set_content("".join(f"- {n}: {person} – é{'x' * 200}\n" for n in nummers))
    path = folder / name
    path.write_bytes(message.as_bytes())
    return path


def test_overviews_naming_a_complaint_are_found_and_deleted_with_it(tmp_path):
    outbox = tmp_path / "postvak-uit"
    (outbox / "26-111-111").mkdir(parents=True)
    (outbox / "26-111-111" / "bevestiging.eml").write_text("x")
    mine = _overview(outbox, "2026-12-15-te-laat-piet.eml", ["26-111-111", "26-222-222"], "Bé")
    other = _overview(outbox, "2026-12-15-te-laat-karin.eml", ["26-333-333"], "Cé")

    assert mine in outbox_files(outbox, "26-111-111")
    assert other not in outbox_files(outbox, "26-111-111")
    assert delete_outbox(outbox, "26-111-111") == 2
    assert not mine.exists() and other.exists()


def test_inzage_finds_the_person_and_the_overview(kit, populated, tmp_path):
    from klachtsheet.privacy.access import answer_access_request

    nummer = kit.make_nummer(1)
    _overview(populated.config.outbox_dir, "2026-12-01-te-laat-x.eml", [nummer], "iemand")
    surname = kit.GERRITDINA.naam.split()[-1]
    report = answer_access_request(
        populated.config,
        populated.shared,
        populated.confidential,
        PersonQuery(naam=f"mevrouw G. {surname}"),
        today=kit.TODAY,
        folder=tmp_path / "antwoord",
    )
    assert report.complaints >= 1
    assert (
        tmp_path / "antwoord" / "documenten" / DIGESTS_FOLDER / "2026-12-01-te-laat-x.eml"
    ).exists()
    assert any("_overzichten" in line for line in report.review)


def test_nothing_found_names_what_was_searched(populated, tmp_path):
    from datetime import date

    from klachtsheet.privacy.access import answer_access_request

    report = answer_access_request(
        populated.config,
        populated.shared,
        populated.confidential,
        PersonQuery(naam="Z. Onbekend"),
        today=date(2026, 11, 26),
        folder=tmp_path / "leeg",
    )
    assert report.complaints == 0
    assert 'Niets gevonden op de naam "Z. Onbekend"' in report.summary()
    assert "deelnemernummer" in report.summary() and "telefoonnummer" in report.summary()
    letter = (tmp_path / "leeg" / "begeleidende-brief.html").read_text()
    assert "gezocht op de naam" in letter and "Z. Onbekend" in letter
    assert "deelnemernummer" in letter
