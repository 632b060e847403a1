"""What the upload service asks of the processors of each file type (``services/importers.py``,
``services/resistance.py``) and of the catalogue wait (``services/catalogue_wait.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.imports import Report, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import Upload
from chalicelib.services.ports import SheetLike


@dataclass
class Validation:
    """What a processor found in a file: the report, and what to publish if accepted."""

    report: Report
    payload: Any = None
    header_row: int | None = None
    #: Labels of the laboratory still waiting for a person, by kind: the upload waits (NEEDS_MAPPING).
    needs_mapping: dict[str, Any] | None = None
    #: Columns whose cells never leave the raw file (patient identifier, date of birth): masked in
    #: the rows kept for the annotated report.
    masked_columns: frozenset[int] = frozenset()
    #: The periods the accepted rows carry, when they may differ from the declared one: a year file
    #: holding quarters is imported as one dataset per quarter (empty: the declared period).
    periods: tuple[Period, ...] = ()


class FileProcessor(Protocol):
    """One per file type (services/importers.py)."""

    def validate(self, upload: Upload, establishment: Establishment, sheet: SheetLike) -> Validation: ...

    def publish(self, upload: Upload, establishment: Establishment, validation: Validation) -> tuple[str, ...]:
        """Make the accepted rows current (lake files, and stores for structure and beds).

        Returns the lake keys written. Idempotent for one upload.
        """
        ...


class CatalogueWaiting(Protocol):
    """Consumption files waiting on the drug catalogue (services/catalogue_wait.py, DOMAIN.md §10.4)."""

    def wait(self, upload: Upload, ucds: tuple[str, ...]) -> None: ...

    def settled(self, upload: Upload, status: UploadStatus, why: str = "") -> None: ...
