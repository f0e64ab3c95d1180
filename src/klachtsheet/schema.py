"""The register's layout as data: tabs, Dutch headers, column owners, allowed values, seeds.

This is the one place to change a header. Code refers to columns by their
English key (``KLACHTEN.header("nummer")``), users see the Dutch header.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import cached_property

from klachtsheet.seeds import NO, SEED_CATEGORIES, SEED_LOCATIONS, YES


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

KLACHTEN_TAB = "Klachten"
CATEGORIEEN_TAB = "Categorieën"
LOCATIES_TAB = "Locaties"
INSTELLINGEN_TAB = "Instellingen"
LOGBOEK_TAB = "Logboek"
AGENDA_TAB = "Agenda"

F, P, S = Owner.FORM, Owner.PEOPLE, Owner.SYNC


def _helped(columns: tuple[Column, ...], texts: dict[str, str]) -> tuple[Column, ...]:
    """Give each column without a help text the sentence from ``texts`` (the handleiding's)."""
    return tuple(c if c.help else replace(c, help=texts.get(c.key, "")) for c in columns)


# One sentence per column, shown as the note on its header (words of docs/handleiding.md).
KLACHTEN_HELP = {
    "ontvangen_op": "Datum waarop de melding binnenkwam, bijvoorbeeld 26-11-2026.",
    "kanaal": "Hoe de melding binnenkwam: Telefoon, Post, E-mail of Vrijwilliger.",
    "ingevoerd_door": "Naam van de medewerker die de melding aannam (de 1e lijn).",
    "email_invoerder": "E-mailadres van die medewerker; krijgt bericht na de terugkoppeling.",
    "soort": "Klacht of Navraag; een navraag wordt niet overgedragen.",
    "deelnemer": "Naam van de deelnemer; staat in de bevestiging.",
    "deelnemernummer": "Nummer van de deelnemer in de eigen administratie.",
    "telefoon": "Telefoonnummer van de deelnemer; nodig als de bevestiging telefonisch gaat.",
    "email_deelnemer": "E-mailadres van de deelnemer; nodig als de bevestiging per e-mail gaat.",
    "adres": "Straat en huisnummer, postcode en plaats; nodig voor een bevestiging per brief.",
    "bevestiging_via": "Hoe de deelnemer de bevestiging wil: E-mail, Brief of Telefoon.",
    "locatie": "De programmalocatie (uit tabblad Locaties); bepaalt de coördinator.",
    "activiteit": "Voorstelling, concert, film of museum; staat in de bevestiging.",
    "datum_activiteit": "Datum van het uitje.",
    "categorie": "Soort klacht (uit tabblad Categorieën).",
    "omschrijving": "Wat er gebeurd is; staat in de e-mail aan de coördinator.",
    "opgelost_1e_lijn": "Ja of Nee: loste de 1e lijn het zelf op?",
    "oplossing_1e_lijn": "Hoe de 1e lijn het oploste; verplicht bij status Opgelost 1e lijn.",
    "status": "Nieuw, Opgelost 1e lijn, Overgedragen, In behandeling, Teruggekoppeld, "
    "Afgesloten; een navraag eindigt als Afgehandeld.",
    "coordinator": "Wie de klacht afhandelt; leeg vult de dagelijkse controle de "
    "coördinator van de locatie in.",
    "overgedragen_op": "Datum waarop de klacht aan de coördinator is overgedragen.",
    "antwoord_uiterlijk": "Overgedragen op plus de antwoordtermijn in werkdagen.",
    "bevestiging_verstuurd_op": "Wanneer de deelnemer de bevestiging kreeg; leeg: de "
    "bevestiging gaat nog één keer weg.",
    "aangifte_geadviseerd": "Ja: de deelnemer wordt geadviseerd aangifte te doen bij de politie.",
    "teruggekoppeld_deelnemer_op": "Wanneer de coördinator de deelnemer de oplossing vertelde.",
    "teruggekoppeld_medewerker_op": "Wanneer de medewerker van de 1e lijn is ingelicht.",
    "tevredenheid": "Tevreden, Deels tevreden, Niet tevreden of Niet bereikt.",
    "afgesloten_op": "Datum van afsluiten.",
    "notities": "Vrije aantekeningen.",
    "controle": "Wat er niet klopt in deze rij; leeg is alles in orde.",
}
CATEGORIEEN_HELP = {
    "categorie": "De naam zoals hij in lijsten en overzichten staat.",
    "actief": "Nee: niet meer te kiezen in het formulier; oude meldingen blijven geldig.",
    "vertrouwelijk": "Ja: meldingen in deze categorie gaan naar de vertrouwenspersoon.",
    "aangifte_advies": "Ja: de bevestiging bevat het advies aangifte te doen bij de politie.",
}
LOCATIES_HELP = {
    "locatie": "Naam van de programmalocatie, zoals hij in Klachten gekozen wordt.",
    "regio": "De regio waartoe de locatie hoort.",
    "locatiecoordinator": "Krijgt de klachten van deze locatie.",
    "email": "E-mailadres van de locatiecoördinator.",
    "regiocoordinator": "Krijgt de klachten als er geen locatiecoördinator is.",
    "email_regio": "E-mailadres van de regiocoördinator.",
}
INSTELLINGEN_HELP = {
    "instelling": "Naam van de instelling; niet veranderen.",
    "waarde": "De waarde die de dagelijkse controle gebruikt.",
    "toelichting": "Wat de instelling doet.",
}
LOGBOEK_HELP = {
    "tijdstip": "Wanneer het gebeurde.",
    "nummer": "Nummer van de melding waar de regel over gaat.",
    "actie": "Wat er gebeurde, bijvoorbeeld een verstuurde bevestiging.",
    "details": "Meer over de actie, zonder persoonsgegevens.",
    "door": "Het formulier of de dagelijkse controle.",
    "id": "Kenmerk van de regel, zodat hij nooit twee keer wordt toegevoegd.",
}
AGENDA_HELP = {"regel": "Een regel van het agendapunt klachten voor het teamoverleg."}

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


# Phrases in a description that point at loss, disappearance or theft (seed, step 4): advise a
# police report. Defaults of the settings 'aangifte_woorden' and 'aangifte_uitzonderingen'
# (Instellingen), which an organisation edits without code. A phrase is compared without
# case, accents or punctuation, as whole words; '*' stands for one to three words.
POLICE_PHRASES = (
    "diefstal", "dief", "dieven", "gestolen", "gestole", "stelen", "steelt", "stal",
    "beroofd", "beroving", "zakkenroller", "gepikt", "ontvreemd", "weggenomen",
    "verlies", "verloren", "vermissing", "vermist", "verdwenen", "verdwijnen", "verdween",
    "kwijt", "kwijtgeraakt", "kwijt geraakt", "kwijtgeraakte", "zoek", "zoekgeraakt",
    "zoek geraakt", "zoekgeraakte", "niet teruggevonden", "niet terug gevonden",
    "nooit teruggevonden", "niet meer gevonden", "weggeraakt", "weg geraakt",
    "niet * teruggevonden", "nooit * teruggevonden", "nooit teruggekregen",
    "nooit * teruggekregen", "niet teruggekregen", "niet terug gekregen",
    "niet * teruggekregen", "nergens te vinden", "niet meer te vinden", "niet terug te vinden",
    "gejat", "weggepakt", "afgepakt", "overvallen", "overval", "inbraak", "ingebroken",
    "mijn * weg", "zijn * weg", "haar * weg", "onze * weg", "hun * weg",
    "tas * weg", "handtas * weg", "portemonnee * weg", "portemonnaie * weg", "jas * weg",
    "telefoon * weg", "mobiel * weg", "sleutels * weg", "sleutel * weg", "bril * weg",
    "rollator * weg", "wandelstok * weg", "sjaal * weg", "vest * weg", "paraplu * weg",
    "pinpas * weg", "bankpas * weg", "geld * weg", "sieraden * weg", "horloge * weg",
    "gehoorapparaat * weg", "tas weg", "handtas weg", "portemonnee weg", "jas weg",
    "telefoon weg", "sleutels weg", "bril weg", "rollator weg", "geld weg",
)  # fmt: skip
# Idioms that look like loss but are not (removed from the text before the phrases are sought).
POLICE_EXCEPTIONS = (
    "niet kwijt", "nergens kwijt", "nooit kwijt", "kwijt kunnen", "kwijt kon", "kwijt willen",
    "kwijt wil", "kwijt wilde", "verhaal kwijt", "hart kwijt", "ei kwijt", "weg kwijt",
    "ging weg", "gingen weg", "gaan weg", "me weg", "mij weg", "ons weg", "reed weg", "reden weg", "weg gaan", "weggaan",
    "weg is weg", "zoek naar", "op zoek", "zoeken",
)  # fmt: skip


@dataclass(frozen=True)
class Setting:
    """One row of the Instellingen tab."""

    key: str
    name: str
    default: str
    help: str
    is_int: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "organisatie",
        "Organisatie",
        "Stichting Vier het Leven",
        "Naam van de organisatie in brieven en agenda.",
    ),
    Setting(
        "antwoordtermijn",
        "Antwoordtermijn (werkdagen)",
        "10",
        "Binnen hoeveel werkdagen na overdracht de deelnemer antwoord krijgt.",
        is_int=True,
    ),
    Setting(
        "vertrouwenspersoon",
        "Vertrouwenspersoon",
        "",
        "Naam van de vertrouwenspersoon; krijgt de vertrouwelijke klachten.",
    ),
    Setting(
        "email_vertrouwenspersoon",
        "E-mail vertrouwenspersoon",
        "",
        "E-mailadres van de vertrouwenspersoon.",
    ),
    Setting(
        "klachtmanager",
        "Klachtmanager",
        "",
        "Krijgt elk overzicht, de rijen die niet overgedragen kunnen worden en de agenda; "
        "dit kan de vertrouwenspersoon zijn.",
    ),
    Setting(
        "email_klachtmanager",
        "E-mail klachtmanager",
        "",
        "E-mailadres van de klachtmanager.",
    ),
    Setting(
        "email_backoffice",
        "E-mail back office",
        "",
        "Hier gaan rijen heen die de dagelijkse controle niet kan overdragen "
        "(onbekende locatie, geen coördinator).",
    ),
    Setting(
        "email_telefoondienst",
        "E-mail telefoondienst",
        "",
        "Hier gaan vrijwilligersmeldingen heen die nog op Nieuw staan.",
    ),
    Setting(
        "telefoon_organisatie", "Telefoon organisatie", "", "Telefoonnummer dat in brieven staat."
    ),
    Setting(
        "ondertekenaar",
        "Ondertekenaar brieven",
        "",
        "Naam en functie onder de brieven, bijvoorbeeld 'J. Jansen, coördinator klachten'.",
    ),
    Setting(
        "contactpersoon",
        "Contactpersoon",
        "",
        "Wie de deelnemer kan bellen met vragen over de brief (naam en telefoon).",
    ),
    Setting(
        "retouradres",
        "Retouradres",
        "",
        "Retouradres bovenaan brieven, op één regel.",
    ),
    Setting(
        "escalatie_na_werkdagen",
        "Escaleren na (werkdagen te laat)",
        "5",
        "Zoveel werkdagen na de uiterste antwoorddatum gaat een klacht naar de regiocoördinator, "
        "nog eens zoveel later naar de klachtmanager.",
        is_int=True,
    ),
    Setting(
        "extra_vrije_dagen",
        "Extra vrije dagen",
        "",
        "Eigen vrije dagen naast de wettelijke feestdagen (Algemene termijnenwet), "
        "bijvoorbeeld '24-12-2026; 31-12-2026'.",
    ),
    Setting(
        "aangifte_woorden",
        "Woorden voor aangifte-advies",
        "; ".join(POLICE_PHRASES),
        "Staat een van deze woorden in de Omschrijving, dan krijgt de deelnemer het advies "
        "aangifte te doen (verlies, vermissing, diefstal). Gescheiden door een puntkomma; "
        "* staat voor één tot drie woorden. Leeg: de standaardlijst.",
    ),
    Setting(
        "aangifte_uitzonderingen",
        "Geen aangifte bij",
        "; ".join(POLICE_EXCEPTIONS),
        "Uitdrukkingen die op verlies lijken maar het niet zijn ('kon zijn rollator niet "
        "kwijt'); deze tellen niet mee. Gescheiden door een puntkomma.",
    ),
    Setting(
        "tevredenheid_na_dagen",
        "Tevredenheid navragen na (dagen)",
        "14",
        "Zoveel dagen na terugkoppeling bellen we of de deelnemer tevreden is.",
        is_int=True,
    ),
    Setting(
        "nieuw_opvolgen_na_dagen",
        "Vrijwilligersmelding opvolgen na (dagen)",
        "2",
        "Een melding van een vrijwilliger die zo lang op Nieuw staat, krijgt aandacht.",
        is_int=True,
    ),
    Setting(
        "bewaartermijn_maanden",
        "Bewaartermijn (maanden)",
        "24",
        "Na zoveel maanden na afsluiten worden persoonsgegevens gewist.",
        is_int=True,
    ),
    Setting(
        "agendaperiode_weken",
        "Agendaperiode (weken)",
        "4",
        "Periode sinds het vorige teamoverleg, als er geen datum is opgegeven.",
        is_int=True,
    ),
)

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
