"""XLSX archive checks before anything is parsed: sizes, ratios, CRCs, XML prologs."""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from xml.parsers import expat

from chalicelib.adapters.spreadsheets.messages import damaged, encrypted, french_count, megabytes, refused
from chalicelib.adapters.spreadsheets.model import ReadLimits
from chalicelib.domain.errors import TooLarge, Unprocessable

# --------------------------------------------------------------------------- XLSX: archive checks

_CHUNK = 1 << 20  # decompressed bytes handed over at a time
_CHUNK_IN = 1 << 18  # compressed bytes fed at a time
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
NAMESPACE_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"  # optional namespace prefix (x:c, x:f...)
# What may follow the end of a formula when the cell has no cached value: anything but a non-empty
# <v> (the cell schema orders children f, v, is, extLst, so a value follows its formula). Patterns
# start with a literal, which re searches fast; each candidate is then judged on the whole cell.
# Chunks overlap by _CARRY bytes, so a formula ending near the end of one is judged in the next.
_NO_VALUE_AFTER = (
    rb"\s*(?:<(?!"
    + NAMESPACE_PREFIX
    + rb"v[\s>/])|<"
    + NAMESPACE_PREFIX
    + rb"v\s*/>|<"
    + NAMESPACE_PREFIX
    + rb"v(?:\s[^<>]*)?>\s*<)"
)
_FORMULA_END = re.compile(rb"f>")  # ends </f>, </x:f> (and opens <f>, followed by text: no match below)
FORMULA_END_NO_VALUE = re.compile(rb"f>" + _NO_VALUE_AFTER)
# Shared-formula children, <f t="shared" si="0"/>: no body, so no "f>".
SHARED_CHILD_NO_VALUE = re.compile(rb"si=(?:\"[^\"<>]*\"|'[^'<>]*')[^<>]*/>" + _NO_VALUE_AFTER)
ERROR_DOUBLE = re.compile(rb'"e"')  # t="e": an error cell (#N/A...), which calamine reads as empty
ERROR_SINGLE = re.compile(rb"'e'")
_CARRY = 512  # bytes kept from one chunk to the next so that patterns spanning chunks are still seen


class Archive:
    """The members of a zip, decompressed by hand so that sizes and CRCs are enforced."""

    def __init__(self, data: bytes, name: str, limits: ReadLimits) -> None:
        self.name = name
        self.view = memoryview(data)
        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, OSError, EOFError) as exc:
            raise damaged(name) from exc
        files = [info for info in infos if not info.is_dir()]
        self._check_central_directory(files, limits)
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in files:
            if info.filename in self.members:
                raise damaged(name)  # two entries with one name: readers would disagree on which is read
            self.members[info.filename] = info
        self.inspected: set[str] = set()

    def _check_central_directory(self, files: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
        """Zip bomb checks on the declared sizes, before a single byte is decompressed."""
        if len(files) > limits.max_members:
            raise TooLarge(
                f"Le fichier Excel contient {french_count(len(files))} éléments compressés, au-delà de la limite de "
                f"{french_count(limits.max_members)} : il n'a pas été ouvert.",
                details=[{"problem": "zip.members", "members": len(files), "limit": limits.max_members}],
            )
        total = sum(info.file_size for info in files)
        if total > limits.max_uncompressed_bytes:
            raise TooLarge(
                f"Le fichier Excel se décompresserait en {megabytes(total)} Mo, au-delà de la limite de "
                f"{megabytes(limits.max_uncompressed_bytes)} Mo : il n'a pas été ouvert.",
                details=[{"problem": "zip.size", "size": total, "limit": limits.max_uncompressed_bytes}],
            )
        for info in files:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_compression_ratio:
                raise TooLarge(
                    f"Le fichier Excel contient un élément (« {info.filename} ») compressé {french_count(ratio)} fois, "
                    f"au-delà de la limite de {french_count(limits.max_compression_ratio)} fois : il n'a pas été "
                    "ouvert (fichier piégé ou anormal).",
                    details=[{"problem": "zip.ratio", "member": info.filename, "ratio": round(ratio)}],
                )
        if any(info.flag_bits & 0x1 for info in files):
            raise encrypted(self.name)
        if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in files):
            raise damaged(self.name)

    def chunks(self, member: str) -> Iterator[bytes]:
        """Decompress ``member`` chunk by chunk, refusing more bytes than declared and a wrong CRC.

        The size and CRC are verified only when the iteration runs to the end.
        """
        info = self.members[member]
        signature, name_length, extra_length = struct.unpack_from("<4s22xHH", self.view, info.header_offset)
        if signature != b"PK\x03\x04":
            raise damaged(self.name)
        start = info.header_offset + 30 + name_length + extra_length
        end = start + info.compress_size
        if end > len(self.view):
            raise damaged(self.name)
        produced = 0
        crc = 0
        for piece in self._raw_chunks(info, start, end):
            produced += len(piece)
            if produced > info.file_size:
                raise refused(
                    f"Le fichier Excel est incohérent : l'élément « {member} » se décompresse au-delà de la "
                    "taille annoncée ; il a été refusé par sécurité.",
                    "zip.size_mismatch",
                    member=member,
                )
            crc = zlib.crc32(piece, crc)
            yield piece
        if produced != info.file_size or crc != info.CRC:
            raise damaged(self.name)

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

    def inspect_all(self, watch: Mapping[str, Callable[[bytes], None]] | None = None) -> None:
        """Check every member not read yet, before calamine opens the archive.

        XML members are decompressed to the end (size and CRC checked, prolog free of
        DOCTYPE/ENTITY: a declaration anywhere else is not well-formed XML and declares
        nothing); other members (images) only until it is clear they are not XML.
        ``watch[member]`` is given each decompressed piece of that member, in order.
        """
        for member in self.members:
            if member in self.inspected:
                continue
            guard: _PrologGuard | None = None
            watcher = (watch or {}).get(member)
            for index, piece in enumerate(self.chunks(member)):
                if index == 0:
                    if not _looks_like_xml(member, piece) and watcher is None:
                        break
                    guard = _PrologGuard(self.name, member)
                if guard is not None and not guard.done:
                    guard.feed(piece)
                if watcher is not None:
                    watcher(piece)
            self.inspected.add(member)

    def sniff(self, sheet_member: str, padded_styles: Mapping[int, int]) -> SheetSniffer | None:
        """The sheet's byte searches (see ``SheetSniffer``): the sniffer if some cells need a closer look.

        Not a safety check (``inspect_all`` is): it reads the sheet again, and may run
        while calamine reads the workbook.
        """
        # Literal first ("s=") for a fast search; the cell is checked afterwards.
        styles = b"|".join(str(style).encode() for style in padded_styles)
        padded = re.compile(rb"s=[\"'](?:" + styles + rb")[\"']") if padded_styles else None
        sniffer = SheetSniffer(padded)
        carry = b""
        for piece in self.chunks(sheet_member):
            buffer = carry + piece
            sniffer(buffer)
            carry = buffer[-_CARRY:]
        return sniffer if sniffer.needs_scan else None


class SheetSniffer:
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
                FORMULA_END_NO_VALUE.search(buffer) is not None or SHARED_CHILD_NO_VALUE.search(buffer) is not None
            )
        if not self.error_candidates:
            self.error_candidates = ERROR_DOUBLE.search(buffer) is not None or bool(
                self.single_quotes and ERROR_SINGLE.search(buffer)
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
    return refused(
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
            raise damaged(self.name) from exc
