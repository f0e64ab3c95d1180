"""The note on every column header: one sentence each, in the words of docs/handleiding.md."""

from __future__ import annotations

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
