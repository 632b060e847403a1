"""The XLSX import templates: French headers in spec order, text columns, drop-downs, instructions."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from chalicelib.adapters.spreadsheets import read_table as read_upload
from chalicelib.adapters.xlsx_templates import (
    DATA_SHEET,
    EXAMPLE_SHEET,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    layout,
    template,
    template_filename,
)
from chalicelib.domain.cells import HeaderMatcher, find_header_row, normalise_header
from chalicelib.domain.files.columns import Column, required, synonyms_spec
from chalicelib.domain.files.resistance.column_specs import GUIDE, IGNORED, PHENOTYPES, RESISTANCE, RESULTS, presence
from chalicelib.domain.files.resistance.header import read_header
from chalicelib.domain.files.resistance.model import WORDS
from chalicelib.domain.files.resistance.values import (
    OK,
    SEXES,
    read_carbapenemase,
    read_esbl,
    read_result,
    read_van,
)
from chalicelib.domain.files.resistance_example import EXAMPLE_ANTIBIOTICS
from chalicelib.domain.imports import FileType
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.domain.structure import SECTORS, SPECIALTIES
from chalicelib.reference import read_table

TYPES = list(FileType)
COLUMNS = {file_type: layout(file_type).columns for file_type in FileType}


def workbook(file_type: FileType) -> Any:
    return load_workbook(io.BytesIO(template(file_type)))


def column_of(file_type: FileType, name: str) -> tuple[str, Column]:
    for index, column in enumerate(COLUMNS[file_type], start=1):
        if column.name == name:
            return get_column_letter(index), column
    raise AssertionError(f"no column {name} in {file_type}")


def drop_down(ws: Any, letter: str) -> Any:
    """The list validation covering the column's data cells (row 2 onwards)."""
    for validation in ws.data_validations.dataValidation:
        if validation.type == "list" and f"{letter}2" in validation.sqref:
            return validation
    return None


def list_values(wb: Any, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    assert sheet.strip("'") == LISTS_SHEET
    return [cell.value for row in wb[LISTS_SHEET][cells.replace("$", "")] for cell in row]


def instruction_lines(wb: Any) -> list[tuple[Any, ...]]:
    return [row for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if any(row)]


# --------------------------------------------------------------------------- Données


@pytest.mark.parametrize("file_type", TYPES)
def test_every_template_has_french_headers_in_column_spec_order(file_type: FileType) -> None:
    wb = workbook(file_type)
    assert wb.sheetnames[0] == DATA_SHEET
    headers = [cell.value for cell in wb[DATA_SHEET][1]]
    assert headers == [column.header for column in COLUMNS[file_type]]


@pytest.mark.parametrize("file_type", TYPES)
def test_headers_are_bold_and_stay_visible_when_scrolling(file_type: FileType) -> None:
    ws = workbook(file_type)[DATA_SHEET]
    assert ws.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ws[1])
    assert all(ws.column_dimensions[get_column_letter(i)].width >= 12 for i in range(1, len(COLUMNS[file_type]) + 1))


@pytest.mark.parametrize("file_type", [t for t in TYPES if t is not FileType.RESISTANCE])
def test_example_row_comes_from_the_column_specs(file_type: FileType) -> None:
    ws = workbook(file_type)[DATA_SHEET]
    assert [cell.value or "" for cell in ws[2]] == [column.example for column in COLUMNS[file_type]]


@pytest.mark.parametrize("file_type", TYPES)
def test_template_keeps_leading_zeros_as_text(file_type: FileType) -> None:
    ws = workbook(file_type)[DATA_SHEET]
    for index in range(1, len(COLUMNS[file_type]) + 1):
        letter = get_column_letter(index)
        assert ws.column_dimensions[letter].number_format == "@", letter  # what the person types stays text
        assert ws[f"{letter}2"].number_format == "@"
        assert ws[f"{letter}2"].value is None or ws[f"{letter}2"].data_type == "s"
    if file_type is FileType.STRUCTURE:
        letter, _ = column_of(file_type, "code_ta")
        assert ws[f"{letter}2"].value == "03"
        assert ws[f"{letter}2"].data_type == "s"


def test_template_reads_back_through_the_platform_reader_with_codes_intact() -> None:
    sheet = read_upload(template(FileType.STRUCTURE), "modele.xlsx")
    header = find_header_row(sheet.rows, HeaderMatcher(synonyms_spec(FileType.STRUCTURE), required(FileType.STRUCTURE)))
    assert header.index == 0 and header.match.ok and not header.problems
    example = sheet.rows[1]
    assert example[header.match.columns["code_ta"]] == "03"
    assert example[header.match.columns["code_uf"]] == "1204"


@pytest.mark.parametrize("file_type", TYPES)
def test_calamine_reads_the_data_sheet_first_as_text(file_type: FileType) -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(template(file_type)))
    assert book.sheet_names[0] == DATA_SHEET
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == [column.header for column in COLUMNS[file_type]]
    assert all(isinstance(value, str) for value in rows[1])


# --------------------------------------------------------------------------- drop-downs


