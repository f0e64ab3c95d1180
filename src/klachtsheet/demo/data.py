"""Generate a year of fictional complaints: names, places and a planted trend, all made up."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from klachtsheet import nummer, schema
from klachtsheet.model import Complaint, format_date
from klachtsheet.privacy.confidential import stub
from klachtsheet.workdays import add_working_days

SEED = 4_2026
DAYS = 365
COUNT = 420
TERM = 10  # working days, the Instellingen default

SETTINGS = {
    "organisatie": "Stichting Vier het Leven (demo)",
    "vertrouwenspersoon": "Vera Vertrouwd (fictief)",
    "email_vertrouwenspersoon": "vertrouwenspersoon@voorbeeld.nl",
    "email_telefoondienst": "telefoondienst@voorbeeld.nl",
    "telefoon_organisatie": "0000-000000",
}

FIRST_NAMES = (
    "Truus", "Bep", "Mien", "Riet", "Corrie", "Annie", "Jo", "Gerda", "Nel", "Toos",
    "Gerrit", "Kees", "Wim", "Henk", "Jan", "Piet", "Sjaak", "Harm",
)  # fmt: skip
SURNAMES = (
    "Verzonnen", "Bedacht", "Demostra", "Testema", "Probeersma", "Oefenaar", "Fictief",
    "Voorbeeld", "Denkbeeld", "Verdichtsel", "Fantasie", "Proefstra",
)  # fmt: skip
STREETS = ("Verzinselstraat", "Demolaan", "Proefweg", "Oefenhof", "Voorbeeldplein")
STAFF = (
    ("Ans Invoerder (fictief)", "ans.invoerder@voorbeeld.nl"),
    ("Joop Balie (fictief)", "joop.balie@voorbeeld.nl"),
    ("Wil Telefoon (fictief)", "wil.telefoon@voorbeeld.nl"),
)
VOLUNTEERS = (
    ("Kees Chauffeur (fictief)", "kees.chauffeur@example.org"),
    ("Lies Begeleider (fictief)", "lies.begeleider@example.org"),
)
ACTIVITIES = (
    "Concert in de schouwburg", "Toneelvoorstelling", "Film in het filmhuis", "Museumbezoek",
    "Cabaret", "Musical", "Operette", "Koorconcert",
)  # fmt: skip

# Category, relative weight, example descriptions (invented).
CATEGORIES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    (
        "Tijdstip ophalen",
        9,
        (
            "Werd een uur te vroeg opgehaald en moest lang wachten.",
            "Ophaaltijd was veel te krap voor de voorstelling.",
        ),
    ),
    (
        "Niet ophalen",
        7,
        (
            "Niemand kwam mij ophalen, ik heb de hele avond gewacht.",
            "De chauffeur is mij vergeten.",
        ),
    ),
    (
        "Te laat of niet gebeld m.b.t. ophaaltijd",
        7,
        ("Niet gebeld over de ophaaltijd.", "Pas op de dag zelf gebeld."),
    ),
    ("Het niet ontvangen van een reservering", 5, ("Geen bevestiging van de reservering.",)),
    ("Een foutieve reservering", 5, ("Reservering stond op de verkeerde datum.",)),
    ("Slechte plekken theater", 6, ("Zat helemaal achterin en kon niets zien.",)),
    ("Geluid theaters", 5, ("Slecht verstaanbaar, ook met gehoorapparaat.",)),
    ("Bereikbaarheid theaters", 4, ("Lange trap zonder leuning bij de ingang.",)),
    ("Voorstelling valt tegen", 4, ("De voorstelling was anders dan aangekondigd.",)),
    ("Pauze: geen koffie, thee, pauze te kort", 4, ("Geen koffie in de pauze.",)),
    ("Een klacht m.b.t. een vrijwilliger", 3, ("De begeleider was onvriendelijk.",)),
    ("Een klacht m.b.t. een mede-deelnemer", 2, ("Een medereiziger was erg luidruchtig.",)),
    ("Geen of foutieve (financiële) boeking", 3, ("Twee keer afgeschreven voor één avond.",)),
    ("Verlies, vermissing of diefstal", 2, ("Mijn tas is kwijt na de voorstelling.",)),
    ("Overig", 3, ("Vraag over de nieuwsbrief.",)),
)
RISING = "Te laat of niet gebeld m.b.t. ophaaltijd"  # planted trend in the last four weeks
CONFIDENTIAL_CATEGORY = "Vrijwilliger met een klacht"
# Theatre season: more outings, so more complaints, in autumn and winter.
MONTH_WEIGHT = (1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.7, 0.8, 1.0, 1.0, 1.0, 1.0)
SATISFACTION = ("Tevreden",) * 6 + ("Deels tevreden",) * 2 + ("Niet tevreden", "Niet bereikt")
DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december")  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    """Where the demo put everything."""

    folder: Path
    config_file: Path
    register: Path
    confidential_register: Path
    outbox: Path
    agenda: tuple[Path, ...]
    complaints: int
    confidential: int
    sync_note: str
    year: int
    access_code: str = ""


@dataclass(frozen=True)
class DemoData:
    """The generated rows: Klachten rows for the shared register, full confidential rows."""

    shared: tuple[dict[str, str], ...]
    confidential: tuple[dict[str, str], ...]


# -- generating -------------------------------------------------------------------------------


class _Generator:
    """Draws fictional complaints from one seeded random source."""

    def __init__(self, today: date, seed: int = SEED) -> None:
        self.today = today
        self.rng = random.Random(seed)  # noqa: S311 -- fictional data, seeded on purpose
        self.nummers: set[str] = set()
        self.locations = [dict(zip(schema.LOCATIES.headers, r, strict=True))
                          for r in schema.SEED_LOCATIONS]  # fmt: skip

    def nummer(self, received: date) -> str:
        # Like nummer.new_nummer, but from the seeded source so every run is the same.
        while True:
            year = f"{received.year % 100:02d}"
            body = f"{self.rng.randrange(100_000):05d}"
            candidate = f"{year}-{body[:3]}-{body[3:]}{nummer.check_digit(year + body)}"
            if candidate not in self.nummers:
                self.nummers.add(candidate)
                return candidate

    def day(self) -> date:
        while True:
            day = self.today - timedelta(days=self.rng.randrange(DAYS))
            if self.rng.random() < MONTH_WEIGHT[day.month - 1] / max(MONTH_WEIGHT):
                return day

    def person(self) -> dict[str, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
        n = self.rng.randrange(10_000)
        has_mail = self.rng.random() < 0.45
        domain = self.rng.choice(("voorbeeld.nl", "example.org"))
        return {
            "deelnemer": f"{first} {last}",
            "deelnemernummer": f"D-{self.rng.randrange(100_000):05d}",
            "telefoon": f"06-0000{n:04d}",
            "email_deelnemer": f"{first.lower()}.{last.lower()}@{domain}" if has_mail else "",
            "adres": f"{self.rng.choice(STREETS)} {self.rng.randrange(1, 200)}, 0000 ZZ Verzinstad",
            "bevestiging_via": "E-mail" if has_mail else self.rng.choice(("Brief", "Telefoon")),
        }

    def category(self) -> tuple[str, str]:
        names = [c[0] for c in CATEGORIES]
        name = self.rng.choices(names, weights=[c[1] for c in CATEGORIES])[0]
        descriptions = next(c[2] for c in CATEGORIES if c[0] == name)
        return name, self.rng.choice(descriptions)

    def complaint(self, received: date | None = None) -> dict[str, str]:
        """Return one complaint as column key -> value, handled as far as its age allows."""
        received = received or self.day()
        location = self.rng.choice(self.locations)
        category, description = self.category()
        channel = self.rng.choices(schema.KANALEN, weights=(6, 1, 3, 2))[0]
        staff = self.rng.choice(VOLUNTEERS if channel == "Vrijwilliger" else STAFF)
        values = {
            "nummer": self.nummer(received),
            "ontvangen_op": format_date(received),
            "kanaal": channel,
            "ingevoerd_door": staff[0],
            "email_invoerder": staff[1],
            "soort": schema.NAVRAAG if self.rng.random() < 0.18 else schema.KLACHT,
            **self.person(),
            "locatie": location["Locatie"],
            "activiteit": self.rng.choice(ACTIVITIES),
            "datum_activiteit": format_date(received - timedelta(days=self.rng.randrange(1, 6))),
            "categorie": category,
            "vertrouwelijk": schema.NO,
            "omschrijving": description,
        }
        values.update(self._handling(received, values, location))
        return values

    def _handling(self, received: date, values: dict, location: dict) -> dict[str, str]:
        age = (self.today - received).days
        rng = self.rng
        if values["soort"] == schema.NAVRAAG:
            return {"status": schema.AFGEHANDELD, "opgelost_1e_lijn": schema.YES,
                    "oplossing_1e_lijn": "Direct uitgelegd aan de telefoon."}  # fmt: skip
        if values["kanaal"] == "Vrijwilliger" and age <= 3:
            return {"status": schema.NIEUW}  # first line still has to call the participant
        if rng.random() < 0.35:
            closed = min(received + timedelta(days=rng.randrange(0, 3)), self.today)
            return {"status": schema.OPGELOST_1E_LIJN, "opgelost_1e_lijn": schema.YES,
                    "oplossing_1e_lijn": "Excuses aangeboden en opgelost.",
                    "afgesloten_op": format_date(closed)}  # fmt: skip
        handed = min(add_working_days(received, rng.randrange(0, 3)), self.today)
        result = {"opgelost_1e_lijn": schema.NO, "status": schema.OVERGEDRAGEN,
                  "overgedragen_op": format_date(handed)}  # fmt: skip
        if (self.today - handed).days <= 6:
            return result  # fresh: the sync assigns, sets the deadline and confirms
        deadline = add_working_days(handed, TERM)
        result.update(
            coordinator=location["Locatiecoördinator"] or location["Regiocoördinator"],
            antwoord_uiterlijk=format_date(deadline),
            bevestiging_verstuurd_op=format_date(handed),
            aangifte_geadviseerd=schema.YES if "diefstal" in values["categorie"] else "",
        )
        # Forgotten ones become overdue; most are recent, a rare one lingers for months.
        stuck = rng.random() < (0.08 if age < 90 else 0.005)
        told = handed + timedelta(days=rng.randrange(2, 15) if rng.random() < 0.85
                                  else rng.randrange(15, 35))  # fmt: skip
        if stuck or told >= self.today:
            result["status"] = rng.choice((schema.OVERGEDRAGEN, schema.IN_BEHANDELING))
            return result
        result.update(
            status=schema.TERUGGEKOPPELD,
            teruggekoppeld_deelnemer_op=format_date(told),
            teruggekoppeld_medewerker_op=format_date(told),
        )
        closed = told + timedelta(days=rng.randrange(0, 21))
        if closed < self.today:
            result.update(status=schema.AFGESLOTEN, afgesloten_op=format_date(closed))
            if rng.random() < 0.7:
                result["tevredenheid"] = rng.choice(SATISFACTION)
        return result

    def messy(self) -> list[dict[str, str]]:
        """Return rows as people type them by hand: no Nummer, odd case, typos, odd dates."""
        rows = []
        edits = (
            {"categorie": "niet ophalen", "kanaal": "telefoon"},
            {"categorie": "Ophaaltijd ", "status": "afgesloten"},
            {"categorie": "Geluid theater's"},
            {"categorie": "Parkeren bij het theater"},
            {"categorie": "Parkeren bij het theater"},
            {"categorie": "parkeren bij het  theater"},
            {"categorie": "Rolstoel niet meegenomen", "locatie": "Zwolle"},
            {"locatie": "amsterdam ", "status": "in behandeling"},
            {"ontvangen_op": "iso"},
            {"ontvangen_op": "woorden"},
            {"ontvangen_op": "kort"},
        )
        for change in edits:
            received = self.today - timedelta(days=self.rng.randrange(3, 150))
            row = self.complaint(received)
            for key in ("nummer", "coordinator", "antwoord_uiterlijk", "bevestiging_verstuurd_op"):
                row[key] = ""
            row.update(change)
            if change.get("ontvangen_op") == "iso":
                row["ontvangen_op"] = received.isoformat()
            elif change.get("ontvangen_op") == "woorden":
                row["ontvangen_op"] = (
                    f"{received.day} {DUTCH_MONTHS[received.month - 1]} {received.year}"
                )
            elif change.get("ontvangen_op") == "kort":
                row["ontvangen_op"] = f"{received.day}/{received.month}/{received.year % 100:02d}"
            rows.append(row)
        return rows

    def confidential(self, count: int) -> list[dict[str, str]]:
        rows = []
        for index in range(count):
            # Two recent ones, so the agenda shows confidential counts.
            recent = self.today - timedelta(days=self.rng.randrange(1, 20)) if index < 2 else None
            row = self.complaint(recent)
            row.update(
                categorie=self.rng.choice(
                    (CONFIDENTIAL_CATEGORY, "Een klacht m.b.t. een vrijwilliger")
                ),
                vertrouwelijk=schema.YES,
                omschrijving="Vertrouwelijke melding (verzonnen voor de demo).",
            )
            if row.get("coordinator"):
                row["coordinator"] = SETTINGS["vertrouwenspersoon"]
            rows.append(row)
        return rows


def generate(today: date, *, count: int = COUNT, seed: int = SEED) -> DemoData:
    """Return the demo's rows as Dutch header -> value mappings."""
    gen = _Generator(today, seed)
    regular = [gen.complaint() for _ in range(count)]
    # The planted trend: extra late or missing phone calls in the last four weeks.
    for _ in range(8):
        row = gen.complaint(today - timedelta(days=gen.rng.randrange(1, 28)))
        row["categorie"] = RISING
        regular.append(row)
    secret = gen.confidential(5)
    messy = gen.messy()
    stubs = [stub(Complaint.of(row)).to_mapping() for row in secret]
    shared = [*(_headers(r) for r in regular), *stubs]
    shared.sort(key=lambda r: _sort_key(r.get("Ontvangen op", "")))
    # Hand-typed rows sit wherever someone added them: at the bottom.
    shared.extend(_headers(r) for r in messy)
    return DemoData(tuple(shared), tuple(_headers(r) for r in secret))


def _headers(values: dict[str, str]) -> dict[str, str]:
    return {schema.KLACHTEN.header(k): v for k, v in values.items()}


def _sort_key(text: str) -> tuple:
    parts = text.split("-")
    return tuple(reversed(parts)) if len(parts) == 3 else (text,)
