"""The register's layout as data: tabs, Dutch headers, column owners, allowed values, seeds.

This is the one place to change a header. Code refers to columns by their
English key (``KLACHTEN.header("nummer")``), users see the Dutch header.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import cached_property

from klachtsheet.helptexts import (
    AGENDA_HELP,
    CATEGORIEEN_HELP,
    INSTELLINGEN_HELP,
    KLACHTEN_HELP,
    LOCATIES_HELP,
    LOGBOEK_HELP,
)
from klachtsheet.seeds import NO, SEED_CATEGORIES, SEED_LOCATIONS, YES

# Re-exported: the settings of the Instellingen tab are part of the layout.
from klachtsheet.settings import POLICE_EXCEPTIONS as POLICE_EXCEPTIONS
from klachtsheet.settings import POLICE_PHRASES as POLICE_PHRASES
from klachtsheet.settings import SETTINGS as SETTINGS
from klachtsheet.settings import Setting as Setting
from klachtsheet.tabs import AGENDA_TAB as AGENDA_TAB
from klachtsheet.tabs import CATEGORIEEN_TAB as CATEGORIEEN_TAB
from klachtsheet.tabs import INSTELLINGEN_TAB as INSTELLINGEN_TAB
from klachtsheet.tabs import KLACHTEN_TAB as KLACHTEN_TAB
from klachtsheet.tabs import LOCATIES_TAB as LOCATIES_TAB
from klachtsheet.tabs import LOGBOEK_TAB as LOGBOEK_TAB


class RegisterKind(StrEnum):
    """Which of the two registers: the shared one, or the confidential one (few may open it).

    The values are the Dutch words used in labels, Logboek lines and the access-request export.
    """

    SHARED = "gedeeld"
    CONFIDENTIAL = "vertrouwelijk"


SHARED, CONFIDENTIAL = RegisterKind.SHARED, RegisterKind.CONFIDENTIAL


class Owner(Enum):
    """Who writes a column: the form once, people, or the sync."""

    FORM = "formulier"
    PEOPLE = "mensen"
    SYNC = "sync"


@dataclass(frozen=True)
class Column:
    """One column of a tab."""

    key: str
    header: str
    owner: Owner = Owner.PEOPLE
    allowed: tuple[str, ...] = ()
    # Choices taken live from another tab: (tab name, header).
    choices_from: tuple[str, str] | None = None
    is_date: bool = False
    # Personal data: blanked by retention and erasure, never logged.
    personal: bool = False
    # The sync may fill the cell while it is empty, and never overwrites it.
    sync_fills_empty: bool = False
    help: str = ""


@dataclass(frozen=True)
class Tab:
    """One tab (worksheet) of the register."""

    name: str
    columns: tuple[Column, ...]
    seed_rows: tuple[tuple[str, ...], ...] = field(default=())
    help: str = ""
    # Rows are identified by a unique Nummer: appends allocate one and skip a Nummer already
    # present. Logboek also has a Nummer column, but many rows per Nummer.
    keyed_by_nummer: bool = False

    @cached_property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    # Looked up for every cell the sync checks: indexes built once (the first column wins).
    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {c.key: c for c in reversed(self.columns)}

    @cached_property
    def _by_header(self) -> dict[str, Column]:
        return {c.header: c for c in reversed(self.columns)}

    def column(self, key: str) -> Column:
        """Return the column with this key."""
        return self._by_key[key]

    def header(self, key: str) -> str:
        """Return the Dutch header of the column with this key."""
        return self.column(key).header

    def by_header(self, header: str) -> Column | None:
        """Return the column with this header, or None for a column people added."""
        return self._by_header.get(header)


YES_NO = (YES, NO)

KANALEN = ("Telefoon", "Post", "E-mail", "Vrijwilliger")
KLACHT, NAVRAAG = "Klacht", "Navraag"
SOORTEN = (KLACHT, NAVRAAG)

NIEUW = "Nieuw"
OPGELOST_1E_LIJN = "Opgelost 1e lijn"
OVERGEDRAGEN = "Overgedragen"
IN_BEHANDELING = "In behandeling"
TERUGGEKOPPELD = "Teruggekoppeld"
AFGESLOTEN = "Afgesloten"
AFGEHANDELD = "Afgehandeld"
STATUSSEN = (
    NIEUW,
    OPGELOST_1E_LIJN,
    OVERGEDRAGEN,
    IN_BEHANDELING,
    TERUGGEKOPPELD,
    AFGESLOTEN,
    AFGEHANDELD,
)
# A complaint in one of these states needs nothing more from anyone.
CLOSED_STATUSES = (OPGELOST_1E_LIJN, AFGESLOTEN, AFGEHANDELD)

BEVESTIGING_VIA = ("E-mail", "Brief", "Telefoon")
TEVREDENHEID = ("Tevreden", "Deels tevreden", "Niet tevreden", "Niet bereikt")


F, P, S = Owner.FORM, Owner.PEOPLE, Owner.SYNC


def _helped(columns: tuple[Column, ...], texts: dict[str, str]) -> tuple[Column, ...]:
    """Give each column without a help text the sentence from ``texts`` (the handleiding's)."""
    return tuple(c if c.help else replace(c, help=texts.get(c.key, "")) for c in columns)


KLACHTEN = Tab(
    KLACHTEN_TAB,
    _helped(
        (
            Column(
                "nummer",
                "Nummer",
                F,
                sync_fills_empty=True,
                help="Vast nummer van de melding; noem dit aan de telefoon.",
            ),
            Column("ontvangen_op", "Ontvangen op", F, is_date=True),
            Column("kanaal", "Kanaal", F, allowed=KANALEN),
            Column("ingevoerd_door", "Ingevoerd door", F, personal=True),
            Column("email_invoerder", "E-mail invoerder", F, personal=True),
            Column("soort", "Soort", F, allowed=SOORTEN),
            Column("deelnemer", "Deelnemer", F, personal=True),
            Column(
                "aanhef",
                "Aanhef",
                F,
                personal=True,
                help="Hoe de brief begint, bijvoorbeeld 'Geachte mevrouw De Boer'; leeg: uit de naam.",
            ),
            Column("deelnemernummer", "Deelnemernummer", F, personal=True),
            Column("telefoon", "Telefoon", F, personal=True),
            Column("email_deelnemer", "E-mail deelnemer", F, personal=True),
            Column("adres", "Adres", F, personal=True),
            Column("bevestiging_via", "Bevestiging via", F, allowed=BEVESTIGING_VIA),
            Column("locatie", "Locatie", F, choices_from=(LOCATIES_TAB, "Locatie")),
            Column("activiteit", "Activiteit", F),
            Column("datum_activiteit", "Datum activiteit", F, is_date=True),
            Column("categorie", "Categorie", F, choices_from=(CATEGORIEEN_TAB, "Categorie")),
            Column(
                "vertrouwelijk",
                "Vertrouwelijk",
                F,
                allowed=YES_NO,
                help="Ja: de melding staat in het aparte vertrouwelijke register.",
            ),
            Column("omschrijving", "Omschrijving", F, personal=True),
            Column("opgelost_1e_lijn", "Opgelost in 1e lijn", F, allowed=YES_NO),
            Column("oplossing_1e_lijn", "Oplossing 1e lijn", F, personal=True),
            Column("status", "Status", P, allowed=STATUSSEN),
            Column("coordinator", "Coördinator", P, sync_fills_empty=True),
            Column("overgedragen_op", "Overgedragen op", P, is_date=True),
            Column("antwoord_uiterlijk", "Antwoord uiterlijk", S, is_date=True),
            Column("bevestiging_verstuurd_op", "Bevestiging verstuurd op", S, is_date=True),
            Column(
                "aangifte_geadviseerd",
                "Aangifte geadviseerd",
                S,
                allowed=YES_NO,
                sync_fills_empty=True,
                help="Ja of Nee van een mens gaat altijd voor; leeg: de sync beslist.",
            ),
            Column("teruggekoppeld_deelnemer_op", "Teruggekoppeld deelnemer op", P, is_date=True),
            Column(
                "teruggekoppeld_medewerker_op",
                "Teruggekoppeld medewerker op",
                P,
                is_date=True,
                sync_fills_empty=True,
                help="De sync vult dit in als hij de medewerker 1e lijn de oplossing mailt.",
            ),
            Column(
                "oplossing",
                "Oplossing coördinator",
                P,
                personal=True,
                help="Wat de coördinator met de deelnemer afsprak; gaat mee naar de medewerker 1e lijn.",
            ),
            Column("tevredenheid", "Tevredenheid", P, allowed=TEVREDENHEID),
            Column("afgesloten_op", "Afgesloten op", P, is_date=True),
            Column(
                "zelfde_als",
                "Zelfde als",
                P,
                help="Nummer van een eerdere melding over hetzelfde; telt dan één keer mee.",
            ),
            Column("notities", "Notities", P, personal=True),
            Column("controle", "Controle", S),
        ),
        KLACHTEN_HELP,
    ),
    help="Eén rij per klacht of navraag.",
    keyed_by_nummer=True,
)

CATEGORIEEN = Tab(
    CATEGORIEEN_TAB,
    _helped(
        (
            Column("categorie", "Categorie"),
            Column("actief", "Actief", allowed=YES_NO),
            Column("vertrouwelijk", "Vertrouwelijk", allowed=YES_NO),
            Column("aangifte_advies", "Aangifte-advies", allowed=YES_NO),
            Column(
                "ook_bekend_als",
                "Ook bekend als",
                help="Andere schrijfwijzen, gescheiden door een puntkomma.",
            ),
        ),
        CATEGORIEEN_HELP,
    ),
    seed_rows=SEED_CATEGORIES,
)

LOCATIES = Tab(
    LOCATIES_TAB,
    _helped(
        (
            Column("locatie", "Locatie"),
            Column("regio", "Regio"),
            Column("locatiecoordinator", "Locatiecoördinator"),
            Column("email", "E-mail"),
            Column("regiocoordinator", "Regiocoördinator"),
            Column("email_regio", "E-mail regio"),
        ),
        LOCATIES_HELP,
    ),
)
EXAMPLE_LOCATIES = Tab(LOCATIES.name, LOCATIES.columns, seed_rows=SEED_LOCATIONS)


INSTELLINGEN = Tab(
    INSTELLINGEN_TAB,
    _helped(
        (
            Column("instelling", "Instelling"),
            Column("waarde", "Waarde"),
            Column("toelichting", "Toelichting"),
        ),
        INSTELLINGEN_HELP,
    ),
    seed_rows=tuple((s.name, s.default, s.help) for s in SETTINGS),
)

LOGBOEK = Tab(
    LOGBOEK_TAB,
    _helped(
        (
            Column("tijdstip", "Tijdstip", S, is_date=True),
            Column("nummer", "Nummer", S),
            Column("actie", "Actie", S),
            Column("details", "Details", S),
            Column("door", "Door", S),
            # Identifies the line, so a replayed batch never adds it twice (not personal).
            Column("id", "Id", S),
        ),
        LOGBOEK_HELP,
    ),
    help="Wat het formulier en de dagelijkse controle deden, per Nummer. Nooit persoonsgegevens.",
)

AGENDA = Tab(
    AGENDA_TAB,
    _helped((Column("regel", "Agendapunt klachten", S),), AGENDA_HELP),
    help="Het laatst gemaakte agendapunt voor het teamoverleg.",
)

TABS: tuple[Tab, ...] = (KLACHTEN, CATEGORIEEN, LOCATIES, INSTELLINGEN, LOGBOEK, AGENDA)
# The demo's register: the same tabs with the fictional example locations filled in.
EXAMPLE_TABS: tuple[Tab, ...] = tuple(EXAMPLE_LOCATIES if t is LOCATIES else t for t in TABS)
TABS_BY_NAME: dict[str, Tab] = {tab.name: tab for tab in TABS}

# The confidential register has the same layout; only the vertrouwenspersoon opens it.
CONFIDENTIAL_TABS: tuple[Tab, ...] = (KLACHTEN, LOGBOEK)


def tab(name: str) -> Tab:
    """Return the schema of the tab with this name."""
    return TABS_BY_NAME[name]
