"""The EARS-Net export plan (DOMAIN.md §6, §9): which isolates and antibiotics leave, and how they are written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir
from chalicelib.domain.tessy.plan import (
    AmrTestContext,
    CoverageSettings,
    CoveredEstablishment,
    ExportIsolate,
    next_patient_counters,
    plan_amrcover,
    plan_amrtest,
    record_id,
)
from chalicelib.domain.tessy.records import AmrTestRecord
from tests.support.isolates import isolate

YEAR = 2025
FINESS = "750000001"
LAB = "FR001"


def iso(row: int, results: str = "CTX=R", **facts: Any) -> Isolate:
    """A blood culture of 10 March 2025 (``facts`` as ``isolate`` takes them); ``results`` as "AMX=R CTX=SFP"."""
    return isolate(row, results, **{"patient": "pseudo-aaaa", "specimen": "HEMOC", "when": date(2025, 3, 10), **facts})


def item(isolate: Isolate, **facts: object) -> ExportIsolate:
    values: dict[str, object] = {"hospital_id": FINESS, "laboratory_code": LAB, "sector": "MED", "specialty": None}
    values.update(facts)
    return ExportIsolate(isolate, **values)  # type: ignore[arg-type]


class Counters:
    """A ledger of patient counters, as the service keeps it."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], int] = {}

    def __call__(self, laboratory: str, pseudonym: str) -> int:
        if (laboratory, pseudonym) not in self.known:
            self.known.update(next_patient_counters(self.known, [(laboratory, pseudonym)]))
        return self.known[(laboratory, pseudonym)]


def context(counters: Counters | None = None, **settings: object) -> AmrTestContext:
    return AmrTestContext(year=YEAR, patient_counter=counters or Counters(), **settings)  # type: ignore[arg-type]


def plan(*isolates: Isolate | ExportIsolate, counters: Counters | None = None) -> list[AmrTestRecord]:
    items = [entry if isinstance(entry, ExportIsolate) else item(entry) for entry in isolates]
    return plan_amrtest(items, context(counters))


def test_only_blood_and_csf_isolates_of_the_eight_pathogens_are_exported() -> None:
    records = plan(
        iso(1, patient="p1", specimen="HEMOC"),
        iso(2, patient="p2", specimen="LCR", species="STRPNE", results="PEN=R"),
        iso(3, patient="p3", specimen="URINE"),  # not invasive
        iso(4, patient="p4", species="PROMIR", results="AMX=R"),  # not an EARS-Net pathogen
        iso(5, patient="p5", species="ACIBAU", results="IPM=R"),  # A. baumannii is reported as ACISPP
        iso(6, patient="p6", when=date(2024, 12, 31)),  # another year
    )
    assert [(r.pathogen, r.specimen, r.antibiotic) for r in records] == [
        ("ESCCOL", "BLOOD", "CTX"),
        ("STRPNE", "CSF", "PEN"),
        ("ACISPP", "BLOOD", "IPM"),
    ]


def test_first_isolate_per_patient_pathogen_and_year() -> None:
    records = plan(
        iso(1, "CTX=S", when=date(2025, 5, 1)),
        iso(2, "CTX=R", when=date(2025, 2, 1)),  # earlier: the first isolate, whatever its antibiotype
        iso(3, "CTX=R", when=date(2025, 2, 1), specimen="LCR"),  # same date, later row: a duplicate
        iso(4, "AMK=R", species="ACIBAU", when=date(2025, 6, 1)),  # ACIBAU and ACISPP are one pathogen
        iso(5, "AMK=S", species="ACISPP", when=date(2025, 7, 1)),
        iso(6, "CTX=S", patient="other", when=date(2025, 9, 1)),  # another patient
        iso(7, "CTX=S", when=date(2025, 1, 3), specimen="URINE"),  # earlier but not invasive: not in the series
    )
    assert [(r.date_used_for_statistics, r.pathogen, r.antibiotic, r.sir) for r in records] == [
        ("2025-02-01", "ESCCOL", "CTX", "R"),
        ("2025-06-01", "ACISPP", "AMK", "R"),
        ("2025-09-01", "ESCCOL", "CTX", "S"),
    ]


