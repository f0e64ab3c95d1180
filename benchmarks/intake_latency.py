"""Submission latency of the form server with 1k and 5k rows in the local register.

Runs the real app on waitress (127.0.0.1, free port) with the background writer, sends
sequential submissions over HTTP and times each POST until its redirect (the submission is
fsync'd in the queue journal by then). Also reports how long the writer needs until every
submission is in the register, and what a direct (unqueued) register append would cost.

    python benchmarks/intake_latency.py [--submissions 60]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import secrets
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import waitress
from werkzeug.security import generate_password_hash

from klachtsheet import schema
from klachtsheet.config import Config, ServerConfig
from klachtsheet.register.local import LocalRegister
from klachtsheet.web import create_app

CODE = "benchmark-code"
VALUES = {
    "ingevoerd_door": "Mia de Boer", "kanaal": "Telefoon", "soort": "Klacht",
    "deelnemer": "Mevrouw T. Jansen", "locatie": "Utrecht", "categorie": "Niet ophalen",
    "omschrijving": "Niemand kwam haar ophalen; ze heeft een uur gewacht.",
    "opgelost_1e_lijn": "Nee", "bevestiging_via": "Telefoon", "telefoon": "030 123 4567",
}  # fmt: skip


def make_register(path: Path, size: int) -> None:
    register = LocalRegister(path)
    register.ensure_layout(schema.EXAMPLE_TABS)  # with Locaties, as a real register has
    rows = [
        {"Ontvangen op": "01-10-2026 10:00", "Kanaal": "Telefoon", "Soort": "Klacht",
         "Deelnemer": f"Deelnemer {i}", "Locatie": "Utrecht", "Categorie": "Overig",
         "Omschrijving": "Een omschrijving van redelijke lengte " * 3, "Status": "Nieuw"}
        for i in range(size)
    ]  # fmt: skip
    register.append(schema.KLACHTEN_TAB, rows)


def serve(app):
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def close() -> None:
        stop.set()
        thread.join(5)
        server.close()

    return f"http://127.0.0.1:{server.effective_port}", close


def hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf_token|inzending)" value="([^"]+)"', page))


def run(size: int, submissions: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        register_path = folder / "klachtenregister.xlsx"
        make_register(register_path, size)
        start = time.perf_counter()
        LocalRegister(register_path).append(schema.LOGBOEK_TAB, [{"Nummer": "x"}])
        direct = time.perf_counter() - start
        config = Config(
            register=str(register_path),
            confidential_register=str(folder / "vertrouwelijk.xlsx"),
            queue_dir=folder / "wachtrij",
            # A random key: the app refuses a weak one, as it must in production.
            server=ServerConfig(secret_key=secrets.token_urlsafe(48), secure_cookies=False,
                                access_codes={"telefoondienst": generate_password_hash(CODE)}),
        )  # fmt: skip
        app = create_app(config, {"KLACHTSHEET_SUBMIT_LIMIT": "100000 per minute"})
        desk = app.extensions["klachtsheet"]
        desk.writer.refresh()  # the server reads the register once at start-up
        base, close = serve(app)
        try:
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            )
            page = opener.open(f"{base}/formulier/telefoondienst/toegang").read().decode()
            body = urllib.parse.urlencode({**hidden(page), "code": CODE}).encode()
            opener.open(f"{base}/formulier/telefoondienst/toegang", body).read()
            latencies = []
            first = None
            for i in range(submissions):
                page = opener.open(f"{base}/formulier/telefoondienst").read().decode()
                body = urllib.parse.urlencode(
                    {**VALUES, **hidden(page), "deelnemer": f"Benchmark {i}"}
                ).encode()
                request = urllib.request.Request(f"{base}/formulier/telefoondienst", body)  # noqa: S310
                start = time.perf_counter()
                first = first or start
                with opener.open(request) as response:  # follows the redirect to the Nummer
                    response.read()
                latencies.append(time.perf_counter() - start)
            assert desk.writer.wait_idle(600), "writer did not drain"
            drained = time.perf_counter() - first
            written = len(LocalRegister(register_path).read(["Klachten"])["Klachten"].rows)
            assert written == size + submissions, (written, size, submissions)
        finally:
            close()
            desk.writer.stop()
    latencies.sort()
    return {
        "median": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "max": latencies[-1] * 1000,
        "drain": drained,
        "direct": direct * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--sizes", default="1000,5000")
    args = parser.parse_args()
    print(f"{args.submissions} sequential submissions per size (POST + redirect page)")
    print(f"{'rows':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
          f"{'all in register s':>18} {'direct append ms':>17}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        r = run(size, args.submissions)
        print(f"{size:>6} {r['median']:>10.1f} {r['p95']:>8.1f} {r['max']:>8.1f} "
              f"{r['drain']:>18.1f} {r['direct']:>17.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
