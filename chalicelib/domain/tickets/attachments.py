"""What a ticket may carry: PDF, PNG, JPEG, CSV, XLSX or text files of 10 MB at most, 10 per ticket."""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.uploads import check_size, safe_filename

MAX_ATTACHMENT_BYTES = 10 * 1_048_576
MAX_ATTACHMENTS = 10
ATTACHMENT_TYPES: Mapping[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
}


def attachment_filename(raw: object) -> str:
    """The name kept (and shown): ASCII letters, digits, dot, dash and underscore, the extension kept."""
    text = str(raw or "").strip()
    if not text:
        raise InvalidInput("Le nom du fichier est vide.", details=[{"field": "filename"}])
    return safe_filename(text)


def attachment_type(filename: str) -> str:
    """The content type the presigned POST imposes. Raises InvalidInput for any other kind of file."""
    lowered = filename.lower()
    for extension, content_type in ATTACHMENT_TYPES.items():
        if lowered.endswith(extension):
            return content_type
    raise InvalidInput(
        f"Type de pièce jointe non accepté : « {filename} » (formats acceptés : PDF, PNG, JPEG, CSV, XLSX, TXT).",
        details=[{"field": "filename", "value": filename}],
    )


def check_attachment_size(size: int) -> None:
    check_size(size, MAX_ATTACHMENT_BYTES, "La pièce jointe")
