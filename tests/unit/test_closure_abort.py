"""A closure that fails after publishing some closed copies, then aborts, takes them back: the period is
open again and its data are drafts again, never in a region's or the nation's closed figures."""

from __future__ import annotations

import pytest

from chalicelib.domain.lake import closed_key
from tests.unit.test_dataset_removal import imported_world
from tests.unit.test_uploads_racing import CHU


def test_a_closure_aborted_after_publishing_its_copies_takes_them_back(monkeypatch):
    world, current = imported_world()
    lake = world.services.settings.buckets["lake"]
    world.periods.start_closing(CHU, "2025-T1", world.clock.now().isoformat(), "r@chu.fr")
    payload = {"finess": CHU.value, "period": "2025-T1", "by": "r@chu.fr"}

    def throttled(*args, **kwargs):
        raise RuntimeError("ProvisionedThroughputExceededException")

    monkeypatch.setattr(world.periods, "finish_closing", throttled)
    with pytest.raises(RuntimeError):
        world.services.closure.task_close(payload)  # the copies are out, the period not marked closed
    published = [closed_key(key) for key in current.lake_keys]
    assert published and all((lake, key) in world.objects.objects for key in published)

    world.services.closure.task_abort(payload)  # the workflow's Catch, once the retries are spent

    assert not [key for key in published if (lake, key) in world.objects.objects]
    assert (lake, current.lake_keys[0]) in world.objects.objects  # the draft itself is kept
    [state] = [s for s in world.periods.states(CHU, 2025) if s.period == "2025-T1"]
    assert state.status == "open"


def test_an_abort_after_the_period_was_marked_closed_keeps_its_closed_copies(monkeypatch):
    world, current = imported_world()
    lake = world.services.settings.buckets["lake"]
    world.periods.start_closing(CHU, "2025-T1", world.clock.now().isoformat(), "r@chu.fr")
    payload = {"finess": CHU.value, "period": "2025-T1", "by": "r@chu.fr"}

    def audit_down(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(world.audit, "record", audit_down)
    with pytest.raises(RuntimeError):
        world.services.closure.task_close(payload)  # copies out and the period marked closed, then the audit fails
    monkeypatch.undo()
    world.services.closure.task_abort(payload)

    [state] = [s for s in world.periods.states(CHU, 2025) if s.period == "2025-T1"]
    assert state.status == "closed"
    assert all((lake, closed_key(key)) in world.objects.objects for key in current.lake_keys)


def test_an_aborted_year_closure_keeps_the_copies_of_a_quarter_closed_on_its_own():
    world, current = imported_world()  # 2025-T1 patient-days
    lake = world.services.settings.buckets["lake"]
    now = world.clock.now().isoformat()
    world.periods.start_closing(CHU, "2025-T1", now, "r@chu.fr")
    world.services.closure.task_close({"finess": CHU.value, "period": "2025-T1", "by": "r@chu.fr"})
    world.periods.start_closing(CHU, "2025", now, "r@chu.fr")

    world.services.closure.task_abort({"finess": CHU.value, "period": "2025", "by": "r@chu.fr"})

    assert all((lake, closed_key(key)) in world.objects.objects for key in current.lake_keys)
