"""The built-in validator: ECDC's metadata rules with ECDC's severities, before anything leaves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.tessy.plan import CoverageSettings, CoveredEstablishment, plan_amrcover, plan_amrtest
from chalicelib.domain.tessy.records import AmrCoverRecord, AmrTestRecord
from chalicelib.domain.tessy.validate import ValidationReport, validate
from chalicelib.domain.tessy.variables import Severity
from tests.unit.test_tessy_plan import context, iso, item

GOOD = AmrTestRecord(
    record_id="FR001-1-ESCCOL-20250310-CTX",
    data_source="FR-Spares",
    reporting_country="FR",
    date_used_for_statistics="2025-03-10",
    age="70",
    antibiotic="CTX",
    gender="F",
    hospital_id="750000001",
    hospital_unit_type="INTMED",
    isolate_id="FR001-1-ESCCOL-20250310",
    laboratory_code="FR001",
    pathogen="ESCCOL",
    patient_counter="1",
    patient_type="INPAT",
    sir="R",
    specimen="BLOOD",
)
COVER = plan_amrcover(
    2025, [CoveredEstablishment("750000001", 400, 120_000)], 400_000, CoverageSettings("HIGH", "HIGH", "MEDIUM")
)[0]


def found(report: ValidationReport) -> list[tuple[int, str, str, Severity]]:
    return [(f.record, f.field, f.rule, f.severity) for f in report.findings]


def one(record: AmrTestRecord | AmrCoverRecord) -> list[tuple[str, str, Severity]]:
    return [(f.field, f.rule, f.severity) for f in validate([record]).findings]


def test_a_planned_export_has_no_finding() -> None:
    records = plan_amrtest(
        [
            item(iso(1, "AMX=R CTX=SFP CAZ=S AMK=S", age=None, sex=None), sector="REA"),
            item(iso(2, "OXA=R VAN=S RIF=S", patient="p2", species="STAAUR")),
            item(iso(3, "PEN=R CTX=S", patient="p3", species="STRPNE", specimen="LCR"), sector=None),
            item(iso(4, "IPM=R COL=S", patient="p4", species="ACIBAU", esbl=True)),
        ],
        context(),
    )
    report = validate([*records, COVER])
    assert report.findings == ()
    assert report.publishable
    assert report.counts == {Severity.ERROR: 0, Severity.WARNING: 0, Severity.IGNORE: 0}


def test_validator_errors_reject_the_batch_and_ignores_drop_records() -> None:
    records = [
        GOOD,
        replace(GOOD, record_id="r2", antibiotic="VAN"),  # not in E. coli's panel: Ignore, the record is dropped
        replace(GOOD, record_id="r3", specimen="URINE"),  # not a specimen EARS-Net takes: Ignore
        replace(GOOD, record_id="r4", age="130"),  # above the maximum: Warning (Age is required with Warning)
    ]
    report = validate(records)
    assert found(report) == [
        (1, "Antibiotic", "panel", Severity.IGNORE),
        (2, "Specimen", "code_list", Severity.IGNORE),
        (2, "Antibiotic", "panel", Severity.IGNORE),
        (3, "Age", "max", Severity.WARNING),
    ]
    assert report.publishable  # Warnings pass, Ignores drop
    assert report.dropped == {1, 2}
    assert report.kept(records) == [records[0], records[3]]
    assert report.counts == {Severity.ERROR: 0, Severity.WARNING: 1, Severity.IGNORE: 3}

    rejected = validate([*records, replace(GOOD, record_id="r5", sir="SFP")])  # SIR is required with Error
    assert found(rejected)[-1] == (4, "SIR", "code_list", Severity.ERROR)
    assert not rejected.publishable
    assert "non publié" in rejected.summary()
    assert "SFP" in rejected.errors[0].message


def test_missing_values_take_the_required_severity() -> None:
    assert one(replace(GOOD, laboratory_code="", hospital_id="", antibiotic="", disk_load="")) == [
        ("Antibiotic", "required", Severity.IGNORE),
        ("HospitalId", "required", Severity.WARNING),
        ("LaboratoryCode", "required", Severity.ERROR),
        ("Antibiotic", "panel", Severity.IGNORE),
    ]


def test_code_lists_are_compared_with_their_exact_casing() -> None:
    assert one(replace(GOOD, gender="UNK")) == [("Gender", "unknown", Severity.WARNING)]
    assert one(replace(GOOD, gender="Unk")) == []
    assert one(replace(GOOD, hospital_unit_type="Unk")) == [("HospitalUnitType", "unknown", Severity.WARNING)]
    assert one(replace(GOOD, hospital_unit_type="UNK")) == []
    assert one(replace(GOOD, status="New/Update")) == [("Status", "code_list", Severity.ERROR)]
    assert one(replace(GOOD, pathogen="esccol")) == [
        ("Pathogen", "code_list", Severity.ERROR),
        ("Antibiotic", "panel", Severity.IGNORE),
    ]
    message = validate([replace(GOOD, patient_type="inpat")]).findings[0].message
    assert "« INPAT »" in message
    assert one(replace(GOOD, data_source="FR-SPARES")) == [("DataSource", "code_list", Severity.ERROR)]
    assert one(replace(GOOD, patient_counter="UNK")) == [("PatientCounter", "unknown", Severity.ERROR)]


def test_types_and_bounds() -> None:
    assert one(replace(GOOD, date_used_for_statistics="10/03/2025")) == [("DateUsedForStatistics", "type", Severity.ERROR)]
    assert one(replace(GOOD, date_used_for_statistics="2025-02-30")) == [("DateUsedForStatistics", "type", Severity.ERROR)]
    assert one(replace(GOOD, date_of_hospitalisation="UNK")) == []
    assert one(replace(GOOD, age="70.5")) == [("Age", "type", Severity.WARNING)]
    assert one(replace(GOOD, age="-1")) == [("Age", "min", Severity.WARNING)]
    assert one(replace(GOOD, age="UNK")) == []
    assert one(replace(GOOD, result_zone_value="51")) == [("ResultZoneValue", "max", Severity.ERROR)]
    assert one(replace(GOOD, patient_counter="1e3")) == [("PatientCounter", "type", Severity.ERROR)]
    assert one(replace(COVER, prop_population_lab_cov="1.2")) == [("PropPopulationLabCov", "max", Severity.ERROR)]
    assert one(replace(COVER, prop_population_lab_cov="0,45")) == [("PropPopulationLabCov", "type", Severity.ERROR)]
    assert one(replace(COVER, date_used_for_statistics="2025-01-01")) == [("DateUsedForStatistics", "type", Severity.ERROR)]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("1", True), ("16", True), ("0.125", True), ("0.5", True), ("1.5", True), ("0", False), ("2.5", False), ("08", False)],
)
def test_the_mic_regular_expression(value: str, ok: bool) -> None:
    mic = one(replace(GOOD, result_mic_value=value))
    gradient = one(replace(GOOD, result_grad_value=value))
    assert mic == ([] if ok else [("ResultMICValue", "ResultMICValue.1", Severity.ERROR)])
    assert gradient == ([] if ok else [("ResultGradValue", "ResultGradValue.1", Severity.WARNING)])


def test_pathogen_restricted_fields() -> None:
    aureus = replace(GOOD, pathogen="STAAUR", antibiotic="OXA")
    assert one(replace(aureus, esbl="POS")) == [("ESBL", "ESBL.1", Severity.ERROR)]
    assert one(replace(aureus, esbl="UNK")) == [("ESBL", "ESBL.1", Severity.ERROR)]
    assert one(replace(GOOD, pathogen="KLEPNE", esbl="NEG")) == []
    assert one(replace(aureus, result_carbapenemases="NEG")) == [
        ("ResultCarbapenemases", "ResultCarbapenemases.1", Severity.ERROR)
    ]
    assert one(replace(GOOD, pathogen="PSEAER", antibiotic="CAZ", result_carbapenemases="POS")) == []
    assert one(replace(GOOD, result_pcr_mec="POS")) == [("ResultPCRmec", "ResultPCRmec.1", Severity.ERROR)]
    assert one(replace(aureus, result_pbp2a_aggl="POS")) == []
    assert one(replace(GOOD, serotype="19A")) == [("Serotype", "Serotype.1", Severity.ERROR)]
    pneumo = replace(GOOD, pathogen="STRPNE", antibiotic="PEN")
    assert one(replace(pneumo, serotype="19A")) == []
    assert one(replace(pneumo, serotype="UNK")) == [("Serotype", "unknown", Severity.ERROR)]  # the list spells it Unk
    message = validate([replace(aureus, esbl="POS")]).findings[0].message
    assert message.startswith("Règle ECDC ESBL.1") and "Pathogen ne vaut pas « ESCCOL »" in message


def test_laboratory_codes_against_the_ranges_of_the_metadata() -> None:
    assert one(replace(GOOD, laboratory_code="FRn1138")) == []
    assert one(replace(GOOD, laboratory_code="FR584")) == [("LaboratoryCode", "code_range", Severity.WARNING)]
    assert one(replace(GOOD, laboratory_code="FR1")) == [("LaboratoryCode", "code_range", Severity.ERROR)]
    assert one(replace(GOOD, laboratory_code="BE001")) == [("LaboratoryCode", "code_range", Severity.ERROR)]


def test_duplicate_record_ids_reject_the_batch() -> None:
    report = validate([GOOD, replace(GOOD, sir="S")])
    assert found(report) == [
        (0, "RecordId", "duplicate_record_id", Severity.ERROR),
        (1, "RecordId", "duplicate_record_id", Severity.ERROR),
    ]


def test_amrcover_rules() -> None:
    assert one(COVER) == []
    assert one(replace(COVER, same_micr_sample_cov="N")) == [("Pathogen", "Pathogen.2", Severity.ERROR)]
    assert one(replace(COVER, pathogen="ESCCOL")) == [("Pathogen", "Pathogen.1", Severity.ERROR)]
    assert one(replace(COVER, pathogen="ESCCOL", same_micr_sample_cov="N")) == []
    assert one(replace(COVER, hospital_repr_cov="")) == [("HospitalReprCov", "required", Severity.ERROR)]
    assert one(replace(COVER, num_pat_days_hosp_cov="")) == [("NumPatDaysHospCov", "required", Severity.WARNING)]
    assert one(replace(COVER, num_beds_hosp_cov="")) == []
