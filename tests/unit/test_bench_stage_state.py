"""The antibiogram bench's stage mode hands the fake stores' state from one process to the next by pickle."""

from __future__ import annotations

import pickle
import threading

from tests.bench.resistance_import import STORES, a_world, store_state


def test_every_store_a_stage_hands_on_pickles_without_its_locks_whatever_their_names():
    world, _, _ = a_world()
    for name in STORES:
        state = pickle.loads(pickle.dumps(store_state(getattr(world, name))))
        assert not any(isinstance(value, type(threading.Lock())) for value in state.values()), name


def test_a_store_given_the_previous_stage_state_keeps_its_own_locks_and_the_data():
    world, _, _ = a_world()
    given, fresh = world.uploads, a_world()[0].uploads
    fresh.__dict__.update(pickle.loads(pickle.dumps(store_state(given))))
    assert fresh.uploads.keys() == given.uploads.keys()
    assert fresh._claims_lock is not given._claims_lock
    with fresh._claims_lock:
        pass
