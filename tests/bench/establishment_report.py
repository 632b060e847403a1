"""Issue "The standard report": time and peak memory of one establishment's report, in process
(fake stores, the DuckDB query engine over the fixture lake of tests/support, three more
establishments of the category so that benchmarks are shown). The content (every answer asked of
the indicator service) and the printing (ReportLab) are timed apart; the peak is the process's
resident set (DuckDB's memory included), and Python's own allocations (tracemalloc).
Targets (issue #17): < 3 s and < 512 MB for one report.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from datetime import UTC, datetime


def main() -> None:
    from chalicelib.adapters.pdf_report import PdfReportPrinter
    from chalicelib.domain.codes import Finess
    from tests.support import lake_fixture
    from tests.support.lake_world import A
    from tests.support.report_world import report_world

    world = report_world(lake_fixture.build())
    printer = PdfReportPrinter()
    when = datetime(2025, 3, 1, tzinfo=UTC)
    world.services.standard_reports.content(Finess(A), 2024, 1, when)  # warm: DuckDB views, query cache, fonts
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for run in range(3):  # timed without tracing (tracemalloc slows Python several times)
        start = time.perf_counter()
        document = world.services.standard_reports.content(Finess(A), 2024, 1, when)
        asked = time.perf_counter()
        printed = printer.print(document)
        done = time.perf_counter()
        print(
            f"run {run + 1}: content {asked - start:.2f} s, print {done - asked:.2f} s, total {done - start:.2f} s; "
            f"{printed.pages} pages, {len(printed.content) / 1024:.0f} KiB",
            flush=True,
        )
    tracemalloc.start()
    printer.print(world.services.standard_reports.content(Finess(A), 2024, 1, when))
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"Python allocations peak (one report, traced): {python_peak / 2**20:.0f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {rss:.0f} MiB (after warm-up: {rss_before:.0f} MiB)")


if __name__ == "__main__":
    main()
