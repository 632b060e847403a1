"""Numbers in the report read the French way (DOMAIN.md §10.8): 1 234,5 with a narrow no-break space."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.reports import french

NNBSP = "\u202f"


def test_thousands_are_grouped_by_a_narrow_no_break_space_and_decimals_follow_a_comma():
    assert french.decimal(1234.5) == f"1{NNBSP}234,5"
    assert french.decimal(1234567.891, 2) == f"1{NNBSP}234{NNBSP}567,89"
    assert french.count(9516.0) == f"9{NNBSP}516"


def test_a_value_that_rounds_to_zero_never_reads_minus_zero():
    assert french.decimal(-0.04) == "0,0"


def test_a_missing_value_reads_as_a_dash_and_an_unknown_interval_as_nothing():
    assert french.decimal(None) == french.percent(None) == "—"
    assert french.interval(None, 3.0) == ""


def test_percentages_and_intervals_carry_french_spacing():
    assert french.percent(12.345) == f"12,3{NNBSP}%"
    assert french.interval(1.788, 40.415) == "[1,8 ; 40,4]"


def test_a_change_is_signed_with_a_true_minus():
    assert french.signed_percent(french.change(90.0, 100.0)) == f"\u221210,0{NNBSP}%"
    assert french.signed_percent(4.26) == f"+4,3{NNBSP}%"
    assert french.change(5.0, 0.0) is None


def test_dates_read_day_month_year():
    assert french.date(datetime(2026, 3, 5, 10, tzinfo=UTC)) == "05/03/2026"
