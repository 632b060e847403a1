"""CatalogueSource over the commercial drug catalogue's REST API.

The vendor's API is not reachable from here, so this module fixes the contract
the client speaks (an adapter per vendor can translate to it):

``GET {base_url}/products?since=<ISO 8601, UTC>&page=<n>``
    Header ``X-Api-Key: <api key>``; ``Accept: application/json``.
    ``since`` is omitted to read the whole catalogue; ``page`` starts at 1.

Answer ``200`` with a JSON object::

    {
      "items": [
        {"ucd": "9001234", "label": "Amoxicilline 1 g, comprimé",
         "substance": "amoxicillin", "atc": "J01CA04", "route": "O",
         "strength": 1, "strength_unit": "g", "form": "comprimé"},
        ...
      ],
      "next_page": 2          # or null on the last page
    }

- ``ucd``: 7 digits, or 13 digits (34008 + 7 digits + EAN-13 key);
- ``route``: a WHO route code (O, P, R, ...); ``strength_unit``: g, mg, mcg, MU, UD;
- ``strength``: a JSON number or a decimal string, the amount of the WHO DDD's
  reference substance per dispensed unit (read exactly, never through a float);
- ``substance`` (defaults to the label) and ``form`` may be absent or null;
- the items are those created or changed at or after ``since``; a UCD seen on
  two pages keeps the later one.

Transient failures (HTTP 5xx and 429, connection errors, timeouts) are retried
with exponential backoff; anything else, or failure after the last attempt,
raises ``CatalogueUnavailable`` with a French message. An unreadable product
fails the whole fetch with every problem listed, rather than silently leaving
a product behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import requests

from chalicelib.domain.drugs import CatalogueEntry
from chalicelib.domain.errors import InvalidInput
from chalicelib.services.ports.catalogue import CatalogueUnavailable

logger = logging.getLogger("consores.catalogue.rest")

_FIELDS = ("ucd", "label", "substance", "atc", "route", "strength", "strength_unit", "form")
_TRANSIENT = frozenset({429, 500, 502, 503, 504})


class RestCatalogueSource:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        session: requests.Session | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        attempts: int = 4,
        backoff: float = 1.0,
        max_pages: int = 10_000,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``attempts``: tries per page (first one included); the waits between
        them are ``backoff``, 2 × ``backoff``, 4 × ``backoff``... seconds."""
        self._url = base_url.rstrip("/") + "/products"
        self._headers = {"X-Api-Key": api_key, "Accept": "application/json"}
        self._session = session or requests.Session()
        self._timeout = (connect_timeout, read_timeout)
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._max_pages = max_pages
        self._sleep = sleep

    def fetch_since(self, since: datetime | None) -> list[CatalogueEntry]:
        params: dict[str, str] = {}
        if since is not None:
            params["since"] = since.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        entries: dict[str, CatalogueEntry] = {}
        problems: list[dict[str, Any]] = []
        page: int | None = 1
        seen_pages: set[int] = set()
        while page is not None:
            if page in seen_pages or len(seen_pages) >= self._max_pages:
                raise CatalogueUnavailable(
                    f"Catalogue de référence : pagination incohérente (page {page} déjà lue ou plus de {self._max_pages} pages).",
                    details=[{"page": page}],
                )
            seen_pages.add(page)
            items, page_next = self._page({**params, "page": str(page)}, page)
            for position, item in enumerate(items):
                try:
                    entry = _entry(item)
                except InvalidInput as error:
                    problems.append(
                        {
                            "page": page,
                            "index": position,
                            "message": f"Produit n° {position + 1} de la page {page} : {error.message}",
                        }
                    )
                    continue
                entries[entry.ucd.value] = entry
            page = page_next
        if problems:
            raise CatalogueUnavailable(
                f"Catalogue de référence : {len(problems)} produit(s) illisible(s) ; rien n'a été importé.",
                details=problems,
            )
        return list(entries.values())

    def _page(self, params: Mapping[str, str], page: int) -> tuple[list[Any], int | None]:
        response = self._get(params, page)
        try:
            body = response.json(parse_float=Decimal)
        except ValueError as exc:
            raise CatalogueUnavailable(
                f"Catalogue de référence : la page {page} n'est pas un JSON valide.", details=[{"page": page}]
            ) from exc
        items = body.get("items") if isinstance(body, dict) else None
        next_page = body.get("next_page") if isinstance(body, dict) else None
        if not isinstance(items, list) or not (
            next_page is None or (isinstance(next_page, int) and not isinstance(next_page, bool))
        ):
            raise CatalogueUnavailable(
                f"Catalogue de référence : réponse inattendue à la page {page} "
                "(un objet avec « items » (liste) et « next_page » (entier ou null) est attendu).",
                details=[{"page": page}],
            )
        return items, next_page

    def _get(self, params: Mapping[str, str], page: int) -> requests.Response:
        problem = ""
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                self._sleep(self._backoff * 2 ** (attempt - 2))
            try:
                response = self._session.get(self._url, params=dict(params), headers=self._headers, timeout=self._timeout)
            except requests.Timeout:
                problem = "le serveur n'a pas répondu à temps"
            except requests.RequestException as error:
                problem = f"connexion impossible ({type(error).__name__})"
            else:
                if response.status_code == 200:
                    return response
                if response.status_code in (401, 403):
                    raise CatalogueUnavailable(
                        f"Catalogue de référence : accès refusé (HTTP {response.status_code}) ; vérifiez la clé d'API.",
                        details=[{"page": page, "status": response.status_code}],
                    )
                if response.status_code not in _TRANSIENT:
                    raise CatalogueUnavailable(
                        f"Catalogue de référence : erreur HTTP {response.status_code} à la page {page}.",
                        details=[{"page": page, "status": response.status_code}],
                    )
                problem = f"erreur HTTP {response.status_code}"
            logger.warning("catalogue page %s, attempt %s/%s: %s", page, attempt, self._attempts, problem)
        raise CatalogueUnavailable(
            f"Catalogue de référence injoignable : {problem} (page {page}, {self._attempts} tentative(s)).",
            details=[{"page": page, "attempts": self._attempts}],
        )


def _entry(item: object) -> CatalogueEntry:
    """One product of the answer, through the domain's own parsing (same rules as the demo catalogue)."""
    if not isinstance(item, dict):
        raise InvalidInput("objet JSON attendu.")
    row: dict[str, str] = {}
    for key in _FIELDS:
        value = item.get(key)
        if value is None:
            row[key] = ""
        elif isinstance(value, str | Decimal | int) and not isinstance(value, bool):
            row[key] = str(value)
        else:
            raise InvalidInput(f"valeur invalide pour « {key} » : {value!r}.")
    if not row["substance"]:
        row["substance"] = row["label"]
    return CatalogueEntry.parse(row)
