"""The real server (waitress via web/server.py): limits, Dutch 413, atomic code tries, port in use."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import socket
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from klachtsheet.exceptions import ConfigError
from klachtsheet.web import MAX_CONTENT_LENGTH, create_app, secret_entropy_bits
from klachtsheet.web.server import make_server
from support.intake import CODE, COMPLAINT, make_config, rows


@pytest.fixture
def served(tmp_path, register_path):
    config = make_config(tmp_path, register_path)
    app = create_app(config, {"KLACHTSHEET_BACKGROUND_WRITER": False})
    server = make_server(app, "127.0.0.1", 0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield app, server.effective_port
    server.close()
    thread.join(5)


def _request(port, method, path, body=b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data.decode("utf-8", "replace")


def test_a_body_over_the_limit_gets_the_dutch_page_with_headers(served):
    _, port = served
    body = b"a=" + b"x" * (MAX_CONTENT_LENGTH + 10)
    response, text = _request(
        port, "POST", "/formulier/telefoondienst",
        body, {"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status == 413
    assert "Te veel tekst" in text and "<html" in text.lower()
    assert response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    # Just under waitress's limit but over the app's: the app's page as well.
    body = b"a=" + b"x" * (MAX_CONTENT_LENGTH - 10)
    response, text = _request(
        port, "POST", "/formulier/telefoondienst", body + b"y" * 20,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status == 413 and "Te veel tekst" in text


def test_idle_connections_do_not_block_the_form(served):
    _, port = served
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(120)]
    try:
        response, _ = _request(port, "GET", "/health")
        assert response.status in (200, 503)
    finally:
        for s in idle:
            s.close()


def test_concurrent_code_guesses_get_exactly_the_allowed_tries(served):
    _, port = served
    pages = []
    for _ in range(40):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("GET", "/formulier/telefoondienst/toegang")
        response = connection.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
        pages.append((connection, cookie, token))
    barrier = threading.Barrier(len(pages))
    statuses: list[int] = []
    texts: list[str] = []
    lock = threading.Lock()

    def guess(connection, cookie, token, n):
        barrier.wait()
        connection.request(
            "POST", "/formulier/telefoondienst/toegang",
            body=f"csrf_token={token}&code=fout-{n}",
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        response = connection.getresponse()
        text = response.read().decode()
        with lock:
            statuses.append(response.status)
            texts.append(text)

    threads = [threading.Thread(target=guess, args=(*p, n)) for n, p in enumerate(pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for connection, _, _ in pages:
        connection.close()
    assert statuses.count(401) == 5
    assert statuses.count(429) == 35
    page = next(t for t, s in zip(texts, statuses, strict=True) if s == 429)
    # Truthful: the window is 15 minutes, and the page says so (not "een kwartier" for 1 min).
    assert "15 minuten" in page or "14 minuten" in page


def test_the_429_page_tells_the_real_wait(tmp_path, register_path):
    config = make_config(tmp_path, register_path)
    app = create_app(
        config,
        {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False,
         "KLACHTSHEET_CODE_LIMIT": "2 per 1 minute", "WTF_CSRF_ENABLED": False},
    )  # fmt: skip
    client = app.test_client()
    codes = [
        client.post("/formulier/telefoondienst/toegang", data={"code": "fout"}).status_code
        for _ in range(3)
    ]
    assert codes == [401, 401, 429]
    page = client.post("/formulier/telefoondienst/toegang", data={"code": CODE})
    assert page.status_code == 429
    assert "1 minuut" in page.text and "kwartier" not in page.text
    assert 1 <= int(page.headers["Retry-After"]) <= 60


def test_a_port_in_use_is_one_dutch_line(served):
    app, port = served
    with pytest.raises(ConfigError, match="al in gebruik"):
        make_server(app, "127.0.0.1", port)


def test_weak_secret_keys_are_refused(tmp_path, register_path):
    assert secret_entropy_bits(" " * 32) == 0
    assert secret_entropy_bits("abc" * 11) < 128
    for weak in (" " * 32, "a" * 64, "abcd" * 10):
        config = make_config(tmp_path, register_path, secret_key=weak)
        with pytest.raises(ConfigError, match="geheime sleutel"):
            create_app(config, {"KLACHTSHEET_BACKGROUND_WRITER": False})


def test_redirects_never_use_the_host_header(tmp_path, register_path):
    config = make_config(tmp_path, register_path)
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    client = app.test_client()
    response = client.get("/formulier/telefoondienst", headers={"Host": "evil.example"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/")
    assert "evil" not in response.headers["Location"]


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


def test_serve_on_a_port_in_use_prints_one_line_and_no_banner(tmp_path, register_path, monkeypatch):
    from click.testing import CliRunner

    from klachtsheet.cli import cli

    monkeypatch.setenv("KLACHTSHEET_SECRET_KEY", "kT3vQ9xLm2Rb7NwY4pHs8FdJ6cGa1ZeU5oXi0WqBn7Vr")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["--register", str(register_path), "serve", "--poort", str(port)]
        )
    assert result.exit_code == 1
    assert "bereikbaar op" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        f"Fout: Poort {port} op 127.0.0.1 is al in gebruik; kies een andere met --poort of "
        "stop het programma dat hem gebruikt"
    ]
