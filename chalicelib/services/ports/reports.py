"""The reports port: each upload's report, read and written whole, with the rows kept for its annotated copy
and that copy once made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from chalicelib.domain.imports import Report
from chalicelib.domain.uploads import Upload


@dataclass(frozen=True)
class KeptRows:
    """The rows of a file kept at import for its annotated copy: the header's number, the rows and their numbers."""

    header_row: int | None = None
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


class ReportStore(Protocol):
    """One report per upload (what its file, then its workflow, found); where it is kept is the store's own."""

    def get(self, upload: Upload) -> Report | None:
        """The upload's report; None before one is written."""
        ...

    def put(self, upload: Upload, report: Report) -> None:
        """Write the upload's report, replacing the one before."""
        ...

    def put_rows(self, upload: Upload, kept: KeptRows) -> None:
        """Keep the rows its annotated copy will show, replacing those kept before."""
        ...

    def rows(self, upload: Upload) -> KeptRows | None:
        """The rows kept at import; None when none were (an upload settled by the sweeper)."""
        ...

    def annotated(self, upload: Upload) -> str | None:
        """Where the annotated copy (XLSX) is kept (a key, for the logs); None before it is written."""
        ...

    def put_annotated(self, upload: Upload, body: bytes) -> str:
        """Write the annotated copy (XLSX bytes); where it is kept."""
        ...

    def annotated_url(self, upload: Upload, filename: str, expires_in: int) -> str:
        """A URL that downloads the annotated copy as ``filename`` for ``expires_in`` seconds."""
        ...
