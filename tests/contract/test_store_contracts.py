"""One contract per storage port, run on the in-memory fake and on the real
DynamoDB adapter (against the emulator): both must behave the same."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.access import AccessRequest, Membership, Profile, ProfileType, RequestState, Status
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.tenants import Establishment, Laboratory
from chalicelib.services.ports import StoredCode
from tests.fakes.stores import FakeAccessStore, FakeAttemptCounters, FakeAuditLog, FakeCodeStore, FakeTenantStore

CHU = Finess("440000990")
CH = Finess("490000999")
BZH = Finess("350000998")
CLAIRE, HUGO = Email("claire@chu.fr"), Email("hugo@chu.fr")


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request):
    if request.param == "fake":
        return {"tenants": FakeTenantStore(), "access": FakeAccessStore(), "audit": FakeAuditLog(), "codes": FakeCodeStore(),
                "counters": FakeAttemptCounters()}  # fmt: skip
    world = request.getfixturevalue("aws")
    a = world.adapters
    return {"tenants": a.tenants, "access": a.access, "audit": a.audit_log, "codes": a.codes, "counters": a.counters}


def es(finess, region="52", name="Établissement"):
    return Establishment(finess, name, "CH", RegionCode(region))


def test_an_establishment_is_created_once(ports):
    store = ports["tenants"]
    store.create_establishment(es(CHU))
    with pytest.raises(Conflict):
        store.create_establishment(es(CHU))
    assert store.get_establishment(CHU) == es(CHU)


def test_replacing_an_absent_establishment_is_not_found(ports):
    with pytest.raises(NotFound):
        ports["tenants"].replace_establishment(es(CHU))


def test_establishments_are_listed_by_region_in_finess_order(ports):
    store = ports["tenants"]
    for finess, region in ((CH, "52"), (BZH, "53"), (CHU, "52")):
        store.create_establishment(es(finess, region))
    assert [e.finess for e in store.list_establishments(RegionCode("52"))] == [CHU, CH]
    assert len(store.list_establishments()) == 3


def test_laboratory_links_survive_a_round_trip(ports):
    store = ports["tenants"]
    store.create_laboratory(Laboratory("lab1", "Labo", "FR-1"))
    store.create_establishment(es(CHU))
    store.replace_establishment(Establishment(CHU, "Établissement", "CH", RegionCode("52"), frozenset({"lab1"})))
    assert store.get_establishment(CHU).laboratories == frozenset({"lab1"})
    assert store.list_laboratories() == [Laboratory("lab1", "Labo", "FR-1")]


def test_only_one_first_referent_wins(ports):
    access = ports["access"]
    access.add_first_referent(Membership(CHU, CLAIRE, Status.REFERENT, "t"))
    with pytest.raises(Conflict):
        access.add_first_referent(Membership(CHU, HUGO, Status.REFERENT, "t"))
    assert access.referent_of(CHU) == CLAIRE
    assert [m.email for m in access.list_members(CHU)] == [CLAIRE]


def test_hand_over_swaps_statuses_atomically(ports):
    access = ports["access"]
    access.add_first_referent(Membership(CHU, CLAIRE, Status.REFERENT, "t"))
    access.put_membership(Membership(CHU, HUGO, Status.OBSERVATEUR, "t"))
    access.hand_over_referent(CHU, CLAIRE, HUGO, "t2")
    assert access.referent_of(CHU) == HUGO
    assert {m.email: m.status for m in access.list_members(CHU)} == {CLAIRE: Status.CONTRIBUTEUR, HUGO: Status.REFERENT}
    with pytest.raises(Conflict):
        access.hand_over_referent(CHU, CLAIRE, HUGO, "t3")  # Claire is no longer référent


def test_a_request_is_accepted_only_while_pending(ports):
    access = ports["access"]
    pending = AccessRequest("r1", CHU, HUGO, RequestState.PENDING, "2026-01-01T00:00:00")
    access.put_request(pending)
    accepted = AccessRequest("r1", CHU, HUGO, RequestState.ACCEPTED, "2026-01-01T00:00:00", CLAIRE, "t", Status.CONTRIBUTEUR)
    access.accept_request(accepted, Membership(CHU, HUGO, Status.CONTRIBUTEUR, "t"))
    with pytest.raises(Conflict):
        access.accept_request(accepted, Membership(CHU, HUGO, Status.CONTRIBUTEUR, "t"))
    assert access.get_request(CHU, "r1") == accepted
    assert [m.finess for m in access.memberships_of(HUGO)] == [CHU]
    assert access.list_requests(CHU, RequestState.PENDING) == []
    assert access.requests_of(HUGO) == [accepted]


def test_profiles_are_granted_and_revoked(ports):
    access = ports["access"]
    access.put_profile(CLAIRE, Profile(ProfileType.REGIONAL, RegionCode("52")))
    access.put_profile(CLAIRE, Profile(ProfileType.NATIONAL))
    assert sorted(p.type.value for p in access.profiles_of(CLAIRE)) == ["national", "regional"]
    assert access.delete_profile(CLAIRE, ProfileType.NATIONAL) is True
    assert access.delete_profile(CLAIRE, ProfileType.NATIONAL) is False
    assert access.profiles_of(CLAIRE) == [Profile(ProfileType.REGIONAL, RegionCode("52"))]
    access.put_profile(HUGO, Profile(ProfileType.ADMIN))
    assert access.list_profiles() == [
        (CLAIRE, Profile(ProfileType.REGIONAL, RegionCode("52"))),
        (HUGO, Profile(ProfileType.ADMIN)),
    ]


def test_the_audit_log_returns_entries_since_a_date_in_order(ports):
    log = ports["audit"]
    now = datetime.now(UTC)
    for i, at in enumerate((now - timedelta(days=40), now - timedelta(minutes=2), now - timedelta(minutes=1))):
        log.record(AuditEntry(at.isoformat(timespec="milliseconds"), "a@b.fr", f"act{i}", "t", {"x": 1.5}, None, f"e{i}"))
    recent = log.since(now - timedelta(days=1))
    assert [e.action for e in recent] == ["act1", "act2"]
    assert recent[0].before == {"x": 1.5} and recent[0].after is None


def test_codes_count_attempts_and_are_purged_when_expired(ports):
    codes = ports["codes"]
    now = datetime.now(UTC)
    codes.put(StoredCode(CLAIRE, "confirm", "h", now + timedelta(hours=1), 0))
    codes.put(StoredCode(HUGO, "reset", "h", now - timedelta(minutes=1), 0))
    codes.count_attempt(CLAIRE, "confirm")
    assert codes.get(CLAIRE, "confirm").attempts == 1
    assert codes.purge_expired(now) == 1
    assert codes.get(HUGO, "reset") is None
    codes.delete(CLAIRE, "confirm")
    assert codes.get(CLAIRE, "confirm") is None


def test_attempts_are_counted_over_a_window_that_starts_with_the_first_and_then_ends(ports):
    counters, now = ports["counters"], datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert counters.attempts("claire@chu.fr", "login_failures", now) == 0
    assert [counters.count("claire@chu.fr", "login_failures", now, timedelta(minutes=15)) for _ in range(3)] == [1, 2, 3]
    later = now + timedelta(minutes=14)
    assert counters.count("claire@chu.fr", "login_failures", later, timedelta(minutes=15)) == 4  # never extended
    assert counters.attempts("claire@chu.fr", "login_failures", now + timedelta(minutes=15)) == 0
    assert counters.count("claire@chu.fr", "login_failures", now + timedelta(minutes=15), timedelta(minutes=15)) == 1
    assert counters.attempts("client:203.0.113.7", "login_failures", now) == 0  # one counter per key and name
    counters.clear("claire@chu.fr", "login_failures")
    assert counters.attempts("claire@chu.fr", "login_failures", now + timedelta(minutes=15)) == 0


def test_concurrent_attempts_are_all_counted_the_first_ones_included(ports):
    counters, now = ports["counters"], datetime(2026, 3, 1, 12, tzinfo=UTC)
    with ThreadPoolExecutor(max_workers=12) as pool:
        counts = list(pool.map(lambda _: counters.count("client:203.0.113.7", "x", now, timedelta(minutes=15)), range(24)))
    assert sorted(counts) == list(range(1, 25))
    assert counters.attempts("client:203.0.113.7", "x", now) == 24


class _RacedTable:
    """The codes table, where another request starts the window just before this one's first write."""

    def __init__(self, table, rival):
        self._table, self._rival, self.meta = table, rival, table.meta

    def put_item(self, **kwargs):
        if self._rival is not None:
            rival, self._rival = self._rival, None
            rival()
        return self._table.put_item(**kwargs)

    def __getattr__(self, name):
        return getattr(self._table, name)


