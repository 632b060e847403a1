"""Issue "Imports II": a university hospital's year of antibiograms, 150,000
isolates x 25 antibiotics as XLSX with about 30 % repeats, from the S3 event to
DEDUPLICATED (on_upload, then the workflow's tasks in order), against
python-calamine alone reading the file. Targets: ratio <= 2, peak < 1.5 GB.
``BENCH_ISOLATES=1000000`` measures the million-isolate case (stage by stage,
each stage being one Lambda invocation: 15 min and 10 GB at most each).

``BENCH_STAGES=1`` (the default from 500,000 isolates) also runs every stage in
a process of its own, as Lambda does, the stores' state carried between them by
pickle, and reports each stage's time and peak memory (which includes the
in-memory object store: the raw file and the work objects).
``BENCH_FORMAT=csv`` builds the file as CSV (``;``) instead of XLSX.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ISOLATES = int(os.environ.get("BENCH_ISOLATES", "150000"))
ANTIBIOTICS = 25
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
FORMAT = os.environ.get("BENCH_FORMAT", "xlsx")
STAGES_APART = os.environ.get("BENCH_STAGES", "1" if ISOLATES >= 500_000 else "0") == "1"
UFS = [f"{n:04d}" for n in range(1000, 1040)]
TASKS = ("pseudonymise", "deduplicate", "publish_results", "phenotypes", "prepare_isolates", "publish", "finish")
#: The workflow's Parallel state: its branches run at once (one Lambda invocation each), then the rest in order.
BRANCHES = (("pseudonymise", "deduplicate"), ("publish_results",), ("phenotypes", "prepare_isolates"))
AFTER = ("publish", "finish")
#: The fake stores whose state a stage hands to the next (the rest is rebuilt by fake_world()).
STORES = ("tenants", "access", "audit", "uploads", "units", "periods", "settings", "objects", "mappings")
#: What a store's state never carries: its locks (not picklable; the next stage's store has its own).
LOCKS = (type(threading.Lock()), type(threading.RLock()))


def store_state(store: Any) -> dict[str, Any]:
    """A fake store's attributes to hand to the next stage (by pickle): all but its locks, whatever their names."""
    return {name: value for name, value in vars(store).items() if not isinstance(value, LOCKS)}


def build_file(path: Path) -> None:
    from infra.local.demo_antibiograms import antibiogram_rows

    rows = antibiogram_rows(UFS, 2025, 440000990, ISOLATES, ANTIBIOTICS)
    if FORMAT == "csv":
        from tests.support import files

        path.write_bytes(files.csv([list[object](row) for row in rows]))
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Données")
    for row in rows:
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


def a_world() -> tuple[Any, Any, str]:
    """The in-memory stores and real services, an establishment, its laboratory and confirmed mappings."""
    from tests.support.laboratory import a_world_with_a_laboratory

    return a_world_with_a_laboratory("440000990", UFS)


def start_upload(world: Any, referent: Any, lab: str, path: str) -> Any:
    """A PENDING upload whose file is in the raw bucket (the S3 event comes next)."""
    services = world.services
    data = Path(path).read_bytes()
    name = f"a.{FORMAT}"
    upload, _, _ = services.uploads.create(referent, "440000990", "resistance", "2025", name, len(data), lab)
    world.objects.put(services.settings.buckets["raw"], upload.raw_key, data, "application/octet-stream")
    return upload


def kept_share(world: Any, upload_id: str) -> float:
    report = json.loads(world.objects.get(world.services.settings.buckets["lake"], f"reports/440000990/{upload_id}.json"))
    return float(report["summary"]["isolates_kept"]) / ISOLATES


def run_import(path: str) -> dict[str, float]:
    """The real services with in-memory stores; the workflow's tasks run in order, timed one by one."""
    from chalicelib.domain.codes import Finess
    from chalicelib.domain.imports import UploadStatus

    world, referent, lab = a_world()
    services = world.services
    timings: dict[str, float] = {}
    workflow = services.deduplication

    def run_workflow(given: dict[str, Any]) -> None:
        from chalicelib.services.deduplication_messages import Step
        from tests.support.workflow import parallel_output

        outputs = []
        for branch in BRANCHES:  # one after the other here; the critical path counts the longer one
            state = Step.model_validate(given)
            for name in branch:
                start = time.perf_counter()
                state = getattr(workflow, name)(state)
                timings[name] = time.perf_counter() - start
            outputs.append(state)
        payload = Step.model_validate(parallel_output(outputs))
        for name in AFTER:
            start = time.perf_counter()
            payload = getattr(workflow, name)(payload)
            timings[name] = time.perf_counter() - start

    world.workflows.runner = run_workflow
    upload = start_upload(world, referent, lab, path)
    start = time.perf_counter()
    services.uploads.process_object(services.settings.buckets["raw"], upload.raw_key, "v1")
    total = time.perf_counter() - start
    timings["on_upload"] = total - sum(timings.values())
    timings["sum"] = total
    # The S3 event -> DEDUPLICATED as the deployed workflow runs it: the longer branch of the Parallel state.
    longest = max(sum(timings[name] for name in branch) for branch in BRANCHES)
    timings["total"] = timings["on_upload"] + longest + sum(timings[name] for name in AFTER)
    final = world.uploads.get(Finess("440000990"), upload.upload_id)
    assert final is not None and final.status is UploadStatus.DEDUPLICATED, final
    timings["kept_share"] = kept_share(world, upload.upload_id)
    return timings


