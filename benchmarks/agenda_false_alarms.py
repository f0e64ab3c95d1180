"""Benchmark: how often the agenda flags 'duidelijk meer dan gewoonlijk' when nothing changed.

Simulates registers whose rates never change (every period, every category and location
has the same expected count), builds the real agenda for each (klachtsheet's own
build_agenda, so categories and locations are tested together as on paper) and prints
the share of agendas with at least one flag (the false-alarm rate per agenda) and the
share of groups flagged (per group), per scenario. For comparison it also prints the old
test (Poisson tail against the earlier mean taken as the true rate, p < 0.05, at least
3 complaints, no correction across groups).

Run: python benchmarks/agenda_false_alarms.py [agendas per scenario] [seed]
"""

from __future__ import annotations

import math
import random
import sys
from datetime import date, timedelta

from klachtsheet import schema
from klachtsheet.model import Table
from klachtsheet.reports.agenda import build_agenda
from klachtsheet.reports.trend import FALSE_DISCOVERY_RATE, Trend

MEETING = date(2026, 11, 26)
PERIOD_DAYS = 28
CATEGORIES = [row[0] for row in schema.SEED_CATEGORIES if row[2].lower() != "ja"]
LOCATIONS = [row[0] for row in schema.SEED_LOCATIONS]

# (name, complaints per period in all, earlier periods with data)
SCENARIOS = [
    ("klein: 12 per periode, 6 perioden terug", 12, 6),
    ("gewoon: 30 per periode, 6 perioden terug", 30, 6),
    ("groot: 80 per periode, 6 perioden terug", 80, 6),
    ("nieuw register: 30 per periode, 2 perioden terug", 30, 2),
]


def poisson(rng: random.Random, mean: float) -> int:
    """Draw from a Poisson distribution (Knuth; means here are small)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def weights(names: list[str], rng: random.Random) -> list[float]:
    """Uneven but fixed shares: a few large groups and many small ones (like a real register)."""
    raw = [1 / (i + 1) for i in range(len(names))]
    rng.shuffle(raw)
    total = sum(raw)
    return [w / total for w in raw]


def register(rng: random.Random, per_period: float, history: int, cat_w, loc_w) -> Table:
    """Return a Klachten table with constant rates over ``history`` + 1 periods."""
    headers = schema.KLACHTEN.headers
    index = {c.key: headers.index(c.header) for c in schema.KLACHTEN.columns}
    rows = []
    start = MEETING - timedelta(days=PERIOD_DAYS * (history + 1))
    # The register starts on the first day of the oldest period, so exactly
    # ``history`` earlier periods count (a row on day 0 fixes the start).
    days = PERIOD_DAYS * (history + 1)
    count = poisson(rng, per_period * (history + 1))
    for n in range(count + 1):
        day = start if n == 0 else start + timedelta(days=rng.randrange(days))
        row = [""] * len(headers)
        row[index["nummer"]] = f"S-{n}"
        row[index["ontvangen_op"]] = f"{day:%d-%m-%Y}"
        row[index["soort"]] = "Klacht"
        row[index["categorie"]] = rng.choices(CATEGORIES, cat_w)[0]
        row[index["locatie"]] = rng.choices(LOCATIONS, loc_w)[0]
        rows.append(tuple(row))
    return Table(schema.KLACHTEN_TAB, headers, tuple(rows))


def old_flag(trend: Trend) -> bool:
    """The test the agenda used before: Poisson tail against the earlier mean (floor 0.5)."""
    if not trend.previous:
        return False
    rate = max(sum(trend.previous) / len(trend.previous), 0.5)
    tail = 1 - sum(math.exp(-rate) * rate**k / math.factorial(k) for k in range(trend.current))
    return trend.current >= 3 and tail < 0.05


def main() -> None:
    agendas = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    rng = random.Random(seed)
    print(f"{agendas} agenda's per scenario, niets veranderd; seed {seed}; "
          f"fout-ontdekkingsgraad {FALSE_DISCOVERY_RATE:.0%}")  # fmt: skip
    head = (f"{'scenario':<50} {'groepen':>8} {'vals alarm/agenda':>18} {'per groep':>10}"
            f" {'oud/agenda':>11} {'oud/groep':>10}")  # fmt: skip
    print(head)
    print("-" * len(head))
    overall_agendas = overall_alarms = 0
    for name, per_period, history in SCENARIOS:
        cat_w, loc_w = weights(CATEGORIES, rng), weights(LOCATIONS, rng)
        alarms = old_alarms = flagged = old_flagged = groups = 0
        for _ in range(agendas):
            table = register(rng, per_period, history, cat_w, loc_w)
            agenda = build_agenda(
                {schema.KLACHTEN_TAB: table},
                meeting=MEETING,
                since=MEETING - timedelta(days=PERIOD_DAYS),
            )
            assert len(agenda.history) == history, (len(agenda.history), history)
            trends = [*agenda.categories, *agenda.locations]
            groups += len(trends)
            flagged += len(agenda.rising)
            alarms += bool(agenda.rising)
            old = [t for t in trends if old_flag(t)]
            old_flagged += len(old)
            old_alarms += bool(old)
        overall_agendas += agendas
        overall_alarms += alarms
        print(
            f"{name:<50} {groups / agendas:>8.1f} {alarms / agendas:>18.1%} "
            f"{flagged / groups:>10.2%} {old_alarms / agendas:>11.1%} {old_flagged / groups:>10.2%}"
        )
    print("-" * len(head))
    label = "alle scenario's samen"
    print(f"{label:<50} {'':>8} {overall_alarms / overall_agendas:>18.1%}")


if __name__ == "__main__":
    main()
