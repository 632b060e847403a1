"""The two TESSy record types, with ECDC's field names in ECDC's order.

A record holds the **text TESSy receives**: every value is a string, ``""`` when
the variable is not reported. Formatting (dates ``yyyy-mm-dd``, integers, codes)
is done once, by the planner, so that a record, its CSV row and the record read
back from the CSV are equal, and the validator judges exactly what is sent.

Attributes are snake_case; ``row()`` gives the TESSy names (``RecordId``,
``patientType``...) in the order of ``tessy_variables.csv`` (a test holds the
two together).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar, Self

__all__ = [
    "AMRCOVER_SUBJECT",
    "AMRTEST_SUBJECT",
    "STATUS_DELETE",
    "STATUS_NEW_UPDATE",
    "AmrCoverRecord",
    "AmrTestRecord",
    "TessyRecord",
    "record_class",
]

#: The two values of ``Status`` (code list ``Statuses``): a record is new or updated, or withdrawn.
STATUS_NEW_UPDATE = "NEW/UPDATE"
STATUS_DELETE = "DELETE"
AMRTEST_SUBJECT = "AMR"
AMRCOVER_SUBJECT = "AMRCOVER"


def _tessy(name: str, default: str = "") -> str:
    """A record field: its TESSy name, and the text sent when it is not set (``""``: not reported)."""
    value: str = field(default=default, metadata={"tessy": name})
    return value


class _Record:
    """What both record types share: the TESSy row, and reading one back."""

    RECORD_TYPE: ClassVar[str]

    @classmethod
    def tessy_fields(cls) -> tuple[str, ...]:
        """The TESSy names of the record's fields, in order."""
        return tuple(item.metadata["tessy"] for item in fields(cls))  # type: ignore[arg-type]

    def row(self) -> dict[str, str]:
        """The record as TESSy names it, in order."""
        return {item.metadata["tessy"]: getattr(self, item.name) for item in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Self:
        """A record from TESSy names (a CSV row); a missing name is ``""``, an unknown one a ValueError."""
        names = {item.metadata["tessy"]: item.name for item in fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(row) - set(names))
        if unknown:
            raise ValueError(f"{cls.RECORD_TYPE}: variables inconnues {', '.join(unknown)}")
        return cls(**{names[name]: (value or "") for name, value in row.items()})


@dataclass(frozen=True, kw_only=True)
class AmrTestRecord(_Record):
    """AMRTEST v3: one isolate × one antibiotic (EARS-Net)."""

    RECORD_TYPE: ClassVar[str] = "AMRTEST"

    record_id: str = _tessy("RecordId")
    record_type: str = _tessy("RecordType", "AMRTEST")
    record_type_version: str = _tessy("RecordTypeVersion", "3")
    subject: str = _tessy("Subject", AMRTEST_SUBJECT)
    status: str = _tessy("Status", STATUS_NEW_UPDATE)
    data_source: str = _tessy("DataSource")
    reporting_country: str = _tessy("ReportingCountry")
    date_used_for_statistics: str = _tessy("DateUsedForStatistics")
    age: str = _tessy("Age")
    antibiotic: str = _tessy("Antibiotic")
    date_of_hospitalisation: str = _tessy("DateOfHospitalisation")
    disk_load: str = _tessy("DiskLoad")
    esbl: str = _tessy("ESBL")
    gender: str = _tessy("Gender")
    hospital_id: str = _tessy("HospitalId")
    hospital_unit_type: str = _tessy("HospitalUnitType")
    isolate_id: str = _tessy("IsolateId")
    laboratory_code: str = _tessy("LaboratoryCode")
    pathogen: str = _tessy("Pathogen")
    patient_counter: str = _tessy("PatientCounter")
    patient_type: str = _tessy("patientType")
    reference_guidelines_sir: str = _tessy("ReferenceGuidelinesSIR")
    result_carbapenemases: str = _tessy("ResultCarbapenemases")
    result_grad_sign: str = _tessy("ResultGradSign")
    result_grad_sir: str = _tessy("ResultGradSIR")
    result_grad_value: str = _tessy("ResultGradValue")
    result_mic_sign: str = _tessy("ResultMICSign")
    result_mic_sir: str = _tessy("ResultMICSIR")
    result_mic_value: str = _tessy("ResultMICValue")
    result_pbp2a_aggl: str = _tessy("ResultPbp2aAggl")
    result_pcr_mec: str = _tessy("ResultPCRmec")
    result_zone_sir: str = _tessy("ResultZoneSIR")
    result_zone_value: str = _tessy("ResultZoneValue")
    serotype: str = _tessy("Serotype")
    sir: str = _tessy("SIR")
    specimen: str = _tessy("Specimen")

    def with_status(self, status: str) -> AmrTestRecord:
        return replace(self, status=status)

    def content(self) -> tuple[str, ...]:
        """Everything but the Status: two versions of a record with the same content need no update."""
        return tuple(value for name, value in self.row().items() if name != "Status")


@dataclass(frozen=True, kw_only=True)
class AmrCoverRecord(_Record):
    """AMRCOVER v2: the year's coverage of the EARS-Net data (the metadata gives it no RecordId nor Status)."""

    RECORD_TYPE: ClassVar[str] = "AMRCOVER"

    record_type: str = _tessy("RecordType", "AMRCOVER")
    record_type_version: str = _tessy("RecordTypeVersion", "2")
    subject: str = _tessy("Subject", AMRCOVER_SUBJECT)
    data_source: str = _tessy("DataSource")
    reporting_country: str = _tessy("ReportingCountry")
    date_used_for_statistics: str = _tessy("DateUsedForStatistics")
    hospital_repr_cov: str = _tessy("HospitalReprCov")
    isolate_micro_repr: str = _tessy("IsolateMicroRepr")
    num_beds_hosp_cov: str = _tessy("NumBedsHospCov")
    num_culture_sets_hosp_cov: str = _tessy("NumCultureSetsHospCov")
    num_pat_days_for_rate_cov: str = _tessy("NumPatDaysForRateCov")
    num_pat_days_hosp_cov: str = _tessy("NumPatDaysHospCov")
    pathogen: str = _tessy("Pathogen")
    pop_geo_repr_cov: str = _tessy("PopGeoReprCov")
    prop_population_lab_cov: str = _tessy("PropPopulationLabCov")
    same_micr_sample_cov: str = _tessy("SameMicrSampleCov")


TessyRecord = AmrTestRecord | AmrCoverRecord


def record_class(record_type: str) -> type[AmrTestRecord] | type[AmrCoverRecord]:
    """The record class of a RecordType value; ValueError for another."""
    for kind in (AmrTestRecord, AmrCoverRecord):
        if record_type == kind.RECORD_TYPE:
            return kind
    raise ValueError(f"type d'enregistrement TESSy inconnu « {record_type} »")
