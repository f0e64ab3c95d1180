"""The app on a real waitress server: 50 concurrent submissions, 50 rows, 50 Nummers."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from support.intake import CODE, COMPLAINT, rows


def _session(base: str):
    """Return an opener with cookies, signed in to the telefoondienst form."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/formulier/telefoondienst/toegang", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode({"csrf_token": token, "code": CODE}).encode()
    opener.open(f"{base}/formulier/telefoondienst/toegang", body, timeout=30).read()
    return opener


def _submit(opener, base: str, index: int) -> str:
    page = opener.open(f"{base}/formulier/telefoondienst", timeout=30).read().decode()
    hidden = dict(re.findall(r'name="(csrf_token|inzending)" value="([^"]+)"', page))
    values = {**COMPLAINT, **hidden, "deelnemer": f"Deelnemer {index}"}
    body = urllib.parse.urlencode(values).encode()
    result = opener.open(f"{base}/formulier/telefoondienst", body, timeout=60).read().decode()
    return re.search(r'id="nummer">([\d-]+)<', result)[1]


def test_fifty_concurrent_submissions(live_server, register_path):
    base, app = live_server
    openers = [_session(base) for _ in range(5)]
    with ThreadPoolExecutor(max_workers=25) as pool:
        nummers = list(pool.map(lambda i: _submit(openers[i % 5], base, i), range(50)))
    assert len(set(nummers)) == 50
    assert app.extensions["klachtsheet"].writer.wait_idle(120)
    found = rows(register_path)
    assert len(found) == 50
    assert {r["Nummer"] for r in found} == set(nummers)
    assert {r["Deelnemer"] for r in found} == {f"Deelnemer {i}" for i in range(50)}
    assert len(rows(register_path, "Logboek")) == 50


def test_responses_from_waitress_carry_the_headers(live_server):
    base, _ = live_server
    with urllib.request.urlopen(f"{base}/", timeout=30) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Server"] == "waitress" or response.headers["Server"]
