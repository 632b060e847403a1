"""What an import is: its file type, its status, and the report of every problem."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.authorization import Action


class FileType(enum.StrEnum):
    STRUCTURE = "structure"
    BEDS = "beds"
    PATIENT_DAYS = "patient_days"
    CONSUMPTION = "consumption"
    RESISTANCE = "resistance"

    @property
    def action(self) -> Action:
        """Structure and beds are the référent's; the rest référent or contributeur."""
        return Action.EDIT_STRUCTURE if self in (FileType.STRUCTURE, FileType.BEDS) else Action.UPLOAD_DATA

    @property
    def label(self) -> str:
        return {
            "structure": "structure",
            "beds": "lits",
            "patient_days": "journées d'hospitalisation",
            "consumption": "consommation d'antibiotiques et d'antifongiques",
            "resistance": "résistance (antibiogrammes)",
        }[self.value]

    @property
    def periodicity_setting(self) -> str | None:
        """The periodicity setting the type follows (None: always yearly). Patient-days share the consumption's."""
        if self in (FileType.STRUCTURE, FileType.BEDS):
            return None
        return "resistance_periodicity" if self is FileType.RESISTANCE else "consumption_periodicity"

    @property
    def dataset(self) -> str:
        """The lake dataset the accepted rows go to."""
        return {"resistance": "isolates"}.get(self.value, self.value)


class UploadStatus(enum.StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    REJECTED = "REJECTED"
    NEEDS_MAPPING = "NEEDS_MAPPING"
    #: A consumption file whose only blocking problems are UCDs unknown to the catalogue (DOMAIN.md §10.4).
    NEEDS_CATALOGUE = "NEEDS_CATALOGUE"
    VALIDATED = "VALIDATED"
    DEDUPLICATED = "DEDUPLICATED"
    FAILED = "FAILED"

    @property
    def final(self) -> bool:
        return self in (UploadStatus.REJECTED, UploadStatus.VALIDATED, UploadStatus.DEDUPLICATED, UploadStatus.FAILED)

    @property
    def waiting(self) -> bool:
        """Waiting on someone (labels to map, UCDs to add): processed again, by itself or on a resume."""
        return self in (UploadStatus.NEEDS_MAPPING, UploadStatus.NEEDS_CATALOGUE)


#: The problem of a consumption row whose UCD the drug catalogue does not know (yet).
UNKNOWN_UCD = "ucd.unknown"


class Severity(enum.StrEnum):
    ERROR = "error"  # blocks the file
    WARNING = "warning"  # reported, the file is accepted


@dataclass(frozen=True)
class Problem:
    """One problem of one file: where (row, column, value), what (code, French message)."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    row: int | None = None  # spreadsheet row number, 1-based as the user sees it
    column: str | None = None  # the file's own header text
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "code": self.code, "message": self.message}


@dataclass
class Report:
    """Everything found in a file; accepted only without errors."""

    rows_read: int = 0
    rows_accepted: int = 0
    problems: list[Problem] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    #: Labels waiting for a mapping, by kind (resistance files): the import waits for them.
    unmapped: dict[str, Any] | None = None

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def accepted(self) -> bool:
        return not self.errors

    def waits_on_catalogue(self) -> tuple[str, ...]:
        """The UCDs the file waits for when unknown UCDs are its only blocking problems (DOMAIN.md §10.4):
        it is then validated again once the catalogue knows them all. Empty otherwise (accepted or refused)."""
        errors = self.errors
        if not errors or any(p.code != UNKNOWN_UCD for p in errors):
            return ()
        return tuple(sorted({str(u) for u in self.summary.get("unknown_ucds") or ()} | {p.value for p in errors if p.value}))

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> Report:
        """The report ``as_dict`` wrote (its errors, then its warnings)."""
        problems = [
            Problem(p["code"], p["message"], severity, p.get("row"), p.get("column"), p.get("value"))
            for severity, found in ((Severity.ERROR, document.get("errors")), (Severity.WARNING, document.get("warnings")))
            for p in found or []
        ]
        return cls(
            int(document.get("rows_read") or 0),
            int(document.get("rows_accepted") or 0),
            problems,
            dict(document.get("summary") or {}),
            document.get("unmapped") or None,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "summary": self.summary,
            **({"unmapped": self.unmapped} if self.unmapped else {}),
        }