def test_a_window_started_by_another_request_in_between_keeps_both_attempts(aws):
    from chalicelib.adapters.dynamo_codes import DynamoAttemptCounters

    table, now, window = aws.adapters.counters._table, datetime(2026, 3, 1, 12, tzinfo=UTC), timedelta(minutes=15)
    rival = DynamoAttemptCounters(table)
    raced = DynamoAttemptCounters(_RacedTable(table, lambda: rival.count("claire@chu.fr", "x", now, window)))
    assert raced.count("claire@chu.fr", "x", now, window) == 2  # its first write lost the race: it counts in that window
    assert rival.attempts("claire@chu.fr", "x", now) == 2


def test_a_refused_condition_is_recognised_even_when_another_thread_rebuilt_the_clients_error_classes(aws):
    """botocore builds ``client.exceptions`` lazily and without a lock: two threads may each get a set of
    classes, and the error raised is then not an instance of the class the other one holds."""
    from chalicelib.adapters.dynamo_codes import DynamoAttemptCounters

    table, now = aws.adapters.counters._table, datetime(2026, 3, 1, 12, tzinfo=UTC)
    client = table.meta.client

    def rebuilt_meanwhile(**_):
        client._exceptions_factory._client_exceptions_cache.clear()
        client._exceptions = None

    client.meta.events.register("before-call.dynamodb.UpdateItem", rebuilt_meanwhile)
    try:
        assert DynamoAttemptCounters(table).count("claire@chu.fr", "x", now, timedelta(minutes=15)) == 1
    finally:
        client.meta.events.unregister("before-call.dynamodb.UpdateItem", rebuilt_meanwhile)