def test_sector_column_offers_a_drop_down_list() -> None:
    wb = workbook(FileType.STRUCTURE)
    letter, column = column_of(FileType.STRUCTURE, "secteur")
    validation = drop_down(wb[DATA_SHEET], letter)
    assert validation is not None
    assert validation.showDropDown is False  # openpyxl's inverted flag: the arrow is shown
    assert validation.allow_blank and validation.showErrorMessage and validation.errorStyle == "stop"
    assert list_values(wb, validation.formula1) == list(SECTORS) == list(column.allowed)
    assert f"{letter}1048576" in str(validation.sqref)


def test_specialty_column_offers_its_allowed_values() -> None:
    wb = workbook(FileType.STRUCTURE)
    letter, _ = column_of(FileType.STRUCTURE, "specialite")
    validation = drop_down(wb[DATA_SHEET], letter)
    assert list_values(wb, validation.formula1) == list(SPECIALTIES)


def test_activity_type_and_discipline_drop_downs_come_from_the_reference_tables() -> None:
    wb = workbook(FileType.STRUCTURE)
    ta_letter, _ = column_of(FileType.STRUCTURE, "code_ta")
    de_letter, _ = column_of(FileType.STRUCTURE, "code_de")
    ta = drop_down(wb[DATA_SHEET], ta_letter)
    de = drop_down(wb[DATA_SHEET], de_letter)
    assert list_values(wb, ta.formula1) == [row["code_ta"] for row in read_table("sae_activity_types")]
    de_codes = list_values(wb, de.formula1)
    assert de_codes == list(dict.fromkeys(row["code_de"] for row in read_table("sae_de_sectors")))
    assert len(de_codes) > 200 and all(isinstance(code, str) for code in de_codes)
    assert "03" in list_values(wb, ta.formula1)  # codes stay text in the list too
    assert de.errorStyle == "warning"  # the SAE list evolves: the import's checks decide


def test_lists_sheet_is_hidden_and_only_present_when_needed() -> None:
    assert workbook(FileType.STRUCTURE)[LISTS_SHEET].sheet_state == "hidden"
    assert workbook(FileType.RESISTANCE)[LISTS_SHEET].sheet_state == "hidden"
    for file_type in (FileType.BEDS, FileType.PATIENT_DAYS, FileType.CONSUMPTION):
        wb = workbook(file_type)
        assert LISTS_SHEET not in wb.sheetnames
        assert not any(v.type == "list" for v in wb[DATA_SHEET].data_validations.dataValidation)


@pytest.mark.parametrize("file_type", TYPES)
def test_every_column_shows_its_help_when_selected(file_type: FileType) -> None:
    ws = workbook(file_type)[DATA_SHEET]
    for column in COLUMNS[file_type]:
        letter, _ = column_of(file_type, column.name)
        prompts = [v for v in ws.data_validations.dataValidation if f"{letter}2" in v.sqref]
        assert len(prompts) == 1
        assert prompts[0].showInputMessage and prompts[0].prompt == column.help[:255]


# --------------------------------------------------------------------------- Instructions


@pytest.mark.parametrize("file_type", TYPES)
def test_instructions_sheet_explains_every_column(file_type: FileType) -> None:
    lines = instruction_lines(workbook(file_type))
    by_header = {row[0]: row for row in lines}
    described = layout(file_type).described
    assert lines[next(n for n, row in enumerate(lines) if row[0] == "En-tête")][:7] == (
        "En-tête", "Obligatoire", "Description", "Format", "Valeurs possibles", "Exemple", "Autres en-têtes reconnus",
    )  # fmt: skip
    for column in described:
        _header, obligatoire, description, format_, values, example, others = by_header[column.header][:7]
        assert obligatoire == presence(column)
        assert description == column.help
        assert (format_ or "") == column.format
        assert all(value in values for value in (*column.allowed, *column.variants))
        assert (example or "") == column.example
        assert all(label in (others or "") for label in column.synonyms)
    headers_in_order = [row[0] for row in lines if row[0] in {c.header for c in described}]
    assert headers_in_order[: len(described)] == [c.header for c in described]


@pytest.mark.parametrize("file_type", TYPES)
def test_instructions_say_what_the_file_is_for_and_which_formats_are_accepted(file_type: FileType) -> None:
    text = "\n".join(str(value) for row in instruction_lines(workbook(file_type)) for value in row if value)
    assert file_type.label in text
    assert "À quoi sert ce fichier" in text
    for needle in ("XLSX", "CSV", "« ; »", "« , »", "UTF-8", "Windows-1252", "JJ/MM/AAAA", "virgule décimale", "0412"):
        assert needle in text, needle
    assert "2025" in text and "2025-T1" in text


def test_structure_instructions_list_the_activity_types_with_their_labels() -> None:
    lines = instruction_lines(workbook(FileType.STRUCTURE))
    codes = {row[0]: row[2] for row in lines}
    assert codes["03"] == "Hospitalisation complète"
    assert codes["08"] == "Bloc opératoire"


# --------------------------------------------------------------------------- the file itself


