"""A period's data go only when the référent removes them, with a reason, audited (DOMAIN.md §10.2)."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Membership, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Conflict, Forbidden
from tests.unit.test_uploads_racing import CHU, REFERENT, a_world, process, send


def imported_world():
    world = a_world()
    upload_id = send(world, "jh.csv", "2000")
    process(world, upload_id)
    current = world.uploads.current(CHU, "patient_days", "2025-T1")
    assert current is not None
    return world, current


def test_the_referent_removes_a_periods_data_with_a_reason_and_it_is_audited():
    world, current = imported_world()
    world.services.datasets.remove(REFERENT, CHU.value, "patient_days", "2025-T1", "Fichier du mauvais établissement")
    assert world.uploads.current(CHU, "patient_days", "2025-T1") is None
    lake = world.services.settings.buckets["lake"]
    assert not [key for bucket, key in world.objects.objects if bucket == lake and key in current.lake_keys]
    [entry] = [e for e in world.audit.entries if e.action == "dataset.removed"]
    assert entry.after == {"reason": "Fichier du mauvais établissement"} and entry.actor == "r@chu.fr"
    assert world.services.datasets.remove(REFERENT, CHU.value, "patient_days", "2025-T1", "encore") is False  # idempotent


def test_a_contributor_cannot_remove_data_and_a_closed_period_keeps_them():
    world, _ = imported_world()
    world.access.put_membership(Membership(CHU, Email("c@chu.fr"), Status.CONTRIBUTEUR, "t"))
    contributor = Principal(Email("c@chu.fr"), memberships={CHU: Status.CONTRIBUTEUR})
    with pytest.raises(Forbidden):
        world.services.datasets.remove(contributor, CHU.value, "patient_days", "2025-T1", "motif")
    world.periods.closed.add((CHU, "2025-T1"))
    with pytest.raises(Conflict, match="clôturée"):
        world.services.datasets.remove(REFERENT, CHU.value, "patient_days", "2025-T1", "motif")
    assert world.uploads.current(CHU, "patient_days", "2025-T1") is not None
