"""The XLSX import templates, one per file type, built from the column specs (DOMAIN §4).

Each template has:

* a sheet « Données » (first, so the platform's reader picks it): the French
  headers of ``chalicelib.domain.files.columns`` in spec order (bold, frozen,
  blue when required), one example row, every column formatted as text (``@``)
  so that UF codes like ``0412`` keep their zeros, a help bubble per column and
  drop-down lists for closed lists (``secteur``, ``specialite``, ``code_ta``,
  ``code_de``);
* a sheet « Instructions » in French: what the file is for, one line per column,
  the accepted formats and how periods are written;
* a hidden sheet « Listes » holding the drop-down values (the DE list is long).

The bytes are deterministic: fixed document dates and fixed ZIP timestamps, so
the same specs and reference tables always give the same file (cacheable, ETag).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from chalicelib.domain.errors import NotFound
from chalicelib.domain.files.columns import COLUMNS, Column
from chalicelib.domain.imports import FileType
from chalicelib.reference import read_table

__all__ = ["DATA_SHEET", "INSTRUCTIONS_SHEET", "LISTS_SHEET", "template", "template_filename", "workbook_bytes"]

DATA_SHEET = "Données"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Listes"

TEXT = "@"
_EXCEL_MAX_ROW = 1_048_576
_FIXED_DATE = datetime(2025, 1, 1)  # document properties: no "now" in the bytes
_ZIP_DATE = (2025, 1, 1, 0, 0, 0)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_EXAMPLE = Font(italic=True, color="FF595959")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFBDD7EE")
_OPTIONAL_FILL = PatternFill("solid", fgColor="FFEDEDED")
_WRAP = Alignment(wrap_text=True, vertical="top")

_PURPOSE: dict[FileType, tuple[str, ...]] = {
    FileType.STRUCTURE: (
        "Ce fichier décrit les unités fonctionnelles (UF) de l'établissement : leur rattachement "
        "(pôle, service, facultatifs), leur type d'activité SAE (TA) et leur discipline d'équipement (DE), "
        "qui détermine le secteur d'activité.",
        "Le code UF relie tous les autres fichiers (lits, journées, consommations, résistances). "
        "Seules les UF d'hospitalisation complète (TA 03), de semaine (TA 20) et les UF bébés de maternité (TA 97) "
        "comptent des journées ; les blocs opératoires (TA 08) ne comptent que des consommations.",
        "Une ligne par UF. Fichier déposé par le référent de l'établissement.",
    ),
    FileType.BEDS: (
        "Ce fichier donne le nombre de lits installés de chaque UF, par année ; "
        "il sert à contrôler la vraisemblance des journées d'hospitalisation.",
        "Une ligne par UF et par année. Fichier déposé par le référent de l'établissement.",
    ),
    FileType.PATIENT_DAYS: (
        "Ce fichier donne les journées d'hospitalisation (et, si vous les avez, les entrées) de chaque UF "
        "par période : c'est le dénominateur des indicateurs (DDJ pour 1 000 journées).",
        "Seules les UF d'hospitalisation complète (TA 03), de semaine (TA 20) et les UF bébés de maternité (TA 97) "
        "ont des journées ; les UF doivent être connues dans la structure.",
        "Une ligne par UF et par période.",
    ),
    FileType.CONSUMPTION: (
        "Ce fichier donne les unités dispensées à chaque UF, par produit (code UCD) et par période : "
        "antibiotiques (J01, rifampicine, imidazolés oraux, fidaxomicine) et antifongiques (J02).",
        "Chaque code UCD est rapproché du catalogue des produits pour calculer les DDJ ; "
        "un code UCD inconnu bloque le fichier et est listé dans le rapport.",
        "Une ligne par UF, produit et période.",
    ),
}

_FORMATS = (
    "Fichier : ce modèle XLSX, ou un fichier CSV (séparateur « ; » ou « , »), encodé en UTF-8 ou en Windows-1252 "
    "(l'enregistrement « CSV » d'Excel convient).",
    "En-têtes : sur la première ligne non vide ; ils sont reconnus même si la casse, les accents ou les espaces diffèrent. "
    "Les colonnes obligatoires ont un en-tête bleu.",
    "Dates : JJ/MM/AAAA (par exemple 31/12/2025) ; les dates saisies comme dates dans Excel sont acceptées.",
    "Nombres : la virgule décimale est acceptée (12,5), comme le point (12.5) ; pas de séparateur de milliers.",
    "Codes (UF, TA, DE, UCD) : saisis comme du texte pour garder les zéros initiaux (0412 reste 0412) ; "
    "toutes les colonnes de ce modèle sont au format Texte.",
    "Périodes : l'année (2025) ou le trimestre (2025-T1, 2025-T2, 2025-T3, 2025-T4).",
    "La ligne 2 de la feuille « Données » est un exemple : remplacez-la ou supprimez-la avant l'envoi.",
)


def template(file_type: FileType) -> bytes:
    """The XLSX template of ``file_type``.

    Raises:
        NotFound: the file type has no column specs yet (resistance, for now).
    """
    columns = COLUMNS.get(file_type)
    if columns is None:
        raise NotFound(
            f"Le modèle du fichier « {file_type.label} » n'est pas encore disponible.",
            details=[{"problem": "template.unavailable", "file_type": file_type.value}],
        )
    wb = Workbook()
    data = wb.active
    assert data is not None
    data.title = DATA_SHEET
    instructions = wb.create_sheet(INSTRUCTIONS_SHEET)
    lists = _drop_down_lists(columns)
    sources = _fill_lists_sheet(wb, columns, lists)
    _fill_data_sheet(data, columns, lists, sources)
    _fill_instructions(instructions, file_type, columns)
    wb.active = 0
    return workbook_bytes(wb)


def template_filename(file_type: FileType) -> str:
    """The download name of a template, e.g. ``modele_patient_days.xlsx``."""
    return f"modele_{file_type.value}.xlsx"


# --------------------------------------------------------------------------- Données


def _drop_down_lists(columns: Sequence[Column]) -> dict[str, tuple[str, ...]]:
    """The closed lists of these columns: the spec's ``allowed`` values, or a reference table."""
    lists: dict[str, tuple[str, ...]] = {}
    for column in columns:
        if column.allowed:
            lists[column.name] = column.allowed
        elif column.name == "code_ta":
            lists[column.name] = tuple(row["code_ta"] for row in read_table("sae_activity_types"))
        elif column.name == "code_de":
            lists[column.name] = tuple(dict.fromkeys(row["code_de"] for row in read_table("sae_de_sectors")))
    return lists


