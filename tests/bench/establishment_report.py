"""Issue "The standard report": time and peak memory of one establishment's report, in process
(fake stores, the DuckDB query engine over the fixture lake of tests/support, three more
establishments of the category so that benchmarks are shown). The content (every answer asked of
the indicator service) and the printing (ReportLab) are timed apart; the peak is the process's
resident set (DuckDB's memory included), and Python's own allocations (tracemalloc).

Each timed run makes the report in a world of its own (its engine's DuckDB database new, nothing of the
report remembered), as a Lambda's first report would, after one report made elsewhere (imports, the
fonts, the query files read and transpiled: what a Lambda's init pays once). Then the same report again
in the same world: its answers are remembered (``RememberedAnswers``), what a retried item costs.
Targets (issue #17): < 3 s and < 512 MB for one report.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from datetime import UTC, datetime

RUNS = 3


def main() -> None:
    from chalicelib.adapters.pdf_report import PdfReportPrinter
    from chalicelib.domain.codes import Finess
    from tests.support import lake_fixture
    from tests.support.lake_world import A
    from tests.support.report_world import report_world

    lake = lake_fixture.build()
    printer = PdfReportPrinter()
    when = datetime(2025, 3, 1, tzinfo=UTC)
    printer.print(report_world(lake).services.standard_reports.content(Finess(A), 2024, 1, when))  # warm: imports, fonts
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def one(world: object, label: str) -> float:
        start = time.perf_counter()
        document = world.services.standard_reports.content(Finess(A), 2024, 1, when)  # type: ignore[attr-defined]
        asked = time.perf_counter()
        printed = printer.print(document)
        done = time.perf_counter()
        print(
            f"{label}: content {asked - start:.2f} s, print {done - asked:.2f} s, total {done - start:.2f} s; "
            f"{printed.pages} pages, {len(printed.content) / 1024:.0f} KiB",
            flush=True,
        )
        return done - start

    totals = []
    for run in range(RUNS):  # timed without tracing (tracemalloc slows Python several times)
        world = report_world(lake)
        totals.append(one(world, f"run {run + 1} (a world of its own)"))
    one(world, "the same report again (answers remembered)")
    print(f"one report: best {min(totals):.2f} s, worst {max(totals):.2f} s (target < 3 s)")
    world = report_world(lake)
    tracemalloc.start()
    printer.print(world.services.standard_reports.content(Finess(A), 2024, 1, when))
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"Python allocations peak (one report, traced): {python_peak / 2**20:.0f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {rss:.0f} MiB (after warm-up: {rss_before:.0f} MiB; target < 512 MB)")


if __name__ == "__main__":
    main()
