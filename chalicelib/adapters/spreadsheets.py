"""Read an uploaded spreadsheet (XLSX or CSV) into rows of text, refusing bad files cleanly.

Every cell comes back as the text the person typed (``'0412'`` stays ``'0412'``,
``'NA'`` and ``'#N/A'`` stay themselves); turning text into dates and numbers is
the domain's job (``chalicelib.domain.cells``). A file that cannot be read raises
a domain error with a French message — never anything else:

* ``TooLarge`` — over the byte limit, a zip bomb (checked on the central
  directory before anything is decompressed), too many rows or columns;
* ``Unprocessable`` — wrong format (PDF, image, ``.xls``, ``.ods``...), a
  password-protected workbook, XML with DOCTYPE/ENTITY declarations, a damaged
  archive, formulas without a cached value, a CSV that is neither UTF-8 nor
  Windows-1252, an empty file.

Cost: the XLSX path decompresses each XML part once in Python (to check sizes,
CRCs and XML prologs, and to spot with literal byte searches formulas without
value, error cells and zero-padded number formats) before calamine parses the
sheet. Only when those searches find something is the sheet decompressed again
to judge the cells they point at (a full expat walk if cells lack references).
On a 60,000 × 6 sheet the whole read costs about 1.4 times calamine alone.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import posixpath
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from xml.parsers import expat

import python_calamine

from chalicelib.domain.cells import column_letter
from chalicelib.domain.errors import DomainError, TooLarge, Unprocessable

__all__ = ["ReadLimits", "Sheet", "read_table"]

MB = 1_000_000


@dataclass(frozen=True)
class ReadLimits:
    """What an uploaded file may weigh. Sizes in bytes.

    ``ratio_floor_bytes``: members smaller than this are not ratio-checked (a
    10 kB part of spaces compresses 500 times and harms nobody); the total size
    limit still bounds them.
    """

    max_bytes: int = 250 * MB  # the upload limits (50 MB, 250 MB for antibiograms) come first
    # A legitimate year of antibiograms (150,000 isolates) unzips to about 230 MB of
    # XML at a ratio near 13; a bomb is stopped by the per-member ratio.
    max_uncompressed_bytes: int = 2_000 * MB
    max_compression_ratio: float = 200
    max_members: int = 10_000
    max_rows: int = 1_048_576  # Excel's own limit
    max_columns: int = 1_000
    ratio_floor_bytes: int = 1 * MB


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet, as text.

    ``rows`` are rectangular and exclude rows where every cell is empty;
    ``row_numbers[i]`` is the 1-based spreadsheet row number of ``rows[i]`` (for
    a CSV, the record number, as Excel would show it). Column ``j`` of a row is
    spreadsheet column ``j`` (A = 0) for an XLSX. ``date1904`` tells how to read
    Excel date serials typed as plain numbers.
    """

    rows: list[list[str]]
    row_numbers: list[int]
    date1904: bool
    format: Literal["xlsx", "csv"]
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


def read_table(data: bytes, filename: str, limits: ReadLimits | None = None) -> Sheet:
    """Read the first visible sheet of an XLSX, or a CSV, detected by content.

    Raises:
        TooLarge: the file, its decompressed content, or its rows/columns exceed ``limits``.
        Unprocessable: the file is not a readable XLSX/CSV (message in French).
    """
    limits = limits or ReadLimits()
    name = _display_name(filename)
    try:
        if len(data) > limits.max_bytes:
            raise TooLarge(
                f"Le fichier « {name} » fait {_mo(len(data))} Mo : la taille maximale acceptée est de "
                f"{_mo(limits.max_bytes)} Mo.",
                details=[{"problem": "file.too_large", "size": len(data), "limit": limits.max_bytes}],
            )
        kind = _sniff(data, name)
        if kind == "xlsx":
            return _read_xlsx(data, name, limits)
        return _read_csv(data, name, limits)
    except DomainError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
        ET.ParseError,
        expat.ExpatError,
        csv.Error,
        ValueError,
        KeyError,
        IndexError,
        EOFError,
        OSError,
        NotImplementedError,
        RecursionError,
    ) as exc:
        raise _damaged(name) from exc


# --------------------------------------------------------------------------- messages


def _display_name(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1] or "sans nom"


def _mo(size: float) -> str:
    """Megabytes the French way: 262,1 / 4\u00a0000."""
    text = f"{size / MB:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return text.removesuffix(",0")


