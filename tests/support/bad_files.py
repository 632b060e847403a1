"""A corpus of good and bad upload files, built in memory at test time.

Nothing here is stored on disk: each function returns the bytes of one file,
so the corpus documents exactly what makes each file bad.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --------------------------------------------------------------------------- building blocks


def xlsx(
    rows: Sequence[Sequence[object]],
    *,
    title: str = "Données",
    number_formats: Mapping[str, str] | None = None,
    date1904: bool = False,
    hidden_first_sheet: bool = False,
) -> bytes:
    """A workbook written by openpyxl; ``number_formats`` maps a cell (``"A2"``) to its format."""
    workbook = openpyxl.Workbook()
    if date1904:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    if hidden_first_sheet:
        sheet.title = "Brouillon"
        sheet["A1"] = "ne pas lire"
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for ref, number_format in (number_formats or {}).items():
        sheet[ref].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(archive: bytes, replacements: Mapping[str, bytes]) -> bytes:
    """The same zip with some members replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replacements.get(info.filename, source.read(info)))
        for name, content in replacements.items():
            if name not in source.namelist():
                target.writestr(name, content)
    return buffer.getvalue()


def member(archive: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(archive)).read(name)


def raw_zip(entries: Iterable[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: ``(name, compressed bytes, method, crc, declared size)``.

    zipfile refuses to write lies; attackers do not.
    """
    local = io.BytesIO()
    central = io.BytesIO()
    count = 0
    for name, payload, method, crc, declared in entries:
        encoded = name.encode()
        offset = local.tell()
        header = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(payload), declared, len(encoded), 0)
        local.write(header + encoded + payload)
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(payload),
                declared,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
        count += 1
    directory = central.getvalue()
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), local.tell(), 0)
    return local.getvalue() + directory + end


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _zeros_deflated(megabytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``megabytes`` MiB of zeros, built in milliseconds, and its CRC.

    A full flush makes each 1 MiB block compress to the same bytes, so the stream is
    one block repeated.
    """
    block = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return one * megabytes + end, crc


def _sheet_xml(cells_xml: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}"><sheetData>'
        f"{cells_xml}</sheetData></worksheet>"
    ).encode()


def cfb(streams: Mapping[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (the container of .xls and of encrypted .xlsx).

    Each stream is padded to the 4096-byte mini-stream cutoff so that it lives in
    ordinary 512-byte sectors, chained in one FAT sector.
    """
    sector = 512
    end_of_chain, fat_sector, free, no_stream = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
    names = list(streams)
    bodies = [streams[name].ljust(4096, b"\0") for name in names]
    fat = [fat_sector, end_of_chain]  # sector 0: FAT, sector 1: directory
    starts = []
    for body in bodies:
        count = len(body) // sector + (1 if len(body) % sector else 0)
        first = len(fat)
        starts.append(first)
        fat.extend(first + index + 1 for index in range(count - 1))
        fat.append(end_of_chain)
    fat.extend([free] * (sector // 4 - len(fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIII",
            encoded,
            len(encoded),
            kind,
            1,
            no_stream,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
            0,
        )

    directory = entry("Root Entry", 5, 1 if names else no_stream, no_stream, end_of_chain, 0)
    for index, (name, start) in enumerate(zip(names, starts, strict=True)):
        right = index + 2 if index + 1 < len(names) else no_stream
        directory += entry(name, 2, no_stream, right, start, len(streams[name]))
    directory = directory.ljust(sector, b"\0")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end_of_chain,
        0,
        end_of_chain,
        0,
    ) + struct.pack("<109I", 0, *([free] * 108))
    return header + struct.pack(f"<{sector // 4}I", *fat[: sector // 4]) + directory + b"".join(bodies)


# --------------------------------------------------------------------------- good files


def leading_zero_codes_xlsx() -> bytes:
    """UF codes typed as text with leading zeros, next to numbers, 'NA' text and an #N/A error."""
    return xlsx(
        [
            ["code_uf", "libelle_uf", "lits", "quantite", "code_ucd", "commentaire", "erreur"],
            ["0412", "Médecine A", 24, 12.5, 3400893826163, "NA", "#N/A"],
            ["0007", "Réanimation", 12, 1234.0, "0900011", "", ""],
        ]
    )


def dates_xlsx() -> bytes:
    return xlsx(
        [
            ["date_prelevement", "horodatage", "heure"],
            [datetime.date(2024, 3, 5), datetime.datetime(2024, 3, 5, 14, 30), datetime.time(8, 15)],
        ]
    )


def date1904_xlsx() -> bytes:
    """A workbook in the 1904 date system (old Mac Excel): a date cell and a date typed as a plain serial."""
    return xlsx([["date_prelevement", "serie"], [datetime.date(2024, 3, 5), 43894]], date1904=True)


def zero_padded_number_xlsx() -> bytes:
    """UF code 412 stored as a number but formatted ``0000``: Excel shows 0412."""
    return xlsx([["code_uf"], [412], [7]], number_formats={"A2": "0000", "A3": "0000"})


def hidden_first_sheet_xlsx() -> bytes:
    return xlsx([["code_uf"], ["0412"]], title="Données", hidden_first_sheet=True)


def sparse_xlsx() -> bytes:
    """Header on row 3, a blank row 5 between data rows, data starting in column B."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"] = "code_uf", "lits"
    sheet["B4"], sheet["C4"] = "0412", 24
    sheet["B6"], sheet["C6"] = "0413", 10
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def formula_with_cached_value_xlsx() -> bytes:
    sheet = _sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f>A2*2</f><v>4</v></c>'
        '<c r="C2" t="str"><f>IF(A2=1,"x","")</f><v></v></c></row>'
    )
    return rewrite(
        xlsx([["total"], [0]]),
        {SHEET: sheet, "xl/sharedStrings.xml": _shared_strings(["total"])},
    )


def _shared_strings(texts: Sequence[str]) -> bytes:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="{len(texts)}">{items}</sst>').encode()


def windows_1252_csv() -> bytes:
    return "code_uf;libellé_uf;quantité\n0412;Médecine gériatrique;12,5\n0413;Pédiatrie – Œdème;3\n".encode("cp1252")


def utf8_bom_csv() -> bytes:
    return b"\xef\xbb\xbf" + "code_uf;libellé\r\n0412;Médecine\r\n".encode()


def comma_csv_with_quoted_decimal_comma() -> bytes:
    return b'code_uf,quantite,libelle\n0412,"12,5","Amoxicilline, acide clavulanique"\n0413,"1 234,75",Cefazoline\n'


def tab_csv() -> bytes:
    return b"code_uf\tquantite\n0412\t12,5\n"


def utf16_csv() -> bytes:
    """Excel's "Texte Unicode" export: UTF-16 with a BOM, tab-separated."""
    return "code_uf\tlibellé\r\n0412\tMédecine\r\n".encode("utf-16")


def sparse_csv() -> bytes:
    """A blank line between records, a quoted field spanning two lines, and trailing delimiters."""
    return b'code_uf;commentaire;\n\n0412;"sur deux\nlignes";\n0413;simple;\n'


# --------------------------------------------------------------------------- bad files


def empty_file() -> bytes:
    return b""


def empty_sheet_xlsx() -> bytes:
    return xlsx([])


def blank_csv() -> bytes:
    return b"\xef\xbb\xbf\r\n;;\r\n  \r\n"


def pdf_renamed() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png_renamed() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(header)) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return b"\x89PNG\r\n\x1a\n" + chunk


def xls_biff() -> bytes:
    """An Excel 97-2003 workbook: a CFB container with a ``Workbook`` stream starting with a BIFF8 BOF."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    return cfb({"Workbook": bof})


def raw_biff5() -> bytes:
    """An even older, container-less BIFF file."""
    return struct.pack("<HHHH", 0x0809, 8, 0x0500, 0x0005) + b"\0" * 4


def encrypted_workbook() -> bytes:
    """What Excel writes for a password-protected .xlsx: a CFB with EncryptionInfo and EncryptedPackage."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"
    package = struct.pack("<Q", 12345) + bytes(range(256)) * 4
    return cfb({"EncryptionInfo": info, "EncryptedPackage": package, "\x06DataSpaces": b"\0" * 8})


def html_disguised_as_xls() -> bytes:
    return b"<html><body><table><tr><td>code_uf</td></tr><tr><td>0412</td></tr></table></body></html>"


def _zip(members: Mapping[str, str]) -> bytes:
    """A zip archive of these members (name: text), in this order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def ods_file() -> bytes:
    return _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office:document-content/>"})


def docx_renamed() -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})


def truncated_xlsx() -> bytes:
    data = leading_zero_codes_xlsx()
    return data[: len(data) // 2]


def declared_zip_bomb() -> bytes:
    """A member whose central directory entry announces 4 GB from 1 kB of (invalid) data.

    Decompressing it would fail or explode; it must be refused on the numbers alone.
    """
    return raw_zip(
        [
            ("[Content_Types].xml", b"<Types/>", 0, zlib.crc32(b"<Types/>"), 8),
            (SHEET, b"\x00" * 1024, 8, 0, 4_000_000_000),
        ]
    )


def zip_bomb(megabytes: int = 250) -> bytes:
    """An honest bomb: a real deflate stream of ``megabytes`` MiB of zeros in about a kilobyte per MiB."""
    stream, crc = _zeros_deflated(megabytes)
    return raw_zip(
        [
            ("[Content_Types].xml", b"<Types/>", 0, zlib.crc32(b"<Types/>"), 8),
            (SHEET, stream, 8, crc, megabytes << 20),
        ]
    )


def ratio_bomb_xlsx(megabytes: int = 5) -> bytes:
    """A workbook whose sheet is padded with megabytes of spaces: compressed about 1000 times."""
    base = xlsx([["code_uf"], ["0412"]])
    sheet = member(base, SHEET).replace(b"</worksheet>", b" " * (megabytes << 20) + b"</worksheet>")
    return rewrite(base, {SHEET: sheet})


def lying_xlsx() -> bytes:
    """A readable workbook whose sheet inflates beyond the size its entry declares."""
    base = xlsx([["code_uf"], ["0412"]])
    source = zipfile.ZipFile(io.BytesIO(base))
    entries = []
    for info in source.infolist():
        content = source.read(info)
        if info.filename == SHEET:
            padded = content.replace(b"</worksheet>", b" " * 100_000 + b"</worksheet>")
            entries.append((info.filename, _deflate(padded), 8, zlib.crc32(content), len(content)))
        else:
            entries.append((info.filename, _deflate(content), 8, zlib.crc32(content), len(content)))
    return raw_zip(entries)


def many_members_zip(count: int = 10_001) -> bytes:
    return raw_zip((f"xl/media/{index}.bin", b"", 0, 0, 0) for index in range(count))


def xxe_xlsx(part: str = "xl/workbook.xml") -> bytes:
    """An external entity (file:///etc/passwd) declared in the DOCTYPE of one XML part."""
    base = xlsx([["code_uf"], ["0412"]])
    content = member(base, part)
    root_start = next(
        index
        for index in range(len(content))
        if content[index : index + 1] == b"<" and content[index + 1 : index + 2] not in b"?!"
    )
    root_name = content[root_start + 1 :].split(b" ", 1)[0].split(b">", 1)[0]
    doctype = b"<!DOCTYPE " + root_name + b' [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return rewrite(base, {part: content[:root_start] + doctype + content[root_start:]})


def billion_laughs_xlsx() -> bytes:
    """Nested internal entities in the shared strings (the "billion laughs")."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">' for level in range(1, 10)
    )
    sst = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN_NS}" count="1"><si><t>&lol9;</t></si></sst>'
    ).encode()
    base = formula_with_cached_value_xlsx()
    return rewrite(base, {"xl/sharedStrings.xml": sst})


def utf16_doctype_xlsx() -> bytes:
    """A DOCTYPE in a UTF-16 encoded part, invisible to a byte search for '<!DOCTYPE'."""
    base = xlsx([["code_uf"], ["0412"]])
    text = member(base, "xl/workbook.xml").decode()
    text = text.replace("<?xml version='1.0' encoding='UTF-8'?>", "").replace('<?xml version="1.0" encoding="UTF-8"?>', "")
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE workbook [<!ENTITY e "x">]>' + text.lstrip()
    return rewrite(base, {"xl/workbook.xml": text.encode("utf-16")})


def formula_without_value_openpyxl() -> bytes:
    """openpyxl writes formulas with an empty ``<v/>``: nothing computed them."""
    rows: list[list[object]] = [["a", "b", "total"]]
    rows.extend([index, index, index * 2] for index in range(2, 12))
    rows.append([1, 2, "=SUM(A12:B12)"])
    return xlsx(rows)


def formula_without_value_element() -> bytes:
    """A formula cell with no ``<v>`` at all (files written by scripts or web exports)."""
    sheet = _sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>0</v></c></row>'
        '<row r="12"><c r="A12"><v>3</v></c><c r="C12"><f>A12*2</f></c></row>'
    )
    return rewrite(xlsx([["total"]]), {SHEET: sheet, "xl/sharedStrings.xml": _shared_strings(["total"])})


def shared_formula_children_without_values() -> bytes:
    """A shared formula whose master has a value but whose children do not."""
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']
    rows.append('<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2</f><v>2</v></c></row>')
    rows.extend(f'<row r="{row}"><c r="A{row}"><v>{row}</v></c><c r="B{row}"><f t="shared" si="0"/></c></row>' for row in (3, 4))
    return rewrite(xlsx([["total"]]), {SHEET: _sheet_xml("".join(rows)), "xl/sharedStrings.xml": _shared_strings(["total"])})


def csv_invalid_in_both_encodings() -> bytes:
    """0x81 is undefined in Windows-1252 and, alone, invalid UTF-8."""
    return b"code_uf;libelle\n0412;M\xe9decine\n0413;P\x81diatrie\n"


def csv_unclosed_quote() -> bytes:
    return b'code_uf;libelle\n0412;"Medecine\n0413;Pediatrie\n'


def too_wide_csv(columns: int) -> bytes:
    return (";".join(f"c{index}" for index in range(columns)) + "\n").encode()


def tall_csv(rows: int) -> bytes:
    return b"code_uf\n" + b"0412\n" * rows


def cells_without_references_xlsx(formula_without_value: bool = False) -> bytes:
    """Rows and cells without ``r`` attributes (allowed, written by some generators), one #N/A error."""
    last = "<c><f>A2*2</f></c>" if formula_without_value else "<c><f>A2*2</f><v>2</v></c>"
    sheet = _sheet_xml(
        '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>1</v></c></row>'
        f'<row><c><v>1</v></c><c t="e"><v>#N/A</v></c>{last}</row>'
    )
    return rewrite(xlsx([["x"]]), {SHEET: sheet, "xl/sharedStrings.xml": _shared_strings(["code_uf", "valeur"])})


def prefixed_namespace_xlsx() -> bytes:
    """SpreadsheetML with a namespace prefix (x:c, x:v), as some .NET writers produce, and an error cell."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>code_uf</x:t></x:is></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t>valeur</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>0412</x:t></x:is></x:c>'
        '<x:c r="B2" t="e"><x:v>#DIV/0!</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    ).encode()
    return rewrite(xlsx([["x"]]), {SHEET: sheet})


def sheet_xlsx(sheet_data: str, *, dimension: str | None = None) -> bytes:
    """A workbook whose one sheet holds ``sheet_data`` as written (the sheetData's content)."""
    base = xlsx([["code_uf", "lits"]])
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">{head}<sheetData>'
        f"{sheet_data}</sheetData></worksheet>"
    ).encode()
    return rewrite(base, {"xl/worksheets/sheet1.xml": sheet})


def far_cell_xlsx() -> bytes:
    """A header and one cell at ALL1048576: a grid of a billion cells for a 2 kB file."""
    return sheet_xlsx(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>code_uf</t></is></c><c r="B1" t="inlineStr"><is><t>lits</t></is></c></row>'
        '<row r="1048576"><c r="ALL1048576"><v>1</v></c></row>'
    )
