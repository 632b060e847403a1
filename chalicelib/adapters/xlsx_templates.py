"""The XLSX import templates, one per file type, built from the column specs (DOMAIN §4).

Each template has:

* a sheet « Données » (first, so the platform's reader picks it): the French
  headers of ``chalicelib.domain.files.columns`` in spec order (bold, frozen,
  blue when required), one example row, every column formatted as text (``@``)
  so that UF codes like ``0412`` keep their zeros, a help bubble per column and
  drop-down lists for closed lists (``secteur``, ``specialite``, ``code_ta``,
  ``code_de``; for antibiograms ``sexe``, the results S/SFP/R, ``blse``,
  ``carbapenemase``, ``erv``) and suggestions where the platform also accepts
  other values (``code_de``; the specimen categories and reference species of
  antibiograms, whose labels are the laboratory's own);
* a sheet « Instructions » in French: what the file is for, one line per column
  (meaning, format, accepted values, example, other headers recognised), the
  accepted formats and how periods are written;
* for antibiograms, a sheet « Exemple »: a filled file of a few isolates
  (``resistance_example.py``) that imports cleanly;
* a hidden sheet « Listes » holding the drop-down values (the DE list is long).

The antibiogram template's columns are those the reader recognises
(``resistance/column_specs.py``), with a few antibiotic columns between the identity
and phenotype columns.

The bytes are deterministic: fixed document dates and fixed ZIP timestamps, so
the same specs and reference tables always give the same file (cacheable, ETag).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from chalicelib.domain.files.columns import COLUMNS, Column
from chalicelib.domain.files.resistance.column_specs import ANTIBIOTIC, GUIDE, other_headers, presence
from chalicelib.domain.files.resistance_example import EXAMPLE_COLUMNS, EXAMPLE_ROWS, EXAMPLE_UF
from chalicelib.domain.imports import FileType
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.reference import read_table

__all__ = [
    "DATA_SHEET",
    "EXAMPLE_SHEET",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "Layout",
    "layout",
    "template",
    "template_filename",
    "workbook_bytes",
]

DATA_SHEET = "Données"
INSTRUCTIONS_SHEET = "Instructions"
EXAMPLE_SHEET = "Exemple"
LISTS_SHEET = "Listes"

#: Lists offered as suggestions only: the platform accepts other values (a warning, never a refusal).
_SUGGESTED = frozenset({"code_de", "nature_prelevement", "espece"})

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
    FileType.RESISTANCE: (
        "Ce fichier donne les antibiogrammes du laboratoire : une ligne par isolat (souche isolée d'un prélèvement "
        "à visée diagnostique et testée), avec les libellés de votre laboratoire pour la nature du prélèvement, "
        "l'espèce et les antibiotiques.",
        "Au premier import, chaque libellé est associé une fois pour toutes à la liste de référence (catégorie de "
        "prélèvement, espèce, antibiotique) : la plateforme propose les correspondances évidentes, une personne les "
        "confirme, puis l'import reprend sans nouveau dépôt.",
        "Envoyez tous les isolats de la période : les doublons (même patient, même espèce, même antibiotype) sont "
        "retirés automatiquement. Les prélèvements de dépistage (écouvillon rectal de dépistage…) sont exclus et "
        "comptés dans le rapport.",
        "Données personnelles : le patient est identifié seulement par son IPP, pseudonymisé dès le dédoublonnage. "
        "Une colonne de nom, de prénom ou de numéro de sécurité sociale (NIR, INS) fait refuser tout le fichier.",
        "Les dates de prélèvement doivent être dans la période déclarée (l'année, ou le trimestre).",
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


@dataclass(frozen=True)
class Layout:
    """What a template holds: its columns and example rows, the columns its instructions explain,
    and the rows of its « Exemple » sheet (none but for antibiograms)."""

    columns: tuple[Column, ...]
    examples: tuple[tuple[str, ...], ...]  # the « Données » sheet's example rows
    described: tuple[Column, ...]
    filled: tuple[tuple[str, ...], ...] = ()


def layout(file_type: FileType) -> Layout:
    """The layout of ``file_type``'s template: its column specs, or, for antibiograms, the columns the
    reader recognises with example antibiotics between them, and the filled example."""
    if file_type is FileType.RESISTANCE:
        return Layout(EXAMPLE_COLUMNS, EXAMPLE_ROWS[:1], GUIDE, EXAMPLE_ROWS)
    columns = COLUMNS[file_type]
    return Layout(columns, (tuple(column.example for column in columns),), columns)


def template(file_type: FileType) -> bytes:
    """The XLSX template of ``file_type``."""
    shape = layout(file_type)
    wb = Workbook()
    data = wb.active
    assert data is not None
    data.title = DATA_SHEET
    instructions = wb.create_sheet(INSTRUCTIONS_SHEET)
    lists = _drop_down_lists(shape.columns)
    sources = _fill_lists_sheet(wb, shape.columns, lists)
    _fill_data_sheet(data, shape.columns, shape.examples, lists, sources)
    if shape.filled:
        _fill_data_sheet(wb.create_sheet(EXAMPLE_SHEET, index=2), shape.columns, shape.filled, lists, sources)
    _fill_instructions(instructions, file_type, shape)
    wb.active = 0
    return workbook_bytes(wb)


def template_filename(file_type: FileType) -> str:
    """The download name of a template, e.g. ``modele_patient_days.xlsx``."""
    return f"modele_{file_type.value}.xlsx"


# --------------------------------------------------------------------------- Données


def _drop_down_lists(columns: Sequence[Column]) -> dict[str, tuple[str, ...]]:
    """The lists of these columns: the spec's ``allowed`` values, or a reference table."""
    lists: dict[str, tuple[str, ...]] = {}
    for column in columns:
        if column.allowed:
            lists[column.name] = column.allowed
        elif column.name == "code_ta":
            lists[column.name] = tuple(row["code_ta"] for row in read_table("sae_activity_types"))
        elif column.name == "code_de":
            lists[column.name] = tuple(dict.fromkeys(row["code_de"] for row in read_table("sae_de_sectors")))
        elif column.name == "nature_prelevement":
            lists[column.name] = tuple(category.label for category in default_reference().specimen_categories)
        elif column.name == "espece":
            lists[column.name] = tuple(species.name for species in default_reference().species)
    return lists


