"""Uploads: where a file goes, what it may be, and what replaces what."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import InvalidInput, TooLarge
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: A university hospital's year of antibiograms weighs more than any other file.
MAX_RESISTANCE_BYTES = 250 * 1024 * 1024


def size_limit(file_type: FileType) -> int:
    return MAX_RESISTANCE_BYTES if file_type is FileType.RESISTANCE else MAX_UPLOAD_BYTES


CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}
RAW_PREFIX = "uploads"
#: A raw file (patient identifiers) is kept this long after it was last written: the raw bucket's lifecycle
#: expires it then (``infra/resources.py``). A file processed again is written again (its lifetime starts over).
RAW_KEPT_DAYS = 7


@dataclass(frozen=True)
class Upload:
    upload_id: str
    finess: Finess
    file_type: FileType
    period: Period
    filename: str
    size: int
    status: UploadStatus
    created_by: Email
    created_at: str
    updated_at: str
    raw_key: str
    laboratory_id: str | None = None
    version_id: str | None = None  # of the raw object being or having been processed
    error_code: str | None = None
    summary_json: str = "{}"

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods a year file holding quarters made current (each its own data); empty otherwise."""
        found = json.loads(self.summary_json or "{}").get("periods")
        return tuple(str(p) for p in found) if isinstance(found, list) else ()

    @property
    def unknown_ucds(self) -> tuple[str, ...]:
        """The UCDs a NEEDS_CATALOGUE upload waits for (kept with its counts)."""
        found = json.loads(self.summary_json or "{}").get("unknown_ucds")
        return tuple(str(u) for u in found) if isinstance(found, list) else ()

    @property
    def settled(self) -> bool:
        """At its last status: its report will not change any more (an antibiogram file
        VALIDATED still waits for its deduplication workflow)."""
        if self.status is UploadStatus.VALIDATED:
            return self.file_type is not FileType.RESISTANCE
        return self.status.final


def safe_filename(name: str) -> str:
    """A filename safe in an S3 key: ASCII letters, digits, dot, dash, underscore."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("._")
    if len(base) > 100:  # the stem shortened, the extension kept (it decides the file's type)
        stem, dot, extension = base.rpartition(".")
        base = f"{stem[: 99 - len(extension)]}.{extension}" if dot and len(extension) <= 10 else base[:100]
    return base or "fichier"


def content_type_for(filename: str) -> str:
    """Raises InvalidInput for any extension other than .xlsx and .csv."""
    lowered = filename.lower()
    for extension, content_type in CONTENT_TYPES.items():
        if lowered.endswith(extension):
            return content_type
    if lowered.endswith(".xls"):
        raise InvalidInput(
            "Le format Excel 97-2003 (.xls) n'est pas pris en charge : enregistrez le fichier en .xlsx ou en .csv.",
            details=[{"field": "filename", "value": filename}],
        )
    raise InvalidInput(
        f"Format de fichier non pris en charge : « {filename} » (formats acceptés : .xlsx, .csv).",
        details=[{"field": "filename", "value": filename}],
    )


def check_size(size: int, limit: int = MAX_UPLOAD_BYTES, what: str = "Le fichier") -> None:
    """Refuses an empty file or one over ``limit`` bytes; ``what`` names it in the message (« Le fichier »)."""
    if size <= 0:
        raise InvalidInput(f"{what} est vide.", details=[{"field": "size"}])
    if size > limit:
        raise TooLarge(
            f"{what} fait {size / 1_048_576:.1f} Mo : la taille maximale est de {limit / 1_048_576:.0f} Mo.",
            details=[{"field": "size", "value": size}],
        )


def raw_key(finess: Finess, file_type: FileType, period: Period, upload_id: str, filename: str) -> str:
    """Fixed by the server from the caller's establishment: the client cannot choose it."""
    return f"{RAW_PREFIX}/{finess}/{file_type.value}/{period}/{upload_id}/{safe_filename(filename)}"


@dataclass(frozen=True)
class RawKey:
    finess: Finess
    file_type: FileType
    period: Period
    upload_id: str


def parse_raw_key(key: str) -> RawKey | None:
    """The upload a raw object belongs to, or None for a key the server never issued."""
    parts = key.split("/")
    if len(parts) != 6 or parts[0] != RAW_PREFIX:
        return None
    try:
        return RawKey(Finess.parse(parts[1]), FileType(parts[2]), Period.parse(parts[3]), parts[4])
    except (InvalidInput, ValueError):
        return None


def superseded_message(upload: Upload, newer: Upload | None) -> str:
    """French, naming the file sent later that is current instead of ``upload`` (DOMAIN.md §10.2).

    Between a year file holding quarters and a quarter file, the quarter is named.
    """
    named = f" (« {newer.filename} », envoyé le {_french_moment(newer.created_at)})" if newer else ""
    period = newer.period if newer is not None and upload.period.quarter is None else upload.period
    split = " : aucune période de ce fichier n'a été importée" if period != upload.period else ""
    return (
        f"Un fichier plus récent du même type pour la période {period}{named} a été importé : il est conservé "
        f"et ce fichier-ci n'est pas pris en compte{split}. Pour remplacer les données, déposez à nouveau le fichier voulu."
    )


def pointer_periods(upload: Upload) -> tuple[Period, ...]:
    """The periods whose current data this upload may have become: its own, and the quarters of a
    year file of patient-days or consumption (each quarter it holds is imported apart)."""
    if upload.file_type in (FileType.PATIENT_DAYS, FileType.CONSUMPTION) and upload.period.quarter is None:
        return (upload.period, *upload.period.quarters())
    return (upload.period,)


def _french_moment(iso: str) -> str:
    """2026-03-05T14:07:00+00:00 -> 05/03/2026 à 14:07 (UTC)."""
    day, _, clock = iso.partition("T")
    parts = day.split("-")
    if len(parts) != 3 or not clock:
        return iso
    return f"{parts[2]}/{parts[1]}/{parts[0]} à {clock[:5]} (UTC)"


def report_key(upload: Upload, extension: str) -> str:
    """Where an upload's report (``json``), its annotated rows (``rows.json``) and the annotated
    file made from them once (``xlsx``) are kept."""
    return f"reports/{upload.finess}/{upload.upload_id}.{extension}"


def annotated_filename(upload: Upload) -> str:
    """The name the annotated file is downloaded as: ``rapport-<type>-<period>-<file's name>.xlsx``."""
    stem = safe_filename(upload.filename).rsplit(".", 1)[0] or "fichier"
    return f"rapport-{upload.file_type.value}-{upload.period}-{stem}.xlsx"


def raw_expired(upload: Upload, now: datetime) -> bool:
    """Whether a waiting upload's raw file has outlived its retention (so cannot be processed again). Its file was
    last written just before the upload was last processed (``updated_at``), so this errs towards "still there":
    the import function, which alone may read the file, refuses it if it is gone all the same."""
    return now - datetime.fromisoformat(upload.updated_at) > timedelta(days=RAW_KEPT_DAYS)