def _count(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u00a0")


def _refuse(message: str, problem: str, **details: object) -> Unprocessable:
    return Unprocessable(message, details=[{"problem": problem, **details}])


def _damaged(name: str) -> Unprocessable:
    return _refuse(
        f"Le fichier « {name} » est endommagé et ne peut pas être lu : ouvrez-le dans Excel, "
        "enregistrez-le au format .xlsx ou .csv puis réimportez-le.",
        "file.damaged",
    )


def _empty() -> Unprocessable:
    return _refuse("Le fichier est vide.", "file.empty")


def _wrong_format(name: str, what: str, problem: str = "file.format") -> Unprocessable:
    return _refuse(
        f"Le fichier « {name} » {what} : seuls les classeurs Excel (.xlsx) et les fichiers CSV sont acceptés ; "
        "enregistrez-le en .xlsx ou .csv.",
        problem,
    )


def _encrypted(name: str) -> Unprocessable:
    return _refuse(
        f"Le classeur « {name} » est protégé par un mot de passe : ouvrez-le dans Excel, retirez le mot de passe "
        "(Fichier > Informations > Protéger le classeur), enregistrez-le puis réimportez-le.",
        "file.encrypted",
    )


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


def _sniff(data: bytes, name: str) -> Literal["xlsx", "csv"]:
    """Decide the format from the content; refuse what is neither XLSX nor CSV."""
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise _empty()
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "xlsx"
    if data.startswith(_CFB):
        raise _refuse_cfb(data, name)
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature) and not (signature == b"BM" and _looks_textual(data)):
            raise _wrong_format(name, what)
    if data.startswith(_BIFF_BOF):
        raise _refuse(f"Le fichier « {name} » {_XLS}.", "file.xls")
    head = data[:4096].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body")):
        raise _wrong_format(name, "est une page HTML (souvent un export « .xls » qui n'en est pas un)")
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
            raise _wrong_format(name, "est au format XML Excel 2003")
        raise _wrong_format(name, "est un document XML")
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in data[:65536]:
        raise _wrong_format(name, "n'est pas un fichier texte ni un classeur reconnu")
    return "csv"


def _looks_textual(data: bytes) -> bool:
    return b"\x00" not in data[:1024]


def _refuse_cfb(data: bytes, name: str) -> Unprocessable:
    """An OLE2 compound file: an encrypted OOXML workbook, an .xls, or another old Office file.

    Directory entry names are stored in UTF-16LE; finding one is enough to tell them apart.
    """
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return _encrypted(name)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return _refuse(f"Le fichier « {name} » {_XLS}.", "file.xls")
    if "WordDocument".encode("utf-16-le") in data:
        return _wrong_format(name, "est un document Word 97-2003")
    return _wrong_format(name, "est un document Office ancien (format OLE) non reconnu")


# --------------------------------------------------------------------------- XLSX: archive checks

_CHUNK = 1 << 20  # decompressed bytes handed over at a time
_CHUNK_IN = 1 << 18  # compressed bytes fed at a time
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_P = rb"(?:[A-Za-z_][\w.\-]*:)?"  # optional namespace prefix (x:c, x:f...)
# What may follow the end of a formula when the cell has no cached value: anything but a non-empty
# <v> (the cell schema orders children f, v, is, extLst, so a value follows its formula). Patterns
# start with a literal, which re searches fast; each candidate is then judged on the whole cell.
# Chunks overlap by _CARRY bytes, so a formula ending near the end of one is judged in the next.
_NO_VALUE_AFTER = rb"\s*(?:<(?!" + _P + rb"v[\s>/])|<" + _P + rb"v\s*/>|<" + _P + rb"v(?:\s[^<>]*)?>\s*<)"
_FORMULA_END = re.compile(rb"f>")  # ends </f>, </x:f> (and opens <f>, followed by text: no match below)
_FORMULA_END_NO_VALUE = re.compile(rb"f>" + _NO_VALUE_AFTER)
# Shared-formula children, <f t="shared" si="0"/>: no body, so no "f>".
_SHARED_CHILD_NO_VALUE = re.compile(rb"si=(?:\"[^\"<>]*\"|'[^'<>]*')[^<>]*/>" + _NO_VALUE_AFTER)
_ERROR_DOUBLE = re.compile(rb'"e"')  # t="e": an error cell (#N/A...), which calamine reads as empty
_ERROR_SINGLE = re.compile(rb"'e'")
_CARRY = 512  # bytes kept from one chunk to the next so that patterns spanning chunks are still seen


