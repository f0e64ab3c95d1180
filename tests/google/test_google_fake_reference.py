"""The fake answers like Google: real recorded requests replayed against it, answers compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from klachtsheet.register.google import GoogleRegister

HERE = Path(__file__).parent
EXTRACT = json.loads((HERE / "reference" / "gspread_sheets_v4.json").read_text(encoding="utf-8"))
SHARED = HERE.resolve().parents[2] / "shared" / "reference" / "gspread-cassettes"
# Values the fake cannot know (ids Google picks, the title gspread's test gave).
FREE = {"sheetId", "protectedRangeId", "title", "locale", "timeZone"}


def _subset(fake: Any, real: Any, path: str = "") -> list[str]:
    """Return where the fake's answer has a key or value the real one has not."""
    if isinstance(fake, dict):
        if not isinstance(real, dict):
            return [f"{path}: dict vs {type(real).__name__}"]
        problems = []
        for key, value in fake.items():
            if key not in real:
                problems.append(f"{path}.{key}: not in Google's answer")
            elif key in FREE and path != ".sheets[].properties.gridProperties":
                if type(value) is not type(real[key]):
                    problems.append(f"{path}.{key}: {type(value).__name__}")
            else:
                problems += _subset(value, real[key], f"{path}.{key}")
        return problems
    if isinstance(fake, list):
        if not isinstance(real, list) or len(fake) != len(real):
            return [f"{path}: {len(fake)} items vs {real!r:.80}"]
        return [p for f, r in zip(fake, real, strict=True) for p in _subset(f, r, f"{path}[]")]
    return [] if fake == real else [f"{path}: {fake!r} != {real!r}"]


def _ids(value: Any, found: dict[str, list[int]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("sheetId", "protectedRangeId") and isinstance(item, int):
                found.setdefault(key, []).append(item)
            _ids(item, found)
    elif isinstance(value, list):
        for item in value:
            _ids(item, found)


def _swap_ids(text: str, mapping: dict[int, int]) -> str:
    for real, ours in mapping.items():
        text = text.replace(str(real), str(ours))
    return text


@pytest.mark.parametrize("name", sorted(EXTRACT["files"]))
def test_google_fake_answers_recorded_requests_like_google(name, fake, fake_url):
    interactions = EXTRACT["files"][name]
    first_key = urlsplit(interactions[0]["request"]["uri"]).path.split("/")[3]
    fake.create(first_key, title=f"Test {name}", sheets=("Sheet1",))
    if "private" in name:
        fake.forbidden.add(urlsplit(interactions[-1]["request"]["uri"]).path.split("/")[3])
    mapping: dict[int, int] = {}
    for interaction in interactions:
        recorded, expected = interaction["request"], interaction["response"]
        url = recorded["uri"].replace("https://sheets.googleapis.com", fake_url)
        body = _swap_ids(recorded["body"], mapping) if recorded["body"] else None
        answer = requests.request(
            recorded["method"],
            url,
            data=body,
            timeout=10,
            headers={"Content-Type": "application/json"},
        )
        where = f"{recorded['method']} {recorded['uri']}"
        assert answer.status_code == expected["status"]["code"], (where, answer.text)
        assert answer.headers["Content-Type"] == expected["content_type"]
        ours, theirs = answer.json(), json.loads(expected["body"])
        real_ids: dict[str, list[int]] = {}
        our_ids: dict[str, list[int]] = {}
        _ids(theirs, real_ids)
        _ids(ours, our_ids)
        for key in real_ids:  # ids Google picked map to the ones the fake picked
            for real, mine in zip(real_ids[key], our_ids.get(key, []), strict=False):
                if real != mine:
                    mapping[real] = mine
        if urlsplit(recorded["uri"]).path.count("/") == 3 and recorded["method"] == "GET":
            # spreadsheets.get: Google adds theme and formats; the fake's keys are a subset.
            assert _subset(ours, theirs) == [], where
            if answer.ok:
                assert set(ours) == {"spreadsheetId", "properties", "sheets", "spreadsheetUrl"}
        else:
            assert _subset(ours, theirs) == [], where
            assert _subset(theirs, ours) == [] or "protectedRanges" in str(theirs), where


def test_google_register_reads_gspread_recorded_batch_get():
    """Our reader copes with Google's exact batchGet answer (trimmed rows, empty cells)."""
    interaction = next(
        i
        for i in EXTRACT["files"]["WorksheetTest.test_batch_get.json"]
        if "batchGet" in i["request"]["uri"]
    )

    class Replay:
        def values_batch_get(self, key, ranges, params=None):
            answer = json.loads(interaction["response"]["body"])
            assert ranges[2:] == ["'Logboek'!1:1"]  # read() also takes the Logboek's headers
            answer["valueRanges"].append({"range": "Logboek!A1:Z1", "majorDimension": "ROWS"})
            return answer

    register = GoogleRegister("x", Replay())  # type: ignore[arg-type]
    tables = register.read(["Sheet1", "Other"])
    assert tables["Sheet1"].headers == ("A1", "B1")
    assert tables["Other"].headers == ("B4", "", "D4")


def test_google_reference_extract_is_unchanged_from_the_shared_copy():
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not here; the extract in tests/google/reference is used")
    for name, interactions in EXTRACT["files"].items():
        source = json.loads((SHARED / name).read_text(encoding="utf-8"))["interactions"]
        pairs = {
            (i["request"]["method"], i["request"]["uri"], i["response"]["body"]["string"])
            for i in source
        }
        for kept in interactions:
            key = (kept["request"]["method"], kept["request"]["uri"], kept["response"]["body"])
            assert key in pairs, (name, key[:2])
