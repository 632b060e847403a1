"""Issue "Imports II": a university hospital's year of antibiograms, 150,000
isolates x 25 antibiotics as XLSX with about 30 % repeats, from the S3 event to
DEDUPLICATED (on_upload, then the workflow's tasks in order), against
python-calamine alone reading the file. Targets: ratio <= 2, peak < 1.5 GB.
``BENCH_ISOLATES=1000000`` measures the million-isolate case (stage by stage,
each stage being one Lambda invocation: 15 min and 10 GB at most each).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ISOLATES = int(os.environ.get("BENCH_ISOLATES", "150000"))
ANTIBIOTICS = 25
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
UFS = [f"{n:04d}" for n in range(1000, 1040)]


def build_file(path: Path) -> None:
    from openpyxl import Workbook

    from infra.local.demo_antibiograms import antibiogram_rows

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Données")
    for row in antibiogram_rows(UFS, 2025, 440000990, ISOLATES, ANTIBIOTICS):
        sheet.append(row)
    book.save(path)


def run_baseline(path: str) -> dict[str, float]:
    import io

    from python_calamine import CalamineWorkbook

    data = Path(path).read_bytes()
    start = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    elapsed = time.perf_counter() - start
    assert len(rows) == ISOLATES + 1
    return {"total": elapsed}


def run_import(path: str) -> dict[str, float]:
    """The real services with in-memory stores; the workflow's tasks run in order, timed one by one."""
    from chalicelib.domain.access import Membership, ProfileType, Status
    from chalicelib.domain.authorization import Principal
    from chalicelib.domain.codes import Email, Finess
    from chalicelib.domain.imports import UploadStatus
    from chalicelib.domain.resistance.model import MappingKind
    from chalicelib.domain.structure import Unit
    from infra.local.demo_antibiograms import ANTIBIOTICS as LABELS
    from infra.local.demo_antibiograms import EXTRA, SPECIES, SPECIMENS
    from tests.fakes.wiring import fake_world

    world = fake_world()
    services = world.services
    admin = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    services.tenants.create_establishment(admin, "440000990", "CHU", "CHU", "52")
    finess = Finess("440000990")
    lab = services.tenants.create_laboratory(admin, "Labo", None).lab_id
    services.tenants.link_laboratory(admin, "440000990", lab)
    world.units.replace_units(finess, [Unit.create(code, "UF", "03", "38") for code in UFS])
    world.access.put_membership(Membership(finess, Email("r@chu.fr"), Status.REFERENT, "t"))
    referent = Principal(Email("r@chu.fr"), memberships={finess: Status.REFERENT})
    for kind, labels in (
        (MappingKind.SPECIES, sorted({s[0] for s in SPECIES})),
        (MappingKind.SPECIMEN, [s[0] for s in SPECIMENS]),
        (MappingKind.ANTIBIOTIC, [label for label, _ in LABELS + EXTRA]),
    ):
        services.mappings.resolve(lab, kind, labels)
        services.mappings.confirm_all_proposals(referent, lab, kind.value)
    timings: dict[str, float] = {}
    workflow = services.deduplication

    def run_workflow(payload: dict) -> None:
        for name in ("pseudonymise", "deduplicate", "phenotypes", "publish", "finish"):
            start = time.perf_counter()
            payload = getattr(workflow, name)(payload)
            timings[name] = time.perf_counter() - start

    world.workflows.runner = run_workflow
    data = Path(path).read_bytes()
    upload, _, _ = services.uploads.create(referent, "440000990", "resistance", "2025", "a.xlsx", len(data), lab)
    world.objects.put(services.settings.buckets["raw"], upload.raw_key, data, "application/octet-stream")
    start = time.perf_counter()
    services.uploads.process_object(services.settings.buckets["raw"], upload.raw_key, "v1")
    total = time.perf_counter() - start
    timings["on_upload"] = total - sum(timings.values())
    timings["total"] = total
    final = world.uploads.get(finess, upload.upload_id)
    assert final is not None and final.status is UploadStatus.DEDUPLICATED, final
    report = json.loads(world.objects.get(services.settings.buckets["lake"], f"reports/{finess}/{upload.upload_id}.json"))
    timings["kept_share"] = report["summary"]["isolates_kept"] / ISOLATES
    return timings


def child(kind: str, path: str) -> None:
    found = run_baseline(path) if kind == "baseline" else run_import(path)
    found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(found))


def measure(kind: str, path: Path) -> dict[str, float]:
    root = Path(__file__).resolve().parents[2]
    runs = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-m", "tests.bench.resistance_import", kind, str(path)],
            cwd=root, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(root)},
        )  # fmt: skip
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    merged = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    merged["peak_mb"] = max(r["peak_mb"] for r in runs)
    return merged


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "antibiogrammes.xlsx"
        build_file(path)
        size = path.stat().st_size / 1_048_576
        baseline = measure("baseline", path)
        imported = measure("import", path)
    print(f"file: {ISOLATES:,} isolates x {ANTIBIOTICS} antibiotics, {size:.1f} MB XLSX")
    print(f"calamine read alone : {baseline['total']:.2f} s   peak {baseline['peak_mb']:.0f} MB")
    print(f"S3 event -> DEDUPLICATED: {imported['total']:.2f} s   peak {imported['peak_mb']:.0f} MB   "
          f"(kept {imported['kept_share']:.0%} of isolates)")  # fmt: skip
    for stage in ("on_upload", "pseudonymise", "deduplicate", "phenotypes", "publish", "finish"):
        print(f"   {stage:<13} {imported[stage]:.2f} s")
    print(f"ratio import/read   : {imported['total'] / baseline['total']:.2f}  (target <= 2.00)   "
          f"peak < 1536 MB: {imported['peak_mb'] < 1536}")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(sys.argv[1], sys.argv[2])
    else:
        main()