@pytest.mark.parametrize("file_type", TYPES)
def test_identical_inputs_give_identical_bytes(file_type: FileType) -> None:
    data = template(file_type)
    assert data == template(file_type)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}
        assert b"2025-01-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_template_filename_names_the_file_type() -> None:
    assert template_filename(FileType.PATIENT_DAYS) == "modele_patient_days.xlsx"


# --------------------------------------------------------------------------- antibiograms


def test_resistance_template_lists_the_reader_columns_in_order_with_example_antibiotics_between() -> None:
    headers = [cell.value for cell in workbook(FileType.RESISTANCE)[DATA_SHEET][1]]
    identity = [c.header for c in RESISTANCE if c not in PHENOTYPES]
    phenotypes = [c.header for c in PHENOTYPES]
    assert headers == [*identity, *EXAMPLE_ANTIBIOTICS, *phenotypes]
    assert not {c.header for c in IGNORED} & set(headers)  # admission dates are no longer collected


def test_resistance_template_header_is_read_by_the_resistance_reader_as_it_is_meant() -> None:
    sheet = read_upload(template(FileType.RESISTANCE), "modele.xlsx")
    table, found, labels = read_header(sheet.rows, list(range(1, len(sheet.rows) + 1)))
    assert found is not None and table.header_ok and not table.report.errors
    assert set(found.index) == {c.name for c in RESISTANCE}
    assert labels == list(EXAMPLE_ANTIBIOTICS)


def test_resistance_closed_lists_are_strict_drop_downs_of_the_reader_values() -> None:
    wb = workbook(FileType.RESISTANCE)
    ws = wb[DATA_SHEET]
    for name in ("sexe", "blse", "carbapenemase", "erv", *EXAMPLE_ANTIBIOTICS):
        letter, column = column_of(FileType.RESISTANCE, name)
        validation = drop_down(ws, letter)
        assert validation is not None, name
        assert validation.errorStyle == "stop" and validation.allow_blank
        assert list_values(wb, validation.formula1) == list(column.allowed)
    letter, _ = column_of(FileType.RESISTANCE, EXAMPLE_ANTIBIOTICS[0])
    assert list_values(wb, drop_down(ws, letter).formula1) == list(RESULTS) == ["S", "SFP", "R"]
    sources = {drop_down(ws, column_of(FileType.RESISTANCE, label)[0]).formula1 for label in EXAMPLE_ANTIBIOTICS}
    assert len(sources) == 1  # one list of results, shared


def test_specimen_and_species_offer_the_reference_lists_as_suggestions_only() -> None:
    wb = workbook(FileType.RESISTANCE)
    ws = wb[DATA_SHEET]
    reference = default_reference()
    for name, expected in (
        ("nature_prelevement", [category.label for category in reference.specimen_categories]),
        ("espece", [species.name for species in reference.species]),
    ):
        validation = drop_down(ws, column_of(FileType.RESISTANCE, name)[0])
        assert list_values(wb, validation.formula1) == expected
        assert validation.errorStyle == "warning"  # the laboratory's own labels are accepted, then mapped
        assert "Hémoculture" in expected or "Escherichia coli" in expected


def test_every_value_the_template_offers_or_names_is_read_cleanly_by_the_reader() -> None:
    readers = {
        "blse": lambda text: read_esbl(text)[1] is None and read_esbl(text)[0] is not None,
        "carbapenemase": lambda text: read_carbapenemase(text)[1:] == (None, None) and read_carbapenemase(text)[0] is not None,
        "erv": lambda text: read_van(text)[1] is None and read_van(text)[0] is not None,
    }
    for column in GUIDE:
        if column.name in readers:
            for text in (*column.allowed, *column.variants):
                assert readers[column.name](text), (column.name, text)
    assert all(read_result(text)[0] == OK for text in RESULTS)
    [sex] = [c for c in GUIDE if c.name == "sexe"]
    # The documented spellings of the sex are exactly those the reader knows.
    assert {" ".join(WORDS.findall(normalise_header(text))) for text in (*sex.allowed, *sex.variants)} == set(SEXES)


def test_resistance_template_has_a_visible_example_sheet_after_the_instructions() -> None:
    wb = workbook(FileType.RESISTANCE)
    assert wb.sheetnames[:3] == [DATA_SHEET, INSTRUCTIONS_SHEET, EXAMPLE_SHEET]
    assert wb[EXAMPLE_SHEET].sheet_state == "visible" and wb[EXAMPLE_SHEET].freeze_panes == "A2"
    for name in (FileType.STRUCTURE, FileType.CONSUMPTION):
        assert EXAMPLE_SHEET not in workbook(name).sheetnames


def test_resistance_instructions_explain_the_antibiotic_columns_and_the_specimen_categories() -> None:
    text = "\n".join(str(value) for row in instruction_lines(workbook(FileType.RESISTANCE)) for value in row if value)
    for needle in ("au moins une", "S, SFP, R", "ancien « I »", "ignorée", "NIR", "dépistage", "dédoublonnage", "IPP"):
        assert needle in text, needle
    for category in default_reference().specimen_categories:
        assert category.label in text
    assert all(label in text for label in EXAMPLE_ANTIBIOTICS)
