"""The request layer under GoogleRegister: metadata, batchGet, growing a tab, retries."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from gspread import HTTPClient

from klachtsheet.exceptions import RegisterError
from klachtsheet.register.google.retry import RetryPolicy, _Rejected, explain, retrying, send

T = TypeVar("T")
METADATA_TTL = 600.0  # seconds


class SheetsClient:
    """One spreadsheet, reached through gspread's HTTP client with our retry policy."""

    key: str
    client: HTTPClient
    retry: RetryPolicy
    account: str
    _metadata: dict[str, Any] | None
    _metadata_at: float = 0.0

    def _fetch_metadata(self, *, refresh: bool = False) -> dict[str, Any]:
        """Return the spreadsheet's metadata, fetched at most once unless a retry must look again."""
        if self._metadata is None or refresh:
            answer = self._retrying(
                "openen",
                lambda _n: self._send(
                    self.client.fetch_sheet_metadata, self.key, {"includeGridData": "false"}
                ),
            )
            self._metadata = dict(answer)
            self._metadata_at = time.monotonic()
        return self._metadata

    def _expire_metadata(self) -> None:
        """Forget tab titles and sizes fetched long ago: a long-running form server must see
        tabs people added, renamed or grew since."""
        if self._metadata is not None and time.monotonic() - self._metadata_at > METADATA_TTL:
            self._metadata = None

    def _titles(self) -> set[str]:
        return {s["properties"]["title"] for s in self._fetch_metadata().get("sheets", [])}

    def _sheet(self, tab: str) -> dict[str, Any] | None:
        for sheet in self._fetch_metadata().get("sheets", []):
            if sheet["properties"]["title"] == tab:
                return sheet
        return None

    def _grow(self, sheet: dict[str, Any], rows: int) -> None:
        sheet_id = sheet["properties"]["sheetId"]
        body = {
            "requests": [
                {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": rows}}
            ]
        }
        self._retrying(
            "uitbreiden", lambda _n: self._send(self.client.batch_update, self.key, body)
        )
        sheet["properties"].setdefault("gridProperties", {})["rowCount"] = (
            sheet["properties"]["gridProperties"].get("rowCount", 0) + rows
        )

    def _batch_get(
        self, ranges: Sequence[str], *, unformatted: bool = False
    ) -> list[dict[str, Any]]:
        render = "UNFORMATTED_VALUE" if unformatted else "FORMATTED_VALUE"
        params = {"majorDimension": "ROWS", "valueRenderOption": render}
        answer = self._retrying(
            "lezen",
            lambda _n: self._send(
                self.client.values_batch_get, self.key, list(ranges), dict(params)
            ),
        )
        return answer.get("valueRanges", [])

    def _retrying(self, what: str, attempt: Callable[[int], T]) -> T:
        return retrying(self.retry, what, attempt)

    def _send(self, method: Callable[..., T], *args: Any) -> T:
        return send(method, *args)

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn a final refusal from Google into one Dutch line."""
        try:
            yield
        except _Rejected as rejected:
            raise self._explain(what, rejected) from None

    def _explain(self, what: str, rejected: _Rejected) -> RegisterError:
        return explain(self.key, self.account, what, rejected)
