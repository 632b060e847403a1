"""A fake platform whose lake is the fixture lake (tests/support/lake_fixture.py):
every establishment's rows as its current drafts, and the ``CLOSED`` partitions
copied under ``closed/`` as closure would."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.structure import Unit
from chalicelib.services.ports import CurrentDataset
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import lake_fixture

ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
A, B, C = (finess for finess, _ in lake_fixture.ESTABLISHMENTS)
#: Closed: every establishment's 2024; 2025 of B and C only (A's 2025 is a draft).
CLOSED = {(A, 2024), (B, 2024), (C, 2024), (B, 2025), (C, 2025)}
FILE_TYPE = {"consumption": "consumption", "patient_days": "patient_days", "isolates": "resistance", "results": "resistance"}


def lake_world(
    lake: lake_fixture.Lake, world: FakeWorld | None = None, imported: Callable[[str, int], bool] = lambda es, year: True
) -> FakeWorld:
    """``world`` (a fresh fake one by default) given the fixture's establishments and lake;
    ``imported(es, year)`` False: that establishment never imported that year's drafts."""
    world = world or fake_world()
    for finess, region in lake_fixture.ESTABLISHMENTS:
        world.services.tenants.create_establishment(ADMIN, finess, f"CH {finess}", "CHU", region)
    bucket = world.services.settings.buckets["lake"]
    drafts = lake.keys(world.objects, bucket, "lake")
    lake.keys(world.objects, bucket, "closed", only=CLOSED)
    current: dict[tuple[str, str, str], list[str]] = {}
    for dataset, keys in drafts.items():
        for key in keys:
            year, es = key.split("/")[2].removeprefix("year="), key.split("/")[4].removeprefix("es=")
            if imported(es, int(year)):
                current.setdefault((es, FILE_TYPE[dataset], year), []).append(key)
    for (es, file_type, year), keys in current.items():
        world.uploads.replace_current(CurrentDataset(Finess(es), file_type, year, "fixture", tuple(keys), 1), None)
    return world


def with_structure_of_a(world: FakeWorld) -> FakeWorld:
    """A's units (the fixture's UFs), in services and poles."""
    for code, (sector, specialty) in lake_fixture.UFS.items():
        service, pole = ("S1", "P1") if code in ("0412", "0413") else ("S2", "P1") if code != "2001" else ("S3", "P2")
        world.units.put_unit(Finess(A), Unit(code, f"UF {code}", "08" if code.startswith("8") else "03", "38", sector,
                                             code_service=service, libelle_service=f"Service {service}", code_pole=pole,
                                             libelle_pole=f"Pôle {pole}", specialty=specialty))  # fmt: skip
    return world
