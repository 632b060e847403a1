"""The deduplication workflow's work objects: the columns its tasks hand to one another through S3.

One object per name and import, under the import's work area; each is a table of
columns aligned on the isolate table (position ``n`` of every column is the
``n``-th isolate), with a few text values beside them (``metadata``: rule ids,
the table's antibiotics...). Two hold what must not reach the lake's bucket and
live in the raw bucket: the raw patient identifiers and the isolate table.
``work_key`` is the one place the work area's keys are built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class WorkObject(StrEnum):
    PATIENTS = "patients"  # the raw patient identifiers (raw bucket), deleted by ``pseudonymise``
    TABLE = "isolates"  # the isolate table, no identifier (raw bucket)
    PSEUDONYMS = "pseudonyms"
    DECISIONS = "decisions"
    PHENOTYPES = "phenotypes"
    ISOLATES_PART = "isolates_part"  # the isolates file's columns known before the deduplication

    @property
    def in_raw_bucket(self) -> bool:
        return self in (WorkObject.PATIENTS, WorkObject.TABLE)


def work_key(finess: str, upload_id: str, name: WorkObject | None = None) -> str:
    """A work object's key (Parquet), or without ``name`` the import's work area (a prefix, in both buckets)."""
    area = f"work/{finess}/{upload_id}/"
    return area if name is None else f"{area}{name.value}.parquet"


@dataclass(frozen=True)
class WorkColumns:
    """A work object read back: its columns by name (in the order written) and its text values."""

    columns: dict[str, list[Any]]
    metadata: dict[str, str] = field(default_factory=dict)


class WorkObjects(Protocol):
    def put(
        self,
        finess: str,
        upload_id: str,
        name: WorkObject,
        columns: Sequence[tuple[str, str]],
        data: Sequence[Sequence[Any]],
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        """Write (or overwrite) the object: ``data`` column by column, typed by ``columns`` ((name, SQL type)
        pairs: INTEGER, BIGINT, VARCHAR or BOOLEAN), values as given (None is NULL, "" stays "").
        Returns its key (the pointer a message carries)."""
        ...

    def put_parquet(self, finess: str, upload_id: str, name: WorkObject, body: bytes) -> str:
        """Write an object already made as Parquet (by the columnar writer); its key."""
        ...

    def get(self, finess: str, upload_id: str, name: WorkObject) -> WorkColumns:
        """The object's columns, in the rows' order as written. LookupError when absent."""
        ...

    def get_parquet(self, finess: str, upload_id: str, name: WorkObject) -> bytes:
        """The object's Parquet bytes. LookupError when absent."""
        ...

    def exists(self, finess: str, upload_id: str, name: WorkObject) -> bool: ...

    def delete(self, finess: str, upload_id: str, name: WorkObject) -> None:
        """The object goes, every version of it (absent: nothing happens)."""
        ...

    def delete_all(self, finess: str, upload_id: str) -> None:
        """Every object of the import's work area goes, in both buckets, whatever wrote it (an earlier format too)."""
        ...