class _Archive:
    """The members of a zip, decompressed by hand so that sizes and CRCs are enforced."""

    def __init__(self, data: bytes, name: str, limits: ReadLimits) -> None:
        self.name = name
        self.view = memoryview(data)
        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, OSError, EOFError) as exc:
            raise _damaged(name) from exc
        files = [info for info in infos if not info.is_dir()]
        self._check_central_directory(files, limits)
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in files:
            if info.filename in self.members:
                raise _damaged(name)  # two entries with one name: readers would disagree on which is read
            self.members[info.filename] = info
        self.inspected: set[str] = set()

    def _check_central_directory(self, files: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
        """Zip bomb checks on the declared sizes, before a single byte is decompressed."""
        if len(files) > limits.max_members:
            raise TooLarge(
                f"Le fichier Excel contient {_count(len(files))} éléments compressés, au-delà de la limite de "
                f"{_count(limits.max_members)} : il n'a pas été ouvert.",
                details=[{"problem": "zip.members", "members": len(files), "limit": limits.max_members}],
            )
        total = sum(info.file_size for info in files)
        if total > limits.max_uncompressed_bytes:
            raise TooLarge(
                f"Le fichier Excel se décompresserait en {_mo(total)} Mo, au-delà de la limite de "
                f"{_mo(limits.max_uncompressed_bytes)} Mo : il n'a pas été ouvert.",
                details=[{"problem": "zip.size", "size": total, "limit": limits.max_uncompressed_bytes}],
            )
        for info in files:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_compression_ratio:
                raise TooLarge(
                    f"Le fichier Excel contient un élément (« {info.filename} ») compressé {_count(ratio)} fois, "
                    f"au-delà de la limite de {_count(limits.max_compression_ratio)} fois : il n'a pas été "
                    "ouvert (fichier piégé ou anormal).",
                    details=[{"problem": "zip.ratio", "member": info.filename, "ratio": round(ratio)}],
                )
        if any(info.flag_bits & 0x1 for info in files):
            raise _encrypted(self.name)
        if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in files):
            raise _damaged(self.name)

    def chunks(self, member: str) -> Iterator[bytes]:
        """Decompress ``member`` chunk by chunk, refusing more bytes than declared and a wrong CRC.

        The size and CRC are verified only when the iteration runs to the end.
        """
        info = self.members[member]
        signature, name_length, extra_length = struct.unpack_from("<4s22xHH", self.view, info.header_offset)
        if signature != b"PK\x03\x04":
            raise _damaged(self.name)
        start = info.header_offset + 30 + name_length + extra_length
        end = start + info.compress_size
        if end > len(self.view):
            raise _damaged(self.name)
        produced = 0
        crc = 0
        for piece in self._raw_chunks(info, start, end):
            produced += len(piece)
            if produced > info.file_size:
                raise _refuse(
                    f"Le fichier Excel est incohérent : l'élément « {member} » se décompresse au-delà de la "
                    "taille annoncée ; il a été refusé par sécurité.",
                    "zip.size_mismatch",
                    member=member,
                )
            crc = zlib.crc32(piece, crc)
            yield piece
        if produced != info.file_size or crc != info.CRC:
            raise _damaged(self.name)

    def _raw_chunks(self, info: zipfile.ZipInfo, start: int, end: int) -> Iterator[bytes]:
        if info.compress_type == zipfile.ZIP_STORED:
            for position in range(start, end, _CHUNK):
                yield bytes(self.view[position : min(position + _CHUNK, end)])
            return
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        position = start
        while not decompressor.eof:
            if decompressor.unconsumed_tail:
                feed: bytes | memoryview = decompressor.unconsumed_tail
            elif position < end:
                feed = self.view[position : min(position + _CHUNK_IN, end)]
                position += len(feed)
            else:
                feed = b""
            # max_length bounds memory whatever the compression ratio.
            piece = decompressor.decompress(feed, _CHUNK)
            if piece:
                yield piece
            elif not feed:
                break

    def read(self, member: str, xml: bool = True) -> bytes:
        """A whole (small) member; an XML one after its prolog has been checked."""
        guard = _PrologGuard(self.name, member) if xml else None
        pieces = []
        for piece in self.chunks(member):
            if guard is not None:
                guard.feed(piece)
                if b"<!" in piece and _DECLARATION.search(piece):
                    raise _xml_declaration(self.name, member)
            pieces.append(piece)
        self.inspected.add(member)
        return b"".join(pieces)

    def inspect_all(self, sheet_member: str, padded_styles: Mapping[int, int]) -> _SheetSniffer | None:
        """Check every member not read yet; return the sniffer if the sheet needs a look at its cells.

        XML members are decompressed to the end (size and CRC checked, prolog free of
        DOCTYPE/ENTITY: a declaration anywhere else is not well-formed XML and declares
        nothing); other members (images) only until it is clear they are not XML.
        """
        # Literal first ("s=") for a fast search; the cell is checked afterwards.
        styles = b"|".join(str(style).encode() for style in padded_styles)
        padded = re.compile(rb"s=[\"'](?:" + styles + rb")[\"']") if padded_styles else None
        sniffer = _SheetSniffer(padded)
        for member in self.members:
            if member in self.inspected:
                continue
            sniff = member == sheet_member
            guard: _PrologGuard | None = None
            carry = b""
            for index, piece in enumerate(self.chunks(member)):
                if index == 0:
                    if not _looks_like_xml(member, piece):
                        break
                    guard = _PrologGuard(self.name, member)
                if guard is not None and not guard.done:
                    guard.feed(piece)
                if sniff:
                    buffer = carry + piece
                    sniffer(buffer)
                    carry = buffer[-_CARRY:]
            self.inspected.add(member)
        return sniffer if sniffer.needs_scan else None


