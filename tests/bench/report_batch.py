"""Issue 17, "Measure": the national batch of reports as the generation workflow's Map state runs it,
over the national-scale lake of ``national_scale`` (1,700 establishments x 5 years, closed partitions,
cached under ``$CONSORES_BENCH_LAKE``), in process: fake stores (every establishment's 2025 closed),
the real indicator service on the real ``DuckDbQueryEngine`` reading the lake's files where they lie,
the real ReportLab printer.

Each Map item is one Lambda invocation making one report; a Lambda container makes item after item
(MaxConcurrency of them at once), its reports' answers remembered (``RememberedAnswers``: the national
rows of the benchmarks are asked once per container and per 10 minutes), and every container finds each
establishment's rows over closed data kept by the first report of the data's version
(``services/indicators/establishment_rows.py``: a new container's first report no longer computes the
nation's rows; an establishment whose data changed has its own computed again). Running all 1,700 reports is
too long for this machine: a **stratified sample** is measured, in one fresh "container" (services
built anew: nothing remembered, a new DuckDB database):

* establishments: the 4 categories x 3 sizes (size: the bytes of its year's files; the smallest, the
  median and the largest of the category's valid FINESS), plus the ``LARGEST`` largest of the nation;
  the first report of the container is the cold one (it asks the national rows), made again at the end
  to measure it warm;
* every regional synthesis (``BENCH_REGIONS`` limits them) and the national synthesis, in that
  container after the establishments' reports (the Map's last items), and the national synthesis alone
  in a new container (a generation asked for that scope only).

**Extrapolation** (printed with the figures): each establishment is counted at its stratum's mean
(category x size tercile, warm); each container pays the cold surcharge (first report minus the same
report warm) once per ``MAX_AGE`` of wall time; the regional syntheses at their measured sum (or mean x
regions when limited); the national once. Wall time = Lambda-seconds / MaxConcurrency. The slowest
report measured is named. Honest limits: this machine is shared (2 cores, loaded); the consolidated
national files stay on disk between runs (a cold Lambda's /tmp would make them again); in the cloud the
queries run on Athena, whose latency this does not measure.
"""

from __future__ import annotations

import bisect
import itertools
import math
import os
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.services.standard_reports.remembered import MAX_AGE

YEAR = 2025
MAX_CONCURRENCY = 8  # the Map state's (infra/statemachines/report_generation.asl.json)
CATEGORIES = ("CHU", "CH", "MCO", "SMR")
#: The nation's largest establishments measured besides the strata's.
LARGEST = 3
#: Regional syntheses measured (0: all of them).
REGIONS = int(os.environ.get("BENCH_REGIONS", "0"))


class LakeFiles:
    """An ObjectStore whose lake bucket is the generated lake's directory (keys: paths under it, listed once:
    the lake does not change while the bench runs; walking 1,700 folders at each listing would cost more
    than S3's two pages of a thousand keys); every other bucket (the exports bucket) in memory."""

    def __init__(self, root: Path, lake_bucket: str, others: Any) -> None:
        self._root, self._lake, self._others = root, lake_bucket, others
        self._keys: list[str] | None = None

    def list_keys(self, bucket: str, prefix: str) -> list[str]:
        if bucket != self._lake:
            return list(self._others.list_keys(bucket, prefix))
        if self._keys is None:
            self._keys = sorted(str(p.relative_to(self._root)) for p in (self._root / "closed").rglob("*.parquet"))
        start = bisect.bisect_left(self._keys, prefix)
        return list(itertools.takewhile(lambda key: key.startswith(prefix), self._keys[start:]))

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        return (self._root / key).read_bytes() if bucket == self._lake else bytes(self._others.get(bucket, key, version_id))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._others, name)


def forget_rows_of(objects: Any, bucket: str, finess: str) -> None:
    """Each kept document without ``finess``'s rows, as after its period closed again with another file."""
    import gzip
    import json

    from chalicelib.adapters.s3_derived_rows import PREFIX

    for key in objects.list_keys(bucket, PREFIX):
        document = json.loads(gzip.decompress(objects.get(bucket, key)))
        document["establishments"].pop(finess, None)
        objects.put(bucket, key, gzip.compress(json.dumps(document).encode()), "application/gzip")


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


def sizes(lake: Path) -> dict[str, int]:
    """Each establishment's size: the bytes of its year's files, every dataset."""
    found: dict[str, int] = {}
    for path in (lake / "closed").glob(f"*/year={YEAR}/region=*/es=*/*.parquet"):
        finess = path.parent.name.removeprefix("es=")
        found[finess] = found.get(finess, 0) + path.stat().st_size
    return found


