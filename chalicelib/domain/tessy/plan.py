"""What the EARS-Net export sends: AMRTEST records from isolates, the year's AMRCOVER record.

Pure: the service gathers the **closed** isolates of the year with what the
platform knows around each one (``ExportIsolate``: the establishment's FINESS,
the laboratory's EARS-Net code, the UF's sector and specialty), the patient
counters and the settings; this module decides and formats. Nothing personal
leaves: the pseudonym only serves the first-isolate rule and the lookup of the
patient's counter; age is in years; no identifier, name or date of birth exists
in the records.

AMRTEST, step by step:

1. The year's isolates (specimen date in ``context.year``), of an EARS-Net
   pathogen (species reference ``ears_net_code``, and a panel for it) from an
   invasive specimen (specimen category ``ears_net_specimen``: BLOOD or CSF, and
   the pathogen's panel takes it).
2. ECDC's first-isolate rule (``deduplicate_ears_net``: first isolate per patient
   × pathogen × year, earliest specimen date then row), run per establishment
   (pseudonyms are keyed per establishment, DOMAIN.md §5).
3. One record per kept isolate × antibiotic of the pathogen's panel: the
   platform's codes are TESSy's (``antibiotics.csv`` holds the 53 AntibioticsAMR
   codes), ``context.antibiotic_codes`` maps any other; S → S, SFP → I, R → R;
   an antibiotic outside the panel is not sent (TESSy would ignore it).

Identifiers (documented for the national team and ECDC):

* ``PatientCounter``: ``context.patient_counter(laboratory_code, pseudonym)``,
  an integer the platform keeps per laboratory and pseudonym
  (``next_patient_counters`` hands out the next ones); never derived from the
  pseudonym's value.
* ``IsolateId`` = ``<LaboratoryCode>-<PatientCounter>-<Pathogen>-<yyyymmdd of the specimen>``:
  unique, since one isolate is kept per patient × pathogen × year.
* ``RecordId`` = ``<IsolateId>-<Antibiotic>``: stable from one export to the next
  as long as the first isolate stays the same, so a re-export after a reopening
  updates the same records (``ledger``).

Field choices: ``Gender`` F / M as given, else ``Unk`` (the code list's
spelling); ``Age`` in years, else ``UNK``; ``patientType`` INPAT (the
surveillance covers hospitalised patients); ``HospitalUnitType`` from the UF's
specialty, else its sector (``DEFAULT_SECTOR_UNIT_TYPES``, a setting), else
``UNK``; ``DateOfHospitalisation`` only when the admission date is known (the
platform no longer collects it: usually not reported); ``ESBL`` only for ESCCOL
and KLEPNE, ``ResultCarbapenemases`` only for ACISPP, ESCCOL, KLEPNE and PSEAER,
from the flag or a positive hint of the species label, not reported when
unknown; ``ReferenceGuidelinesSIR`` EUCAST (CA-SFM is EUCAST's French
committee; a setting).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from chalicelib.domain.resistance.dedup import deduplicate_ears_net
from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir
from chalicelib.domain.resistance.reference import ResistanceReference, default_reference
from chalicelib.domain.tessy.records import AmrCoverRecord, AmrTestRecord
from chalicelib.domain.tessy.variables import Panels, default_panels

__all__ = [
    "CARBAPENEMASE_PATHOGENS",
    "DATA_SOURCE",
    "DEFAULT_SECTOR_UNIT_TYPES",
    "DEFAULT_SPECIALTY_UNIT_TYPES",
    "ESBL_PATHOGENS",
    "REPORTING_COUNTRY",
    "AmrTestContext",
    "CoverageSettings",
    "CoveredEstablishment",
    "ExportIsolate",
    "isolate_id",
    "next_patient_counters",
    "plan_amrcover",
    "plan_amrtest",
    "record_id",
]

DATA_SOURCE = "FR-Spares"
REPORTING_COUNTRY = "FR"
PATIENT_TYPE = "INPAT"
UNKNOWN = "UNK"
UNKNOWN_GENDER = "Unk"  # Gender's code list spells it so
ALL_PATHOGENS = "PATAMR"

#: Pathogens whose records may carry the flag (the metadata's rules ESBL.1 and ResultCarbapenemases.1).
ESBL_PATHOGENS = frozenset({"ESCCOL", "KLEPNE"})
CARBAPENEMASE_PATHOGENS = frozenset({"ACISPP", "ESCCOL", "KLEPNE", "PSEAER"})

_SIR = MappingProxyType({Sir.S: "S", Sir.SFP: "I", Sir.R: "R"})

#: Default HospitalUnitType of a UF's surveillance sector (structure.py); a setting, not a rule.
DEFAULT_SECTOR_UNIT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "MED": "INTMED",
        "CHIR": "SURG",
        "REA": "ICU",
        "GYNOBS": "OBGYN",
        "PED": "PEDS",
        "URG": "ED",
        "SMR": "O",
        "SLD": "O",
        "PSY": "O",
        "EHPAD": "O",
    }
)
#: A UF's specialty wins over its sector (an haematology UF in MED is ONCOL).
DEFAULT_SPECIALTY_UNIT_TYPES: Mapping[str, str] = MappingProxyType(
    {"hématologie": "ONCOL", "oncologie": "ONCOL", "maladies infectieuses": "INFECT"}
)


@dataclass(frozen=True)
class ExportIsolate:
    """A closed isolate with what the platform knows around it."""

    isolate: Isolate
    hospital_id: str  # the establishment's FINESS
    laboratory_code: str | None  # the laboratory's EARS-Net code (FR001...), None when not set
    sector: str | None = None  # the UF's surveillance sector (MED, CHIR, REA...)
    specialty: str | None = None  # the UF's specialty (hématologie...)
    admission_date: date | None = None


@dataclass(frozen=True)
class AmrTestContext:
    """The year, the patient counters and the settings of an AMRTEST plan."""

    year: int
    #: (laboratory EARS-Net code, pseudonym) -> the patient's counter for that laboratory (see ``next_patient_counters``).
    patient_counter: Callable[[str, str], int]
    reference: ResistanceReference = field(default_factory=default_reference)
    panels: Panels = field(default_factory=default_panels)
    #: Platform antibiotic code -> TESSy code, for codes that differ (none by default: the platform uses TESSy's).
    antibiotic_codes: Mapping[str, str] = field(default_factory=dict)
    sector_unit_types: Mapping[str, str] = field(default_factory=lambda: DEFAULT_SECTOR_UNIT_TYPES)
    specialty_unit_types: Mapping[str, str] = field(default_factory=lambda: DEFAULT_SPECIALTY_UNIT_TYPES)
    reference_guidelines: str | None = "EUCAST"
    data_source: str = DATA_SOURCE
    reporting_country: str = REPORTING_COUNTRY


# --------------------------------------------------------------------------- AMRTEST


def isolate_id(laboratory_code: str, patient_counter: int, pathogen: str, specimen_date: date) -> str:
    """The TESSy IsolateId: ``<LaboratoryCode>-<PatientCounter>-<Pathogen>-<yyyymmdd>``."""
    return f"{laboratory_code}-{patient_counter}-{pathogen}-{specimen_date:%Y%m%d}"


def record_id(laboratory_code: str, patient_counter: int, pathogen: str, specimen_date: date, antibiotic: str) -> str:
    """The TESSy RecordId: ``<IsolateId>-<Antibiotic>``, the same at every export of the same isolate × antibiotic."""
    return f"{isolate_id(laboratory_code, patient_counter, pathogen, specimen_date)}-{antibiotic}"


def next_patient_counters(
    existing: Mapping[tuple[str, str], int], wanted: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Counters for the (laboratory, pseudonym) pairs not numbered yet: the laboratory's next integers, in order of ``wanted``.

    Existing counters never change; the caller stores the new ones with them, so
    that a patient keeps their number from one export to the next.
    """
    highest: dict[str, int] = {}
    for (laboratory, _), counter in existing.items():
        highest[laboratory] = max(highest.get(laboratory, 0), counter)
    assigned: dict[tuple[str, str], int] = {}
    for key in wanted:
        if key in existing or key in assigned:
            continue
        highest[key[0]] = highest.get(key[0], 0) + 1
        assigned[key] = highest[key[0]]
    return assigned