class _SheetSniffer:
    """Cheap byte tests telling which cells of the sheet need a closer look, if any.

    Looked for: formulas possibly without value, error cells (``t="e"``), cells
    styled with a zero-padded number format. A search costs about 1 ms per MB of
    sheet XML; the common case (no formula, no error) pays for two of them. Each
    flag, once raised, is not searched for again.
    """

    def __init__(self, padded: re.Pattern[bytes] | None) -> None:
        self.padded = padded
        self.single_quotes: bool | None = None
        self.formulas_seen = False
        self.formula_candidates = False
        self.error_candidates = False
        self.padded_candidates = False

    @property
    def needs_scan(self) -> bool:
        return self.formula_candidates or self.error_candidates or self.padded_candidates

    def __call__(self, buffer: bytes) -> None:
        if self.single_quotes is None:  # nearly every writer quotes attributes with "
            self.single_quotes = b"='" in buffer
        # Shared-formula children follow their master, which has a body: once "f>" is seen, look for both.
        self.formulas_seen = self.formulas_seen or _FORMULA_END.search(buffer) is not None
        if self.formulas_seen and not self.formula_candidates:
            self.formula_candidates = (
                _FORMULA_END_NO_VALUE.search(buffer) is not None or _SHARED_CHILD_NO_VALUE.search(buffer) is not None
            )
        if not self.error_candidates:
            self.error_candidates = _ERROR_DOUBLE.search(buffer) is not None or bool(
                self.single_quotes and _ERROR_SINGLE.search(buffer)
            )
        if self.padded is not None and not self.padded_candidates:
            self.padded_candidates = self.padded.search(buffer) is not None


def _looks_like_xml(member: str, first: bytes) -> bool:
    if member.lower().endswith((".xml", ".rels", ".vml")):
        return True
    head = first[:64]
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        head = head.removeprefix(bom)
    head = head.lstrip(b" \t\r\n")
    return head.startswith((b"<", b"<\x00", b"\x00<"))


def _xml_declaration(name: str, member: str) -> Unprocessable:
    return _refuse(
        f"Le fichier « {name} » contient une déclaration DOCTYPE ou ENTITY (élément « {member} ») : "
        "un classeur produit par Excel n'en contient jamais ; il a été refusé par sécurité.",
        "xml.declaration",
        member=member,
    )


class _RootReached(Exception):
    pass


class _PrologGuard:
    """Feeds the start of an XML part to expat until the root element, refusing DOCTYPE/ENTITY.

    expat decodes the part's declared encoding (UTF-16 included), which a byte
    search would miss.
    """

    def __init__(self, name: str, member: str) -> None:
        self.name, self.member, self.done = name, member, False
        self._parser = expat.ParserCreate()
        self._parser.StartDoctypeDeclHandler = self._declaration
        self._parser.EntityDeclHandler = self._declaration
        self._parser.StartElementHandler = self._root

    def _declaration(self, *_: object) -> None:
        raise _xml_declaration(self.name, self.member)

    def _root(self, *_: object) -> None:
        raise _RootReached

    def feed(self, piece: bytes) -> None:
        if self.done:
            return
        try:
            self._parser.Parse(piece, False)
        except _RootReached:
            self.done = True
        except expat.ExpatError as exc:
            raise _damaged(self.name) from exc


# --------------------------------------------------------------------------- XLSX: workbook structure


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _relationships(archive: _Archive, rels_member: str, base: str) -> list[tuple[str, str, str]]:
    """``(id, type, target member)`` of a .rels part; targets resolved against ``base``."""
    if rels_member not in archive.members:
        return []
    result = []
    # ElementTree only ever sees parts whose prolog _PrologGuard checked: no DOCTYPE, so no entity to expand.
    for element in ET.fromstring(archive.read(rels_member)):  # noqa: S314
        if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        result.append((element.get("Id", ""), element.get("Type", ""), resolved))
    return result


@dataclass(frozen=True)
class _Workbook:
    sheet_name: str
    sheet_member: str
    date1904: bool
    padded_styles: dict[int, int] = field(default_factory=dict)


