"""XLSX workbook structure: sheets, relationships, number formats."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from chalicelib.adapters.spreadsheets.archive import Archive
from chalicelib.adapters.spreadsheets.messages import refused, wrong_format

# --------------------------------------------------------------------------- XLSX: workbook structure


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _relationships(archive: Archive, rels_member: str, base: str) -> list[tuple[str, str, str]]:
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
class Workbook:
    sheet_name: str
    sheet_member: str
    date1904: bool
    padded_styles: dict[int, int] = field(default_factory=dict)


def read_workbook(archive: Archive) -> Workbook:
    members = archive.members
    name = archive.name
    if "mimetype" in members and archive.read("mimetype", xml=False).startswith(b"application/vnd.oasis"):
        raise refused(
            f"Le fichier « {name} » est au format OpenDocument (.ods) non pris en charge, enregistrez en .xlsx ou .csv.",
            "file.ods",
        )
    office = [target for _, kind, target in _relationships(archive, "_rels/.rels", "") if kind.endswith("/officeDocument")]
    workbook_member = office[0] if office else "xl/workbook.xml"
    if workbook_member.endswith(".bin") or "xl/workbook.bin" in members:
        raise wrong_format(name, "est au format Excel binaire (.xlsb)", "file.xlsb")
    if workbook_member not in members:
        if "word/document.xml" in members:
            raise wrong_format(name, "est un document Word")
        if "ppt/presentation.xml" in members:
            raise wrong_format(name, "est une présentation PowerPoint")
        raise wrong_format(name, "est une archive ZIP qui ne contient pas de classeur Excel")
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
        raise refused(f"Le classeur « {name} » ne contient aucune feuille de données visible.", "xlsx.no_visible_sheet")
    styles = [target for kind, target in relations.values() if kind.endswith("/styles") and target in members]
    padded = _zero_padded_styles(archive.read(styles[0])) if styles else {}
    return Workbook(chosen[0], chosen[1], date1904, padded)


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
