"""Issue 12, bullet 3: confidential ticked while no vertrouwenspersoon is set is an error."""

from __future__ import annotations

import pytest

from klachtsheet import schema
from klachtsheet.register.local import LocalRegister
from klachtsheet.web import create_app
from support.intake import COMPLAINT, make_config, post, rows


@pytest.fixture
def bare_client(tmp_path):
    path = tmp_path / "zonder-vertrouwenspersoon.xlsx"
    LocalRegister(path).ensure_layout(schema.EXAMPLE_TABS)
    app = create_app(
        make_config(tmp_path, path), {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False}
    )
    yield app.test_client(), path
    app.extensions["klachtsheet"].writer.stop()


@pytest.mark.parametrize(
    "values",
    [{"vertrouwelijk": "Ja"}, {"categorie": "Vrijwilliger met een klacht"}],
    ids=["box-ticked", "category-confidential"],
)
def test_confidential_without_vertrouwenspersoon_is_refused_on_the_form(bare_client, values):
    client, path = bare_client
    response = post(client, **{**COMPLAINT, **values})
    assert response.status_code == 422
    assert "geen vertrouwenspersoon ingesteld" in response.get_data(as_text=True)
    assert rows(path) == []


def test_not_confidential_still_goes_in(bare_client):
    client, path = bare_client
    assert post(client, **COMPLAINT).status_code == 303
    assert len(rows(path)) == 1
