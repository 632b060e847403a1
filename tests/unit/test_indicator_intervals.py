"""Every indicator of the catalogue against a plain-Python computation of DOMAIN.md over
the fixture lake (tests/support/lake_fixture.py), on the DuckDB path: the same counts,
the same value, and — for a proportion or a density (§10.7) — the same 95 % interval,
to 1e-9. Wilson's interval is written out below from its formula; the exact Poisson
bounds are found by bisection on sums of Poisson probabilities, sharing nothing with
the platform's incomplete gamma function. Ratios of defined daily doses carry no interval."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.combined import PAIRS
from chalicelib.domain.drugs import default_broad_spectrum
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.strategy_panel import PANEL
from tests.support import m39_reference
from tests.support.lake_world import A, B, C
from tests.unit.test_precision import poisson_cdf

NATIONAL = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REFERENT_A = Principal(Email("r@a.fr"), memberships={Finess(A): Status.REFERENT})
#: (caller, scope, year, the establishments whose rows it reads)
SCOPES = {
    "national 2024": (NATIONAL, "national", 2024, {A, B, C}),
    "A's draft 2025": (REFERENT_A, f"establishment:{A}", 2025, {A}),
}
#: Row fields naming what a row is about.
KEYS = ("establishment", "species", "antibiotic", "antifungal_class", "species_group", "indicator", "sector", "carbapenemase",
        "aware")  # fmt: skip
#: WHO 2023 AWaRe groups of the fixture's antibiotics (DOMAIN.md §10.10), written out here.
AWARE = {"J01CR02": "access", "J01CA04": "access", "J01DD04": "watch", "J01DH02": "watch", "J01MA02": "watch",
         "J01XA01": "watch"}  # fmt: skip

Row = dict[str, Any]


# Intervals from their definitions -----------------------------------------------------------------
def wilson(x: float, n: float) -> tuple[float, float] | None:
    """(p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    if n == 0:
        return None
    z, p = 1.959963984540054, x / n
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - half) / (1 + z * z / n)), min(1.0, (centre + half) / (1 + z * z / n))


def solve(f: Callable[[float], float], low: float, high: float) -> float:
    """The root of an increasing ``f`` between low and high, by bisection."""
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if f(middle) < 0 else (low, middle)
    return (low + high) / 2


def garwood(x: int) -> tuple[float, float]:
    """L: P(X >= x | L) = 2.5 %; U: P(X <= x | U) = 2.5 %."""
    top = 10.0 + 3 * x
    low = 0.0 if x == 0 else solve(lambda m: (1 - poisson_cdf(x - 1, m)) - 0.025, 0.0, top)
    return low, solve(lambda m: 0.025 - poisson_cdf(x, m), 0.0, top)


def expected(numerator: float, denominator: float, n: int, multiplier: int, interval: str | None, min_n: int = 1) -> Row:
    """The API's row. Counts are integers: their value and interval, rounded as the API rounds, must be equal
    to 1e-9. Sums of DDD are not (their order of addition differs), so a doses row is compared unrounded,
    within half a unit of the API's third decimal."""
    if interval is None:
        out: Row = {"value": numerator / denominator * multiplier if denominator else None,
                    "numerator": numerator, "denominator": denominator, "n": n, "_tolerance": 5e-4 + 1e-9}  # fmt: skip
    else:
        out = {"value": round(numerator / denominator * multiplier, 3) if denominator else None,
               "numerator": round(numerator, 3), "denominator": round(denominator, 3), "n": n}  # fmt: skip
        bounds = None
        if denominator and interval == "wilson":
            bounds = wilson(numerator, denominator)
        elif denominator:
            low, high = garwood(int(numerator))
            bounds = (low / denominator, high / denominator)
        out["ci_low"], out["ci_high"] = (round(b * multiplier, 3) for b in bounds) if bounds else (None, None)
    if n < min_n:
        out["flag"] = "effectif_faible"
    return out


# Counts from DOMAIN.md over the fixture's rows ----------------------------------------------------
def rows_of(lake, dataset: str, year: int, es: set[str]) -> list[Row]:
    return [r for r in lake.rows[dataset] if int(r["year"]) == year and r["es"] in es]


def grouped(items: Iterable[tuple[tuple[Any, ...], Row]], per_es: bool) -> dict[tuple[Any, ...], list[Row]]:
    found: dict[tuple[Any, ...], list[Row]] = {}
    for key, row in items:
        found.setdefault(((row["es"],) if per_es else ()) + key, []).append(row)
    return found


def keyed(key: tuple[Any, ...], per_es: bool, fields: tuple[str, ...]) -> Row:
    return dict(zip((("establishment",) if per_es else ()) + fields, key, strict=True))


