"""Dutch wording for click's own messages (usage, errors, prompts).

Click marks its messages for gettext but ships no Dutch catalogue, and gettext
cannot be told to use Dutch without changing the process's locale variables;
so the command line swaps click's message lookup for this table when it starts.
"""

from __future__ import annotations

import importlib

NL = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon het versienummer en stop.",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Typ '{command} {option}' voor hulp.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "No such option: {name}": "Onbekende optie: {name}",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende waarde",
    "Missing parameter: {param_name}": "Ontbrekende waarde: {param_name}",
    "Missing command.": "Geef een opdracht.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} heeft geen waarde.",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} heeft {nargs} waarden nodig.",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Aborted!": "Afgebroken.",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Error: The two entered values do not match.": "Fout: de twee waarden zijn niet gelijk.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value!r} is not one of {choices}.": "{value!r} is niet een van {choices}.",
    "{value!r} is not a valid {choice}.": "{value!r} is geen geldige keuze ({choice}).",
    "{value} is not in the range {range}.": "{value} ligt niet tussen {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "Could not open file {filename!r}: {message}": "Kan bestand {filename!r} niet openen: {message}",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "integer": "geheel getal",
    "float": "getal",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Press any key to continue...": "Druk op een toets om verder te gaan...",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Did you mean {possibility}?": "Bedoelt u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelt u een van: {possibilities}?)",
    "(dynamic)": "(wisselend)",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} heeft {nargs} waarden nodig.",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Een argument heeft precies één naam, niet {length}: {decls}."
    ),
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "Ja/nee-optie {decl!r} kan niet dezelfde vlag voor ja en nee gebruiken."
    ),
    "Choice({choices})": "Keuze({choices})",
    "Could not determine name for option with declarations {decls!r}": (
        "Geen naam te bepalen voor de optie met {decls!r}"
    ),
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Kan de versie van Bash niet bepalen; aanvullen met Tab werkt niet."
    ),
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Verouderd: de opdracht {name!r} verdwijnt.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Verouderd: {param_type} {name!r} verdwijnt.{extra_message}"
    ),
    "Invalid start character for option ({option})": (
        "Ongeldig eerste teken voor een optie ({option})"
    ),
    "Missing {param_type}": "Ontbrekende {param_type}",
    "Name '{name}' defined twice": "Naam '{name}' staat er twee keer",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "Geen opties opgegeven maar wel een naam ({name}). Bedoelt u een argument, of '--{name}'?"
    ),
    "Positional arguments": "Argumenten",
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Aanvullen met Tab werkt niet in Bash ouder dan 4.4."
    ),
    "Takes {nargs} values but 1 was given.": "Heeft {nargs} waarden nodig, maar kreeg er 1.",
    "Takes {nargs} values but {len} were given.": (
        "Heeft {nargs} waarden nodig, maar kreeg er {len}."
    ),
    "Unknown color {colour!r}": "Onbekende kleur {colour!r}",
    "Unknown standard stream '{name}'": "Onbekende standaardstroom '{name}'",
    "Value must be an iterable.": "De waarde moet een lijst zijn.",
    "Windows error: {error}": "Windows-fout: {error}",
    "d": "d",
    "deprecated": "verouderd",
    "env var: {var}": "omgevingsvariabele: {var}",
    "unknown error": "onbekende fout",
    "{editor}: Editing failed": "{editor}: bewerken mislukt",
    "{editor}: Editing failed: {e}": "{editor}: bewerken mislukt: {e}",
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} waarden nodig, maar er is {len_value} gegeven."
    ),
    "{len_type} values are required, but {len_value} were given.": (
        "{len_type} waarden nodig, maar er zijn {len_value} gegeven."
    ),
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "{value!r} does not match the format {format}.": ("{value!r} past niet bij de vorm {format}."),
    "{value!r} does not match the formats {formats}.": (
        "{value!r} past niet bij de vormen {formats}."
    ),
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen ja of nee. Mogelijk: {states}"
    ),
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
}

# The names click gives its value types: shown in messages ("'abc' is geen geldig geheel
# getal") and, in capitals, as the metavar of an option (BESTAND, MAP, TEKST).
TYPE_NAMES = {
    "StringParamType": "tekst",
    "UnprocessedParamType": "tekst",
    "DateTime": "datum",
    "IntParamType": "geheel getal",
    "IntRange": "geheel getal",
    "FloatParamType": "getal",
    "FloatRange": "getal",
    "BoolParamType": "ja/nee",
    "UUIDParameterType": "uuid",
    "File": "bestand",
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def translate(message: str) -> str:
    """Return click's message in Dutch, or unchanged when there is no translation."""
    return NL.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """Return the Dutch singular or plural form of a click message."""
    return translate(singular if n == 1 else plural)


def use_dutch() -> None:
    """Make click print its own messages in Dutch.

    Called when ``klachtsheet.cli`` is imported, before any command is defined: click
    translates some words (a Path's "file" or "directory") when an option is created.
    """
    types = importlib.import_module("click.types")
    for class_name, dutch in TYPE_NAMES.items():
        cls = getattr(types, class_name, None)
        if cls is not None:
            cls.name = dutch
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        for attribute, replacement in (("_", translate), ("ngettext", translate_plural)):
            if hasattr(module, attribute):
                setattr(module, attribute, replacement)