def _workbook(archive: _Archive) -> _Workbook:
    members = archive.members
    name = archive.name
    if "mimetype" in members and archive.read("mimetype", xml=False).startswith(b"application/vnd.oasis"):
        raise _refuse(
            f"Le fichier « {name} » est au format OpenDocument (.ods) non pris en charge, enregistrez en .xlsx ou .csv.",
            "file.ods",
        )
    office = [target for _, kind, target in _relationships(archive, "_rels/.rels", "") if kind.endswith("/officeDocument")]
    workbook_member = office[0] if office else "xl/workbook.xml"
    if workbook_member.endswith(".bin") or "xl/workbook.bin" in members:
        raise _wrong_format(name, "est au format Excel binaire (.xlsb)", "file.xlsb")
    if workbook_member not in members:
        if "word/document.xml" in members:
            raise _wrong_format(name, "est un document Word")
        if "ppt/presentation.xml" in members:
            raise _wrong_format(name, "est une présentation PowerPoint")
        raise _wrong_format(name, "est une archive ZIP qui ne contient pas de classeur Excel")
    base = posixpath.dirname(workbook_member)
    rels_member = posixpath.join(base, "_rels", posixpath.basename(workbook_member) + ".rels")
    relations = {rid: (kind, target) for rid, kind, target in _relationships(archive, rels_member, base)}
    root = ET.fromstring(archive.read(workbook_member))  # noqa: S314 - prolog checked by archive.read
    date1904 = False
    chosen: tuple[str, str] | None = None
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet" and chosen is None and element.get("state", "visible") == "visible":
            rid = next((value for key, value in element.attrib.items() if _local(key) == "id"), "")
            kind, target = relations.get(rid, ("", ""))
            if kind.endswith("/worksheet") and target in members:
                chosen = (element.get("name", ""), target)
    if chosen is None:
        raise _refuse(f"Le classeur « {name} » ne contient aucune feuille de données visible.", "xlsx.no_visible_sheet")
    styles = [target for kind, target in relations.values() if kind.endswith("/styles") and target in members]
    padded = _zero_padded_styles(archive.read(styles[0])) if styles else {}
    return _Workbook(chosen[0], chosen[1], date1904, padded)


_ZERO_PAD = re.compile(r"0{2,}")


def _zero_padded_styles(styles_xml: bytes) -> dict[int, int]:
    """Cell style index → width, for number formats such as ``0000`` that display ``412`` as ``0412``.

    A UF code typed in a cell formatted ``0000`` is stored as the number 412; what
    the person sees and means is ``0412``.
    """
    root = ET.fromstring(styles_xml)  # noqa: S314 - read through archive.read, prolog checked
    widths: dict[str, int] = {}
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            code = element.get("formatCode", "").split(";")[0].strip()
            if _ZERO_PAD.fullmatch(code):
                widths[element.get("numFmtId", "")] = len(code)
    if not widths:
        return {}
    padded: dict[int, int] = {}
    for element in root.iter():
        if _local(element.tag) == "cellXfs":
            for index, xf in enumerate(child for child in element if _local(child.tag) == "xf"):
                width = widths.get(xf.get("numFmtId", ""))
                if width:
                    padded[index] = width
    return padded


# --------------------------------------------------------------------------- XLSX: a closer look at some cells

_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _column_index(letters: str) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column - 1


def _split_ref(ref: str) -> tuple[int, int] | None:
    """``"C12"`` → (11, 2), 0-based (row, column)."""
    match = _REF.fullmatch(ref)
    if match is None:
        return None
    return int(match.group(2)) - 1, _column_index(match.group(1))


def _ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


class _Findings:
    """What a look at the cells found: formulas without value, and texts replacing calamine's."""

    def __init__(self, padded_styles: Mapping[int, int]) -> None:
        self.padded = padded_styles
        self.missing_refs: list[str] = []
        self.missing_count = 0
        self.patches: dict[tuple[int, int], str] = {}

    def judge(self, row: int, column: int, kind: str, style: str, has_formula: bool, has_value: bool, value: str) -> None:
        if has_formula and (not has_value or (not value.strip() and kind != "str")):
            # No value, or an empty one for a non-text result: nothing ever computed this formula.
            self.missing_count += 1
            if len(self.missing_refs) < 20:
                self.missing_refs.append(_ref(row, column))
        elif kind == "e" and value:
            self.patches[(row, column)] = value  # calamine reads error cells (#N/A...) as empty
        elif kind == "n" and value and style.isdigit() and int(style) in self.padded:
            number = float(value)
            if number.is_integer() and number >= 0:
                self.patches[(row, column)] = str(int(number)).zfill(self.padded[int(style)])


class _CellsWithoutReference(Exception):
    """A cell of interest has no ``r`` attribute: only a full walk can tell where it is."""


