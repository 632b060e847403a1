"""95 % intervals (DOMAIN.md §10.7): Wilson for proportions, exact (Garwood) Poisson for
incidence densities, against published values, their defining identities and their
properties; the Poisson identities are checked by summing Poisson probabilities, a
computation that shares nothing with the incomplete gamma function it inverts."""

from __future__ import annotations

import math

import pytest

from chalicelib.domain.precision import (
    Measure,
    bounds,
    gamma_quantile,
    interval_fields,
    poisson_exact,
    regularised_gamma_p,
    wilson,
)


def poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), by summing its terms."""
    term = total = math.exp(-mean)
    for i in range(1, k + 1):
        term *= mean / i
        total += term
    return total


# Published values ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [  # Newcombe, Stat Med 1998;17:857-72, table II (method 3), and Wilson's closed form
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_intervals_match_published_values(successes, n, low, high):
    found = wilson(successes, n)
    assert found is not None
    assert (round(found.low, 4), round(found.high, 4)) == (low, high)


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [  # Garwood 1936; tables of exact Poisson limits (e.g. Ulm, Am J Epidemiol 1990)
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (2, 0.2422, 7.2247),
        (5, 1.6235, 11.6683),
        (10, 4.7954, 18.3904),
        (20, 12.2165, 30.8884),
        (100, 81.3640, 121.6268),
    ],
)
def test_exact_poisson_intervals_match_published_values(count, low, high):
    found = poisson_exact(count)
    assert (round(found.low, 4), round(found.high, 4)) == (low, high)


def test_the_upper_bound_of_no_case_is_minus_the_log_of_the_tail():
    assert poisson_exact(0).high == pytest.approx(-math.log(0.025), rel=1e-12)


def test_the_regularised_incomplete_gamma_function_matches_its_closed_forms():
    for x in (0.01, 0.5, 1.0, 3.0, 10.0, 40.0):
        assert regularised_gamma_p(1, x) == pytest.approx(1 - math.exp(-x), rel=1e-13, abs=1e-15)
        assert regularised_gamma_p(0.5, x) == pytest.approx(math.erf(math.sqrt(x)), rel=1e-13)
        assert regularised_gamma_p(3, x) == pytest.approx(1 - poisson_cdf(2, x), rel=1e-12, abs=1e-15)


def test_a_gamma_quantile_inverts_the_function_to_twelve_digits():
    for a in (0.5, 1, 7, 150, 20_000):
        for p in (0.025, 0.5, 0.975):
            assert regularised_gamma_p(a, gamma_quantile(p, a)) == pytest.approx(p, rel=1e-10)


# Defining identities ------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 2, 3, 7, 15, 42, 120, 400])
def test_exact_poisson_bounds_leave_two_and_a_half_percent_in_each_tail(count):
    found = poisson_exact(count)
    assert 1 - poisson_cdf(count - 1, found.low) == pytest.approx(0.025, abs=1e-12)  # P(X >= x | lower)
    assert poisson_cdf(count, found.high) == pytest.approx(0.025, abs=1e-12)  # P(X <= x | upper)


@pytest.mark.parametrize(("successes", "n"), [(1, 10), (3, 7), (81, 263), (499, 1000), (2, 3000)])
def test_wilson_bounds_are_where_the_score_test_reaches_its_critical_value(successes, n):
    found = wilson(successes, n)
    assert found is not None
    observed = successes / n
    for p in (found.low, found.high):
        assert abs(observed - p) / math.sqrt(p * (1 - p) / n) == pytest.approx(1.959963984540054, rel=1e-9)


# Properties ---------------------------------------------------------------------------------------
def test_every_interval_holds_its_point_estimate():
    for n in range(1, 60):
        for successes in range(n + 1):
            found = wilson(successes, n)
            assert found is not None
            assert 0 <= found.low <= successes / n <= found.high <= 1
    for count in range(300):
        found = poisson_exact(count)
        assert 0 <= found.low <= count <= found.high


def test_intervals_narrow_as_the_counts_grow():
    proportions = [wilson(3 * k, 10 * k) for k in (1, 10, 100, 1000)]
    widths = [found.high - found.low for found in proportions if found is not None]
    assert widths == sorted(widths, reverse=True) and widths[-1] < 0.02
    relative = [(poisson_exact(c).high - poisson_exact(c).low) / c for c in (1, 10, 100, 1000, 10_000)]
    assert relative == sorted(relative, reverse=True)


def test_no_isolate_gives_no_interval_and_extreme_proportions_reach_their_limit():
    assert wilson(0, 0) is None
    zero, every = wilson(0, 17), wilson(17, 17)
    assert zero is not None and every is not None
    assert (zero.low, every.high) == (0.0, 1.0)
    assert zero.high > 0 and every.low < 1
    assert poisson_exact(0).low == 0.0


def test_counts_must_be_counts():
    with pytest.raises(ValueError):
        wilson(11, 10)
    with pytest.raises(ValueError):
        poisson_exact(2.5)


# On an indicator's scale --------------------------------------------------------------------------
def test_a_percentage_interval_is_wilson_times_one_hundred():
    found = wilson(81, 263)
    assert found is not None
    assert bounds(Measure.PROPORTION, 81, 263, 100) == pytest.approx((found.low * 100, found.high * 100), rel=1e-15)


def test_a_density_interval_is_the_count_interval_over_the_same_patient_days():
    low, high = poisson_exact(10).low, poisson_exact(10).high
    assert bounds(Measure.DENSITY, 10, 4850, 1000) == pytest.approx((low / 4850 * 1000, high / 4850 * 1000), rel=1e-15)
    assert bounds(Measure.DENSITY, 0, 4850, 1000) == pytest.approx((0.0, 3.688879454113936 / 4.85), rel=1e-12)


def test_defined_daily_doses_have_no_interval_and_rows_without_denominator_have_nulls():
    assert bounds(Measure.DOSES, 120.5, 4850, 1000) is None
    assert interval_fields(Measure.DOSES, 120.5, 4850, 1000) == {}
    assert interval_fields(Measure.PROPORTION, 0, 0, 100) == {"ci_low": None, "ci_high": None}
    assert interval_fields(Measure.DENSITY, 3, 0, 1000) == {"ci_low": None, "ci_high": None}
    assert interval_fields(Measure.PROPORTION, 5, 10, 100) == {"ci_low": 23.659, "ci_high": 76.341}


def test_each_measure_says_in_french_which_interval_it_carries():
    assert "Wilson" in Measure.PROPORTION.note and "Poisson" in Measure.DENSITY.note
    assert Measure.DOSES.note.startswith("Sans intervalle") and Measure.DOSES.interval is None
