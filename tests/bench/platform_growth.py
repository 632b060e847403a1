"""Issue "Nothing lost…": memory and state of ``python -m infra.local`` (what ``make run``
starts) stay proportional to the data, not to the time it has run. ``BENCH_IMPORTS``
imports of the same structure and patient-days files, each replacing the previous one;
the process's resident memory (VmRSS) and its data directory are measured after each
batch. Baseline: the same figures after the first batch, in the same run.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import time
from pathlib import Path

import requests

from tests.flows.test_crash import CHU, a_referent, api
from tests.flows.test_run_command import free_port, start
from tests.support import files

IMPORTS = int(os.environ.get("BENCH_IMPORTS", "60"))
BATCH = 10


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def one_import(base: str, token: str, kind: str, period: str, content: bytes) -> None:
    wanted = {"type": kind, "period": period, "filename": f"{kind}.csv", "size": len(content)}
    asked = api(base, "POST", f"/establishments/{CHU}/uploads", token, wanted).json()
    requests.post(asked["post"]["url"], data=asked["post"]["fields"], files={"file": (f"{kind}.csv", content)}, timeout=60)
    deadline = time.monotonic() + 120
    path = f"/establishments/{CHU}/uploads/{asked['upload_id']}"
    while api(base, "GET", path, token).json()["status"] in ("PENDING", "PROCESSING"):
        if time.monotonic() > deadline:
            raise RuntimeError("import did not finish")
        time.sleep(0.05)


def main() -> None:
    os.environ["CONSORES_DEMO"] = "0"
    with tempfile.TemporaryDirectory() as work:
        data, port = Path(work) / "data", free_port()
        base = f"http://127.0.0.1:{port}"
        process, _ = start(data, port)
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        try:
            token = a_referent(base)
            structure = files.csv(files.STRUCTURE)
            days = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
            points: list[tuple[int, float, float]] = []
            for n in range(1, IMPORTS + 1):
                if n % 2:
                    one_import(base, token, "structure", "2025", structure)
                else:
                    one_import(base, token, "patient_days", "2025-T1", days)
                if n % BATCH == 0:
                    time.sleep(1.5)  # the state saver's group commit
                    points.append((n, rss_mb(process.pid), size_mb(data)))
                    _, rss, disk = points[-1]
                    print(f"after {n:4d} imports: RSS {rss:7.1f} MB, data directory {disk:7.2f} MB", flush=True)
        finally:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    (n0, rss0, disk0), (n1, rss1, disk1) = points[0], points[-1]
    per = max(n1 - n0, 1)
    print(
        f"growth per import after the first {n0} (baseline): RSS {(rss1 - rss0) / per * 1000:+.0f} kB, "
        f"data directory {(disk1 - disk0) / per * 1000:+.1f} kB; RSS ratio {rss1 / rss0:.2f}×, data ratio {disk1 / disk0:.2f}×"
    )


if __name__ == "__main__":
    main()