def _fill_data_sheet(ws: Any, columns: Sequence[Column], lists: dict[str, tuple[str, ...]], sources: dict[str, str]) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        dimension = ws.column_dimensions[letter]
        dimension.number_format = TEXT  # new cells typed by the person are text
        dimension.width = _width(column.header, column.example, *lists.get(column.name, ()))

        header = ws.cell(row=1, column=index, value=column.header)
        header.font = _BOLD
        header.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        header.number_format = TEXT

        example = ws.cell(row=2, column=index, value=column.example or None)
        example.font = _EXAMPLE
        example.number_format = TEXT
        if column.example:
            example.data_type = "s"

        cells = f"{letter}2:{letter}{_EXCEL_MAX_ROW}"
        validation = _validation(column, sources.get(column.name))
        validation.add(cells)
        ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _validation(column: Column, source: str | None) -> DataValidation:
    """A drop-down on ``source`` for a closed list, else an "any value" rule that only shows the help bubble."""
    prompt: dict[str, Any] = {"showInputMessage": True, "promptTitle": column.header[:32], "prompt": column.help[:255]}
    if source is None:
        return DataValidation(allow_blank=True, **prompt)
    # Small closed lists of the domain are strict; the SAE DE list is long and evolves,
    # so an unknown DE is only questioned here and judged by the import's own checks.
    strict = column.name != "code_de"
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showDropDown=False,  # openpyxl's name is inverted: False shows the arrow
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="Valeur non prévue",
        error=f"Choisissez une valeur de la liste de la colonne « {column.header} ».",
        **prompt,
    )


