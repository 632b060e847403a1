"""The lake port: its Parquet objects, written by dataset and source, read or removed by key, copied to the closed
area, listed by year."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from chalicelib.domain.lake import Dataset
from chalicelib.domain.tenants import Establishment


class LakeStore(Protocol):
    """The lake's objects; which bucket holds them and how their keys are laid out are the store's own."""

    def write(
        self, dataset: Dataset, year: int, establishment: Establishment, source_id: str, rows: Sequence[Sequence[Any]]
    ) -> str:
        """Write one source's rows of a dataset (an upload, a recomputation; in the dataset's column order)
        for an establishment and year, where the lake keeps them; the key written. Idempotent."""
        ...

    def write_parquet(self, dataset: Dataset, year: int, establishment: Establishment, source_id: str, body: bytes) -> str:
        """``write`` for rows already made as Parquet (by the columnar writer, in the dataset's columns)."""
        ...

    def remove_written(self, dataset: Dataset, year: int, establishment: Establishment, source_id: str) -> None:
        """Remove what ``write`` wrote for this source, every version of it (nothing when there is none)."""
        ...

    def rows(self, key: str) -> list[dict[str, Any]]:
        """The rows of one object of the lake (a key an upload or a listing named), as dictionaries."""
        ...

    def select(
        self,
        keys: Sequence[str],
        columns: Sequence[str],
        only: tuple[str, Collection[str]] | None = None,
        spread: tuple[Sequence[str], str] | None = None,
    ) -> list[tuple[Any, ...]]:
        """``columns`` of the rows of several objects of the lake, as tuples in that order (``LakeReader.select``:
        ``only`` keeps the rows whose column has one of the values, ``spread`` the groups seen across several
        values of a column). No key: no row."""
        ...

    def remove(self, key: str) -> None:
        """Remove one object of the lake, every version of it (nothing when there is none)."""
        ...

    def copy_closed(self, key: str) -> None:
        """Copy a current object to the closed area, the only data regions and the nation read."""
        ...

    def copy_closed_year(self, key: str) -> None:
        """Copy a year's current whole-year decisions to the closed area, under their own name, removing the
        establishment's copy of the year made before (one per establishment and year, ``domain/lake.closed_year_key``)."""
        ...

    def remove_closed(self, key: str) -> None:
        """Remove the closed copy of a current object (its period reopened); nothing when there is none."""
        ...

    def closed_version(self) -> str:
        """The closed area's state: another value after each object copied to it or removed from it."""
        ...

    def closed_keys(
        self, dataset: str, year: int, region: str | None = None, finess: str | None = None, version: str | None = None
    ) -> list[str]:
        """The keys of a closed year's objects of one dataset, sorted: the nation's, a region's, or one
        establishment's (with its region); none before the year is closed. With the ``version`` of the closed
        area read before (``closed_version``), a listing made under that same state may be given again."""
        ...
