"""The register's tabs by name, importable at no cost.

The console entry point (``launch``) starts reading these tabs before anything else is
imported; ``schema`` describes what is in them.
"""

KLACHTEN_TAB = "Klachten"
CATEGORIEEN_TAB = "Categorieën"
LOCATIES_TAB = "Locaties"
INSTELLINGEN_TAB = "Instellingen"
LOGBOEK_TAB = "Logboek"
AGENDA_TAB = "Agenda"
