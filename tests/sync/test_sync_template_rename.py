"""A copy of the satisfaction call list made under its old name (belijst) still counts."""

from __future__ import annotations

from klachtsheet.messages.letters import Letters
from klachtsheet.messages.texts import environment


def _letters(templates_dir) -> Letters:
    letters = Letters.__new__(Letters)  # only the template environment is needed here
    letters.env = environment(templates_dir)
    return letters


def test_an_own_copy_under_the_old_name_is_used(tmp_path):
    (tmp_path / "brieven").mkdir()
    (tmp_path / "brieven" / "belijst-tevredenheid.txt").write_text(
        "Onderwerp: Eigen lijst\n\nEigen tekst voor {{ ontvanger }}\n", encoding="utf-8"
    )

    text = _letters(tmp_path)._render("bellijst-tevredenheid.txt", {"ontvanger": "Karin"})

    assert "Eigen tekst voor Karin" in text


def test_without_a_copy_the_packaged_bellijst_is_used(tmp_path):
    env = environment(tmp_path)
    assert env.get_template("brieven/bellijst-tevredenheid.txt") is not None
    source = env.loader.get_source(env, "brieven/bellijst-tevredenheid.txt")[0]
    assert source.startswith("Onderwerp: Bellijst tevredenheid")
