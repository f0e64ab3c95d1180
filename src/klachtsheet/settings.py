"""The settings of the Instellingen tab: name, default, help; and the police-advice phrases."""

from __future__ import annotations

from dataclasses import dataclass

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
