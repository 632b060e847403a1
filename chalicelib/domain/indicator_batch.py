"""A dashboard section's questions in one request: the ``items`` of ``GET /api/indicator-batch``.

Each item is ``[kind/]indicator[:name=value]...`` and items are separated by commas, e.g.
``ddj_1000jh,ddj_1000jh:by=family,trend/pct_phenotype:phenotype=sarm:from=2021:to=2025,
benchmark/ddj_1000jh:by=sector``. ``kind`` is ``values`` (the default), ``trend`` or ``benchmark``;
the names are the query parameters of the single routes (``scope`` and ``year`` come from the
batch itself unless an item names them: ``ddj_1000jh:scope=region:52`` — a colon separates two
options only where a known name and ``=`` follow it, so a scope keeps its own)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib.domain.errors import InvalidInput

KINDS = ("values", "trend", "benchmark")
#: What an item may name: the options of the single routes.
NAMES = ("scope", "year", "by", "phenotype", "specimen", "sector", "pair", "from", "to", "establishment")
#: A section asks a handful of questions; a page is several sections, never one batch.
MAX_ITEMS = 24
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
#: The colons that start an option: followed by one of ``NAMES`` and ``=``.
_OPTION = re.compile(r":(?=(?:" + "|".join(NAMES) + r")=)")


@dataclass(frozen=True)
class BatchItem:
    kind: str
    indicator: str
    params: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.params.get(name)


def parse_items(text: str | None) -> list[BatchItem]:
    """The items of a batch, in order; a malformed one is an InvalidInput naming it."""
    parts = [p for p in (text or "").split(",") if p.strip()]
    if not parts:
        raise InvalidInput("Précisez les indicateurs demandés : items=<indicateur>,…", details=[{"field": "items"}])
    if len(parts) > MAX_ITEMS:
        raise InvalidInput(
            f"Au plus {MAX_ITEMS} indicateurs par requête groupée ({len(parts)} demandés).", details=[{"field": "items"}]
        )
    return [_item(p.strip()) for p in parts]


def _item(text: str) -> BatchItem:
    head, *pairs = _OPTION.split(text)
    kind, _, indicator = head.rpartition("/")
    kind = kind or "values"
    if kind not in KINDS or not _IDENTIFIER.fullmatch(indicator):
        raise _malformed(text)
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in NAMES or not value or name in params or (":" in value and name != "scope"):
            raise _malformed(text)
        params[name] = value
    return BatchItem(kind, indicator, params)


def _malformed(text: str) -> InvalidInput:
    return InvalidInput(
        f"Demande groupée illisible : « {text} » (attendu : [trend/|benchmark/]indicateur[:nom=valeur]…).",
        details=[{"field": "items", "value": text}],
    )
