"""The reports port: each upload's report, read and written whole."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.imports import Report
from chalicelib.domain.uploads import Upload


class ReportStore(Protocol):
    """One report per upload (what its file, then its workflow, found); where it is kept is the store's own."""

    def get(self, upload: Upload) -> Report | None:
        """The upload's report; None before one is written."""
        ...

    def put(self, upload: Upload, report: Report) -> None:
        """Write the upload's report, replacing the one before."""
        ...
