"""Issue 17, "Measure": the national batch of reports as the generation workflow's Map state runs it,
over the national-scale lake of ``national_scale`` (1,700 establishments x 5 years, closed partitions,
cached under ``$CONSORES_BENCH_LAKE``), in process: fake stores (every establishment's 2025 closed),
the real indicator service on the real ``DuckDbQueryEngine`` reading the lake's files where they lie,
the real ReportLab printer.

Each Map item is one Lambda invocation making one report. Measured: the plan (its items), one national
synthesis (time, peak RSS, Python's allocation peak), a sample of regional syntheses and of
establishment reports (time each). The batch's Lambda-seconds are **extrapolated** from those
samples: mean establishment report x establishments + mean regional synthesis x regions + the
national one; the wall time at the Map's MaxConcurrency divides that. Honest limits: this machine is
shared (2 cores, loaded), the in-process DuckDB cache is warm after the first report (a Lambda's /tmp is
cold at each cold start), and in the cloud the queries run on Athena, whose latency this does not
measure. ``BENCH_SAMPLE`` sets the establishments sampled (default 6).
"""

from __future__ import annotations

import os
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SAMPLE = int(os.environ.get("BENCH_SAMPLE", "6"))
REGIONS_SAMPLED = 3
YEAR = 2025
MAX_CONCURRENCY = 8  # the Map state's (infra/statemachines/report_generation.asl.json)


class LakeFiles:
    """An ObjectStore whose lake bucket is the generated lake's directory (keys: paths under it); every
    other bucket (the exports bucket where reports are kept) in memory."""

    def __init__(self, root: Path, lake_bucket: str, others: Any) -> None:
        self._root, self._lake, self._others = root, lake_bucket, others

    def list_keys(self, bucket: str, prefix: str) -> list[str]:
        if bucket != self._lake:
            return list(self._others.list_keys(bucket, prefix))
        base = self._root / prefix
        folder = base if prefix.endswith("/") else base.parent
        if not folder.exists():
            return []
        keys = (str(p.relative_to(self._root)) for p in folder.rglob("*.parquet"))
        return sorted(k for k in keys if k.startswith(prefix))

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        return (self._root / key).read_bytes() if bucket == self._lake else bytes(self._others.get(bucket, key, version_id))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._others, name)


def luhn_ok(text: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(text)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    from dataclasses import replace

    from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
    from chalicelib.bootstrap import build_services
    from chalicelib.domain.codes import Finess, RegionCode
    from chalicelib.domain.indicators import Scope
    from chalicelib.domain.tenants import Establishment
    from tests.bench import national_scale
    from tests.fakes.wiring import fake_world

    lake = national_scale.LAKE
    print(f"lake: {lake} ({national_scale.ESTABLISHMENTS} establishments)", flush=True)
    national_scale.generate(lake)
    world = fake_world()
    bucket = world.services.settings.buckets["lake"]
    objects = LakeFiles(lake, bucket, world.objects)
    adapters = replace(world.services.adapters, objects=objects, query_engine=DuckDbQueryEngine(objects, bucket, str(lake)))
    services = build_services(world.services.settings, adapters)
    found = sorted({(p.parent.name.removeprefix("es="), p.parent.parent.name.removeprefix("region="))
                    for p in (lake / "closed" / "patient_days" / f"year={YEAR}").glob("region=*/es=*/*.parquet")})  # fmt: skip
    for index, (finess, region) in enumerate(found):
        category = ("CHU", "CH", "MCO", "SMR")[index % 4]
        world.tenants.create_establishment(Establishment(Finess(finess), f"Établissement {finess}", category, RegionCode(region)))
        world.periods.start_closing(Finess(finess), str(YEAR), "2026-01-15T00:00:00", "bench")
        world.periods.finish_closing(Finess(finess), str(YEAR), "2026-01-15T00:00:00")
    print(f"{len(found)} establishments, {len({r for _, r in found})} regions, {YEAR} closed for all", flush=True)

    generation = services.report_generation
    seconds, plan = timed(lambda: generation.task_plan({"job_id": "bench", "year": YEAR}))
    items = [i["scope"] for i in plan["items"]]
    counts = {kind: sum(1 for s in items if s.startswith(kind)) for kind in ("establishment", "region", "national")}
    print(f"plan: {len(items)} items {counts} in {seconds:.1f} s", flush=True)

    when = datetime(2026, 2, 1, tzinfo=UTC)
    printer = services.syntheses.printer

    def synthesis(scope: str) -> tuple[float, float, int]:
        asked, document = timed(lambda: services.syntheses.content(Scope.parse(scope), YEAR, 1, when))
        printed_in, printed = timed(lambda: printer.print(document))
        return asked, printed_in, printed.pages

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    asked, printed_in, pages = synthesis("national")
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    national = asked + printed_in
    print(f"national synthesis (first, traced): content {asked:.1f} s, print {printed_in:.1f} s, {pages} pages; "
          f"Python peak {python_peak / 2**20:.0f} MiB; process peak RSS {rss:.0f} MiB (before: {rss_before:.0f} MiB)",
          flush=True)  # fmt: skip
    asked, printed_in, pages = synthesis("national")
    national = asked + printed_in
    print(f"national synthesis (again): content {asked:.1f} s, print {printed_in:.1f} s, total {national:.1f} s", flush=True)

    regional = []
    for code in sorted({r for _, r in found})[:REGIONS_SAMPLED]:
        asked, printed_in, pages = synthesis(f"region:{code}")
        regional.append(asked + printed_in)
        print(f"regional synthesis {code}: content {asked:.1f} s, print {printed_in:.1f} s, {pages} pages", flush=True)

    valid = [f for f, _ in found if luhn_ok(f)]  # the service parses FINESS (Luhn): the generator's codes mostly fail it
    sample = valid[:: max(1, len(valid) // SAMPLE)][:SAMPLE]
    establishment = []
    for finess in sample:
        asked, document = timed(lambda finess=finess: services.standard_reports.content(Finess(finess), YEAR, 1, when))
        printed_in, printed = timed(lambda document=document: printer.print(document))
        establishment.append(asked + printed_in)
        print(f"establishment {finess}: content {asked:.1f} s, print {printed_in:.1f} s, {printed.pages} pages", flush=True)

    per_es, per_region = statistics.mean(establishment), statistics.mean(regional)
    total = per_es * counts["establishment"] + per_region * counts["region"] + national * counts["national"]
    slowest = max([national, *regional, *establishment])
    print(f"\nestimated batch (extrapolated from the samples above, not run whole): {counts['establishment']} x {per_es:.1f} s "
          f"+ {counts['region']} x {per_region:.1f} s + {national:.1f} s = {total:.0f} Lambda-seconds "
          f"({total / 3600:.1f} h); wall time at MaxConcurrency {MAX_CONCURRENCY}: about {total / MAX_CONCURRENCY / 60:.0f} min; "
          f"slowest report measured: {slowest:.1f} s (the national synthesis)" , flush=True)  # fmt: skip
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
