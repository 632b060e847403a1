"""The national team's EARS-Net settings and the day the yearly export is due."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.tessy.settings import ExportSettings, due_year


def test_the_previous_year_is_due_from_the_export_date_until_it_is_exported():
    settings = ExportSettings(export_date="03-31")
    assert due_year(date(2026, 3, 30), settings, set()) is None
    assert due_year(date(2026, 3, 31), settings, set()) == 2025
    assert due_year(date(2026, 12, 31), settings, set()) == 2025
    assert due_year(date(2026, 4, 1), settings, {2025}) is None


def test_a_29_february_export_date_is_the_28th_in_a_common_year():
    assert due_year(date(2027, 2, 28), ExportSettings(export_date="02-29"), set()) == 2026


def test_settings_are_parsed_case_insensitively_and_every_problem_is_reported():
    parsed = ExportSettings.parse({"hospital_representativeness": "high"}, ExportSettings(export_date="04-15"))
    assert (parsed.hospital_representativeness, parsed.export_date, parsed.isolate_representativeness) == ("HIGH", "04-15", "LOW")
    with pytest.raises(InvalidInput) as refused:
        ExportSettings.parse({"export_date": "2026-03-31", "geographic_representativeness": "X", "culture_sets": {"25": -1}})
    assert {d["field"] for d in refused.value.details} == {"export_date", "geographic_representativeness", "culture_sets"}


def test_coverage_takes_the_year_s_culture_sets():
    settings = ExportSettings.parse({"culture_sets": {"2025": 3400}})
    assert settings.coverage(2025).culture_sets == 3400 and settings.coverage(2024).culture_sets is None
    assert ExportSettings.parse(settings.document()) == settings


@pytest.mark.parametrize("given, kept", [("31/03", "03-31"), ("1/4", "04-01"), ("03-31", "03-31")])
def test_the_export_date_is_read_the_french_way_too(given, kept):
    assert ExportSettings.parse({"export_date": given}).export_date == kept


def test_an_impossible_export_date_is_refused_with_the_french_format():
    with pytest.raises(InvalidInput) as refused:
        ExportSettings.parse({"export_date": "31/02"})
    assert "JJ/MM" in refused.value.details[0]["message"]
