"""Which format a file really is, by its content."""

from __future__ import annotations

import codecs
from typing import Literal

from chalicelib.adapters.spreadsheets.messages import empty_sheet, encrypted, refused, wrong_format
from chalicelib.domain.errors import Unprocessable

# --------------------------------------------------------------------------- format detection

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "est un document PDF"),
    (b"\x89PNG", "est une image PNG"),
    (b"\xff\xd8\xff", "est une image JPEG"),
    (b"GIF8", "est une image GIF"),
    (b"II*\x00", "est une image TIFF"),
    (b"MM\x00*", "est une image TIFF"),
    (b"BM", "est une image"),
    (b"Rar!", "est une archive RAR"),
    (b"7z\xbc\xaf\x27\x1c", "est une archive 7-Zip"),
    (b"\x1f\x8b", "est une archive compressée (gzip)"),
    (b"{\\rtf", "est un document RTF"),
)
# Raw BIFF2-BIFF5 workbooks (before the OLE2 container) start with a BOF record.
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")
_XLS = "est au format Excel 97-2003 (.xls) non pris en charge, enregistrez en .xlsx ou .csv"


def sniff_format(data: bytes, name: str) -> Literal["xlsx", "csv"]:
    """Decide the format from the content; refuse what is neither XLSX nor CSV."""
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise empty_sheet()
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "xlsx"
    if data.startswith(_CFB):
        raise _refuse_cfb(data, name)
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature) and not (signature == b"BM" and _looks_textual(data)):
            raise wrong_format(name, what)
    if data.startswith(_BIFF_BOF):
        raise refused(f"Le fichier « {name} » {_XLS}.", "file.xls")
    head = data[:4096].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body")):
        raise wrong_format(name, "est une page HTML (souvent un export « .xls » qui n'en est pas un)")
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
            raise wrong_format(name, "est au format XML Excel 2003")
        raise wrong_format(name, "est un document XML")
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in data[:65536]:
        raise wrong_format(name, "n'est pas un fichier texte ni un classeur reconnu")
    return "csv"


def _looks_textual(data: bytes) -> bool:
    return b"\x00" not in data[:1024]


def _refuse_cfb(data: bytes, name: str) -> Unprocessable:
    """An OLE2 compound file: an encrypted OOXML workbook, an .xls, or another old Office file.

    Directory entry names are stored in UTF-16LE; finding one is enough to tell them apart.
    """
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return encrypted(name)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return refused(f"Le fichier « {name} » {_XLS}.", "file.xls")
    if "WordDocument".encode("utf-16-le") in data:
        return wrong_format(name, "est un document Word 97-2003")
    return wrong_format(name, "est un document Office ancien (format OLE) non reconnu")
