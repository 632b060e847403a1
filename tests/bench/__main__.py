"""Run every benchmark: ``python -m tests.bench [name ...]``."""

from __future__ import annotations

import sys

from tests.bench import (
    completeness,
    consumption_import,
    dashboards,
    establishment_report,
    kept_answers,
    national_scale,
    platform_growth,
    report_batch,
    report_concurrency,
    resistance_import,
)

BENCHMARKS = {
    "consumption_import": consumption_import.main,
    "resistance_import": resistance_import.main,
    "report_concurrency": report_concurrency.main,
    "national_scale": national_scale.main,
    "platform_growth": platform_growth.main,
    "establishment_report": establishment_report.main,
    "completeness": completeness.main,
    "report_batch": report_batch.main,
    "kept_answers": kept_answers.main,
    "dashboards": dashboards.main,
}


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
