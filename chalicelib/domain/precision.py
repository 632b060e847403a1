"""The precision of an indicator's value (DOMAIN.md §10.7): every proportion carries
its 95 % Wilson score interval, every incidence density the exact (Garwood) Poisson
95 % interval of its count, scaled like the density. Ratios of defined daily doses
get none: a DDD is not a count of anything that happens at random.

Pure Python (no SciPy: the Lambda package is size-limited). The Poisson bounds are
gamma quantiles, found by inverting the regularised incomplete gamma function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

#: The standard normal quantile of 0.975 (two-sided 95 %).
Z_95 = 1.959963984540054
#: Each tail of a two-sided 95 % interval.
TAIL = 0.025
#: Relative tolerance of the gamma quantiles.
TOLERANCE = 1e-12
_TINY = 1e-300


class Measure(Enum):
    """What an indicator's value is, which decides its interval."""

    PROPORTION = "proportion"  # counted cases among counted cases (isolates): Wilson
    DENSITY = "density"  # counted cases per patient-days: exact Poisson on the count
    DOSES = "doses"  # defined daily doses over patient-days or over doses: no interval
    ITEMS = "items"  # each row is another indicator's value (strategy panel): that indicator's interval

    @property
    def interval(self) -> str | None:
        return {Measure.PROPORTION: "wilson", Measure.DENSITY: "poisson_exact"}.get(self)

    @property
    def note(self) -> str:
        """For the user, in French: which interval the values carry, or why none."""
        return {
            Measure.PROPORTION: "Intervalle de confiance à 95 % de Wilson (ci_low, ci_high).",
            Measure.DENSITY: "Intervalle de confiance à 95 % exact de Poisson (Garwood) sur le nombre de cas, "
            "rapporté aux mêmes journées d'hospitalisation (ci_low, ci_high).",
            Measure.DOSES: "Sans intervalle de confiance : les DDJ ne sont pas des effectifs.",
            Measure.ITEMS: "Chaque élément porte l'intervalle de son indicateur (Wilson pour un pourcentage, "
            "Poisson exact pour une densité, aucun pour des DDJ).",
        }[self]


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


# Wilson ------------------------------------------------------------------------------------------
def wilson(successes: float, n: float, z: float = Z_95) -> Interval | None:
    """The Wilson score interval of ``successes`` among ``n`` (on the 0-1 scale); None when n = 0."""
    if n <= 0:
        return None
    if successes < 0 or successes > n:
        raise ValueError(f"{successes} successes among {n}")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(low, high)


# Exact Poisson (Garwood) ---------------------------------------------------------------------------
def poisson_exact(count: float, tail: float = TAIL) -> Interval:
    """Garwood's exact interval of a Poisson mean from one observed ``count``:
    the lower bound L has P(X >= count | L) = tail, the upper U has P(X <= count | U) = tail
    (that is, the gamma quantiles tail with shape count and 1 - tail with shape count + 1)."""
    if count < 0 or count != int(count):
        raise ValueError(f"a count: {count}")
    low = 0.0 if count == 0 else gamma_quantile(tail, count)
    return Interval(low, gamma_quantile(1 - tail, count + 1))


def regularised_gamma_p(a: float, x: float) -> float:
    """P(a, x) = γ(a, x) / Γ(a), the regularised lower incomplete gamma function (a > 0)."""
    if a <= 0:
        raise ValueError("a > 0")
    if x <= 0:
        return 0.0
    if x < a + 1:
        return _series(a, x)
    return 1.0 - _continued_fraction(a, x)


def _log_prefactor(a: float, x: float) -> float:
    return a * math.log(x) - x - math.lgamma(a)


def _series(a: float, x: float) -> float:
    term = total = 1.0 / a
    denominator = a
    while abs(term) > abs(total) * 1e-17:
        denominator += 1
        term *= x / denominator
        total += term
    return total * math.exp(_log_prefactor(a, x))


def _continued_fraction(a: float, x: float) -> float:
    """Q(a, x) by Legendre's continued fraction, evaluated with the modified Lentz method."""
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    i = 0
    while True:
        i += 1
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16 or i > 100_000:
            break
    return math.exp(_log_prefactor(a, x)) * h


def gamma_quantile(p: float, a: float) -> float:
    """The x with P(a, x) = p (0 < p < 1), to a relative ``TOLERANCE``: Newton steps kept
    inside a bracket that bisection narrows whenever a step would leave it."""
    if not 0 < p < 1:
        raise ValueError("0 < p < 1")
    low, high = 0.0, max(1.0, a)
    while regularised_gamma_p(a, high) < p:
        low, high = high, high * 2
    x = (low + high) / 2
    for _ in range(2_000):
        error = regularised_gamma_p(a, x) - p
        if error == 0:
            return x
        if error < 0:
            low = x
        else:
            high = x
        slope = math.exp((a - 1) * math.log(x) - x - math.lgamma(a))  # the gamma density, dP/dx
        following = x - error / slope if slope > 0 else math.nan
        if not low < following < high:
            following = (low + high) / 2
        if abs(following - x) <= TOLERANCE * following:
            return following
        x = following
    return x


# On an indicator's scale -----------------------------------------------------------------------
def bounds(measure: Measure, numerator: float, denominator: float, multiplier: int) -> tuple[float, float] | None:
    """The 95 % interval of ``numerator / denominator x multiplier`` for this measure;
    None when the measure has none or the denominator is 0."""
    if not denominator:
        return None
    if measure is Measure.PROPORTION:
        found = wilson(numerator, denominator)
        return (found.low * multiplier, found.high * multiplier) if found else None
    if measure is Measure.DENSITY:
        count = poisson_exact(numerator)
        return (count.low / denominator * multiplier, count.high / denominator * multiplier)
    return None


def interval_fields(measure: Measure, numerator: float, denominator: float, multiplier: int, digits: int = 3
                    ) -> dict[str, Any]:  # fmt: skip
    """The row's ``ci_low``, ``ci_high`` (rounded like values; None without a denominator);
    nothing at all for a measure without interval."""
    if measure.interval is None:
        return {}
    found = bounds(measure, numerator, denominator, multiplier)
    if found is None:
        return {"ci_low": None, "ci_high": None}
    return {"ci_low": round(found[0], digits), "ci_high": round(found[1], digits)}
