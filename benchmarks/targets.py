"""Issue 17's targets, checked against one run of benchmarks/local_register.py.

Each target is judged twice:
- as set: the figure against the number in the issue (seconds, MB, a ratio);
- at this run's speed: these machines vary by a third from hour to hour, so the new path
  is also compared with the openpyxl path measured in the same run. The issue measured
  that path too ("today"); a target of 0.25 s where today was 1.23 s asks for at most
  0.25 / 1.23 of the old time. Only where the old path ran at that size, and never for
  memory, which does not vary with the machine's speed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

# (operation, rows) -> (old, new, limit) figures of one run; None where not measured.
Results = Mapping[tuple[str, int], tuple[dict | None, dict | None, dict | None]]


@dataclass(frozen=True)
class Target:
    """One target of the issue: a figure of one operation at one size."""

    what: str
    operation: str
    rows: int
    figure: Callable[[dict, dict | None], float]  # (new figures, limit figures) -> value
    at_most: float
    unit: str
    today: float | None = None  # the old path's figure in the issue, same unit


def _wall(new: dict, _: dict | None) -> float:
    return float(new["wall"])


def _inside(new: dict, _: dict | None) -> float:
    return float(new["seconds"])


def _peak(new: dict, _: dict | None) -> float:
    return float(new["peak_mb"])


def _to_limit(new: dict, limit: dict | None) -> float:
    return float(new["wall"]) / float(limit["wall"]) if limit else float("nan")


SYNC_FIRST, SYNC_AGAIN = "sync first run (process)", "sync nothing to do"
PLAN_FRESH, PLAN_AGAIN = "plan(), fresh process", "plan(), called again"
AGENDA, APPEND = "agenda end to end", "append 1 row, warm process"

TARGETS = (
    Target("sync, first run", SYNC_FIRST, 10_000, _wall, 2.0, "s", 12.0),
    Target("sync, nothing to do", SYNC_AGAIN, 10_000, _wall, 1.0, "s", 6.5),
    Target("sync, nothing to do / limit", SYNC_AGAIN, 10_000, _to_limit, 2.0, "x"),
    Target("sync, first run", SYNC_FIRST, 50_000, _wall, 10.0, "s", 71.0),
    Target("sync, first run, peak", SYNC_FIRST, 50_000, _peak, 400.0, "MB"),
    Target("sync, nothing to do / limit", SYNC_AGAIN, 50_000, _to_limit, 2.0, "x"),
    Target("form append", APPEND, 10_000, _inside, 0.100, "s", 2.352),
    Target("agenda, end to end", AGENDA, 50_000, _wall, 3.0, "s", 40.0),
    Target("agenda, end to end / limit", AGENDA, 50_000, _to_limit, 2.0, "x"),
    # The issue does not say whether its 1.23 s was plan()'s first call in its process or a
    # later one: each of the two is compared with the old path's call of the same kind.
    Target("plan(), fresh process", PLAN_FRESH, 10_000, _inside, 0.25, "s", 1.23),
    Target("plan(), called again", PLAN_AGAIN, 10_000, _inside, 0.25, "s", 1.23),
)


def _verdict(ok: bool) -> str:
    return "ja" if ok else "NEE"


def lines(results: Results) -> list[str]:
    """Return the table of targets: measured, as set, and at this run's speed."""
    out = [
        f"{'target':<30} {'rows':>6} | {'measured':>10} | {'as set':>12} | "
        f"{'new / old in this run':>22} {'needed':>7}",
    ]
    for target in TARGETS:
        old, new, limit = results.get((target.operation, target.rows), (None, None, None))
        if new is None or "error" in new:
            out.append(f"{target.what:<30} {target.rows:>6} | {'-':>10} | (not measured)")
            continue
        value = target.figure(new, limit)
        relative = ""
        if target.today is not None and old is not None and "error" not in old:
            ratio = value / target.figure(old, None)
            needed = target.at_most / target.today
            relative = f"{ratio:>17.3f} {_verdict(ratio <= needed):>4} {needed:>7.3f}"
        out.append(
            f"{target.what:<30} {target.rows:>6} | {value:>7.3f} {target.unit:<2} | "
            f"<= {target.at_most:<6g} {_verdict(value <= target.at_most):>3} | {relative}"
        )
    fresh = [results.get((PLAN_FRESH, size), (None, None, None))[1] for size in (10_000, 50_000)]
    if all(f is not None and "error" not in f for f in fresh):
        small, large = (
            f["seconds"] / size * 1e6 for f, size in zip(fresh, (10_000, 50_000), strict=True)
        )
        out.append(
            f"plan() per row, fresh: {small:.1f} us at 10k, {large:.1f} us at 50k "
            f"(linear when about equal: {large / small:.2f})"
        )
    return out
