"""ECDC's TESSy metadata as the code reads it, and the integrity of the shipped tables."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest

from chalicelib.domain.resistance.reference import default_reference
from chalicelib.domain.tessy.records import AmrCoverRecord, AmrTestRecord
from chalicelib.domain.tessy.variables import (
    CodeRange,
    FieldType,
    Operator,
    Severity,
    default_metadata,
    default_panels,
    load_metadata,
)
from chalicelib.reference import read_table


def test_records_follow_the_variables_file_order() -> None:
    metadata = default_metadata()
    assert metadata.record_types() == ("AMRTEST", "AMRCOVER")
    assert AmrTestRecord.tessy_fields() == metadata.fields("AMRTEST")
    assert AmrCoverRecord.tessy_fields() == metadata.fields("AMRCOVER")
    assert (metadata.version("AMRTEST"), metadata.version("AMRCOVER")) == (3, 2)
    assert AmrTestRecord().record_type_version == "3" and AmrCoverRecord().record_type_version == "2"


def test_variables_are_typed_with_their_severity() -> None:
    metadata = default_metadata()
    age = metadata.variable("AMRTEST", "Age")
    assert (age.type, age.required, age.allow_unk, age.minimum, age.maximum) == (
        FieldType.NUM,
        Severity.WARNING,
        True,
        Decimal(0),
        Decimal(120),
    )
    assert metadata.variable("AMRTEST", "Antibiotic").required is Severity.IGNORE
    assert metadata.variable("AMRTEST", "RecordId").required is Severity.ERROR
    assert metadata.variable("AMRTEST", "DiskLoad").required is None
    assert metadata.variable("AMRTEST", "DateOfHospitalisation").date_formats == ("yyyy-mm-dd",)
    assert metadata.variable("AMRCOVER", "DateUsedForStatistics").date_formats == ("yyyy",)
    assert metadata.variable("AMRTEST", "RecordType").allowed == ("AMRTEST",)
    assert metadata.variable("AMRTEST", "DataSource").allowed is None
    assert metadata.variable("AMRTEST", "LaboratoryCode").code_ranges == (
        CodeRange("FR", 1, 583, 3),
        CodeRange("FRn", 1, 1138, 4),
    )


def test_code_lists_keep_their_exact_casing() -> None:
    metadata = default_metadata()
    assert metadata.variable("AMRTEST", "Gender").allowed == ("F", "M", "O", "Unk")
    assert metadata.variable("AMRTEST", "Gender").unknown == "Unk"
    assert metadata.variable("AMRTEST", "HospitalUnitType").unknown == "UNK"
    assert metadata.variable("AMRTEST", "Status").allowed == ("DELETE", "NEW/UPDATE")
    assert metadata.variable("AMRTEST", "ResultMICSign").allowed == ("<=", "=", ">", ">=")
    assert len(metadata.variable("AMRTEST", "Antibiotic").allowed or ()) == 53
    serotypes = metadata.variable("AMRTEST", "Serotype").allowed or ()
    assert len(serotypes) == 120 and "Unk" in serotypes and "15B/C" in serotypes


def test_rules_are_read_with_their_severity() -> None:
    metadata = default_metadata()
    (esbl,) = metadata.variable("AMRTEST", "ESBL").rules
    assert (esbl.id, esbl.severity) == ("ESBL.1", Severity.ERROR)
    assert [(c.field, c.operator, c.value) for c in esbl.conditions] == [
        ("ESBL", Operator.REPORTED, None),
        ("Pathogen", Operator.IS_NOT, "ESCCOL"),
        ("Pathogen", Operator.IS_NOT, "KLEPNE"),
    ]
    (gradient,) = metadata.variable("AMRTEST", "ResultGradValue").rules
    assert gradient.severity is Severity.WARNING
    assert gradient.conditions[0].value == r"^(([1-9][0-9]*)|(0\.[0-9]+)|(1.5))$"
    assert [rule.id for rule in metadata.rules("AMRCOVER")] == ["Pathogen.1", "Pathogen.2"]  # stated twice, counted once
    assert {v.name for v in metadata.of("AMRTEST") if v.panel_rule} == {"Antibiotic", "Pathogen", "Specimen"}


def test_a_rule_the_loader_cannot_read_stops_it() -> None:
    rows = [dict(row) for row in read_table("tessy_variables")]
    rows[12] = {**rows[12], "validation_rules": "1. (Error) If ESBL looks odd"}
    with pytest.raises(ValueError, match="condition illisible"):
        load_metadata(rows)
    with pytest.raises(ValueError, match="double"):
        load_metadata([*read_table("tessy_variables"), read_table("tessy_variables")[0]])


def test_panels_are_consistent_with_the_metadata_and_the_platform_reference() -> None:
    metadata = default_metadata()
    panels = default_panels()
    pathogens = set(metadata.variable("AMRTEST", "Pathogen").allowed or ())
    antibiotics = set(metadata.variable("AMRTEST", "Antibiotic").allowed or ())
    assert set(panels.by_pathogen) == pathogens and len(pathogens) == 8
    reference = default_reference()
    for panel in panels.panels:
        assert set(panel.antibiotics) <= antibiotics
        assert set(panel.antibiotics) <= set(reference.antibiotics_by_code)  # the platform's codes are TESSy's
        assert panel.specimens == ("BLOOD", "CSF")
    assert {s.ears_net_code for s in reference.species if s.ears_net_code} == pathogens
    assert {c.ears_net_specimen for c in reference.specimen_categories if c.ears_net_specimen} == {"BLOOD", "CSF"}


def test_the_tables_have_their_provenance() -> None:
    provenance = resources.files("chalicelib.reference").joinpath("PROVENANCE_TESSY.md").read_text(encoding="utf-8")
    for name in ("tessy_variables.csv", "tessy_panels.csv"):
        assert f"`{name}`" in provenance
