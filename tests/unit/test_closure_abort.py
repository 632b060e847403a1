"""A closure that fails after publishing some closed copies, then aborts, takes them back: the period is
open again and its data are drafts again, never in a region's or the nation's closed figures."""

from __future__ import annotations

import pytest

from chalicelib.domain.lake import closed_key
from tests.unit.test_dataset_removal import imported_world
from tests.unit.test_uploads_racing import CHU

PAYLOAD = {"finess": CHU.value, "period": "2025-T1", "by": "r@chu.fr"}


def failed_closure(monkeypatch, target, method: str):
    """A world with 2025-T1's patient-days whose closure failed on ``target.method`` (its retries spent); returns
    the world, the dataset, the lake bucket."""
    world, current = imported_world()
    world.periods.start_closing(CHU, "2025-T1", world.clock.now().isoformat(), "r@chu.fr")

    def fails(*args, **kwargs):
        raise RuntimeError("unavailable")

    monkeypatch.setattr(target(world), method, fails)
    with pytest.raises(RuntimeError):
        world.services.closure.task_close(PAYLOAD)
    monkeypatch.undo()
    return world, current, world.services.settings.buckets["lake"]


def test_a_closure_aborted_after_publishing_its_copies_takes_them_back(monkeypatch):
    # The copies are out, the period not marked closed.
    world, current, lake = failed_closure(monkeypatch, lambda w: w.periods, "finish_closing")
    published = [closed_key(key) for key in current.lake_keys]
    assert published and all((lake, key) in world.objects.objects for key in published)

    world.services.closure.task_abort(PAYLOAD)  # the workflow's Catch, once the retries are spent

    assert not [key for key in published if (lake, key) in world.objects.objects]
    assert (lake, current.lake_keys[0]) in world.objects.objects  # the draft itself is kept
    [state] = [s for s in world.periods.states(CHU, 2025) if s.period == "2025-T1"]
    assert state.status == "open"


def test_an_abort_after_the_period_was_marked_closed_keeps_its_closed_copies(monkeypatch):
    # Copies out and the period marked closed, then the audit fails.
    world, current, lake = failed_closure(monkeypatch, lambda w: w.audit, "record")
    world.services.closure.task_abort(PAYLOAD)

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
