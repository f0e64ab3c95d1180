"""The spreadsheet batchUpdate requests of ensure_layout: tabs, headers, validation,
protection, colours."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from klachtsheet import schema
from klachtsheet.register import presentation
from klachtsheet.register.google import formats
from klachtsheet.register.google.headers import check_rows, header_row
from klachtsheet.register.google.ranges import _quoted, _row_data, column_letter

# Bump when the formatting ensure_layout applies changes, so `init` re-applies it.
LAYOUT_VERSION = 2
MARK = "klachtsheet"
HEADER_MARK = f"{MARK}-opmaak {LAYOUT_VERSION}"
# A conditional-format formula of ours starts with this always-true term, so a
# later `init` can tell our rules from the ones people made.
RULE_MARK = f'N("{MARK}")=0'
NEW_TAB_ROWS = 1000
HEADER_COLOUR = {"red": 0.867, "green": 0.922, "blue": 0.969}
SYNC_COLOUR = {"red": 0.929, "green": 0.929, "blue": 0.929}
OVERDUE_COLOUR = {"red": 0.988, "green": 0.820, "blue": 0.820}


class _LayoutPlan:
    """The spreadsheet batchUpdate requests that bring the tabs up to the schema."""

    def __init__(
        self,
        sheets: dict[str, dict[str, Any]],
        tabs: Sequence[schema.Tab],
        values: dict[str, list[list[str]]],
        properties: dict[str, Any] | None = None,
    ) -> None:
        self.sheets, self.tabs, self.values = sheets, tabs, values
        # The spreadsheet's own properties (locale, timeZone); None: leave them alone.
        self.properties = properties
        self.requests: list[dict[str, Any]] = []
        self.changes: list[str] = []
        self.warnings: list[str] = []
        self.headers: dict[str, list[str]] = {}
        self.ids: dict[str, int] = {
            title: s["properties"]["sheetId"] for title, s in sheets.items()
        }

    def build(self) -> tuple[list[dict[str, Any]], list[str]]:
        formatted = []
        for tab in self.tabs:
            if tab.name not in self.sheets:
                self._add_tab(tab)
                formatted.append(tab)
            elif self._upgrade_tab(tab) or not self._has_marker(tab):
                formatted.append(tab)
                self.changes.append(
                    f"Opmaak van tabblad '{tab.name}' bijgewerkt (filterknoppen, vaste kopregel "
                    "en Nummer, kolombreedtes, toelichting, datums, keuzelijsten, beveiliging, kleuren)"
                )
        for tab in formatted:
            self._format(tab)
        if self.properties is not None:
            requests, changes = formats.locale_request(self.properties)
            self.requests += requests
            self.changes += changes
        return self.requests, self.changes

    def _new_id(self) -> int:
        while True:
            candidate = 1 + secrets.randbelow(2**31 - 2)
            if candidate not in self.ids.values():
                return candidate

    def _add_tab(self, tab: schema.Tab) -> None:
        sheet_id = self._new_id()
        self.ids[tab.name] = sheet_id
        headers = list(tab.headers)
        self.headers[tab.name] = headers
        self.requests.append(
            {
                "addSheet": {
                    "properties": {
                        "sheetId": sheet_id,
                        "title": tab.name,
                        "gridProperties": {
                            "rowCount": max(NEW_TAB_ROWS, len(tab.seed_rows) + 1),
                            "columnCount": len(headers),
                            "frozenRowCount": 1,
                        },
                    }
                }
            }
        )
        rows = [headers, *[list(r) for r in tab.seed_rows]]
        self.requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                    "rows": [_row_data(r) for r in rows],
                    "fields": "userEnteredValue",
                }
            }
        )
        self.changes.append(f"Tabblad '{tab.name}' toegevoegd")

    def _upgrade_tab(self, tab: schema.Tab) -> bool:
        """Add missing headers at the end, and missing settings; tell whether anything changed."""
        sheet = self.sheets[tab.name]
        sheet_id = sheet["properties"]["sheetId"]
        rows = self.values.get(tab.name, [])
        check_rows(tab.name, rows)  # a deleted or moved header row: refuse, write nothing
        headers = header_row(tab.name, rows[0] if rows else [])
        present = {h for h in headers if h}
        missing = [h for h in tab.headers if h not in present]
        unknown = [h for h in headers if h and tab.by_header(h) is None]
        changed = False
        if missing and unknown and tab.keyed_by_nummer:
            # Probably renamed: a new column would leave the old values under the new name.
            for header in missing:
                self.warnings.append(
                    f"Tabblad '{tab.name}' mist kolom '{header}' en heeft onbekende kolom(men) "
                    f"{', '.join(repr(u) for u in unknown)}: is een kolom hernoemd? Geef hem "
                    f"de naam '{header}' terug. init voegt de kolom niet toe, zodat de "
                    "gegevens niet onder twee namen komen te staan."
                )
            missing = []
        if missing:
            start = len(headers)
            columns = sheet["properties"].get("gridProperties", {}).get("columnCount", 0)
            if start + len(missing) > columns:
                self.requests.append(
                    {
                        "appendDimension": {
                            "sheetId": sheet_id,
                            "dimension": "COLUMNS",
                            "length": start + len(missing) - columns,
                        }
                    }
                )
            self.requests.append(
                {
                    "updateCells": {
                        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": start},
                        "rows": [_row_data(missing)],
                        "fields": "userEnteredValue",
                    }
                }
            )
            headers = headers + missing
            for header in missing:
                self.changes.append(f"Kolom '{header}' toegevoegd aan tabblad '{tab.name}'")
            changed = True
        self.headers[tab.name] = headers
        if tab.name == schema.INSTELLINGEN_TAB:
            changed = self._add_settings(sheet_id, headers, rows[1:]) or changed
        return changed

    def _add_settings(self, sheet_id: int, headers: list[str], rows: list[list[str]]) -> bool:
        name_col = headers.index("Instelling")
        names = {str(r[name_col]).strip() for r in rows if name_col < len(r)}
        new_rows = []
        for setting in schema.SETTINGS:
            if setting.name in names:
                continue
            values = {
                "Instelling": setting.name,
                "Waarde": setting.default,
                "Toelichting": setting.help,
            }
            new_rows.append([values.get(h, "") for h in headers])
            self.changes.append(f"Instelling '{setting.name}' toegevoegd")
        if new_rows:
            self.requests.append(
                {
                    "appendCells": {
                        "sheetId": sheet_id,
                        "rows": [_row_data(r) for r in new_rows],
                        "fields": "userEnteredValue",
                    }
                }
            )
        return bool(new_rows)

    def _has_marker(self, tab: schema.Tab) -> bool:
        ranges = self.sheets[tab.name].get("protectedRanges", [])
        return any((p.get("description") or "").startswith(HEADER_MARK) for p in ranges)

    def _format(self, tab: schema.Tab) -> None:
        """Re-apply our formatting to one tab: ours is removed first, people's is kept."""
        sheet_id = self.ids[tab.name]
        headers = self.headers[tab.name]
        existing = self.sheets.get(tab.name, {})
        for protected in existing.get("protectedRanges", []):
            if (protected.get("description") or "").startswith(MARK):
                self.requests.append(
                    {"deleteProtectedRange": {"protectedRangeId": protected["protectedRangeId"]}}
                )
        rules = existing.get("conditionalFormats", [])
        for index in range(len(rules) - 1, -1, -1):
            if _is_our_rule(rules[index]):
                self.requests.append(
                    {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}}
                )
        rows = self.values.get(tab.name) or [list(tab.headers), *map(list, tab.seed_rows)]
        self.requests += formats.tab_requests(sheet_id, tab, headers, rows[1:])
        self.requests.append(_header_format(sheet_id, 0, len(headers), HEADER_COLOUR))
        self.requests.append(
            {
                "addProtectedRange": {
                    "protectedRange": {
                        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                        "description": f"{HEADER_MARK}: kolomnamen niet wijzigen, klachtsheet zoekt kolommen op naam",
                        "warningOnly": True,
                    }
                }
            }
        )
        for index, header in enumerate(headers):
            column = tab.by_header(header)
            if column is None:
                continue
            if column.owner is schema.Owner.SYNC:
                self.requests.append(_header_format(sheet_id, index, index + 1, SYNC_COLOUR))
                self.requests.append(
                    {
                        "addProtectedRange": {
                            "protectedRange": {
                                "range": {
                                    "sheetId": sheet_id,
                                    "startRowIndex": 1,
                                    "startColumnIndex": index,
                                    "endColumnIndex": index + 1,
                                },
                                "description": f"{MARK}: '{header}' vult de dagelijkse controle; wijzigingen kunnen "
                                "worden overschreven",
                                "warningOnly": True,
                            }
                        }
                    }
                )
            rule = self._validation(column)
            if rule is not None:
                self.requests.append(
                    {
                        "setDataValidation": {
                            "range": {
                                "sheetId": sheet_id,
                                "startRowIndex": 1,
                                "startColumnIndex": index,
                                "endColumnIndex": index + 1,
                            },
                            "rule": rule,
                        }
                    }
                )
        if tab.name == schema.KLACHTEN_TAB:
            self._overdue_rule(sheet_id, headers)

    def _validation(self, column: schema.Column) -> dict[str, Any] | None:
        if column.allowed:
            condition = {
                "type": "ONE_OF_LIST",
                "values": [{"userEnteredValue": v} for v in column.allowed],
            }
        elif column.choices_from:
            source_tab, source_header = column.choices_from
            source = self.headers.get(source_tab)
            if not source or source_header not in source:
                return None  # e.g. the confidential register has no Categorieën tab
            letter = column_letter(source.index(source_header))
            condition = {
                "type": "ONE_OF_RANGE",
                "values": [{"userEnteredValue": f"={_quoted(source_tab)}!${letter}$2:${letter}"}],
            }
        else:
            return None
        # Not strict: an unknown category must stay typeable so the sync can propose it.
        return {
            "condition": condition,
            "strict": False,
            "showCustomUi": True,
            "inputMessage": column.help or f"Kies een waarde voor '{column.header}'.",
        }

    def _overdue_rule(self, sheet_id: int, headers: list[str]) -> None:
        rule = presentation.overdue_formula(headers, column_letter, mark=RULE_MARK)
        if rule is None:
            return
        formula = "=" + rule
        self.requests.append(
            {
                "addConditionalFormatRule": {
                    "index": 0,
                    "rule": {
                        "ranges": [
                            {
                                "sheetId": sheet_id,
                                "startRowIndex": 1,
                                "startColumnIndex": 0,
                                "endColumnIndex": len(headers),
                            }
                        ],
                        "booleanRule": {
                            "condition": {
                                "type": "CUSTOM_FORMULA",
                                "values": [{"userEnteredValue": formula}],
                            },
                            "format": {"backgroundColor": OVERDUE_COLOUR},
                        },
                    },
                }
            }
        )


def _is_our_rule(rule: dict[str, Any]) -> bool:
    condition = rule.get("booleanRule", {}).get("condition", {})
    return any(RULE_MARK in str(v.get("userEnteredValue", "")) for v in condition.get("values", []))


def _header_format(sheet_id: int, start: int, end: int, colour: dict[str, float]) -> dict:
    return {
        "repeatCell": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 0,
                "endRowIndex": 1,
                "startColumnIndex": start,
                "endColumnIndex": max(end, start + 1),
            },
            "cell": {
                "userEnteredFormat": {
                    "backgroundColor": colour,
                    "textFormat": {"bold": True},
                    "wrapStrategy": "WRAP",
                }
            },
            "fields": "userEnteredFormat(backgroundColor,textFormat.bold,wrapStrategy)",
        }
    }