def plan_amrtest(isolates: Sequence[ExportIsolate], context: AmrTestContext) -> list[AmrTestRecord]:
    """The AMRTEST records of the year: kept isolates in input order, each one's antibiotics by code."""
    targets: dict[str, tuple[str, str]] = {}
    eligible: list[ExportIsolate] = []
    for item in isolates:
        target = _target(item, context) if item.isolate.specimen_date.year == context.year else None
        if target is not None:
            targets[item.isolate.isolate_id] = target
            eligible.append(item)
    by_establishment: dict[str, list[Isolate]] = {}
    for item in eligible:
        by_establishment.setdefault(item.hospital_id, []).append(item.isolate)
    kept: set[str] = set()
    for group in by_establishment.values():
        decisions = deduplicate_ears_net(
            group,
            is_invasive=lambda isolate: isolate.isolate_id in targets,
            pathogen_of=lambda isolate: targets[isolate.isolate_id][0],
            year_of=lambda isolate: isolate.specimen_date.year,
        )
        kept.update(decision.isolate_id for decision in decisions if decision.kept)

    records: list[AmrTestRecord] = []
    for item in eligible:
        if item.isolate.isolate_id in kept:
            records.extend(_records(item, context))
    return records


def _target(item: ExportIsolate, context: AmrTestContext) -> tuple[str, str] | None:
    """(pathogen, specimen) in TESSy codes when the isolate is one EARS-Net takes, else None."""
    species = context.reference.species_by_code.get(item.isolate.species)
    category = context.reference.specimen_categories_by_code.get(item.isolate.specimen)
    if species is None or category is None or species.ears_net_code is None or category.ears_net_specimen is None:
        return None
    panel = context.panels.by_pathogen.get(species.ears_net_code)
    if panel is None or category.ears_net_specimen not in panel.specimens:
        return None
    return species.ears_net_code, category.ears_net_specimen