def doses(lake, year, es, by, options, scope: str = "antibiotic") -> list[Row]:
    """DDJ/1000 JH: counted DDD of the drugs over the patient-days (DOMAIN.md §7), per establishment or in total."""
    per_es = by == "establishment"
    out = []
    for establishments in [{e} for e in sorted(es)] if per_es else [es]:
        lines = [r for r in rows_of(lake, "consumption", year, establishments) if r["counted"] and r["scope"] == scope]
        days = sum(r["patient_days"] for r in rows_of(lake, "patient_days", year, establishments))
        if lines or (scope == "antifungal" and days):  # counted without a J02 line: zero DDD (DOMAIN.md §10.5)
            row = expected(sum(r["ddd"] for r in lines), days, len(lines), 1000, None)
            out.append({**({"establishment": next(iter(establishments))} if per_es else {}), **row})
    return out


def broad_share(lake, year, es, by, options) -> list[Row]:
    broad, per_es = default_broad_spectrum(), by == "establishment"
    out = []
    for establishments in [{e} for e in sorted(es)] if per_es else [es]:
        lines = [r for r in rows_of(lake, "consumption", year, establishments) if r["counted"] and r["scope"] == "antibiotic"]
        part = sum(r["ddd"] for r in lines if broad.contains(r["atc"]))
        out.append({**({"establishment": next(iter(establishments))} if per_es else {}),
                    **expected(part, sum(r["ddd"] for r in lines), len(lines), 100, None)})  # fmt: skip
    return out


def aware_share(lake, year, es, by, options) -> list[Row]:
    """DDD of each AWaRe group over all antibiotic DDD; without ``by=aware``, the Access group only."""
    per_es, groups = by == "establishment", ("access", "watch", "reserve", "not_classified") if by == "aware" else ("access",)
    out = []
    for establishments in [{e} for e in sorted(es)] if per_es else [es]:
        lines = [r for r in rows_of(lake, "consumption", year, establishments) if r["counted"] and r["scope"] == "antibiotic"]
        for group in groups:
            part = sum(r["ddd"] for r in lines if AWARE[r["atc"]] == group)
            out.append({**({"establishment": next(iter(establishments))} if per_es else {}), "aware": group,
                        **expected(part, sum(r["ddd"] for r in lines), len(lines), 100, None)})  # fmt: skip
    return out


def pct_r(lake, year, es, by, options) -> list[Row]:
    """Resistant (R; SFP is not) among deduplicated isolates tested, per species x antibiotic."""
    kept = {r["isolate_id"]: r for r in rows_of(lake, "isolates", year, es) if r["kept"]}
    tested: dict[tuple[str, str], list[str]] = {}
    for result in rows_of(lake, "results", year, es):
        if (isolate := kept.get(result["isolate_id"])) is not None:
            tested.setdefault((isolate["species"], result["antibiotic"]), []).append(result["sir"])
    return [{"species": s, "antibiotic": a, **expected(float(sirs.count("R")), float(len(sirs)), len(sirs), 100, "wilson", 30)}
            for (s, a), sirs in tested.items()]  # fmt: skip


#: DOMAIN.md §10.10: fluconazole and the echinocandins for the priority Candida, the mould-active azoles for
#: A. fumigatus; a class is resistant when one of its agents tested is R.
CANDIDA = {"CANALB", "CANGLA", "CANPAR", "CANTRO", "CANKRU", "CANAUR"}
ANTIFUNGAL_CLASSES = {"fluconazole": ({"FLU"}, CANDIDA), "echinocandines": ({"CAS", "MIF", "ANI"}, CANDIDA),
                      "azoles": ({"ITR", "VOR", "POS", "ISV"}, {"ASPFUM"})}  # fmt: skip


def antifungal_r(lake, year, es, by, options) -> list[Row]:
    kept = {r["isolate_id"]: r for r in rows_of(lake, "isolates", year, es) if r["kept"]}
    results: dict[str, dict[str, str]] = {}
    for result in rows_of(lake, "results", year, es):
        results.setdefault(result["isolate_id"], {})[result["antibiotic"]] = result["sir"]
    tested: dict[tuple[str, str], list[bool]] = {}
    for isolate_id, isolate in kept.items():
        for name, (agents, species) in ANTIFUNGAL_CLASSES.items():
            found = [sir for code, sir in results.get(isolate_id, {}).items() if code in agents]
            if isolate["species"] in species and found:
                tested.setdefault((isolate["species"], name), []).append("R" in found)
    return [{"species": s, "antifungal_class": c, **expected(float(sum(r)), float(len(r)), len(r), 100, "wilson", 30)}
            for (s, c), r in tested.items()]  # fmt: skip


