"""Whose standard reports a version belongs to (a shelf: an establishment's, a region's synthesis, the
national synthesis) and what is known of a stored version (DOMAIN.md §10.8)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shelf:
    """Whose reports: an establishment's, a region's synthesis, or the national synthesis."""

    folder: str  # under reports/
    stem: str  # how its files are named when downloaded

    @classmethod
    def establishment(cls, finess: str) -> Shelf:
        return cls(f"establishments/{finess}", f"rapport-{finess}")

    @classmethod
    def region(cls, code: str) -> Shelf:
        return cls(f"regions/{code}", f"synthese-region-{code}")

    @classmethod
    def national(cls) -> Shelf:
        return cls("national", "synthese-nationale")

    def filename(self, report: StoredReport) -> str:
        return f"{self.stem}-{report.year}-v{report.version}.pdf"


@dataclass(frozen=True)
class StoredReport:
    year: int
    version: int
    generated_at: str  # ISO 8601, UTC
    pages: int
    #: What it reports: the year's closure (the moment its last period closed), or a generation request. One version
    #: per claim.
    claim: str
    #: Which workflow execution made it: of two closures of the same moment, only its maker mails it.
    made_by: str = ""
