"""Values far from the establishment's history or from its category (DOMAIN.md §8):
warnings (``avertissement``) that close nothing but ask for a second look.

"Far", with every parameter in ``FAR``:

- **history**: the mean of the establishment's own closed values of the previous
  ``history_years`` years (at least one such year). A DDJ/1000 JH is far when it
  differs from that mean by more than ``relative_tolerance`` (±50 %); a % R when it
  differs by more than ``points_tolerance`` percentage points (±15 points: a
  relative rule is meaningless near 0 %).
- **category**: the P10 and P90 of the establishments of the same category, same
  year, closed data (the establishment itself left out; at least ``min_peers``
  values). A DDJ/1000 JH is far below P10 ÷ ``peer_factor`` or above P90 ×
  ``peer_factor`` (×1.5); a % R below P10 − or above P90 + ``points_tolerance``.

A % R is compared only for the sentinel species × antibiotic pairs of ``FAR``
and when it rests on at least ``min_isolates`` isolates (the indicator's minimum
n), in the year and in every year or peer value used.

Controls (ids are stable): ``ddj_far_from_history``, ``ddj_far_from_category``,
``pct_r_far_from_history``, ``pct_r_far_from_category``; one per id and year, its
rows one per value concerned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.controls import WARNING, Control
from chalicelib.domain.indicators import percentiles


@dataclass(frozen=True)
class FarRule:
    history_years: int = 3
    relative_tolerance: float = 0.5
    points_tolerance: float = 15.0
    peer_factor: float = 1.5
    min_peers: int = 5
    min_isolates: int = 30
    #: species x antibiotic pairs whose % R is watched
    sentinel_pairs: tuple[tuple[str, str], ...] = (
        ("ESCCOL", "CTX"), ("ESCCOL", "CIP"), ("KLEPNE", "CTX"), ("KLEPNE", "CIP"), ("KLEPNE", "MEM"),
        ("STAAUR", "FOX"), ("STAAUR", "OXA"), ("PSEAER", "CAZ"), ("PSEAER", "IPM"), ("PSEAER", "MEM"),
        ("ENCFAI", "VAN"),
    )  # fmt: skip


FAR = FarRule()

DDJ = "ddj_1000jh"
PCT_R = "pct_r"
#: The prefix of each measure's control ids.
CONTROL_PREFIX = {DDJ: "ddj", PCT_R: "pct_r"}
Key = tuple[str, ...]  # () for the DDJ total; (species, antibiotic) for a % R


@dataclass(frozen=True)
class Value:
    value: float
    n: int


def _fmt(number: float) -> str:
    return f"{number:.1f}".replace(".", ",")


def _unit(measure: str) -> str:
    return "DDJ/1000 JH" if measure == DDJ else "%"


def _row(measure: str, key: Key, value: float, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"indicateur": measure, "valeur": value, **extra}
    if key:
        row["espece"], row["antibiotique"] = key
    return row


def _bounds_history(measure: str, mean: float, rule: FarRule) -> tuple[float, float]:
    if measure == DDJ:
        return mean * (1 - rule.relative_tolerance), mean * (1 + rule.relative_tolerance)
    return mean - rule.points_tolerance, mean + rule.points_tolerance


def _bounds_category(measure: str, p10: float, p90: float, rule: FarRule) -> tuple[float, float]:
    if measure == DDJ:
        return p10 / rule.peer_factor, p90 * rule.peer_factor
    return p10 - rule.points_tolerance, p90 + rule.points_tolerance


def _enough(measure: str, value: Value, rule: FarRule) -> bool:
    return measure == DDJ or value.n >= rule.min_isolates


def far_from_history(
    measure: str, year: int, current: Mapping[Key, Value], history: Mapping[int, Mapping[Key, Value]], rule: FarRule = FAR
) -> list[Control]:
    """``history``: the establishment's closed values by previous year."""
    years = [y for y in range(year - rule.history_years, year) if history.get(y)]
    rows = []
    for key, now in sorted(current.items()):
        if not _enough(measure, now, rule):
            continue
        past = [history[y][key] for y in years if key in history[y] and _enough(measure, history[y][key], rule)]
        if not past:
            continue
        mean = sum(v.value for v in past) / len(past)
        low, high = _bounds_history(measure, mean, rule)
        if not low <= now.value <= high:
            used = [y for y in years if key in history[y]]
            rows.append(_row(measure, key, now.value, reference=round(mean, 3), borne_basse=round(low, 3),
                             borne_haute=round(high, 3), annees=used, n=now.n))  # fmt: skip
    if not rows:
        return []
    first = rows[0]
    tolerance = (f"± {round(rule.relative_tolerance * 100)} %" if measure == DDJ
                 else f"± {_fmt(rule.points_tolerance)} points")  # fmt: skip
    if measure == DDJ:
        message = (
            f"Consommation d'antibiotiques {year} : {_fmt(first['valeur'])} DDJ/1000 JH, loin de l'historique de "
            f"l'établissement (moyenne des années clôturées {_years(first['annees'])} : {_fmt(first['reference'])} "
            f"DDJ/1000 JH ; écart admis {tolerance}). Vérifiez les quantités et les journées d'hospitalisation."
        )
    else:
        message = (f"{len(rows)} pourcentage(s) de résistance {year} loin de l'historique de l'établissement (écart admis "
                   f"{tolerance} autour de la moyenne des années clôturées), dont {first['espece']} × {first['antibiotique']} : "
                   f"{_fmt(first['valeur'])} % contre {_fmt(first['reference'])} %.")  # fmt: skip
    return [Control(f"{CONTROL_PREFIX[measure]}_far_from_history", WARNING, message, str(year), len(rows), rows)]