_TAG_NAME = re.compile(rb"/?([\w.:\-]+)")
_ATTRIBUTE = re.compile(rb"([\w.:\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_HAS_FORMULA = re.compile(rb"<" + _P + rb"f[\s>/]")
_VALUE = re.compile(rb"<" + _P + rb"v(?:\s[^<>]*)?(?:/>|>([^<]*)</)")


def _row_blocks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Sheet XML cut after row ends, so that no cell straddles two blocks."""
    carry = b""
    for piece in chunks:
        buffer = carry + piece if carry else piece
        cut = buffer.rfind(b"</row>")
        cut = cut + 6 if cut >= 0 else buffer.rfind(b":row>") + 5  # prefixed </x:row>; -1 + 5 = 4 means none
        if cut > 4:
            yield buffer[:cut]
            carry = buffer[cut:]
        else:
            carry = buffer
    if carry:
        yield carry


def _cell_around(block: bytes, position: int) -> tuple[int, bytes, bytes] | None:
    """Where the ``<c>`` element containing ``position`` starts, its start tag and its body, if any."""
    index = position
    while True:
        index = block.rfind(b"<", 0, index)
        if index < 0:
            return None
        name = _TAG_NAME.match(block, index + 1)
        if name is None:
            return None
        local = name.group(1).rpartition(b":")[2]
        closing = block[index + 1 : index + 2] == b"/"
        if local == b"c" and not closing:
            break
        if local in (b"c", b"row", b"sheetData"):
            return None
    start_end = block.find(b">", index)
    if start_end < 0:
        return None
    start_tag = block[index:start_end]
    if start_tag.endswith(b"/"):
        return (index, start_tag, b"") if position < start_end else None
    close = block.find(b"</" + name.group(1) + b">", start_end)
    if close < 0 or position > close:
        return None
    return index, start_tag, block[start_end + 1 : close]


def _targeted_scan(archive: _Archive, member: str, sniffer: _SheetSniffer, findings: _Findings) -> None:
    """Judge only the cells the sniffer's patterns point at, found with fast literal searches."""
    patterns: list[re.Pattern[bytes]] = []
    if sniffer.formula_candidates:
        patterns += [_FORMULA_END_NO_VALUE, _SHARED_CHILD_NO_VALUE]
    if sniffer.error_candidates:
        patterns += [_ERROR_DOUBLE, _ERROR_SINGLE] if sniffer.single_quotes else [_ERROR_DOUBLE]
    canonical = _canonical_padded(findings.padded)
    for block in _row_blocks(archive.chunks(member)):
        block_patterns = patterns
        if sniffer.padded is not None and sniffer.padded_candidates:
            # A column of zero-padded codes has a styled cell per row: read the usual
            # <c r=".." s=".." t="n"><v>..</v></c> in one pass, and judge cell by cell
            # only a block where some styled cell has another shape.
            cells = canonical.findall(block)
            if len(cells) == len(sniffer.padded.findall(block)):
                _pad_canonical(cells, findings)
            else:
                block_patterns = [*patterns, sniffer.padded]
        starts: set[int] = set()
        for pattern in block_patterns:
            for match in pattern.finditer(block):
                cell = _cell_around(block, match.start())
                if cell is None:
                    continue
                start, start_tag, body = cell
                if start not in starts:  # one cell may match several patterns
                    starts.add(start)
                    _judge_fragment(start_tag, body, findings)


def _canonical_padded(padded_styles: Mapping[int, int]) -> re.Pattern[bytes]:
    styles = b"|".join(str(style).encode() for style in padded_styles) or b"-"
    return re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + styles + rb')"(?: t="n")?><v>([^<]*)</v></c>')


def _pad_canonical(cells: list[tuple[bytes, bytes, bytes, bytes]], findings: _Findings) -> None:
    """The fast path of ``_Findings.judge`` for plain numeric cells (tens of thousands per column)."""
    columns: dict[bytes, int] = {}
    widths = {str(style).encode(): width for style, width in findings.padded.items()}
    patches = findings.patches
    for letters, digits, style, value in cells:
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = _column_index(letters.decode())
        if value.isdigit():
            patches[(int(digits) - 1, column)] = value.decode().lstrip("0").zfill(widths[style])
        else:
            findings.judge(int(digits) - 1, column, "n", style.decode(), False, True, value.decode())


def _judge_fragment(start_tag: bytes, body: bytes, findings: _Findings) -> None:
    attributes = {
        match.group(1).rpartition(b":")[2]: (match.group(2) if match.group(2) is not None else match.group(3))
        for match in _ATTRIBUTE.finditer(start_tag)
    }
    position = _split_ref(attributes.get(b"r", b"").decode("ascii", "replace"))
    if position is None:
        raise _CellsWithoutReference
    value = _VALUE.search(body)
    text = html.unescape((value.group(1) or b"").decode("utf-8", "replace")) if value else ""
    findings.judge(
        position[0],
        position[1],
        attributes.get(b"t", b"n").decode("ascii", "replace"),
        attributes.get(b"s", b"").decode("ascii", "replace"),
        _HAS_FORMULA.search(body) is not None,
        value is not None,
        text,
    )


