"""The MethodSettings contract, on the in-memory fake and on DynamoDB (against the emulator)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.domain.errors import Conflict
from chalicelib.domain.resistance.dedup import PeriodScope
from chalicelib.domain.resistance.dedup_setting import INITIAL, DedupSetting, next_version
from tests.fakes.methods import FakeMethodSettings


@pytest.fixture(params=["fake", "dynamodb"])
def methods(request):
    if request.param == "fake":
        return FakeMethodSettings()
    return request.getfixturevalue("aws").adapters.methods


def a_change(version: int, period: PeriodScope, by: str = "nat@sante.fr") -> DedupSetting:
    return DedupSetting(version, period, by, f"2026-12-0{version}T10:00:00+00:00", f"motif {version}")


def test_no_version_is_stored_until_the_national_team_changes_the_setting(methods):
    assert methods.dedup_versions() == []


def test_versions_come_back_oldest_first_with_who_when_and_why(methods):
    methods.add_dedup_version(a_change(2, PeriodScope.IMPORT_PERIOD))
    methods.add_dedup_version(a_change(3, PeriodScope.YEAR, "autre@sante.fr"))
    assert methods.dedup_versions() == [a_change(2, PeriodScope.IMPORT_PERIOD), a_change(3, PeriodScope.YEAR, "autre@sante.fr")]


def test_a_version_is_never_written_twice(methods):
    methods.add_dedup_version(a_change(2, PeriodScope.IMPORT_PERIOD))
    with pytest.raises(Conflict):
        methods.add_dedup_version(a_change(2, PeriodScope.IMPORT_PERIOD, "autre@sante.fr"))
    assert [s.set_by for s in methods.dedup_versions()] == ["nat@sante.fr"]


def test_of_two_national_users_changing_the_setting_at_once_one_is_refused(methods):
    wanted = next_version(INITIAL, "periode-import", "comparaison", "a@sante.fr", "2026-12-07T10:00:00+00:00")

    def change(by):
        try:
            methods.add_dedup_version(DedupSetting(wanted.version, wanted.period, by, wanted.set_at, wanted.reason))
            return True
        except Conflict:
            return False

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(change, ["a@sante.fr", "b@sante.fr", "c@sante.fr", "d@sante.fr"]))
    assert outcomes.count(True) == 1
    assert len(methods.dedup_versions()) == 1