def _records(item: ExportIsolate, context: AmrTestContext) -> list[AmrTestRecord]:
    target = _target(item, context)
    assert target is not None
    pathogen, specimen = target
    isolate = item.isolate
    laboratory = item.laboratory_code or ""
    counter = context.patient_counter(laboratory, isolate.pseudonym)
    results: dict[str, Sir] = {}
    for code, result in isolate.results.items():
        tessy = context.antibiotic_codes.get(code, code)
        if context.panels.requested(pathogen, specimen, tessy) and tessy not in results:
            results[tessy] = result
    shared = {
        "data_source": context.data_source,
        "reporting_country": context.reporting_country,
        "date_used_for_statistics": isolate.specimen_date.isoformat(),
        "age": str(isolate.age) if isolate.age is not None else UNKNOWN,
        "date_of_hospitalisation": item.admission_date.isoformat() if item.admission_date else "",
        "esbl": _esbl(isolate) if pathogen in ESBL_PATHOGENS else "",
        "gender": isolate.sex if isolate.sex in ("F", "M") else UNKNOWN_GENDER,
        "hospital_id": item.hospital_id,
        "hospital_unit_type": _unit_type(item, context),
        "isolate_id": isolate_id(laboratory, counter, pathogen, isolate.specimen_date),
        "laboratory_code": laboratory,
        "pathogen": pathogen,
        "patient_counter": str(counter),
        "patient_type": PATIENT_TYPE,
        "reference_guidelines_sir": context.reference_guidelines or "",
        "result_carbapenemases": _carbapenemase(isolate) if pathogen in CARBAPENEMASE_PATHOGENS else "",
        "specimen": specimen,
    }
    return [
        AmrTestRecord(
            record_id=record_id(laboratory, counter, pathogen, isolate.specimen_date, antibiotic),
            antibiotic=antibiotic,
            sir=_SIR[result],
            **shared,
        )
        for antibiotic, result in sorted(results.items())
    ]


