"""A world for the standard report: the fixture lake (tests/support/lake_world.py) and three more
establishments of A's category that closed a copy of the fixture's 2024, so that A's 2024 is placed
among 5 other establishments where they have a value (overall) and not where fewer do (some sectors)."""

from __future__ import annotations

from chalicelib.domain.codes import Finess
from tests.fakes.wiring import FakeWorld
from tests.support import lake_fixture
from tests.support.closed_area import copy_into_closed
from tests.support.lake_world import ADMIN, A, B, C, lake_world

COPIES = {"440000008": A, "490000007": B, "750000010": C}


def report_world(lake: lake_fixture.Lake) -> FakeWorld:
    world = lake_world(lake)
    bucket = world.services.settings.buckets["lake"]
    regions = dict(lake_fixture.ESTABLISHMENTS)
    for copy, source in COPIES.items():
        finess = Finess.parse(copy).value
        world.services.tenants.create_establishment(ADMIN, finess, f"CH {finess}", "CHU", regions[source])
        for key in world.objects.list_keys(bucket, "closed/"):
            if "/year=2024/" in key and f"/es={source}/" in key:
                copy_into_closed(world.objects, bucket, key, key.replace(f"es={source}", f"es={finess}"))
    return world
