"""Check a register's layout and settings against the schema, one Dutch line per problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from klachtsheet import schema
from klachtsheet.model import Table, normalise_header, setting_int, settings


def layout_problems(
    tables: Mapping[str, Table], tabs: Sequence[schema.Tab] = schema.TABS
) -> list[str]:
    """Return what is wrong with the tabs and headers, one line each."""
    problems = []
    for tab in tabs:
        table = tables.get(tab.name)
        if table is None:
            problems.append(f"Tabblad '{tab.name}' ontbreekt; 'klachtsheet init' voegt het toe")
            continue
        headers = [normalise_header(h) for h in table.headers]
        for header, count in Counter(h for h in headers if h).items():
            if count > 1:
                problems.append(f"Tabblad '{tab.name}': kolom '{header}' staat er {count} keer")
        unknown = [h for h in headers if h and tab.by_header(h) is None]
        for header in tab.headers:
            if header not in headers and unknown and tab.keyed_by_nummer:
                # Probably renamed: init would add a second column beside the old values.
                problems.append(
                    f"Tabblad '{tab.name}': kolom '{header}' ontbreekt en er staan kolommen "
                    f"die klachtsheet niet kent ({', '.join(repr(u) for u in unknown)}); is "
                    f"'{header}' hernoemd? Geef die kolom de naam '{header}' terug. Tot dan "
                    f"zet het formulier waarden voor '{header}' in Notities, met de kolomnaam "
                    "ervoor."
                )
            elif header not in headers:
                problems.append(
                    f"Tabblad '{tab.name}': kolom '{header}' ontbreekt; "
                    "'klachtsheet init' voegt hem toe"
                )
    if schema.INSTELLINGEN_TAB in tables:
        problems.extend(settings_problems(tables[schema.INSTELLINGEN_TAB]))
    if schema.CATEGORIEEN_TAB in tables:
        problems.extend(_duplicates(tables[schema.CATEGORIEEN_TAB], "Categorie"))
        problems.extend(_yes_no(tables[schema.CATEGORIEEN_TAB], schema.CATEGORIEEN))
    if schema.LOCATIES_TAB in tables:
        problems.extend(_duplicates(tables[schema.LOCATIES_TAB], "Locatie"))
    return problems


def settings_problems(table: Table) -> list[str]:
    """Return what is wrong with the values in Instellingen."""
    values = settings(table)
    problems = []
    for setting in schema.SETTINGS:
        if setting.is_int:
            _, problem = setting_int(values, setting.key)
            if problem:
                problems.append(f"Tabblad 'Instellingen': {problem}")
    return problems


def _duplicates(table: Table, header: str) -> list[str]:
    counts = Counter(v.strip().casefold() for v in table.column(header) if v.strip())
    return [
        f"Tabblad '{table.name}': '{value}' staat er {count} keer in"
        for value, count in counts.items()
        if count > 1
    ]


def _yes_no(table: Table, tab: schema.Tab) -> list[str]:
    problems = []
    for column in tab.columns:
        if column.allowed != schema.YES_NO:
            continue
        for offset, value in enumerate(table.column(column.header), start=2):
            if value.strip() and value.strip().capitalize() not in schema.YES_NO:
                problems.append(
                    f"Tabblad '{table.name}' rij {offset}: '{column.header}' is '{value}', "
                    "moet Ja of Nee zijn"
                )
    return problems
