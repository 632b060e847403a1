"""An import is atomic (DOMAIN.md §10.2): whichever write fails, the import either ends
VALIDATED with all its effects or FAILED with every store exactly as it was.

Each test runs the import once to count its writes, then again once per write, failing
that write only (as a store that times out would), and compares every store with the
state before and the state after a clean import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chalicelib.domain.imports import UploadStatus
from tests.fakes.wiring import FakeWorld
from tests.support import files
from tests.unit.test_uploads_racing import CHU, REFERENT, a_world

#: Every write method of the stores an import touches.
WRITES = {
    "objects": ("put", "delete_all_versions", "copy"),
    "uploads": ("finish", "replace_current", "remove_current", "abandon"),
    "units": ("replace_units", "replace_beds", "put_unit", "delete_unit"),
}


class Injected(OSError):
    """The store did not answer."""


def inject(world: FakeWorld, fail_at: int | None) -> list[str]:
    """Count every write; the ``fail_at``-th (from 1) raises, once. Returns the writes' names."""
    seen: list[str] = []
    for store_name, methods in WRITES.items():
        store = getattr(world, store_name)
        for method in methods:
            original = getattr(store, method)

            def wrapped(*args: Any, _original: Callable[..., Any] = original, _name: str = f"{store_name}.{method}") -> Any:
                seen.append(_name)
                if len(seen) == fail_at:
                    raise Injected(f"{_name} failed")
                return _original(*args)

            setattr(store, method, wrapped)
    return seen


def state(world: FakeWorld, file_type: str, period: str) -> tuple[Any, ...]:
    """What readers see: the current pointer's source and files (present), the structure and the beds."""
    current = world.uploads.current(CHU, file_type, period)
    lake = world.services.settings.buckets["lake"]
    named = sorted(current.lake_keys) if current else []
    assert all((lake, key) in world.objects.objects for key in named), "the pointer names a missing file"
    units = [(u.code_uf, u.libelle) for u in world.units.units(CHU)]
    return (current.upload_id if current else None, named, units, world.units.beds(CHU, 2025))


def orphans(world: FakeWorld, file_type: str, period: str) -> list[str]:
    """Lake files no pointer names (never read, but never to be left behind by a failure to write)."""
    current = world.uploads.current(CHU, file_type, period)
    lake = world.services.settings.buckets["lake"]
    data = {key for bucket, key in world.objects.objects if bucket == lake and key.startswith(f"lake/{file_type}/")}
    return sorted(data - set(current.lake_keys if current else ()))


CASES = {
    "beds": ("2025", [files.BEDS[0], ["0412", "2025", "30"], ["1204", "2025", "24"]], [files.BEDS[0], ["0412", "2025", "12"]]),
    "structure": ("2025", files.STRUCTURE, files.STRUCTURE[:2]),
    "patient_days": (
        "2025-T1",
        [files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]],
        [files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2400", "320"]],
    ),
}


def a_world_with(file_type: str) -> tuple[FakeWorld, str]:
    """A world where a first file of that type is current; returns it with the second file's upload id."""
    period, first, second = CASES[file_type]
    world = a_world()
    for rows in (first, second):
        content = files.csv(rows)
        name = f"{file_type}.csv"
        upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, file_type, period, name, len(content), None)
        world.objects.put(world.services.settings.buckets["raw"], upload.raw_key, content, "text/csv")
        world.clock.advance(minutes=5)
        if rows is first:
            assert world.services.uploads.process_object(world.services.settings.buckets["raw"], upload.raw_key, "v1") is (
                UploadStatus.VALIDATED
            )
    return world, upload.upload_id


def run(world: FakeWorld, upload_id: str) -> UploadStatus | None:
    upload = world.uploads.get(CHU, upload_id)
    assert upload is not None
    try:
        return world.services.uploads.process_object(world.services.settings.buckets["raw"], upload.raw_key, "v1")
    except Injected:
        return None  # the event is delivered again (S3 → Lambda retries) or the sweeper settles it


def outcomes(file_type: str) -> tuple[tuple[Any, ...], tuple[Any, ...], int]:
    world, upload_id = a_world_with(file_type)
    period = CASES[file_type][0]
    before = state(world, file_type, period)
    writes = inject(world, None)
    assert run(world, upload_id) is UploadStatus.VALIDATED
    return before, state(world, file_type, period), len(writes)


@pytest.mark.parametrize("file_type", sorted(CASES))
def test_whichever_write_fails_the_import_is_all_or_nothing(file_type):
    before, after, count = outcomes(file_type)
    assert before != after and count >= 4
    period = CASES[file_type][0]
    for fail_at in range(1, count + 1):
        world, upload_id = a_world_with(file_type)
        names = inject(world, fail_at)
        run(world, upload_id)
        upload = world.uploads.get(CHU, upload_id)
        assert upload is not None
        seen = state(world, file_type, period)
        where = f"{file_type}: write {fail_at} ({names[fail_at - 1]}) failed"
        if seen == after:
            assert upload.status is UploadStatus.VALIDATED, f"{where}: data current, upload {upload.status}"
        else:
            assert seen == before, f"{where}: half-written {seen}"
            assert upload.status is UploadStatus.FAILED, f"{where}: nothing imported, upload {upload.status}"
        if names[fail_at - 1] != "objects.delete_all_versions":
            assert orphans(world, file_type, period) == [], f"{where}: files left behind"


class Crash(BaseException):
    """The process dies here (kill -9, a Lambda timeout): nothing after runs, no handler catches it."""


@pytest.mark.parametrize("file_type", ["structure", "beds"])
def test_a_crash_between_the_pointer_and_the_store_is_mended_when_the_upload_is_settled(file_type, monkeypatch):
    world, upload_id = a_world_with(file_type)
    period = CASES[file_type][0]
    _, after, _ = outcomes(file_type)
    method = "replace_units" if file_type == "structure" else "replace_beds"

    def dies(*args: Any) -> None:
        raise Crash

    monkeypatch.setattr(world.units, method, dies)
    with pytest.raises(Crash):
        run(world, upload_id)
    monkeypatch.undo()
    assert world.uploads.get(CHU, upload_id).status is UploadStatus.PROCESSING
    assert world.uploads.current(CHU, file_type, period).upload_id == upload_id  # current, the store not written

    assert world.services.sweeper.sweep(interrupted=True) == 1
    assert world.uploads.get(CHU, upload_id).status is UploadStatus.VALIDATED
    assert state(world, file_type, period)[1:] == after[1:]  # the store follows the current files again