def known(lake, year, es, phenotype: str, species: frozenset[str] | None = None) -> list[Row]:
    """Deduplicated isolates whose phenotype is known (a missing test is unknown)."""
    return [r for r in rows_of(lake, "isolates", year, es)
            if r["kept"] and r[phenotype] is not None and (species is None or r["species"] in species)]  # fmt: skip


def pct_phenotype(lake, year, es, by, options) -> list[Row]:
    field, per_es = ("species" if by == "species" else "species_group"), by == "establishment"
    groups = grouped((((r[field],), r) for r in known(lake, year, es, options["phenotype"])), per_es)
    positive = options["phenotype"]
    return [{**keyed(key, per_es, (field,)),
             **expected(float(sum(bool(r[positive]) for r in found)), float(len(found)), len(found), 100, "wilson", 30)}
            for key, found in groups.items()]  # fmt: skip


def density(lake, year, es, by, options) -> list[Row]:
    """Deduplicated isolates with the phenotype (blood: the first blood isolate per patient and species) per 1000
    patient-days; by sector: a sector's cases over its own patient-days (a UF without sector is in no sector)."""
    if by == "sector":
        return density_by_sector(lake, year, es, options)
    per_es, out = by == "establishment", []
    for establishments in [{e} for e in sorted(es)] if per_es else [es]:
        counted = "blood_kept" if options["specimen"] == "blood" else "kept"
        cases = sum(1 for r in rows_of(lake, "isolates", year, establishments) if r[counted] and r[options["phenotype"]])
        days = sum(r["patient_days"] for r in rows_of(lake, "patient_days", year, establishments))
        out.append({**({"establishment": next(iter(establishments))} if per_es else {}),
                    **expected(float(cases), float(days), cases, 1000, "poisson")})  # fmt: skip
    return out


def density_by_sector(lake, year, es, options) -> list[Row]:
    counted = "blood_kept" if options["specimen"] == "blood" else "kept"
    cases = [r["sector"] for r in rows_of(lake, "isolates", year, es) if r[counted] and r[options["phenotype"]]]
    days: dict[str, int] = {}
    for row in rows_of(lake, "patient_days", year, es):
        days[row["sector"]] = days.get(row["sector"], 0) + row["patient_days"]
    sectors = ({*cases} | {*days}) - {None}
    return [{"sector": s, **expected(float(cases.count(s)), float(days.get(s, 0)), cases.count(s), 1000, "poisson")}
            for s in sectors]  # fmt: skip


def carbapenemase(lake, year, es, by, options) -> list[Row]:
    """EPC by carbapenemase type: kept EPC of each type (the flag; none: "non précisé") among the kept EPC,
    per establishment or in total, each type found in the scope for every establishment that has EPC."""
    per_es, out = by == "establishment", []
    epc = [r for r in rows_of(lake, "isolates", year, es) if r["kept"] and r["epc"]]
    types = {r["carbapenemase"] or "non précisé" for r in epc}
    for establishments in [{e} for e in sorted(es)] if per_es else [es]:
        found = [r["carbapenemase"] or "non précisé" for r in epc if r["es"] in establishments]
        out.extend({**({"establishment": next(iter(establishments))} if per_es else {}), "carbapenemase": kind,
                    **expected(float(found.count(kind)), float(len(found)), len(found), 100, "wilson", 30)}
                   for kind in (types if found else ()))  # fmt: skip
    return out


def cumulative_antibiogram(lake, year, es, by, options, below: bool = False) -> list[Row]:
    """CLSI M39 from tests/support/m39_reference.py: the species shown (``below``: those left out)."""
    chosen = {k: options[k].upper() for k in ("specimen", "sector") if options.get(k, "all") != "all"}
    rows, left_out = m39_reference.antibiogram(m39_reference.from_lake(lake.rows, year, es), **chosen)
    return left_out if below else rows


def combined(lake, year, es, by, options) -> list[Row]:
    """Per establishment: the pair's resistance pooled over its components, each component also on its own."""
    chosen, out = PAIRS[options["pair"]], []
    for establishment in sorted(es):
        parts = []
        for component in chosen.components:
            found = known(lake, year, {establishment}, component.phenotype, component.species)
            parts.append((float(sum(bool(r[component.phenotype]) for r in found)), float(len(found))))
        positive, total = sum(p for p, _ in parts), sum(t for _, t in parts)
        out.append({"establishment": establishment, **expected(positive, total, int(total), 100, "wilson", 30),
                    "components": [expected(p, t, int(t), 100, "wilson", 30) for p, t in parts]})  # fmt: skip
    return out


