"""The AlertStore contract, on the in-memory fake and on DynamoDB (against the emulator)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from chalicelib.domain.alerts import Alert, AlertKind, AlertStatus
from tests.fakes.alerts import FakeAlertStore


@pytest.fixture(params=["fake", "dynamodb"])
def alerts(request):
    if request.param == "fake":
        return FakeAlertStore()
    return request.getfixturevalue("aws").adapters.alerts


def an_alert(alert_id="a1", finess="440000990", region="52", at="2026-01-05T10:00:00.000+00:00") -> Alert:
    return Alert(alert_id, finess, region, 2025, AlertKind.EPC, "EPC OXA-48-like", "KLEPNE", "Klebsiella pneumoniae",
                 "URINE", "2025-03-01", "u1", at)  # fmt: skip


def test_an_alert_comes_back_as_written_and_is_written_once(alerts):
    alert = an_alert()
    assert alerts.add(alert) is True
    assert alerts.get("a1") == alert
    assert alerts.add(replace(alert, phenotype="autre")) is False
    assert alerts.get("a1") == alert
    assert alerts.get("absent") is None


def test_of_one_alert_raised_at_once_by_several_retries_one_is_written(alerts):
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda _n: alerts.add(an_alert()), range(4)))
    assert outcomes.count(True) == 1


def test_an_acknowledgement_is_written_only_over_the_version_it_was_made_from_and_never_erased_by_a_re_raise(alerts):
    alert = an_alert()
    alerts.add(alert)
    seen = alert.acknowledged(AlertStatus.SEEN, "Patient <b>isolé</b>", "r@chu.fr", "2026-01-06T10:00:00.000+00:00")
    assert alerts.save(seen) is True
    stale = alert.acknowledged(AlertStatus.HANDLED, None, "c@chu.fr", "2026-01-06T11:00:00.000+00:00")
    assert alerts.save(stale) is False
    assert alerts.add(alert) is False
    assert alerts.get("a1") == seen
    handled = seen.acknowledged(AlertStatus.HANDLED, None, "c@chu.fr", "2026-01-07T10:00:00.000+00:00")
    assert alerts.save(handled) is True
    assert alerts.get("a1") == handled
    assert alerts.get("a1").comment == "Patient <b>isolé</b>"
    assert alerts.save(an_alert("absent").acknowledged(AlertStatus.SEEN, None, "x", "t")) is False


def test_an_alert_e_mail_is_claimed_once(alerts):
    alerts.add(an_alert())
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda n: alerts.claim_mail("a1", f"2026-01-05T10:00:0{n}"), range(4)))
    assert outcomes.count(True) == 1
    assert alerts.claim_mail("a1", "later") is False
    assert alerts.claim_mail("absent", "t") is False


def test_alerts_are_listed_by_establishment_region_and_all_the_last_raised_first(alerts):
    first = an_alert("a1", at="2026-01-05T10:00:00.000+00:00")
    second = an_alert("a2", at="2026-01-06T10:00:00.000+00:00")
    elsewhere = an_alert("a3", finess="750000001", region="11", at="2026-01-07T10:00:00.000+00:00")
    neighbour = an_alert("a4", finess="440000991", at="2026-01-08T10:00:00.000+00:00")
    for alert in (first, second, elsewhere, neighbour):
        alerts.add(alert)
    assert alerts.of_establishment("440000990") == [second, first]
    assert alerts.of_region("52") == [neighbour, second, first]
    assert alerts.of_region("84") == []
    assert alerts.all() == [neighbour, elsewhere, second, first]
