"""Ports of imports: uploads, periods, structure, objects, the lake, spreadsheets."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.codes import Finess
from chalicelib.domain.imports import FileType, Problem, UploadStatus
from chalicelib.domain.structure import Unit
from chalicelib.domain.uploads import Upload


@dataclass(frozen=True)
class CurrentDataset:
    """Which upload currently holds an establishment's data for one file type and period."""

    finess: Finess
    file_type: str
    period: str
    upload_id: str
    lake_keys: tuple[str, ...]
    version: int
    #: When its source was sent (an upload's created_at): a source sent earlier never replaces it.
    sent_at: str = ""


class UploadStore(Protocol):
    def create(self, upload: Upload) -> None: ...

    def get(self, finess: Finess, upload_id: str) -> Upload | None: ...

    def list_uploads(self, finess: Finess, file_type: str | None = None, period: str | None = None) -> list[Upload]:
        """Uploads of one establishment, newest first."""
        ...

    def claim(self, finess: Finess, upload_id: str, version_id: str, at: str) -> bool:
        """Move PENDING -> PROCESSING for this object version, once.

        Returns False when the upload is not PENDING or this version was already
        claimed (the S3 event was delivered twice): the caller does nothing.
        """
        ...

    def finish(self, finess: Finess, upload_id: str, status: str, at: str, summary_json: str, error_code: str | None) -> None:
        """Record the outcome of processing."""
        ...

    def reopen(self, finess: Finess, upload_id: str, at: str, waiting: UploadStatus) -> bool:
        """``waiting`` (NEEDS_MAPPING or NEEDS_CATALOGUE) -> PENDING, once; False when not in it any more."""
        ...

    def waiting_on_catalogue(self) -> list[Upload]:
        """Every establishment's NEEDS_CATALOGUE uploads (DOMAIN.md §10.4)."""
        ...

    def unfinished(self, updated_before: str) -> list[Upload]:
        """Every establishment's uploads not yet at a terminal status of their file type (PENDING,
        PROCESSING, and VALIDATED antibiograms whose workflow has not ended) last changed
        before ``updated_before``."""
        ...

    def abandon(self, upload: Upload, status: str, at: str, summary_json: str, error_code: str | None) -> bool:
        """Record the outcome of an upload found stuck, if it is still as it was read (same status and
        ``updated_at``); False when it moved meanwhile (its processing was alive after all)."""
        ...

    def claim_annotated_report(self, finess: Finess, upload_id: str, at: str, stale_before: str) -> bool:
        """Record, once, that the upload's annotated report is being produced (a conditional write).

        True for the one caller that should start its production: none was recorded, or the one
        recorded began before ``stale_before`` (it died). False for every other caller, and for an
        upload that does not exist.
        """
        ...

    def current(self, finess: Finess, file_type: str, period: str) -> CurrentDataset | None: ...

    def current_for_year(self, finess: Finess, year: int) -> list[CurrentDataset]: ...

    def remove_current(self, current: CurrentDataset) -> None:
        """Remove the pointer ``current`` (still at its version, the period and its year open), in
        one transaction. Raises Conflict when it moved, PeriodClosed when closing or closed."""
        ...

    def replace_current(self, new: CurrentDataset, expected_version: int | None) -> None:
        """Point (finess, type, period) at ``new``, if it still points where the caller read
        and if neither the period nor its year is closing or closed — in one transaction, so
        that an import never lands in a period once its closure has begun.

        ``expected_version`` None means "nothing yet". Raises Conflict when a
        concurrent import replaced it first, or ``PeriodClosed`` when the period closed.
        """
        ...


@dataclass(frozen=True)
class PeriodState:
    finess: Finess
    period: str
    status: str  # open | closing | closed
    changed_at: str
    changed_by: str
    reason: str | None = None


class PeriodStatusStore(Protocol):
    """Where each period of an establishment stands (DOMAIN.md §8). Absent means open."""

    def is_closed(self, finess: Finess, period: str) -> bool:
        """Whether ``period`` is closing or closed, itself or through its year (a quarter of a closed year is closed)."""
        ...

    def states(self, finess: Finess, year: int) -> list[PeriodState]: ...

    def start_closing(self, finess: Finess, period: str, at: str, by: str) -> None:
        """open -> closing, once. Raises Conflict when closing or closed already."""
        ...

    def finish_closing(self, finess: Finess, period: str, at: str) -> None:
        """closing -> closed (idempotent when closed)."""
        ...

    def abort_closing(self, finess: Finess, period: str, at: str) -> None:
        """closing -> open: blocking controls appeared meanwhile."""
        ...

    def reopen(self, finess: Finess, period: str, at: str, by: str, reason: str) -> None:
        """closed -> open. Raises Conflict when not closed."""
        ...


class SettingsStore(Protocol):
    def periodicities(self, finess: Finess, year: int) -> dict[str, str] | None:
        """``{"consumption_periodicity": ..., "resistance_periodicity": ...}`` or None if never set."""
        ...

    def put_periodicities(self, finess: Finess, year: int, values: dict[str, str]) -> None:
        """Sets the periodicities given, leaving the year's other settings as they are."""
        ...

    def antifungals_reported(self, finess: Finess, year: int) -> bool | None:
        """The year's statement that its consumption files cover antifungals (DOMAIN.md §10.5); None if never stated."""
        ...

    def put_antifungals_reported(self, finess: Finess, year: int, reported: bool) -> None:
        """States it, leaving the periodicities as they are."""
        ...

    def antifungal_statements(self, year: int, establishments: Iterable[Finess]) -> dict[str, bool]:
        """The statements of the year made by these establishments, by FINESS (those never stated are absent)."""
        ...


