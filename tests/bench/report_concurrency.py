"""Issue "Nothing lost, nothing half-written": while the largest annotated report of the
embedded runtime is prepared and downloaded (a refused beds file of ``BENCH_REPORT_ROWS``
rows, each with an error), how long does ``GET /api/health`` take, and how long does the
report route itself take (it answers 202 while the file is written in the background, then
303 to it)? Baseline: the same health calls with nothing else running, in the same run.
Targets: health p95 < 1 s meanwhile; every answer of the route well within API Gateway's 29 s.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROWS = int(os.environ.get("BENCH_REPORT_ROWS", "50000"))
ADMIN = ("admin@consores.fr", "Admin-ConsoRes-2026")


def _health_times(base: str, until: threading.Event | None, count: int = 40) -> list[float]:
    times: list[float] = []
    while (until is None and len(times) < count) or (until is not None and not until.is_set()):
        start = time.perf_counter()
        assert requests.get(f"{base}/api/health", timeout=120).status_code == 200
        times.append(time.perf_counter() - start)
        time.sleep(0.05)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    from tests.flows.conftest import Http, start_platform
    from tests.flows.test_imports_one import CHU, referent, upload
    from tests.support import files

    with tempfile.TemporaryDirectory() as work:
        platform = start_platform(Path(work) / "data")
        try:
            http = Http(platform.url)
            token = referent(http)
            rows = [["code_uf", "annee", "lits"], *[[f"9{n:05d}", "2025", "x"] for n in range(ROWS)]]
            rejected = upload(http, token, "beds", "2025", "lits.csv", files.csv(rows))
            quiet = _health_times(platform.url, None)
            done = threading.Event()
            report: dict[str, Any] = {}

            def download() -> None:
                try:
                    fetch()
                finally:
                    done.set()

            def fetch() -> None:
                route = f"{platform.url}/api/establishments/{CHU}/uploads/{rejected['upload_id']}/report.xlsx"
                start = time.perf_counter()
                while True:  # as a script would: ask, wait Retry-After while prepared, follow the 303
                    asked = time.perf_counter()
                    answer = requests.get(route, headers={"Authorization": f"Bearer {token}"}, timeout=60, allow_redirects=False)
                    report.setdefault("route", []).append(time.perf_counter() - asked)
                    if answer.status_code != 202:
                        break
                    time.sleep(float(answer.headers.get("Retry-After", "1")))
                assert answer.status_code == 303, answer.status_code
                report["ready"] = time.perf_counter() - start
                content = requests.get(answer.headers["Location"], timeout=600).content
                report["seconds"], report["bytes"] = time.perf_counter() - start, len(content)

            worker = threading.Thread(target=download)
            worker.start()
            busy = _health_times(platform.url, done)
            worker.join()
        finally:
            platform.stop(save=False)
    print(
        f"report.xlsx of {ROWS:,} rows in error: ready after {report['ready']:.1f} s, downloaded after "
        f"{report['seconds']:.1f} s, {report['bytes'] / 1e6:.1f} MB"
    )
    route = report["route"]
    print(
        f"the route itself        : {len(route)} answers, median {statistics.median(route) * 1000:.0f} ms, "
        f"max {max(route) * 1000:.0f} ms"
    )
    print(f"/api/health alone       : median {statistics.median(quiet) * 1000:.0f} ms, p95 {p95(quiet) * 1000:.0f} ms")
    print(
        f"/api/health meanwhile   : median {statistics.median(busy) * 1000:.0f} ms, p95 {p95(busy) * 1000:.0f} ms "
        f"({len(busy)} calls; target p95 < 1000 ms: {p95(busy) < 1.0})"
    )


if __name__ == "__main__":
    main()
