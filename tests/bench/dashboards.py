"""Issue 20, "Targets": the three dashboards' sections over the national-scale lake of ``national_scale``
(1,700 establishments x 5 years, closed, cached under ``$CONSORES_BENCH_LAKE``) behind the embedded
runtime: the lake's objects in the emulator's S3 bucket, the directory of establishments in its DynamoDB,
the real services as the API builds them (``build_services``: DuckDB engine, kept rows and answers).

Each dashboard's sections are the web client's (``web/src/pages/indicators/sections``: one
``/api/indicator-batch`` per section, measured by ``web/e2e/dashboards.test.mjs``), asked six at a time as
a browser asks one host, each section's questions as its batch answers them (``answer_batch``). Reported
for each dashboard: the section holding its first chart, and every section. The baseline is the same
dashboard's first asking in the same run (the lake's data version seen for the first time: computed, then
kept); then the warm askings (median of ``RUNS``), against the targets: first chart < 1 s, all < 2 s.
Not measured here: the HTTP layer, the browser's drawing, and Athena's latency in the cloud.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from chalicelib.adapters.factory import real_adapters
from chalicelib.bootstrap import build_services
from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.indicator_batch import parse_items
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.tenants import Establishment
from chalicelib.services.indicators.batch import answer_batch
from infra.local.emulator import Emulator
from tests.bench import national_scale
from tests.bench.report_batch import CATEGORIES, luhn_ok
from tests.support.aws import AwsWorld

YEAR = national_scale.YEAR
TREND = f"from={YEAR - 4}:to={YEAR}"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
#: A browser sends at most six requests at once to one host (HTTP/1.1).
BROWSER_CONNECTIONS = 6
TARGET_FIRST_S, TARGET_ALL_S = 1.0, 2.0
BY_ESTABLISHMENT = (
    "ddj_1000jh:by=establishment,antifungal_ddj_1000jh:by=establishment,pct_phenotype:by=establishment:phenotype=sarm,"
    "density_1000jh:by=establishment:phenotype=sarm:specimen=blood,density_1000jh:by=establishment:phenotype=eblse:specimen=all,"
    "density_1000jh:by=establishment:phenotype=epc:specimen=all,ddj_1000jh"
)
CONSUMPTION = (
    "ddj_1000jh,ddj_1000jh:by=family,ddj_1000jh:by=molecule,ddj_1000jh:by=period,ddj_1000jh:by=sector,"
    "ddj_1000jh:by=route,antifungal_ddj_1000jh,antifungal_ddj_1000jh:by=family"
)
#: The sections every dashboard has, in the page's order.
SECTIONS = (
    ("consommation", CONSUMPTION),
    ("aware", f"aware_share:by=aware,trend/aware_share:{TREND}"),
    ("évolution", f"trend/ddj_1000jh:{TREND},trend/pct_phenotype:{TREND}:phenotype=sarm,"
                  f"trend/density_1000jh:{TREND}:phenotype=eblse:specimen=all"),
    ("résistance", "pct_r"),
    ("phénotypes", ",".join(f"pct_phenotype:phenotype={p},density_1000jh:phenotype={p}:specimen=all,"
                            f"density_1000jh:phenotype={p}:specimen=blood" for p in PHENOTYPES)),
    ("phénotypes par trimestre", ",".join(f"pct_phenotype:phenotype={p}:by=period,"
                                          f"density_1000jh:phenotype={p}:specimen=all:by=period" for p in PHENOTYPES)),
    ("résistance des levures", "antifungal_r"),
    ("carbapénémases", "carbapenemase"),
    ("résistances combinées", "combined:pair=c3g:by=establishment"),
)  # fmt: skip


def dashboards(finess: str, region: str, regions: list[str]) -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """Each dashboard: its scope, the section holding its first chart, its sections in the page's order."""
    establishment = [
        ("stratégie", "strategy_panel"),
        ("position", "benchmark/ddj_1000jh,benchmark/pct_phenotype:phenotype=sarm,"
                     "benchmark/density_1000jh:phenotype=eblse:specimen=all"),
        *SECTIONS,
        ("par unité", "ddj_1000jh:by=uf"),
    ]  # fmt: skip
    scope_wide = [("stratégie", "strategy_panel"), ("établissements", BY_ESTABLISHMENT), *SECTIONS]
    compared = ",".join(["ddj_1000jh", *(f"ddj_1000jh:scope=region:{r}" for r in regions)])
    return {
        "établissement": (f"establishment:{finess}", "consommation", establishment),
        "région": (f"region:{region}", "établissements", scope_wide),
        "national": ("national", "établissements", [*scope_wide, ("régions comparées", compared)]),
    }


