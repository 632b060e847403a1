"""Functional units: activity types, sectors, exclusions and the theatre rule (DOMAIN.md §4, §4.1)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.periods import Period
from chalicelib.domain.structure import (
    SURGERY_TOTAL,
    Unit,
    activity_type,
    is_theatre,
    resolve_sector,
    sector_for,
    theatre_reallocation,
)

MEDICINE_DE = "38"
SURGERY_DE = "137"
ICU_DE = "104"
EMERGENCY_DE = "211"
AMBULATORY_DE = "797"


def unit(code: str, ta: str = "03", de: str = MEDICINE_DE, sector: str | None = None, **optional: object) -> Unit:
    return Unit.create(code, f"UF {code}", ta, de, sector, **optional)


def test_full_time_hospitalisation_counts_patient_days_and_consumption():
    full_time = activity_type("03")
    assert full_time.counts_patient_days and full_time.counts_consumption
    assert activity_type("20").counts_patient_days
    assert activity_type("97").counts_patient_days


def test_a_ta_typed_without_its_leading_zero_is_read_as_two_digits():
    assert activity_type("3").code == "03"
    assert is_theatre("8")


def test_a_theatre_counts_consumption_but_never_patient_days():
    theatre = activity_type("08")
    assert theatre.counts_consumption and not theatre.counts_patient_days
    assert is_theatre("08") and not is_theatre("03")


def test_consultations_and_day_hospital_count_nothing():
    for code in ("04", "07", "10"):
        assert not activity_type(code).counts_patient_days
        assert not activity_type(code).counts_consumption


def test_an_unknown_ta_is_refused_in_french():
    with pytest.raises(InvalidInput, match="Type d'activité"):
        activity_type("55")


def test_the_sector_comes_from_the_de():
    assert sector_for(MEDICINE_DE) == "MED"
    assert sector_for(SURGERY_DE) == "CHIR"
    assert sector_for(ICU_DE) == "REA"


def test_a_de_typed_with_leading_zeros_is_the_same_de():
    assert sector_for("038") == "MED"


def test_an_explicit_sector_overrides_the_de():
    assert sector_for(MEDICINE_DE, "REA") == "REA"
    assert sector_for(MEDICINE_DE, "rea") == "REA"
    assert resolve_sector(MEDICINE_DE, "CHIR").overridden


def test_de_999_requires_an_explicit_sector():
    resolved = resolve_sector("999")
    assert resolved.sector is None and resolved.problem == "sector.required"
    with pytest.raises(InvalidInput, match="secteur"):
        sector_for("999")
    assert sector_for("999", "GYNOBS") == "GYNOBS"


def test_an_unknown_de_is_refused():
    assert resolve_sector("12345").problem == "de.unknown"
    assert resolve_sector("12345", "MED").problem == "de.unknown"  # the DE also links a theatre to its care UF
    with pytest.raises(InvalidInput, match="DE"):
        sector_for("12345")


def test_an_override_outside_the_sector_list_is_refused():
    assert resolve_sector(MEDICINE_DE, "URG").problem == "sector.invalid"
    with pytest.raises(InvalidInput, match="Secteur inconnu"):
        sector_for(MEDICINE_DE, "cardiologie")


def test_a_unit_of_a_non_care_sector_is_excluded_from_the_surveillance():
    short_stay = unit("0301", ta="03", de=EMERGENCY_DE)
    assert short_stay.sector == "URG"
    assert short_stay.excluded
    assert not short_stay.carries_patient_days and not short_stay.carries_consumption
    assert unit("0302", ta="03", de=AMBULATORY_DE).excluded


def test_an_explicit_care_sector_brings_an_excluded_de_back_into_the_surveillance():
    short_stay = unit("0301", ta="03", de=EMERGENCY_DE, sector="MED")
    assert not short_stay.excluded and short_stay.carries_patient_days


def test_a_consultation_unit_is_excluded():
    assert unit("0700", ta="07").excluded


def test_a_theatre_unit_carries_consumption_only():
    theatre = unit("0800", ta="08", de=SURGERY_DE)
    assert theatre.is_theatre
    assert theatre.carries_consumption and not theatre.carries_patient_days


def test_leading_zeros_of_uf_codes_are_kept():
    assert unit("0412").code_uf == "0412"
    assert unit(" 0412 ").code_uf == "0412"


def test_a_unit_needs_a_code_and_a_label():
    with pytest.raises(InvalidInput):
        Unit.create("", "Médecine", "03", MEDICINE_DE)
    with pytest.raises(InvalidInput):
        Unit.create("0412", " ", "03", MEDICINE_DE)


def test_a_theatre_consumption_goes_to_the_care_unit_with_the_same_de():
    units = [unit("0800", ta="08", de=SURGERY_DE), unit("1204", de=SURGERY_DE), unit("1300", de=MEDICINE_DE)]
    assert theatre_reallocation(units) == {"0800": "1204"}


def test_a_theatre_without_a_care_unit_of_its_de_goes_to_the_surgery_total():
    units = {u.code_uf: u for u in [unit("0800", ta="08", de=SURGERY_DE), unit("1300", de=MEDICINE_DE)]}
    assert theatre_reallocation(units) == {"0800": SURGERY_TOTAL}
    assert SURGERY_TOTAL == "CHIR_TOTAL"


def test_a_theatre_whose_de_is_shared_by_several_care_units_goes_to_the_surgery_total():
    units = [unit("0800", ta="08", de=SURGERY_DE), unit("1204", de=SURGERY_DE), unit("1205", de=SURGERY_DE)]
    assert theatre_reallocation(units) == {"0800": SURGERY_TOTAL}


def test_an_excluded_unit_of_the_same_de_is_not_a_theatre_target():
    units = [unit("0800", ta="08", de=SURGERY_DE), unit("2300", ta="23", de=SURGERY_DE)]
    assert theatre_reallocation(units) == {"0800": SURGERY_TOTAL}


def test_a_unit_closed_before_the_period_is_not_a_theatre_target():
    units = [unit("0800", ta="08", de=SURGERY_DE), unit("1204", de=SURGERY_DE, end=date(2024, 12, 31))]
    assert theatre_reallocation(units, Period(2025, 1)) == {"0800": SURGERY_TOTAL}
    assert theatre_reallocation(units, Period(2024, 4)) == {"0800": "1204"}


def test_a_unit_is_open_during_a_period_its_dates_overlap():
    opened_in_march = unit("1204", start=date(2025, 3, 15))
    assert opened_in_march.open_during(Period(2025, 1))
    assert not opened_in_march.open_during(Period(2024, 4))