def test_first_isolate_rule_runs_per_establishment() -> None:
    # pseudonyms are keyed per establishment: the same text in two establishments is two patients
    records = plan(iso(1), item(iso(2, when=date(2025, 4, 1)), hospital_id="130000001"))
    assert [r.hospital_id for r in records] == [FINESS, "130000001"]


def test_antibiotics_outside_the_panel_are_not_exported() -> None:
    records = plan(
        iso(1, "AMX=R CTX=R VAN=R FOX=S TEM=S MUP=R", species="ESCCOL"),
        iso(2, "OXA=R VAN=S CTX=R GEH=R", patient="p2", species="STAAUR"),
        iso(3, "GEH=R VAN=R AMX=S", patient="p3", species="ENCFAI"),
    )
    by_pathogen: dict[str, list[str]] = {}
    for record in records:
        by_pathogen.setdefault(record.pathogen, []).append(record.antibiotic)
    assert by_pathogen == {"ESCCOL": ["AMX", "CTX"], "STAAUR": ["OXA", "VAN"], "ENCFAI": ["AMX", "GEH", "VAN"]}


def test_a_platform_code_can_be_mapped_to_the_tessy_code() -> None:
    isolate = item(iso(1, "CTX=R XCT=S"))
    records = plan_amrtest([isolate], context(antibiotic_codes={"XCT": "CRO"}))
    assert [(r.antibiotic, r.sir) for r in records] == [("CRO", "S"), ("CTX", "R")]


def test_sfp_is_reported_as_i() -> None:
    records = plan(iso(1, "AMX=R CTX=SFP CAZ=S"))
    assert {r.antibiotic: r.sir for r in records} == {"AMX": "R", "CAZ": "S", "CTX": "I"}


def test_unknown_gender_is_spelt_as_the_code_list_says() -> None:
    records = plan(
        iso(1, patient="p1", sex="F"),
        iso(2, patient="p2", sex="M"),
        iso(3, patient="p3", sex=None),
        iso(4, patient="p4", sex="X"),
    )
    assert [r.gender for r in records] == ["F", "M", "Unk", "Unk"]


def test_patient_counter_never_reveals_the_pseudonym() -> None:
    counters = Counters()
    first = "3f1c0a9e" * 8  # a pseudonym as HMAC-SHA256 gives it
    second = "b07d2e11" * 8
    records = plan(
        iso(1, patient=first),
        iso(2, patient=second),
        iso(3, patient=first, species="STAAUR", results="OXA=R"),
        item(iso(4, patient=first, when=date(2025, 8, 1), species="KLEPNE"), laboratory_code="FR002"),
        counters=counters,
    )
    assert [(r.laboratory_code, r.patient_counter) for r in records] == [
        ("FR001", "1"),
        ("FR001", "2"),
        ("FR001", "1"),
        ("FR002", "1"),
    ]
    for record in records:
        assert all(first not in value and second not in value for value in record.row().values())
    # the counters are the ones the platform keeps, not a function of the pseudonym
    assert counters.known == {("FR001", first): 1, ("FR001", second): 2, ("FR002", first): 1}


def test_next_patient_counters_keep_existing_numbers_and_continue_per_laboratory() -> None:
    existing = {("FR001", "a"): 1, ("FR001", "b"): 7, ("FR002", "a"): 3}
    assigned = next_patient_counters(existing, [("FR001", "a"), ("FR001", "c"), ("FR003", "c"), ("FR001", "d"), ("FR001", "c")])
    assert assigned == {("FR001", "c"): 8, ("FR003", "c"): 1, ("FR001", "d"): 9}


def test_record_ids_are_stable_across_exports() -> None:
    counters = Counters()
    isolates = [iso(1, "CTX=R AMK=S", patient="p1"), iso(2, "OXA=R", patient="p2", species="STAAUR")]
    first = plan(*isolates, counters=counters)
    # a later export: another upload of the same data, in another order, with one result corrected
    again = [
        replace(isolates[1], isolate_id="u9:2"),
        replace(isolates[0], isolate_id="u9:1", results={"CTX": Sir.R, "AMK": Sir.R}),
    ]
    second = plan(*again, counters=counters)
    assert sorted(r.record_id for r in first) == sorted(r.record_id for r in second)
    assert first[0].record_id == record_id("FR001", 1, "ESCCOL", date(2025, 3, 10), "AMK") == "FR001-1-ESCCOL-20250310-AMK"
    assert first[0].isolate_id == "FR001-1-ESCCOL-20250310"
    assert len({r.record_id for r in first}) == len(first)


