"""Completeness at national scale (DOMAIN.md §10.9): ``GET /api/completeness?scope=national`` over
``BENCH_ESTABLISHMENTS`` establishments (1,700 by default) on the emulator's DynamoDB, each with a
quarterly year partly sent and partly closed. Baseline: one region's table (an eighteenth of them), in the
same run. Reported: wall time and the cost per establishment. The year is read in bulk (a parallel
scan of four tables, ``adapters/dynamo_year_records.py``) whatever the scope: a region's table costs
the scans too, so the ratio says how the work grows with the number of establishments shown.
"""

from __future__ import annotations

import os
import time
import uuid

from chalicelib import reference
from chalicelib.adapters.aws import AwsClients
from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, _luhn_ok
from chalicelib.domain.tenants import Establishment
from infra.local.emulator import Emulator
from tests.support.aws import AwsWorld

ESTABLISHMENTS = int(os.environ.get("BENCH_ESTABLISHMENTS", "1700"))
NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
QUARTERS = ("2025-T1", "2025-T2", "2025-T3", "2025-T4")


def finess(n: int) -> Finess:
    """The n-th FINESS: eight digits, then the check digit that makes it valid."""
    base = f"{10_000_000 + n:08d}"
    return next(Finess(base + d) for d in "0123456789" if _luhn_ok(base + d))


def seed(world: AwsWorld) -> None:
    """Establishments spread over the 18 regions; each sent its structure and three quarters, and closed
    two. The establishments through their store; the pointers and period states written in batches, as
    their stores write them (item for item), to seed a national lake in minutes."""
    regions = sorted(reference.regions())
    aws = AwsClients(world.settings)
    datasets, periods = aws.table("datasets"), aws.table("periods")
    with datasets.batch_writer() as pointers, periods.batch_writer() as states:
        for n in range(ESTABLISHMENTS):
            code = finess(n).value
            world.adapters.tenants.create_establishment(
                Establishment.create(code, f"Établissement {n}", "CH", regions[n % len(regions)])
            )
            sent = [("structure", "2025")] + [(k, q) for q in QUARTERS[:3] for k in ("patient_days", "consumption")]
            for kind, period in sent:
                pointers.put_item(
                    Item={"finess": code, "dataset": f"{kind}#{period}", "file_type": kind, "period": period,
                          "upload_id": f"{kind}{n}{period}", "lake_keys": [], "version": 1, "sent_at": "2026-01-01"}
                )  # fmt: skip
            for quarter in QUARTERS[:2]:
                states.put_item(
                    Item={"finess": code, "period": quarter, "status": "closed", "changed_at": "2026-01-01T00:00:01",
                          "changed_by": "bench"}
                )  # fmt: skip


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"), ("AWS_REGION", "eu-west-3")):
        os.environ.setdefault(name, value)  # the emulator's: no AWS account is ever reached
    emulator = Emulator()
    emulator.start()
    try:
        world = AwsWorld.create(emulator.url, prefix=f"b{uuid.uuid4().hex[:8]}")
        seeding, _ = timed(lambda: seed(world))
        print(f"seeded {ESTABLISHMENTS} establishments in {seeding:.1f} s")
        service = world.services.completeness
        region, regional_rows = timed(lambda: service.table(NATIONAL, f"region:{sorted(reference.regions())[0]}", "2025"))
        nation, national_rows = timed(lambda: service.table(NATIONAL, "national", "2025"))
        assert isinstance(regional_rows, list) and isinstance(national_rows, list)
        assert len(national_rows) == ESTABLISHMENTS
        per_region = region / len(regional_rows) * 1000
        per_nation = nation / len(national_rows) * 1000
        print(f"baseline: one region, {len(regional_rows)} establishments: {region:.2f} s ({per_region:.2f} ms each)")
        print(f"national, {len(national_rows)} establishments: {nation:.2f} s ({per_nation:.2f} ms each)")
        scale = len(national_rows) / len(regional_rows)
        print(f"ratio national / region: {nation / region:.1f} for {scale:.1f} times the establishments")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
