"""A fake platform whose lake is the fixture lake (tests/support/lake_fixture.py):
every establishment's rows as its current drafts, and the ``CLOSED`` partitions
copied under ``closed/`` as closure would."""

from __future__ import annotations

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.services.ports import CurrentDataset
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import lake_fixture

ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
A, B, C = (finess for finess, _ in lake_fixture.ESTABLISHMENTS)
#: Closed: every establishment's 2024; 2025 of B and C only (A's 2025 is a draft).
CLOSED = {(A, 2024), (B, 2024), (C, 2024), (B, 2025), (C, 2025)}
FILE_TYPE = {"consumption": "consumption", "patient_days": "patient_days", "isolates": "resistance", "results": "resistance"}


def lake_world(lake: lake_fixture.Lake) -> FakeWorld:
    world = fake_world()
    for finess, region in lake_fixture.ESTABLISHMENTS:
        world.services.tenants.create_establishment(ADMIN, finess, f"CH {finess}", "CHU", region)
    bucket = world.services.settings.buckets["lake"]
    drafts = lake.keys(world.objects, bucket, "lake")
    lake.keys(world.objects, bucket, "closed", only=CLOSED)
    current: dict[tuple[str, str, str], list[str]] = {}
    for dataset, keys in drafts.items():
        for key in keys:
            year, es = key.split("/")[2].removeprefix("year="), key.split("/")[4].removeprefix("es=")
            current.setdefault((es, FILE_TYPE[dataset], year), []).append(key)
    for (es, file_type, year), keys in current.items():
        world.uploads.replace_current(CurrentDataset(Finess(es), file_type, year, "fixture", tuple(keys), 1), None)
    return world
