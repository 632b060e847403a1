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
