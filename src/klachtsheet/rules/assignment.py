"""Who handles a complaint: the location coordinator, else the region's, else a message."""

from __future__ import annotations

from dataclasses import dataclass

from klachtsheet import schema
from klachtsheet.categories import normalise
from klachtsheet.model import Table


@dataclass(frozen=True)
class Location:
    """One row of the Locaties tab."""

    name: str
    region: str = ""
    coordinator: str = ""
    email: str = ""
    region_coordinator: str = ""
    region_email: str = ""


@dataclass(frozen=True)
class Assignment:
    """The coordinator chosen for a complaint, or why none could be chosen."""

    name: str = ""
    email: str = ""
    problem: str = ""


class Locations:
    """The Locaties tab, indexed by location name and by coordinator name."""

    def __init__(self, locations: list[Location]) -> None:
        self.locations = locations
        self._by_name: dict[str, Location] = {}
        self._emails: dict[str, str] = {}
        self._found: dict[str, Location | None] = {}
        self._typed: dict[str, Assignment] = {}
        for location in locations:
            self._by_name.setdefault(normalise(location.name), location)
            for person, email in (
                (location.coordinator, location.email),
                (location.region_coordinator, location.region_email),
            ):
                if person.strip() and email.strip():
                    self._emails.setdefault(normalise(person), email.strip())

    @classmethod
    def from_table(cls, table: Table | None) -> Locations:
        """Read the Locaties tab (the seed's example locations when the tab is missing)."""
        if table is None:
            return cls([Location(*row) for row in schema.SEED_LOCATIONS])
        header = schema.LOCATIES.header
        result = []
        for record in table.records():
            name = record.get(header("locatie"), "").strip()
            if name:
                result.append(
                    Location(
                        name=name,
                        region=record.get(header("regio"), "").strip(),
                        coordinator=record.get(header("locatiecoordinator"), "").strip(),
                        email=record.get(header("email"), "").strip(),
                        region_coordinator=record.get(header("regiocoordinator"), "").strip(),
                        region_email=record.get(header("email_regio"), "").strip(),
                    )
                )
        return cls(result)

    def find(self, name: str) -> Location | None:
        """Return the location that text means, or None when it is unknown."""
        if not name.strip():
            return None
        if name not in self._found:
            self._found[name] = self._by_name.get(normalise(name))
        return self._found[name]

    def email_of(self, person: str) -> str:
        """Return the e-mail address of a coordinator named in Locaties, or ''."""
        return self._emails.get(normalise(person), "")

    def typed(self, person: str) -> Assignment:
        """Return the assignment of a coordinator a person typed in (few names, many rows)."""
        found = self._typed.get(person)
        if found is None:
            found = self._typed[person] = Assignment(person, self.email_of(person))
        return found


def coordinator_for(location: Location | None) -> Assignment:
    """Return the location coordinator, else the region coordinator of a known location."""
    if location is None:
        return Assignment()
    if location.coordinator:
        return Assignment(location.coordinator, location.email)
    if location.region_coordinator:
        return Assignment(location.region_coordinator, location.region_email)
    return Assignment(
        problem=(
            f"Locatie '{location.name}' heeft geen locatie- of regiocoördinator: "
            "vul die in op het tabblad Locaties"
        )
    )


def confidant_for(name: str, email: str) -> Assignment:
    """Return the vertrouwenspersoon from Instellingen, who handles confidential complaints."""
    if not name.strip():
        return Assignment(
            problem=(
                "Vertrouwelijke melding, maar de instelling 'Vertrouwenspersoon' is leeg: "
                "vul die in op het tabblad Instellingen"
            )
        )
    return Assignment(name.strip(), email.strip())
