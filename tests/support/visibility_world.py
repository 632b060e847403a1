"""A world for who-sees-what tests: the fixture lake (tests/support/lake_fixture.py) with every
establishment's 2024 closed, B's and C's 2025 closed, and A's 2025 a draft — or, for comparison,
the same world in which A never imported its 2025."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chalicelib.domain.access import Membership, Profile, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.structure import Unit
from chalicelib.services.ports import CurrentDataset, QueryEngine, TableSource
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import lake_fixture
from tests.support.lake_fixture import Lake

(A, REGION_A), (NEIGHBOUR, _), (FAR, REGION_FAR) = lake_fixture.ESTABLISHMENTS
CLOSED_YEAR, DRAFT_YEAR = 2024, 2025
#: Closed partitions: everyone's 2024, and 2025 of every establishment but A.
CLOSED = {(A, 2024), (NEIGHBOUR, 2024), (FAR, 2024), (NEIGHBOUR, 2025), (FAR, 2025)}
_FILE_TYPE = {"consumption": "consumption", "patient_days": "patient_days", "isolates": "resistance", "results": "resistance"}
_SYSTEM = Principal(Email("system@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))

#: Every kind of caller, by name: an establishment's status, or a profile (None: no token at all).
CALLERS: dict[str, tuple[Finess, Status] | Profile | None] = {
    "anonymous": None,
    "referent_of_A": (Finess(A), Status.REFERENT),
    "contributeur_of_A": (Finess(A), Status.CONTRIBUTEUR),
    "observateur_of_A": (Finess(A), Status.OBSERVATEUR),
    "referent_of_another_region": (Finess(FAR), Status.REFERENT),
    "regional_of_A": Profile(ProfileType.REGIONAL, RegionCode(REGION_A)),
    "regional_of_another_region": Profile(ProfileType.REGIONAL, RegionCode(REGION_FAR)),
    "national": Profile(ProfileType.NATIONAL),
    "admin": Profile(ProfileType.ADMIN),
}
MEMBERS_OF_A = ("referent_of_A", "contributeur_of_A", "observateur_of_A")


def email_of(caller: str) -> Email:
    return Email(f"{caller.replace('_', '.').lower()}@consores.test")


def build(lake: Lake, with_draft: bool = True, memo: MemoEngine | None = None) -> FakeWorld:
    """The world; ``with_draft=False``: A never imported its 2025 (what an outsider must see either way)."""
    world = fake_world(memo.wrap if memo else None)
    for finess, region in lake_fixture.ESTABLISHMENTS:
        world.services.tenants.create_establishment(_SYSTEM, finess, f"CH {finess}", "CHU", region)
    bucket = world.services.settings.buckets["lake"]
    drafts = lake.keys(world.objects, bucket, "lake")
    lake.keys(world.objects, bucket, "closed", only=CLOSED)
    current: dict[tuple[str, str, str], list[str]] = {}
    for dataset, keys in drafts.items():
        for key in keys:
            year, es = key.split("/")[2].removeprefix("year="), key.split("/")[4].removeprefix("es=")
            if not with_draft and (es, int(year)) == (A, DRAFT_YEAR):
                continue
            current.setdefault((es, _FILE_TYPE[dataset], year), []).append(key)
    for (es, file_type, year), found in current.items():
        world.uploads.replace_current(CurrentDataset(Finess(es), file_type, year, "fixture", tuple(found), 1), None)
    for code, (sector, specialty) in lake_fixture.UFS.items():
        service, pole = ("S1", "P1") if code in ("0412", "0413") else ("S2", "P1") if code != "2001" else ("S3", "P2")
        world.units.put_unit(Finess(A), Unit(code, f"UF {code}", "08" if code.startswith("8") else "03", "38", sector,
                                             code_service=service, libelle_service=f"Service {service}", code_pole=pole,
                                             libelle_pole=f"Pôle {pole}", specialty=specialty))  # fmt: skip
    for caller, role in CALLERS.items():
        if isinstance(role, Profile):
            world.services.profiles.grant_system(email_of(caller), role)
        elif role is not None:
            world.access.put_membership(Membership(role[0], email_of(caller), role[1], "2024-01-01T00:00:00"))
    return world


class MemoEngine:
    """The same query over the same objects answers the same rows: worlds built from one lake share
    their answers (their objects under one key are the same bytes), so a matrix of thousands of
    requests runs each distinct query once. The rules under test all run per request."""

    def __init__(self) -> None:
        self._answers: dict[tuple[Any, ...], list[dict[str, Any]]] = {}

    def wrap(self, inner: QueryEngine) -> QueryEngine:
        memo = self

        class Memoised:
            def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
                key = (query, tuple(parameters), tuple(sorted((name, source.keys) for name, source in tables.items())))
                if key not in memo._answers:
                    memo._answers[key] = inner.run(query, parameters, tables)
                return [dict(row) for row in memo._answers[key]]

        return Memoised()
