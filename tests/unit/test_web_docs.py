"""The web client's list of antibiogram columns is generated from the reader's column specs and says
exactly what the reader recognises: no column the reader accepts is missing, none is invented."""

from __future__ import annotations

import pytest

from chalicelib.domain.files.resistance.column_specs import ANTIBIOTIC, IGNORED, matcher
from chalicelib.domain.files.resistance.header import read_header
from infra.local import web_docs

DOCUMENTED = {entry["name"]: entry for entry in web_docs.entries()}
COLUMNS = {name: entry for name, entry in DOCUMENTED.items() if name != ANTIBIOTIC.name}


def test_the_generated_file_is_up_to_date():
    assert web_docs.TARGET.read_text(encoding="utf-8") == web_docs.render(), (
        "web/src/generated/antibiogramColumns.ts is stale: run `.venv/bin/python -m infra.local.web_docs`"
    )


def test_the_documentation_lists_every_column_the_reader_recognises_and_no_other():
    recognised = matcher().synonyms
    assert set(COLUMNS) == set(recognised)
    for name, labels in recognised.items():
        entry = COLUMNS[name]
        assert {entry["header"], *entry["aliases"]} == set(labels), name


def test_the_documented_required_columns_are_those_the_reader_requires():
    assert {name for name, entry in COLUMNS.items() if entry["presence"] == "obligatoire"} == set(matcher().required)
    assert DOCUMENTED[ANTIBIOTIC.name]["presence"] == "au moins une"
    assert {name for name, entry in COLUMNS.items() if entry["presence"] == "ignorée"} == {c.name for c in IGNORED}


ISOLATE = {"code_uf": "1204", "id_patient": "P1", "age": "67", "date_prelevement": "14/01/2025",
           "nature_prelevement": "Hémoculture", "espece": "E. coli", "sexe": "F"}  # fmt: skip


def a_file_with(name: str, label: str, *antibiotics: tuple[str, str]) -> list[list[str]]:
    """A header of every documented column (``label`` for column ``name``) then ``antibiotics``, and one isolate."""
    header = [label if other == name else entry["header"] for other, entry in COLUMNS.items()]
    row = [ISOLATE.get(other, "") for other in COLUMNS]
    antibiotics = (("Céfotaxime", "S"), *antibiotics)
    return [header + [label for label, _ in antibiotics], row + [result for _, result in antibiotics]]


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_documented_header_is_read_by_the_resistance_reader_as_its_column(name):
    for label in (COLUMNS[name]["header"], *COLUMNS[name]["aliases"]):
        rows = a_file_with(name, label)
        table, layout, antibiotics = read_header(rows, [1, 2])
        assert layout is not None and not table.report.errors, (label, [p.message for p in table.report.errors])
        assert antibiotics == ["Céfotaxime"], label  # never mistaken for an antibiotic
        if name in {c.name for c in IGNORED}:
            assert name not in layout.index and any(p.code == "column.ignored" for p in table.report.warnings)
        else:
            assert layout.index[name] == rows[0].index(label), label


def test_an_undocumented_header_with_results_is_an_antibiotic_column():
    _, layout, antibiotics = read_header(a_file_with("", "", ("Témocilline", "R")), [1, 2])
    assert layout is not None and antibiotics == ["Céfotaxime", "Témocilline"]
