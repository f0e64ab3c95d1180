"""Discussion points of the agenda: what the figures ask the team to talk about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from klachtsheet import schema

if TYPE_CHECKING:
    from klachtsheet.reports.agenda_figures import Agenda


@dataclass(frozen=True)
class Point:
    """A discussion point: a code the template words, with its values."""

    kind: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def v(self) -> dict[str, Any]:
        return dict(self.values)


def discussion_points(agenda: Agenda) -> list[Point]:
    """Derive the discussion points, most pressing first."""
    points: list[Point] = []
    for kind, rising in (
        ("categorie", agenda.rising_categories),
        ("locatie", agenda.rising_locations),
    ):
        for trend in rising:
            points.append(Point("stijging", (("trend", trend), ("soort", kind))))
    if agenda.overdue_count:
        top = agenda.workload[0]
        points.append(
            Point(
                "te_laat",
                (("aantal", agenda.overdue_count), ("coordinator", top.coordinator),
                 ("bij_coordinator", top.overdue)),
            )
        )  # fmt: skip
    fig, before = agenda.figures, agenda.earlier
    term = fig.within_term.value
    if term is not None and fig.within_term.whole >= 3 and term < 0.8:
        points.append(Point("termijn", (("term", fig.term),)))
    first, first_before = fig.first_line.value, before.first_line.value if before else None
    if (
        first is not None
        and first_before is not None
        and fig.first_line.whole >= 5
        and first_before - first >= 0.15
    ):
        points.append(Point("eerste_lijn", (("nu", first), ("eerder", first_before))))
    slow, slow_before = fig.closure_days.value, before.closure_days.value if before else None
    if (
        slow is not None
        and slow_before is not None
        and fig.closure_days.count >= 3
        and slow >= 1.5 * slow_before + 1
    ):
        points.append(Point("doorlooptijd", (("nu", slow), ("eerder", slow_before))))
    unhappy = fig.satisfaction_share(schema.TEVREDENHEID[2])
    if unhappy.whole >= 4 and (unhappy.value or 0) >= 0.25:
        points.append(Point("ontevreden", (("share", unhappy),)))
    if agenda.proposals:
        names = tuple(p.name for p in agenda.proposals[:3])
        points.append(Point("voorstel", (("aantal", len(agenda.proposals)), ("namen", names))))
    if agenda.undated:
        points.append(Point("zonder_datum", (("aantal", agenda.undated),)))
    if agenda.confidential or agenda.confidential_open:
        points.append(
            Point(
                "vertrouwelijk",
                (("aantal", agenda.confidential), ("open", agenda.confidential_open)),
            )
        )
    return points