def panel(lake, year, es, by, options) -> list[Row]:
    """Each item is its indicator's value for the scope, pooled over that indicator's rows."""
    out = []
    for item in PANEL:
        found = REFERENCES[item.indicator](lake, year, es, "species" if item.species else None, item.options)
        found = [r for r in found if not item.species or r["species"] == item.species]
        numerator, denominator = sum(r["numerator"] for r in found), sum(r["denominator"] for r in found)
        n = sum(r["n"] for r in found)
        kind = "wilson" if item.indicator.startswith("pct") else "poisson" if item.indicator.startswith("density") else None
        multiplier = 1000 if item.indicator.endswith("1000jh") else 100
        out.append({"indicator": item.id, **expected(numerator, denominator, n, multiplier, kind, 30 if kind == "wilson" else 1)})
    return out


#: Every indicator id of the catalogue: its plain-Python rows, and the option sets x ``by`` to try.
REFERENCES: dict[str, Callable[..., list[Row]]] = {
    "ddj_1000jh": doses,
    "antifungal_ddj_1000jh": lambda lake, year, es, by, options: doses(lake, year, es, by, options, "antifungal"),
    "broad_spectrum_share": broad_share,
    "aware_share": aware_share,
    "pct_r": pct_r,
    "antifungal_r": antifungal_r,
    "pct_phenotype": pct_phenotype,
    "density_1000jh": density,
    "carbapenemase": carbapenemase,
    "cumulative_antibiogram": cumulative_antibiogram,
    "combined": combined,
    "strategy_panel": panel,
}
CASES: dict[str, list[tuple[dict[str, str], str | None]]] = {
    "ddj_1000jh": [({}, None), ({}, "establishment")],
    "antifungal_ddj_1000jh": [({}, None), ({}, "establishment")],
    "broad_spectrum_share": [({}, None), ({}, "establishment")],
    "aware_share": [({}, None), ({}, "aware"), ({}, "establishment")],
    "pct_r": [({}, None)],
    "antifungal_r": [({}, None)],
    "pct_phenotype": [({"phenotype": p}, by) for p in PHENOTYPES for by in (None, "species", "establishment")],
    "density_1000jh": [({"phenotype": p, "specimen": s}, by) for p in PHENOTYPES for s in ("all", "blood")
                       for by in (None, "establishment", "sector")],
    "carbapenemase": [({}, None), ({}, "carbapenemase"), ({}, "establishment")],
    "cumulative_antibiogram": [({}, None), ({"specimen": "urine"}, None), ({"sector": "MED"}, None),
                               ({"specimen": "HEMOC", "sector": "all"}, None)],
    "combined": [({"pair": p}, None) for p in PAIRS],
    "strategy_panel": [({}, None)],
}  # fmt: skip


def key_of(row: Row) -> tuple[Any, ...]:
    return tuple(row.get(k) for k in KEYS)


def assert_same(found: Row, want: Row, where: str) -> None:
    tolerance = want.get("_tolerance", 1e-9)
    for name, value in want.items():
        if name.startswith("_"):
            continue
        if name == "components":
            for got, wanted in zip(found["components"], value, strict=True):
                assert_same(got, wanted, f"{where} component {got.get('label')}")
        elif isinstance(value, float):
            assert found[name] == pytest.approx(value, abs=tolerance, rel=0), f"{where}: {name}"
        else:
            assert found.get(name) == value, f"{where}: {name}"
    for name in ("ci_low", "ci_high", "flag"):
        assert (name in found) == (name in want), f"{where}: {name} {'unexpected' if name in found else 'missing'}"


def test_every_indicator_of_the_catalogue_has_its_reference(world):
    assert sorted(i["id"] for i in world.services.indicators.catalogue()) == sorted(REFERENCES) == sorted(CASES)


@pytest.mark.parametrize("indicator", sorted(CASES))
@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_each_indicator_equals_its_plain_python_computation_intervals_included(world, lake, indicator, scope):
    caller, scope_text, year, establishments = SCOPES[scope]
    compared = 0
    for options, by in CASES[indicator]:
        answer = world.services.indicators.compute(caller, indicator, scope_text, str(year), by, options)
        want = {key_of(r): r for r in REFERENCES[indicator](lake, year, establishments, by, options)}
        found = {key_of(r): r for r in answer["rows"]}
        where = f"{indicator} {options} by={by} {scope}"
        assert set(found) == set(want), where
        for key, row in want.items():
            assert_same(found[key], row, f"{where} {key}")
        compared += len(want)
        if indicator == "cumulative_antibiogram":  # species under M39's minimum: named, never shown
            left_out = cumulative_antibiogram(lake, year, establishments, by, options, below=True)
            assert answer["species_below_min"] == left_out, where
            compared += len(left_out)
    assert compared, "the fixture should give rows"