def _fill_data_sheet(
    ws: Any,
    columns: Sequence[Column],
    examples: Sequence[Sequence[str]],
    lists: dict[str, tuple[str, ...]],
    sources: dict[str, str],
) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        values = [row[index - 1] for row in examples]
        dimension = ws.column_dimensions[letter]
        dimension.number_format = TEXT  # new cells typed by the person are text
        dimension.width = _width(column.header, *values, *lists.get(column.name, ()))

        header = ws.cell(row=1, column=index, value=column.header)
        header.font = _BOLD
        header.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        header.number_format = TEXT

        for number, value in enumerate(values, start=2):
            example = ws.cell(row=number, column=index, value=value or None)
            example.font = _EXAMPLE
            example.number_format = TEXT
            if value:
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
    # Small closed lists of the domain are strict; the SAE DE list is long and evolves, and a
    # laboratory keeps its own labels (mapped at import), so those values are only questioned here.
    if column.name in _SUGGESTED:
        return DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showDropDown=False,  # openpyxl's name is inverted: False shows the arrow
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Valeur hors de la liste",
            error=f"Cette valeur n'est pas dans la liste de la colonne « {column.header} » : "
            "vous pouvez la garder si elle est juste.",
            **prompt,
        )
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Valeur non prévue",
        error=f"Choisissez une valeur de la liste de la colonne « {column.header} ».",
        **prompt,
    )