def _unit_type(item: ExportIsolate, context: AmrTestContext) -> str:
    if item.specialty and item.specialty in context.specialty_unit_types:
        return context.specialty_unit_types[item.specialty]
    if item.sector and item.sector in context.sector_unit_types:
        return context.sector_unit_types[item.sector]
    return UNKNOWN


def _pos_neg(flag: bool | None, hint: bool | None) -> str:
    """POS / NEG from the flag; a positive hint of the species label when the flag is missing; else not reported."""
    if flag is not None:
        return "POS" if flag else "NEG"
    return "POS" if hint else ""


def _esbl(isolate: Isolate) -> str:
    return _pos_neg(isolate.esbl, isolate.hints.get("esbl"))


def _carbapenemase(isolate: Isolate) -> str:
    found = None if isolate.carbapenemase is None else isolate.carbapenemase is not Carbapenemase.NEGATIVE
    return _pos_neg(found, isolate.hints.get("cpe"))


# --------------------------------------------------------------------------- AMRCOVER


@dataclass(frozen=True)
class CoveredEstablishment:
    """An establishment whose closed resistance data of the year feed the export, with its beds and patient-days."""

    hospital_id: str  # FINESS
    beds: int | None
    patient_days: int | None


@dataclass(frozen=True)
class CoverageSettings:
    """What the national team states for the year's AMRCOVER (HIGH, MEDIUM or LOW for the three judgements)."""

    hospital_representativeness: str  # HospitalReprCov
    isolate_representativeness: str  # IsolateMicroRepr
    geographic_representativeness: str  # PopGeoReprCov
    #: Blood culture sets of the covered establishments, when the national team knows them (the platform does not).
    culture_sets: int | None = None
    data_source: str = DATA_SOURCE
    reporting_country: str = REPORTING_COUNTRY


def plan_amrcover(
    year: int,
    establishments: Iterable[CoveredEstablishment],
    national_patient_days: int | None,
    settings: CoverageSettings,
) -> list[AmrCoverRecord]:
    """The year's coverage: one record for all pathogens (PATAMR, same sample: every pathogen comes from the same establishments).

    Beds and patient-days are the covered establishments' totals, ``UNK`` when one
    of them lacks the figure (a partial sum would understate the coverage).
    ``PropPopulationLabCov`` is their share of ``national_patient_days`` (the
    patient-days of all the country's establishments the platform knows), to
    four decimals, ``UNK`` when either is unknown. ``NumPatDaysForRateCov`` (the
    patient-days behind the blood-culture rate) is the covered patient-days when
    the culture sets are known, else ``UNK``.
    """
    covered = list({item.hospital_id: item for item in establishments}.values())
    beds = _total(item.beds for item in covered)
    patient_days = _total(item.patient_days for item in covered)
    share = UNKNOWN
    if patient_days is not None and national_patient_days:
        ratio = (Decimal(patient_days) / Decimal(national_patient_days)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        share = _decimal_text(ratio)
    return [
        AmrCoverRecord(
            data_source=settings.data_source,
            reporting_country=settings.reporting_country,
            date_used_for_statistics=f"{year:04d}",
            hospital_repr_cov=settings.hospital_representativeness,
            isolate_micro_repr=settings.isolate_representativeness,
            num_beds_hosp_cov=_count(beds),
            num_culture_sets_hosp_cov=_count(settings.culture_sets),
            num_pat_days_for_rate_cov=_count(patient_days if settings.culture_sets is not None else None),
            num_pat_days_hosp_cov=_count(patient_days),
            pathogen=ALL_PATHOGENS,
            pop_geo_repr_cov=settings.geographic_representativeness,
            prop_population_lab_cov=share,
            same_micr_sample_cov="Y",
        )
    ]


def _total(values: Iterable[int | None]) -> int | None:
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _count(value: int | None) -> str:
    return UNKNOWN if value is None else str(value)


def _decimal_text(value: Decimal) -> str:
    """``0.4500`` -> ``0.45``, ``1.0000`` -> ``1``, with a dot and never an exponent."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
