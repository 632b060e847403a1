"""A world for who-sees-what tests: the fixture lake (tests/support/lake_fixture.py) with every
establishment's 2024 closed, B's and C's 2025 closed, and A's 2025 a draft — or, for comparison,
the same world in which A never imported its 2025."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chalicelib.domain.access import Membership, Profile, ProfileType, Status
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.services.ports import QueryEngine, TableSource
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import lake_fixture
from tests.support.lake_fixture import Lake
from tests.support.lake_world import CLOSED, lake_world, with_structure_of_a

(A, REGION_A), (NEIGHBOUR, _), (FAR, REGION_FAR) = lake_fixture.ESTABLISHMENTS
CLOSED_YEAR, DRAFT_YEAR = 2024, 2025
#: Closed partitions: everyone's 2024, and 2025 of every establishment but A (the fixture lake's world).
assert {(A, 2024), (NEIGHBOUR, 2024), (FAR, 2024), (NEIGHBOUR, 2025), (FAR, 2025)} == CLOSED

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
    imported = (lambda es, year: True) if with_draft else (lambda es, year: (es, year) != (A, DRAFT_YEAR))
    world = with_structure_of_a(lake_world(lake, fake_world(memo.wrap if memo else None), imported))
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
