"""The lake port: its Parquet objects, written by dataset and source, read or removed by key, listed by year."""

from __future__ import annotations

from collections.abc import Sequence
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

    def rows(self, key: str) -> list[dict[str, Any]]:
        """The rows of one object of the lake (a key an upload or a listing named), as dictionaries."""
        ...

    def remove(self, key: str) -> None:
        """Remove one object of the lake, every version of it (nothing when there is none)."""
        ...

    def closed_keys(self, dataset: str, year: int) -> list[str]:
        """The keys of a closed year's objects of one dataset, sorted; none before the year is closed."""
        ...