class _CellWalk:
    """Full streaming walk of the sheet XML with expat: the fallback when cells lack references."""

    def __init__(self, findings: _Findings) -> None:
        self.findings = findings
        self._in_data = False
        self._row = -1
        self._column = -1
        self._type = "n"
        self._style = ""
        self._has_formula = False
        self._has_value = False
        self._in_value = False
        self._value: list[str] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        if local == "c" and self._in_data:
            position = _split_ref(attrs.get("r", ""))
            if position is None:
                self._column += 1
            else:
                self._row, self._column = position
            self._type = attrs.get("t", "n")
            self._style = attrs.get("s", "")
            self._has_formula = self._has_value = False
            self._value = []
        elif local == "row" and self._in_data:
            number = attrs.get("r", "")
            self._row = int(number) - 1 if number.isdigit() else self._row + 1
            self._column = -1
        elif local == "f":
            self._has_formula = True
        elif local == "v":
            self._has_value = self._in_value = True
        elif local == "sheetData":
            self._in_data = True

    def end(self, tag: str) -> None:
        local = tag.rpartition(":")[2]
        if local == "v":
            self._in_value = False
        elif local == "c" and self._in_data:
            value = "".join(self._value)
            self.findings.judge(self._row, self._column, self._type, self._style, self._has_formula, self._has_value, value)
        elif local == "sheetData":
            self._in_data = False

    def text(self, data: str) -> None:
        if self._in_value:
            self._value.append(data)


def _walk_cells(archive: _Archive, member: str, findings: _Findings) -> None:
    walk = _CellWalk(findings)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = walk.start
    parser.EndElementHandler = walk.end
    parser.CharacterDataHandler = walk.text
    for piece in archive.chunks(member):
        parser.Parse(piece, False)
    parser.Parse(b"", True)


def _scan_cells(archive: _Archive, workbook: _Workbook, sniffer: _SheetSniffer) -> dict[tuple[int, int], str]:
    """Texts replacing calamine's for some cells; refuses formulas without a cached value."""
    findings = _Findings(workbook.padded_styles)
    try:
        _targeted_scan(archive, workbook.sheet_member, sniffer, findings)
    except _CellsWithoutReference:
        findings = _Findings(workbook.padded_styles)
        _walk_cells(archive, workbook.sheet_member, findings)
    if findings.missing_count:
        refs = findings.missing_refs
        if findings.missing_count == 1:
            subject = f"La cellule {refs[0]} contient une formule sans valeur calculée"
        else:
            more = f"… ({_count(findings.missing_count)} au total)" if findings.missing_count > len(refs) else ""
            subject = f"Les cellules {', '.join(refs)}{more} contiennent des formules sans valeur calculée"
        raise _refuse(
            f"{subject} : ouvrez le fichier dans Excel, enregistrez-le puis réimportez-le.",
            "xlsx.formula_without_value",
            cells=refs,
            count=findings.missing_count,
            sheet=workbook.sheet_name,
        )
    return findings.patches


# --------------------------------------------------------------------------- XLSX: reading


def _read_xlsx(data: bytes, name: str, limits: ReadLimits) -> Sheet:
    archive = _Archive(data, name, limits)
    workbook = _workbook(archive)
    sniffer = archive.inspect_all(workbook.sheet_member, workbook.padded_styles)
    patches = _scan_cells(archive, workbook, sniffer) if sniffer is not None else {}
    raw = _calamine_rows(data, name, workbook.sheet_name, limits)
    text = _Renderer()
    rows = [[cell if cell.__class__ is str else text(cell) for cell in row] for row in raw]
    if patches:
        _apply(rows, patches, limits)
    kept: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(rows, 1):
        if any(row):
            kept.append(row)
            numbers.append(number)
    if all(_blank(row) for row in kept):
        raise _empty()
    return Sheet(kept, numbers, workbook.date1904, "xlsx", sheet_name=workbook.sheet_name)


def _blank(row: list[str]) -> bool:
    return all(not cell or cell.isspace() for cell in row)


_CalamineCell = int | float | str | bool | time | date | datetime | timedelta


def _calamine_rows(data: bytes, name: str, sheet_name: str, limits: ReadLimits) -> list[list[_CalamineCell]]:
    try:
        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet_name)
        end = sheet.end
        if end is None:
            raise _empty()
        _check_shape(end[0] + 1, end[1] + 1, limits)
        return sheet.to_python(skip_empty_area=False)
    except DomainError:
        raise
    except python_calamine.PasswordError as exc:
        raise _encrypted(name) from exc
    except Exception as exc:  # calamine is a black box: whatever it raises, the file could not be read
        raise _damaged(name) from exc
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # a Rust panic surfaces as pyo3's BaseException
            raise _damaged(name) from exc
        raise


def _check_shape(height: int, width: int, limits: ReadLimits) -> None:
    if height > limits.max_rows:
        raise TooLarge(
            f"Le fichier contient {_count(height)} lignes : au plus {_count(limits.max_rows)} lignes sont acceptées.",
            details=[{"problem": "sheet.rows", "rows": height, "limit": limits.max_rows}],
        )
    if width > limits.max_columns:
        raise TooLarge(
            f"Le fichier contient {_count(width)} colonnes (jusqu'à la colonne {column_letter(width - 1)}) : au plus "
            f"{_count(limits.max_columns)} colonnes sont acceptées ; supprimez les colonnes inutiles.",
            details=[{"problem": "sheet.columns", "columns": width, "limit": limits.max_columns}],
        )