def _fill_lists_sheet(wb: Workbook, columns: Sequence[Column], lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Write each list once in its own column of the hidden « Listes » sheet (columns with the same
    values share it, as the antibiotics' results); return the range formula of each column's list."""
    if not lists:
        return {}
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    sources: dict[str, str] = {}
    written: dict[tuple[str, ...], str] = {}
    headers = {column.name: column.header for column in columns}
    for name, values in lists.items():
        if values in written:
            sources[name] = written[values]
            continue
        index = len(written) + 1
        letter = get_column_letter(index)
        title = "Résultats" if values == ANTIBIOTIC.allowed else headers[name]
        ws.column_dimensions[letter].number_format = TEXT
        ws.column_dimensions[letter].width = _width(title, *values)
        ws.cell(row=1, column=index, value=title).font = _BOLD
        for row, value in enumerate(values, start=2):
            cell = ws.cell(row=row, column=index, value=value)
            cell.number_format = TEXT
            cell.data_type = "s"
        sources[name] = written[values] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return sources


def _width(*texts: str) -> float:
    longest = max((len(text) for text in texts), default=0)
    return float(min(max(longest + 3, 12), 45))


# --------------------------------------------------------------------------- Instructions


_INSTRUCTION_WIDTHS = {"A": 24, "B": 13, "C": 70, "D": 40, "E": 34, "F": 18, "G": 40}
_INSTRUCTION_HEADERS = (
    "En-tête", "Obligatoire", "Description", "Format", "Valeurs possibles", "Exemple", "Autres en-têtes reconnus",
)  # fmt: skip


def _fill_instructions(ws: Any, file_type: FileType, shape: Layout) -> None:
    for letter, width in _INSTRUCTION_WIDTHS.items():
        ws.column_dimensions[letter].width = width
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
    line(*_INSTRUCTION_HEADERS, font=_BOLD)
    for column in shape.described:
        line(*_described(column), wrap=True)
    if file_type is FileType.RESISTANCE:
        antibiotics = [column.header for column in shape.columns if column.allowed == ANTIBIOTIC.allowed]
        line(
            f"Les colonnes d'antibiotiques du modèle ({', '.join(antibiotics)}) sont des exemples : gardez celles de "
            "votre laboratoire, autant que nécessaire, avec ses libellés."
        )
        line(
            f"La feuille « {EXAMPLE_SHEET} » montre un fichier complet de {len(shape.filled)} isolats (le deuxième, "
            "doublon du premier, sera retiré par le dédoublonnage) : il s'importe sans erreur pour la période 2025 "
            f"ou 2025-T1 d'un établissement dont la structure a l'UF {EXAMPLE_UF}."
        )
    row += 1

    line("Formats acceptés", font=_BOLD)
    for sentence in _FORMATS:
        line(sentence)

    if any(column.name == "code_ta" for column in shape.columns):
        row += 1
        line("Types d'activité SAE (code_ta)", font=_BOLD)
        line("Code", "Journées", "Libellé", "Consommations", font=_BOLD)
        for ta in read_table("sae_activity_types"):
            line(ta["code_ta"], _yes_no(ta["counts_patient_days"]), ta["label_fr"], _yes_no(ta["counts_consumption"]))

    if any(column.name == "nature_prelevement" for column in shape.columns):
        row += 1
        line("Catégories de prélèvement (nature_prelevement)", font=_BOLD)
        line("Catégorie", None, "Libellés reconnus automatiquement (entre autres)", font=_BOLD)
        for category in default_reference().specimen_categories:
            line(category.label, None, ", ".join(category.synonyms), wrap=True)
        line("Les prélèvements de dépistage (« dépistage », « écouvillon rectal »…) sont exclus et comptés dans le rapport.")


def _described(column: Column) -> tuple[str | None, ...]:
    """One line of the instructions' column table (``_INSTRUCTION_HEADERS``)."""
    values = ", ".join(column.allowed) if column.allowed else _reference_hint(column.name)
    if column.variants:
        values += f" (aussi : {', '.join(column.variants)})"
    others = ", ".join(other_headers(column))
    return (
        column.header,
        presence(column),
        column.help,
        column.format or None,
        values or None,
        column.example or None,
        others or None,
    )


def _reference_hint(name: str) -> str:
    return {
        "code_ta": "liste déroulante (types d'activité SAE, voir ci-dessous)",
        "code_de": "liste déroulante (disciplines d'équipement SAE)",
        "nature_prelevement": "liste de suggestions (catégories de prélèvement, voir ci-dessous) ; "
        "le libellé de votre laboratoire est accepté",
        "espece": "liste de suggestions (espèces de référence) ; le libellé de votre laboratoire est accepté",
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