def _fill_lists_sheet(wb: Workbook, columns: Sequence[Column], lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Write each list in its own column of the hidden « Listes » sheet; return the range formula of each."""
    if not lists:
        return {}
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    sources: dict[str, str] = {}
    headers = {column.name: column.header for column in columns}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].number_format = TEXT
        ws.column_dimensions[letter].width = _width(headers[name], *values)
        ws.cell(row=1, column=index, value=headers[name]).font = _BOLD
        for row, value in enumerate(values, start=2):
            cell = ws.cell(row=row, column=index, value=value)
            cell.number_format = TEXT
            cell.data_type = "s"
        sources[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return sources


def _width(*texts: str) -> float:
    longest = max((len(text) for text in texts), default=0)
    return float(min(max(longest + 3, 12), 45))


# --------------------------------------------------------------------------- Instructions


def _fill_instructions(ws: Any, file_type: FileType, columns: Sequence[Column]) -> None:
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 80
    ws.column_dimensions["D"].width = 30
    ws.column_dimensions["E"].width = 22
    row = 1

    def line(*values: str | None, font: Font | None = None, wrap: bool = False) -> None:
        nonlocal row
        for index, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=row, column=index, value=value)
            cell.data_type = "s"
            if font is not None:
                cell.font = font
            if wrap:
                cell.alignment = _WRAP
        row += 1

    line(f"Modèle d'import ConsoRes : fichier « {file_type.label} »", font=_TITLE)
    row += 1
    line("À quoi sert ce fichier", font=_BOLD)
    for sentence in _PURPOSE.get(file_type, (f"Fichier « {file_type.label} ».",)):
        line(sentence)
    row += 1

    line("Colonnes (feuille « Données », dans cet ordre)", font=_BOLD)
    line("En-tête", "Obligatoire", "Description", "Valeurs possibles", "Exemple", font=_BOLD)
    for column in columns:
        allowed = ", ".join(column.allowed) if column.allowed else _reference_hint(column.name)
        line(
            column.header,
            "obligatoire" if column.required else "facultatif",
            column.help,
            allowed or None,
            column.example or None,
            wrap=True,
        )
    row += 1

    line("Formats acceptés", font=_BOLD)
    for sentence in _FORMATS:
        line(sentence)

    if any(column.name == "code_ta" for column in columns):
        row += 1
        line("Types d'activité SAE (code_ta)", font=_BOLD)
        line("Code", "Journées", "Libellé", "Consommations", font=_BOLD)
        for ta in read_table("sae_activity_types"):
            line(ta["code_ta"], _yes_no(ta["counts_patient_days"]), ta["label_fr"], _yes_no(ta["counts_consumption"]))


def _reference_hint(name: str) -> str:
    return {
        "code_ta": "liste déroulante (types d'activité SAE, voir ci-dessous)",
        "code_de": "liste déroulante (disciplines d'équipement SAE)",
    }.get(name, "")


def _yes_no(flag: str) -> str:
    return "oui" if flag.strip().lower() == "yes" else "non"


# --------------------------------------------------------------------------- bytes


class _FixedDateZip(zipfile.ZipFile):
    """A ZipFile that stamps every member with the same date (no "now" in the archive)."""

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: bytes | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_DATE)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self,
        filename: str,
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        with open(filename, "rb") as source:
            self.writestr(arcname or filename, source.read(), compress_type, compresslevel)


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise ``wb`` with fixed document dates and ZIP timestamps: same content, same bytes."""
    wb.properties.creator = "ConsoRes"
    wb.properties.lastModifiedBy = "ConsoRes"
    wb.properties.created = _FIXED_DATE
    wb.properties.modified = _FIXED_DATE
    buffer = io.BytesIO()
    archive = _FixedDateZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps "modified" with now
    return buffer.getvalue()