def run_stage(stage: str, path: str, state: str) -> dict[str, float]:
    """One stage in this process, as one Lambda invocation: on_upload (the S3 event, up to the workflow's
    start), or one task; the stores' state comes from the previous stage and goes to the next."""
    from chalicelib.domain.codes import Finess
    from chalicelib.domain.imports import UploadStatus

    world, referent, lab = a_world()
    services = world.services
    saved = Path(state)
    if stage == "on_upload":
        started: dict[str, Any] = {}
        world.workflows.runner = lambda payload: started.update(payload)
        upload = start_upload(world, referent, lab, path)
        start = time.perf_counter()
        status = services.uploads.process_object(services.settings.buckets["raw"], upload.raw_key, "v1")
        elapsed = time.perf_counter() - start
        assert status is UploadStatus.VALIDATED and started, status
        payload = {"start": started}
    else:
        stores, payload = pickle.loads(saved.read_bytes())
        for name in STORES:
            getattr(world, name).__dict__.update(stores[name])
        from chalicelib.handlers.workflow import DEDUPLICATION_TASKS
        from chalicelib.services.deduplication_messages import Step
        from tests.support.workflow import parallel_output

        given = payload["start"] if stage in {branch[0] for branch in BRANCHES} else payload["last"]
        if stage == AFTER[0]:
            given = parallel_output([Step.model_validate(payload[branch[-1]]) for branch in BRANCHES])
        message = DEDUPLICATION_TASKS[stage].model_validate(given)
        start = time.perf_counter()
        output = getattr(services.deduplication, stage)(message).to_wire()
        elapsed = time.perf_counter() - start
        payload = {**payload, stage: output, "last": output}
    found = {"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if stage == "finish":
        final = world.uploads.get(Finess(payload["start"]["finess"]), payload["start"]["upload_id"])
        assert final is not None and final.status is UploadStatus.DEDUPLICATED, final
        found["kept_share"] = kept_share(world, payload["start"]["upload_id"])
    state_of = {name: store_state(getattr(world, name)) for name in STORES}
    saved.write_bytes(pickle.dumps((state_of, payload)))
    return found


def child(kind: str, path: str, state: str | None = None) -> None:
    if kind == "baseline":
        found = run_baseline(path)
    elif kind == "import":
        found = run_import(path)
    else:
        assert state is not None
        found = run_stage(kind, path, state)
    found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(found))


def _run_child(*arguments: str) -> dict[str, float]:
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.resistance_import", *arguments],
        cwd=root, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(kind: str, path: Path) -> dict[str, float]:
    runs = [_run_child(kind, str(path)) for _ in range(RUNS)]
    merged = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    merged["peak_mb"] = max(r["peak_mb"] for r in runs)
    return merged


def measure_stages(path: Path, work: str) -> dict[str, dict[str, float]]:
    """Each stage in a process of its own, in order (one run)."""
    state = os.path.join(work, "state.pickle")
    return {stage: _run_child(stage, str(path), state) for stage in ("on_upload", *TASKS)}


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / f"antibiogrammes.{FORMAT}"
        start = time.perf_counter()
        build_file(path)
        built = time.perf_counter() - start
        size = path.stat().st_size / 1_048_576
        baseline = measure("baseline", path)
        imported = measure("import", path) if RUNS else {}
        stages = measure_stages(path, work) if STAGES_APART else {}
    print(f"file: {ISOLATES:,} isolates x {ANTIBIOTICS} antibiotics, {size:.1f} MB {FORMAT.upper()} (built in {built:.0f} s)")
    print(f"calamine read alone : {baseline['total']:.2f} s   peak {baseline['peak_mb']:.0f} MB")
    if imported:
        print(f"S3 event -> DEDUPLICATED: {imported['total']:.2f} s   peak {imported['peak_mb']:.0f} MB   "
              f"(kept {imported['kept_share']:.0%} of isolates; critical path: the longer branch of the Parallel state; "
              f"all stages one after the other {imported['sum']:.2f} s)")  # fmt: skip
        for stage in ("on_upload", *TASKS):
            print(f"   {stage:<15} {imported[stage]:.2f} s")
        print(f"ratio import/read   : {imported['total'] / baseline['total']:.2f}  (target <= 2.00)   "
              f"peak < 1536 MB: {imported['peak_mb'] < 1536}")  # fmt: skip
    if stages:
        print("each stage in its own process (one Lambda invocation each: <= 900 s, <= 10240 MB):")
        for stage, found in stages.items():
            fits = found["seconds"] <= 900 and found["peak_mb"] <= 10240
            print(f"   {stage:<15} {found['seconds']:7.2f} s   peak {found['peak_mb']:6.0f} MB   fits: {fits}")


if __name__ == "__main__":
    if len(sys.argv) in (3, 4):
        child(*sys.argv[1:])
    else:
        main()