class UnitStore(Protocol):
    def units(self, finess: Finess) -> list[Unit]: ...

    def put_unit(self, finess: Finess, unit: Unit) -> None: ...

    def delete_unit(self, finess: Finess, code_uf: str) -> bool: ...

    def replace_units(self, finess: Finess, units: Sequence[Unit]) -> None:
        """The structure file replaces the whole structure."""
        ...

    def beds(self, finess: Finess, year: int) -> dict[str, int]: ...

    def replace_beds(self, finess: Finess, year: int, beds: dict[str, int]) -> None: ...


class ObjectStore(Protocol):
    """Objects in the platform's buckets (raw uploads, lake, reports)."""

    def presigned_post(self, bucket: str, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        """A POST policy limited to this key, type and size: ``{"url", "fields"}``."""
        ...

    def head(self, bucket: str, key: str, version_id: str | None = None) -> dict[str, Any] | None:
        """``{"size", "content_type", "version_id"}`` or None when absent."""
        ...

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes: ...

    def put(self, bucket: str, key: str, body: bytes, content_type: str) -> None: ...

    def put_new(self, bucket: str, key: str, body: bytes, content_type: str) -> bool:
        """Write only if no object is at ``key`` (atomic: of two writers at once, one wins); False if one is."""
        ...

    def delete_all_versions(self, bucket: str, key: str) -> None: ...

    def copy(self, bucket: str, source: str, target: str) -> None:
        """A server-side copy within one bucket."""
        ...

    def touch(self, bucket: str, key: str) -> None:
        """A new version of the object with the same content (fires "object created" again)."""
        ...

    def list_keys(self, bucket: str, prefix: str) -> list[str]: ...

    def presigned_get(self, bucket: str, key: str, filename: str, expires_in: int) -> str:
        """A URL that downloads the object as ``filename`` (attachment) for ``expires_in`` seconds."""
        ...


class ColumnarLakeWriter(Protocol):
    """Parquet from columns, for the resistance workflow's large files (adapters/duckdb_results_writer.py)."""

    def columns_parquet(self, columns: Sequence[tuple[str, str]], data: Sequence[Sequence[Any]]) -> bytes:
        """Parquet of ``data`` given column by column, in the order of ``columns`` ((name, SQL type) pairs)."""
        ...

    def joined_parquet(
        self,
        columns: Sequence[tuple[str, str]],
        base: bytes,
        on: str,
        data_columns: Sequence[tuple[str, str]],
        data: Sequence[Sequence[Any]],
    ) -> bytes:
        """Parquet of ``base``'s rows joined one to one, on column ``on``, with ``data``'s (given column by
        column); the output has ``columns``, each from ``data`` when it has it, else from ``base``."""
        ...

    def unpivoted_parquet(
        self,
        columns: Sequence[tuple[str, str]],
        constants: Sequence[Any],
        ids: Sequence[str],
        codes: Sequence[str],
        cells: Sequence[str],
        symbols: Mapping[str, str],
    ) -> bytes:
        """Long rows ``(*constants, id, code, value)``: one per character of ``cells[n]`` found in ``symbols``."""
        ...


class LakeWriter(Protocol):
    def parquet(self, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> bytes:
        """Rows as Parquet bytes; ``columns`` are (name, SQL type) pairs."""
        ...


class SheetLike(Protocol):
    """The cells of a sheet as text (see adapters/spreadsheets.Sheet)."""

    @property
    def rows(self) -> list[list[str]]: ...

    @property
    def row_numbers(self) -> list[int]: ...

    @property
    def date1904(self) -> bool: ...


class SpreadsheetReader(Protocol):
    def read(self, data: bytes, filename: str) -> SheetLike:
        """Raises TooLarge or Unprocessable (French message) when the file cannot be read."""
        ...


class ReportRenderer(Protocol):
    def annotated(
        self, rows: Sequence[Sequence[str]], row_numbers: Sequence[int], header_row: int | None, problems: Sequence[Problem]
    ) -> bytes:
        """The file's rows annotated with their problems, as XLSX bytes."""
        ...

    def template(self, file_type: FileType) -> bytes: ...


class LakeReader(Protocol):
    def rows(self, bucket: str, key: str) -> list[dict[str, Any]]:
        """The rows of one Parquet object of the lake, as dictionaries."""
        ...

    def select(
        self,
        bucket: str,
        keys: Sequence[str],
        columns: Sequence[str],
        only: tuple[str, Collection[str]] | None = None,
        spread: tuple[Sequence[str], str] | None = None,
    ) -> list[tuple[Any, ...]]:
        """``columns`` of the rows of several Parquet objects of the lake, as tuples in that order. With
        ``only=(column, values)``, the rows whose ``column`` is one of ``values``; with ``spread=(group,
        across)``, the rows whose values of the ``group`` columns are found with more than one value of
        ``across`` among all the rows (e.g. a patient × species seen in several periods). No key: no row."""
        ...