def terciles(members: list[str], size: dict[str, int]) -> dict[str, int]:
    """Each member's size tercile (0 the smallest third) within its group."""
    ordered = sorted(members, key=lambda f: (size.get(f, 0), f))
    return {finess: min(2, index * 3 // len(ordered)) for index, finess in enumerate(ordered)}


def main() -> None:
    from dataclasses import replace

    from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
    from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
    from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
    from chalicelib.adapters.s3_lake import S3LakeStore
    from chalicelib.bootstrap import build_services
    from chalicelib.domain.codes import Finess, RegionCode
    from chalicelib.domain.indicators import Scope
    from chalicelib.domain.tenants import Establishment
    from tests.bench import national_scale
    from tests.fakes.wiring import fake_world

    began = time.perf_counter()
    lake = national_scale.LAKE
    print(f"lake: {lake} ({national_scale.ESTABLISHMENTS} establishments)", flush=True)
    national_scale.generate(lake)
    world = fake_world()
    bucket = world.services.settings.buckets["lake"]
    objects = LakeFiles(lake, bucket, world.objects)

    def container() -> Any:
        """A Lambda container's services: nothing remembered, a new DuckDB database; the lake store lists the
        generated lake's files (the fake world's own lists its objects in memory: none)."""
        engine = DuckDbQueryEngine(objects, bucket, str(lake))
        store = S3LakeStore(objects, DuckDbLakeReader(objects), DuckDbLakeWriter(), bucket)
        adapters = replace(world.services.adapters, objects=objects, lake=store, query_engine=engine)
        return build_services(world.services.settings, adapters)

    found = sorted({(p.parent.name.removeprefix("es="), p.parent.parent.name.removeprefix("region="))
                    for p in (lake / "closed" / "patient_days" / f"year={YEAR}").glob("region=*/es=*/*.parquet")})  # fmt: skip
    category_of = {}
    for index, (finess, region) in enumerate(found):
        category = CATEGORIES[index % len(CATEGORIES)]
        category_of[finess] = category
        world.tenants.create_establishment(Establishment(Finess(finess), f"Établissement {finess}", category, RegionCode(region)))
        world.periods.start_closing(Finess(finess), str(YEAR), "2026-01-15T00:00:00", "bench")
        world.periods.finish_closing(Finess(finess), str(YEAR), "2026-01-15T00:00:00")
    print(f"{len(found)} establishments, {len({r for _, r in found})} regions, {YEAR} closed for all", flush=True)

    services = container()
    seconds, plan = timed(lambda: services.report_generation.task_plan({"job_id": "bench", "year": YEAR}))
    items = [i["scope"] for i in plan["items"]]
    counts = {kind: sum(1 for s in items if s.startswith(kind)) for kind in ("establishment", "region", "national")}
    print(f"plan: {len(items)} items {counts} in {seconds:.1f} s", flush=True)

    # The strata: category x size tercile; the sample drawn among the FINESS the service accepts (Luhn).
    size = sizes(lake)
    tercile: dict[str, int] = {}
    for category in CATEGORIES:
        tercile.update(terciles([f for f, _ in found if category_of[f] == category], size))
    strata = {(c, t): sum(1 for f, _ in found if (category_of[f], tercile[f]) == (c, t)) for c in CATEGORIES for t in range(3)}
    valid = [f for f, _ in found if luhn_ok(f)]  # the service parses FINESS (Luhn): the generator's codes mostly fail it
    sample: list[str] = []
    for category in CATEGORIES:
        members = sorted((f for f in valid if category_of[f] == category), key=lambda f: (size.get(f, 0), f))
        sample += [members[0], members[len(members) // 2], members[-1]]
    largest = [f for f in sorted(valid, key=lambda f: -size.get(f, 0)) if f not in sample][:LARGEST]
    sample += largest

    when = datetime(2026, 2, 1, tzinfo=UTC)
    printer = services.syntheses.printer

    def establishment(finess: str) -> tuple[float, float, int]:
        asked, document = timed(lambda: services.standard_reports.content(Finess(finess), YEAR, 1, when))
        printed_in, printed = timed(lambda: printer.print(document))
        return asked, printed_in, printed.pages

    def synthesis(scope: str) -> tuple[float, float, int]:
        asked, document = timed(lambda: services.syntheses.content(Scope.parse(scope), YEAR, 1, when))
        printed_in, printed = timed(lambda: printer.print(document))
        return asked, printed_in, printed.pages

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    measured: dict[str, float] = {}
    for index, finess in enumerate(sample):
        asked, printed_in, pages = establishment(finess)
        measured[finess] = asked + printed_in
        kind = "cold, first of the container" if index == 0 else "largest" if finess in largest else "warm"
        print(f"establishment {finess} ({category_of[finess]}, tercile {tercile[finess] + 1}, "
              f"{size.get(finess, 0) / 1024:.0f} KiB): content {asked:.1f} s, print {printed_in:.1f} s, "
              f"{pages} pages [{kind}]", flush=True)  # fmt: skip
    asked, printed_in, _ = establishment(sample[0])
    first_of_all = measured[sample[0]] - (asked + printed_in)
    measured[sample[0]] = asked + printed_in
    print(f"establishment {sample[0]} again (warm): {asked + printed_in:.1f} s; the first report of the data's "
          f"version paid {first_of_all:.1f} s more (every establishment's rows computed, then kept)", flush=True)  # fmt: skip
    # Every other container starts with nothing remembered but finds the establishments' rows kept.
    services = container()
    asked, printed_in, _ = establishment(sample[1])
    cold_surcharge = max(0.0, asked + printed_in - measured[sample[1]])
    print(f"establishment {sample[1]} in a new container (the rows kept): {asked + printed_in:.1f} s "
          f"[cold, first of the container]; cold surcharge {cold_surcharge:.1f} s", flush=True)  # fmt: skip
    # Its period closed again (a new version of its data): only its own rows are computed again.
    forget_rows_of(world.objects, bucket, sample[2])
    services = container()
    asked, printed_in, _ = establishment(sample[2])
    print(f"establishment {sample[2]} in a new container after its own data changed (its rows computed again, the "
          f"others kept): {asked + printed_in:.1f} s", flush=True)  # fmt: skip
    rss_establishments = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    regions = sorted({r for _, r in found})
    chosen = regions[:REGIONS] if REGIONS else regions
    regional: dict[str, float] = {}
    for code in chosen:
        asked, printed_in, pages = synthesis(f"region:{code}")
        regional[code] = asked + printed_in
        print(f"regional synthesis {code}: content {asked:.1f} s, print {printed_in:.1f} s, {pages} pages", flush=True)
    asked, printed_in, pages = synthesis("national")
    national = asked + printed_in
    print(f"national synthesis: content {asked:.1f} s, print {printed_in:.1f} s, total {national:.1f} s, {pages} pages",
          flush=True)  # fmt: skip
    services = container()  # the national synthesis asked alone (POST .../generate with scope=national): nothing remembered
    asked, printed_in, pages = synthesis("national")
    national_alone = asked + printed_in
    print(f"national synthesis in a container of its own: content {asked:.1f} s, print {printed_in:.1f} s, "
          f"total {national_alone:.1f} s", flush=True)  # fmt: skip

    by_stratum: dict[tuple[str, int], list[float]] = {}
    for finess, took in measured.items():
        by_stratum.setdefault((category_of[finess], tercile[finess]), []).append(took)
    per_stratum = {key: statistics.mean(values) for key, values in by_stratum.items()}
    for key in strata:  # a stratum the sample missed (its median FINESS fell in another tercile): its category's mean
        if key not in per_stratum:
            per_stratum[key] = statistics.mean(t for (category, _), t in per_stratum.items() if category == key[0])
    establishments_s = sum(count * per_stratum[key] for key, count in strata.items() if count)
    regions_s = sum(regional.values()) if len(chosen) == len(regions) else statistics.mean(regional.values()) * counts["region"]
    warm_total = establishments_s + regions_s + national * counts["national"]
    wall = warm_total / MAX_CONCURRENCY
    refreshes = MAX_CONCURRENCY * max(1, math.ceil(wall / MAX_AGE))
    total = warm_total + refreshes * cold_surcharge + first_of_all
    slowest_scope, slowest = max([("national, alone", national_alone), *((f"region:{c}", t) for c, t in regional.items()),
                                  *((f"establishment:{f}", t) for f, t in measured.items())], key=lambda x: x[1])  # fmt: skip
    print("\nstrata (category, size tercile): establishments x mean measured s")
    for key, count in strata.items():
        print(f"  {key[0]:>3} t{key[1] + 1}: {count:4d} x {per_stratum[key]:.2f} s")
    print(
        f"estimated batch (extrapolated from the stratified sample, not run whole): establishments {establishments_s:.0f} s "
        f"(each at its stratum's mean, warm) + {counts['region']} regional syntheses {regions_s:.0f} s "
        f"({'all measured' if len(chosen) == len(regions) else 'mean x regions'}) + national {national:.0f} s "
        f"+ {refreshes} cold starts x {cold_surcharge:.1f} s (MaxConcurrency {MAX_CONCURRENCY} containers, the "
        f"national rows asked again every {MAX_AGE / 60:.0f} min) + once {first_of_all:.0f} s (every establishment's "
        f"rows computed for the first time) = {total:.0f} Lambda-seconds ({total / 3600:.2f} h); "
        f"wall time at MaxConcurrency {MAX_CONCURRENCY}: about {total / MAX_CONCURRENCY / 60:.0f} min",
        flush=True,
    )
    print(f"slowest report measured: {slowest:.1f} s ({slowest_scope})", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss_establishments:.0f} MiB after the establishment reports (before them: "
          f"{rss_before:.0f} MiB), {rss:.0f} MiB after the syntheses; bench {time.perf_counter() - began:.0f} s",
          flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