def test_esbl_flag_only_for_pathogens_that_allow_it() -> None:
    records = plan(
        iso(1, patient="p1", species="ESCCOL", esbl=True, carbapenemase=Carbapenemase.NDM),
        iso(2, patient="p2", species="KLEPNE", esbl=False, carbapenemase=Carbapenemase.NEGATIVE),
        iso(3, patient="p3", species="PSEAER", results="CAZ=R", esbl=True, carbapenemase=Carbapenemase.VIM),
        iso(4, patient="p4", species="STAAUR", results="OXA=R", esbl=True, carbapenemase=Carbapenemase.KPC),
        iso(5, patient="p5", species="KLEPNE", hints={"esbl": True, "cpe": True}),  # "K. pneumoniae BLSE EPC"
        iso(6, patient="p6", species="ESCCOL"),  # unknown: not reported
    )
    assert [(r.pathogen, r.esbl, r.result_carbapenemases) for r in records] == [
        ("ESCCOL", "POS", "POS"),
        ("KLEPNE", "NEG", "NEG"),
        ("PSEAER", "", "POS"),
        ("STAAUR", "", ""),
        ("KLEPNE", "POS", "POS"),
        ("ESCCOL", "", ""),
    ]


def test_record_fields_come_from_the_platform() -> None:
    records = plan(
        item(iso(1, age=None), sector="REA", admission_date=date(2025, 3, 1)),
        item(iso(2, patient="p2", age=4), sector="PED", specialty=None),
        item(iso(3, patient="p3"), sector="MED", specialty="hématologie"),
        item(iso(4, patient="p4"), sector=None),
        item(iso(5, patient="p5"), sector="SMR"),
    )
    first = records[0]
    assert (first.data_source, first.reporting_country, first.subject, first.record_type, first.record_type_version) == (
        "FR-Spares",
        "FR",
        "AMR",
        "AMRTEST",
        "3",
    )
    assert (first.status, first.hospital_id, first.patient_type, first.reference_guidelines_sir) == (
        "NEW/UPDATE",
        FINESS,
        "INPAT",
        "EUCAST",
    )
    assert [(r.age, r.hospital_unit_type, r.date_of_hospitalisation) for r in records] == [
        ("UNK", "ICU", "2025-03-01"),
        ("4", "PEDS", ""),
        ("70", "ONCOL", ""),
        ("70", "UNK", ""),
        ("70", "O", ""),
    ]


def test_amrcover_counts_the_covered_establishments_and_their_share() -> None:
    settings = CoverageSettings("MEDIUM", "HIGH", "HIGH")
    covered = [CoveredEstablishment("750000001", 400, 120_000), CoveredEstablishment("130000001", 200, 60_000)]
    (record,) = plan_amrcover(YEAR, covered, 400_000, settings)
    assert record.row() == {
        "RecordType": "AMRCOVER",
        "RecordTypeVersion": "2",
        "Subject": "AMRCOVER",
        "DataSource": "FR-Spares",
        "ReportingCountry": "FR",
        "DateUsedForStatistics": "2025",
        "HospitalReprCov": "MEDIUM",
        "IsolateMicroRepr": "HIGH",
        "NumBedsHospCov": "600",
        "NumCultureSetsHospCov": "UNK",
        "NumPatDaysForRateCov": "UNK",
        "NumPatDaysHospCov": "180000",
        "Pathogen": "PATAMR",
        "PopGeoReprCov": "HIGH",
        "PropPopulationLabCov": "0.45",
        "SameMicrSampleCov": "Y",
    }
    missing = [*covered, CoveredEstablishment("690000001", None, 1_000)]
    (partial,) = plan_amrcover(YEAR, missing, None, replace(settings, culture_sets=5_000))
    assert (partial.num_beds_hosp_cov, partial.num_pat_days_hosp_cov, partial.prop_population_lab_cov) == ("UNK", "181000", "UNK")
    assert (partial.num_culture_sets_hosp_cov, partial.num_pat_days_for_rate_cov) == ("5000", "181000")