def put_the_lake(world: AwsWorld, lake: Path) -> int:
    """Every object of the generated lake into the emulator's lake bucket, under its own key."""
    bucket = world.settings.buckets["lake"]
    paths = sorted((lake / "closed").rglob("*.parquet"))
    objects = world.adapters.objects

    def put(path: Path) -> None:
        objects.put(bucket, str(path.relative_to(lake)), path.read_bytes(), "application/vnd.apache.parquet")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, paths))
    return len(paths)


def ask(services: Any, caller: Principal, scope: str, sections: list[tuple[str, str]]) -> dict[str, float]:
    """The sections asked as a browser asks them; each section's time from the first request."""
    start = time.perf_counter()

    def section(items: str) -> float:
        answers = answer_batch(services.indicators, caller, scope, str(YEAR), parse_items(items))
        failed = [a for a in answers if not isinstance(a, dict)]
        assert not failed, f"{scope} {items[:60]}: {failed}"
        return time.perf_counter() - start

    with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool:
        done = list(pool.map(section, [items for _, items in sections]))
    return {name: took for (name, _), took in zip(sections, done, strict=True)}


def main() -> None:
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"), ("AWS_REGION", "eu-west-3")):
        os.environ.setdefault(name, value)  # the emulator's: no AWS account is ever reached
    lake = national_scale.LAKE
    national_scale.generate(lake)
    emulator = Emulator()
    emulator.start()
    try:
        with tempfile.TemporaryDirectory(prefix="consores-bench-cache-") as cache:
            created = AwsWorld.create(emulator.url, prefix=f"b{uuid.uuid4().hex[:8]}")
            settings = replace(created.settings, query_cache_dir=cache)  # the engine's copies start empty
            world = replace(created, settings=settings, adapters=real_adapters(settings))
            began = time.perf_counter()
            count = put_the_lake(world, lake)
            print(f"{count} lake objects put into the emulator's bucket in {time.perf_counter() - began:.0f} s", flush=True)
            days = (lake / "closed" / "patient_days" / f"year={YEAR}").glob("region=*/es=*/*.parquet")
            found = sorted({(p.parent.name.removeprefix("es="), p.parent.parent.name.removeprefix("region=")) for p in days})
            for index, (code, region) in enumerate(found):
                world.adapters.tenants.create_establishment(
                    Establishment(Finess(code), f"Établissement {code}", CATEGORIES[index % len(CATEGORIES)], RegionCode(region))
                )
            regions = sorted({r for _, r in found})
            finess, region = next((f, r) for f, r in found[len(found) // 2 :] if luhn_ok(f))
            print(f"{len(found)} establishments in {len(regions)} regions; the establishment {finess}, the region {region}")
            callers = {
                "établissement": Principal(Email("referent@bench.fr"), memberships={Finess(finess): Status.REFERENT}),
                "région": Principal(Email("ars@bench.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode(region))})),
                "national": Principal(Email("nat@bench.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)})),
            }
            services = build_services(settings, world.adapters)  # the API's: kept rows in memory
            boards = dashboards(finess, region, regions)
            print(f"\nsections asked {BROWSER_CONNECTIONS} at a time; first chart / all sections (targets "
                  f"{TARGET_FIRST_S:.0f} s / {TARGET_ALL_S:.0f} s)")  # fmt: skip
            for name in os.environ.get("BENCH_DASHBOARDS", "national,région,établissement").split(","):
                scope, first, sections = boards[name]
                cold = ask(services, callers[name], scope, sections)
                print(f"{name}: asked a first time, now warm", flush=True)
                warm = [ask(services, callers[name], scope, sections) for _ in range(RUNS)]
                first_warm = statistics.median(w[first] for w in warm)
                all_warm = statistics.median(max(w.values()) for w in warm)
                slowest = max(warm[-1], key=lambda s: warm[-1][s])
                verdict = "met" if first_warm < TARGET_FIRST_S and all_warm < TARGET_ALL_S else "NOT met"
                print(
                    f"{name} ({len(sections)} sections): baseline, first asking {cold[first]:.2f} s / "
                    f"{max(cold.values()):.2f} s; "
                    f"warm {first_warm:.2f} s / {all_warm:.2f} s (ratio {all_warm / max(cold.values()):.3f}; "
                    f"slowest section « {slowest} »); targets {verdict}",
                    flush=True,
                )
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