def far_from_category(
    measure: str, year: int, category: str, current: Mapping[Key, Value], peers: Mapping[Key, Sequence[Value]],
    rule: FarRule = FAR,
) -> list[Control]:  # fmt: skip
    """``peers``: the closed values of the other establishments of the category, same year."""
    rows = []
    for key, now in sorted(current.items()):
        values = [v.value for v in peers.get(key, ()) if _enough(measure, v, rule)]
        if not _enough(measure, now, rule) or len(values) < rule.min_peers:
            continue
        spread = percentiles(values)
        p10, p90 = spread["p10"], spread["p90"]
        if p10 is None or p90 is None:  # pragma: no cover - values is not empty
            continue
        low, high = _bounds_category(measure, p10, p90, rule)
        if not low <= now.value <= high:
            rows.append(_row(measure, key, now.value, p10=p10, p90=p90, borne_basse=round(low, 3), borne_haute=round(high, 3),
                             etablissements=len(values), n=now.n))  # fmt: skip
    if not rows:
        return []
    first = rows[0]
    if measure == DDJ:
        message = (f"Consommation d'antibiotiques {year} : {_fmt(first['valeur'])} DDJ/1000 JH, hors de la distribution des "
                   f"établissements de la catégorie {category} (P10 {_fmt(first['p10'])}, P90 {_fmt(first['p90'])} ; valeurs "
                   f"attendues entre {_fmt(first['borne_basse'])} et {_fmt(first['borne_haute'])}, "
                   f"{first['etablissements']} établissements, données clôturées).")  # fmt: skip
    else:
        message = (f"{len(rows)} pourcentage(s) de résistance {year} hors de la distribution des établissements de la "
                   f"catégorie {category}, dont {first['espece']} × {first['antibiotique']} : {_fmt(first['valeur'])} % "
                   f"(P10 {_fmt(first['p10'])} %, P90 {_fmt(first['p90'])} %, écart admis ± {_fmt(rule.points_tolerance)} "
                   "points).")  # fmt: skip
    return [Control(f"{CONTROL_PREFIX[measure]}_far_from_category", WARNING, message, str(year), len(rows), rows)]


def _years(years: Sequence[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