def _apply(rows: list[list[str]], patches: Mapping[tuple[int, int], str], limits: ReadLimits) -> None:
    width = len(rows[0]) if rows else 0
    for (row, column), text in patches.items():
        if row >= len(rows) or column >= width:
            _check_shape(max(row + 1, len(rows)), max(column + 1, width), limits)
            while len(rows) <= row:
                rows.append([""] * width)
            if column >= width:
                for line in rows:
                    line.extend([""] * (column + 1 - width))
                width = column + 1
        rows[row][column] = text


class _Renderer:
    """``_text`` with the fast cases first and dates memoised (a date column repeats few distinct days)."""

    def __init__(self) -> None:
        self._dates: dict[date, str] = {}

    def __call__(self, value: object) -> str:
        kind = value.__class__
        if kind is float:
            number: float = value  # type: ignore[assignment]
            return str(int(number)) if number.is_integer() else repr(number)
        if kind is date:
            day: date = value  # type: ignore[assignment]
            text = self._dates.get(day)
            if text is None:
                text = self._dates[day] = _text(day)
            return text
        return _text(value)


def _text(value: object) -> str:
    """A calamine value as the text shown in the cell (integral numbers without ``.0``, dates JJ/MM/AAAA)."""
    kind = value.__class__
    if kind is float:
        number: float = value  # type: ignore[assignment]
        return str(int(number)) if number.is_integer() else repr(number)
    if kind is bool:
        return "VRAI" if value else "FAUX"  # what a French Excel shows
    if kind is datetime:
        moment: datetime = value  # type: ignore[assignment]
        day = f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"
        if moment.time() == time(0, 0):
            return day
        return f"{day} {_clock(moment.time())}"
    if kind is date:
        calendar: date = value  # type: ignore[assignment]
        return f"{calendar.day:02d}/{calendar.month:02d}/{calendar.year:04d}"
    if kind is time:
        return _clock(value)  # type: ignore[arg-type]
    if kind is timedelta:
        seconds = round(value.total_seconds())  # type: ignore[attr-defined]
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


def _clock(moment: time) -> str:
    if moment.second or moment.microsecond:
        return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


# --------------------------------------------------------------------------- CSV

_DELIMITERS = (";", "\t", ",")  # ties go to the first: French exports use ";"


def _read_csv(data: bytes, name: str, limits: ReadLimits) -> Sheet:
    text, encoding = _decode(data, name)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    width = 0
    record = 0
    while True:
        first_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _bad_csv(name, first_line, str(exc)) from exc
        record += 1
        if record > limits.max_rows:
            raise TooLarge(
                f"Le fichier contient plus de {_count(limits.max_rows)} lignes : au plus "
                f"{_count(limits.max_rows)} lignes sont acceptées.",
                details=[{"problem": "sheet.rows", "limit": limits.max_rows}],
            )
        while row and not row[-1]:
            row.pop()
        if not row:
            continue
        if len(row) > width:
            width = len(row)
            _check_shape(record, width, limits)
        rows.append(row)
        numbers.append(record)
    if all(_blank(row) for row in rows):
        raise _empty()
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return Sheet(rows, numbers, False, "csv", encoding=encoding, delimiter=delimiter)


def _bad_csv(name: str, line: int, reason: str) -> Unprocessable:
    if "unexpected end of data" in reason:
        detail = "un guillemet ouvert n'est jamais refermé"
    elif "expected after" in reason:
        detail = "un guillemet fermant est suivi d'autres caractères"
    elif "field larger than field limit" in reason:
        detail = "une cellule est démesurément longue"
    else:
        detail = "la ligne est mal formée"
    return _refuse(
        f"Le fichier CSV « {name} » est mal formé à partir de la ligne {line} ({detail}) : vérifiez les "
        "guillemets ou enregistrez-le depuis Excel au format CSV.",
        "csv.syntax",
        line=line,
    )


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 — all strictly."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(name, data, exc.start) from exc
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if len(body) != len(data):  # a UTF-8 BOM, then bytes that are not UTF-8
            raise _undecodable(name, body, exc.start) from exc
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(name, data, exc.start) from exc


def _undecodable(name: str, data: bytes, position: int) -> Unprocessable:
    line = data.count(b"\n", 0, position) + 1
    return _refuse(
        f"Le fichier CSV « {name} » n'est ni en UTF-8 ni en Windows-1252 (octet 0x{data[position]:02X} illisible "
        f"à la ligne {line}) : enregistrez-le depuis Excel au format « CSV UTF-8 » puis réimportez-le.",
        "csv.encoding",
        line=line,
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the first non-empty line that contains one (outside quotes); ``;`` by default."""
    for line in text[:65536].splitlines()[:20]:
        if not line.strip():
            continue
        counts = _count_outside_quotes(line)
        best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
        if counts[best]:
            return best
    return ";"


def _count_outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return counts
