"""Ports of indicators: the query engine over the lake, and its errors; the national methods' settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.errors import DomainError, TooLarge
from chalicelib.domain.resistance.dedup_setting import DedupSetting


@dataclass(frozen=True)
class TableSource:
    """The Parquet objects standing behind one table of a query, and its columns."""

    keys: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]


#: The tables of a query: each table name and the objects behind it.
Tables = Mapping[str, TableSource]


class QueryEngine(Protocol):
    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
        """Run ``chalicelib/queries/<query>.sql`` (Athena dialect) with bound parameters.

        Parameters are bound, never interpolated; ``tables`` says which objects
        stand behind each table name (the engine adds the partition columns
        ``year``, ``region``, ``es`` from their keys).
        """
        ...


class QueryTooLarge(TooLarge):
    """The query would read more than the engine allows per query (Athena workgroup's scan limit)."""

    code = "ERR_QUERY_TOO_LARGE"
    default_message = "Cet indicateur lirait plus de données que la limite autorisée par requête."


class QueryFailed(DomainError):
    """The query engine failed, was unreachable, or gave up waiting (HTTP 503)."""

    code = "ERR_QUERY_FAILED"
    default_message = "Le calcul de l'indicateur a échoué : réessayez plus tard."


class MethodSettings(Protocol):
    """The national settings of the indicators' methods, every version kept."""

    def dedup_versions(self) -> list[DedupSetting]:
        """Every stored version of the deduplication setting, oldest first (none: the initial one holds)."""
        ...

    def add_dedup_version(self, setting: DedupSetting) -> None:
        """Stores a new version. Raises Conflict if that version exists (another change came first)."""
        ...


class DerivedRowsStore(Protocol):
    """Where each establishment's rows of an indicator over closed data are kept between calls and containers
    (``services/indicators/establishment_rows.py``): one document per indicator, year and options."""

    def read(self, name: str) -> bytes | None:
        """The document stored under ``name``, or None."""
        ...

    def write(self, name: str, body: bytes) -> None:
        """Stores (or replaces) the document under ``name``."""
        ...
