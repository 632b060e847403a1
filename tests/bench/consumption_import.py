"""Issue "Imports I": a large university hospital's consumption year as one
XLSX (60 UF x 250 UCD x 4 dispensing lines = 60,000 rows), imported end to end
(read, validate, resolve, DDD, Parquet, report) against python-calamine alone
reading the same file into Python rows. Targets: time ratio <= 2, peak < 1 GB.

Each measure runs in a fresh child process so that its peak memory (max RSS)
is its own; times are the median of three runs.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

UFS, UCDS, LINES = 60, 250, 4
RUNS = 3


def build_file(path: Path) -> None:
    from openpyxl import Workbook

    from chalicelib.domain.drugs import demo_catalogue

    products = list(demo_catalogue().entries)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Données")
    sheet.append(["code_uf", "code_ucd", "libelle", "quantite", "periode"])
    for uf in range(UFS):
        for u in range(UCDS):
            product = products[u % len(products)]
            for line in range(LINES):
                sheet.append([f"{1000 + uf:04d}", _ucd(u), product.label[:40], str(10 + (uf * 7 + u * 3 + line) % 400), "2025"])
    book.save(path)


def _ucd(index: int) -> str:
    return f"{1_000_000 + index:07d}"


def catalogue_entries():
    from chalicelib.domain.drugs import Ucd, demo_catalogue

    products = list(demo_catalogue().entries)
    return [replace(products[u % len(products)], ucd=Ucd.parse(_ucd(u))) for u in range(UCDS)]


def run_baseline(path: str) -> float:
    from python_calamine import CalamineWorkbook

    CalamineWorkbook.from_filelike(io.BytesIO(Path(path).read_bytes())).get_sheet_by_index(0).to_python()  # warm-up
    start = time.perf_counter()
    with open(path, "rb") as handle:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(handle.read())).get_sheet_by_index(0).to_python()
    elapsed = time.perf_counter() - start
    assert len(rows) == UFS * UCDS * LINES + 1
    return elapsed


def run_import(path: str) -> float:
    """The upload service's own processing, with in-memory stores and the real
    reader, validators, DDD, DuckDB Parquet writer and report."""
    from datetime import UTC, datetime

    from chalicelib.domain.access import ProfileType
    from chalicelib.domain.authorization import Principal
    from chalicelib.domain.codes import Email, Finess
    from chalicelib.domain.imports import UploadStatus
    from chalicelib.domain.structure import Unit
    from tests.fakes.wiring import fake_world

    world = fake_world()
    services = world.services
    admin = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    services.tenants.create_establishment(admin, "440000990", "CHU", "CHU", "52")
    finess = Finess("440000990")
    world.units.replace_units(finess, [Unit.create(f"{1000 + uf:04d}", "UF", "03", "38") for uf in range(UFS)])
    world.catalogue.put_many(catalogue_entries(), "demo", datetime.now(UTC))
    world.access.put_membership(
        __import__("chalicelib.domain.access", fromlist=["Membership"]).Membership(
            finess, Email("r@chu.fr"), __import__("chalicelib.domain.access", fromlist=["Status"]).Status.REFERENT, "t"
        )
    )
    referent = Principal(
        Email("r@chu.fr"), memberships={finess: __import__("chalicelib.domain.access", fromlist=["Status"]).Status.REFERENT}
    )
    data = Path(path).read_bytes()
    # Warm-up (a Lambda container imports once and serves many files): the same file once, unmeasured.
    warm, _, _ = services.uploads.create(referent, "440000990", "consumption", "2025", "conso.xlsx", len(data), None)
    world.objects.put(services.settings.buckets["raw"], warm.raw_key, data, "application/octet-stream")
    services.uploads.process_object(services.settings.buckets["raw"], warm.raw_key, "v0")
    upload, _, _ = services.uploads.create(referent, "440000990", "consumption", "2025", "conso.xlsx", len(data), None)
    world.objects.put(services.settings.buckets["raw"], upload.raw_key, data, "application/octet-stream")
    start = time.perf_counter()
    status = services.uploads.process_object(services.settings.buckets["raw"], upload.raw_key, "v1")
    elapsed = time.perf_counter() - start
    report = json.loads(world.objects.get(services.settings.buckets["lake"], f"reports/{finess}/{upload.upload_id}.json"))
    assert status is UploadStatus.VALIDATED, report["errors"][:3]
    assert report["rows_read"] == UFS * UCDS * LINES
    assert Decimal(str(report["summary"]["ddd_total"])) > 0
    return elapsed


def child(kind: str, path: str) -> None:
    import resource

    elapsed = run_baseline(path) if kind == "baseline" else run_import(path)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024}))


def measure(kind: str, path: Path) -> dict[str, float]:
    root = Path(__file__).resolve().parents[2]
    runs = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-m", "tests.bench.consumption_import", kind, str(path)],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "conso-2025.xlsx"
        build_file(path)
        size_mb = path.stat().st_size / 1_048_576
        baseline = measure("baseline", path)
        imported = measure("import", path)
    ratio = imported["seconds"] / baseline["seconds"]
    print(f"file: {UFS * UCDS * LINES:,} rows, {size_mb:.1f} MB XLSX")
    print(f"calamine read alone : {baseline['seconds']:.3f} s   peak {baseline['peak_mb']:.0f} MB")
    print(f"end-to-end import   : {imported['seconds']:.3f} s   peak {imported['peak_mb']:.0f} MB")
    print(f"ratio import/read   : {ratio:.2f}  (target <= 2.00)   peak < 1024 MB: {imported['peak_mb'] < 1024}")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(sys.argv[1], sys.argv[2])
    else:
        main()