def test_no_resistant_isolate_starts_the_interval_at_zero_and_every_one_resistant_ends_it_at_one_hundred(world):
    """The fixture holds both edges, so the comparisons above cover them."""
    rows = world.services.indicators.compute(REFERENT_A, "pct_r", f"establishment:{A}", "2025", None, {})["rows"]
    none = [r for r in rows if r["numerator"] == 0]
    assert none and all(r["ci_low"] == 0.0 < r["ci_high"] < 100 for r in none)
    rows = world.services.indicators.compute(
        NATIONAL, "pct_phenotype", "national", "2024", "establishment", {"phenotype": "sarm"}
    )
    every = [r for r in rows["rows"] if r["numerator"] == r["denominator"]]
    assert every and all(0 < r["ci_low"] < 100 == r["ci_high"] == r["value"] for r in every)


def test_a_year_without_data_has_null_intervals_in_a_trend_and_doses_have_none(world):
    trend = world.services.indicators.trend(REFERENT_A, "density_1000jh", f"establishment:{A}", "2023", "2025", None,
                                            {"phenotype": "epc", "specimen": "all"})  # fmt: skip
    assert (trend["rows"][0]["ci_low"], trend["rows"][0]["ci_high"]) == (None, None)
    assert all(r["ci_low"] <= r["value"] <= r["ci_high"] for r in trend["rows"][1:])
    doses = world.services.indicators.trend(REFERENT_A, "ddj_1000jh", f"establishment:{A}", "2023", "2025", None, {})
    assert not any("ci_low" in r for r in doses["rows"])


def test_the_catalogue_says_which_interval_each_indicator_carries(world):
    catalogue = {i["id"]: i for i in world.services.indicators.catalogue()}
    assert {i: c["interval"] for i, c in catalogue.items() if c["interval"]} == {
        "pct_r": "wilson", "pct_phenotype": "wilson", "combined": "wilson", "density_1000jh": "poisson_exact",
        "carbapenemase": "wilson", "cumulative_antibiogram": "wilson", "antifungal_r": "wilson"}  # fmt: skip
    assert catalogue["ddj_1000jh"]["precision"] == "Sans intervalle de confiance : les DDJ ne sont pas des effectifs."


def test_the_benchmark_gives_the_interval_of_the_establishment_s_own_value(world):
    found = world.services.indicators.benchmark(
        REFERENT_A, "density_1000jh", A, "2025", {"phenotype": "eblse", "specimen": "all"}
    )
    [own] = world.services.indicators.compute(REFERENT_A, "density_1000jh", f"establishment:{A}", "2025", None,
                                              {"phenotype": "eblse", "specimen": "all"})["rows"]  # fmt: skip
    assert (found["value"], found["ci_low"], found["ci_high"]) == (own["value"], own["ci_low"], own["ci_high"])


def test_open_data_cells_carry_the_interval_of_their_summed_counts_and_suppressed_cells_nothing(world, lake):
    opened = world.services.indicators.open_data("pct_r", "national", "2024", {})["rows"]
    want = {(r["species"], r["antibiotic"]): r for r in pct_r(lake, 2024, {A, B, C}, None, {})}
    shown = [r for r in opened if not r.get("suppressed")]
    assert shown and all(r["n"] >= 10 for r in shown)
    for row in shown:
        wanted = want[row["species"], row["antibiotic"]]
        assert (row["value"], row["ci_low"], row["ci_high"]) == (wanted["value"], wanted["ci_low"], wanted["ci_high"])
    suppressed = world.services.indicators.open_data("pct_r", "region:52", "2025", {})["rows"]  # B alone is closed there
    assert suppressed and all(set(r) == {"species", "antibiotic", "value", "suppressed"} for r in suppressed)
    [density] = world.services.indicators.open_data(
        "density_1000jh", "national", "2024", {"phenotype": "epc", "specimen": "all"}
    )["rows"]
    [wanted] = REFERENCES["density_1000jh"](lake, 2024, {A, B, C}, None, {"phenotype": "epc", "specimen": "all"})
    assert (density["ci_low"], density["ci_high"]) == (wanted["ci_low"], wanted["ci_high"])
    [doses] = world.services.indicators.open_data("ddj_1000jh", "national", "2024", {})["rows"]
    assert "ci_low" not in doses and doses["establishments"] == 3
