"""Two files of one establishment, file type and period: the one sent last wins, the other is told
which file replaced it (DOMAIN.md §10.2), never "Erreur interne"."""

from __future__ import annotations

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.structure import Unit
from chalicelib.services.ports import CurrentDataset
from tests.fakes.stores import FakeUploadStore
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import files

ADMIN = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
CHU = Finess("440000990")
REFERENT = Principal(Email("r@chu.fr"), memberships={CHU: Status.REFERENT})


def a_world() -> FakeWorld:
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU.value, "CHU", "CHU", "52")
    world.units.replace_units(CHU, [Unit.create("0412", "Médecine", "03", "38"), Unit.create("1204", "Chirurgie", "03", "137")])
    world.access.put_membership(Membership(CHU, Email("r@chu.fr"), Status.REFERENT, "t"))
    return world


def send_file(world: FakeWorld, period: str, rows: list[list[str]], name: str = "jh.csv", kind: str = "patient_days") -> str:
    """Create an upload (its sending time) and put its file in the raw bucket; returns its id."""
    content = files.csv(rows)
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, kind, period, name, len(content), None)
    world.objects.put(world.services.settings.buckets["raw"], upload.raw_key, content, "text/csv")
    world.clock.advance(minutes=5)
    return upload.upload_id


def send(world: FakeWorld, name: str, days: str) -> str:
    """A patient-days file of 2025-T1 whose one row gives 0412 ``days`` patient-days."""
    return send_file(world, "2025-T1", [files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", days, "310"]], name)


def process(world: FakeWorld, upload_id: str) -> UploadStatus | None:
    upload = world.uploads.get(CHU, upload_id)
    assert upload is not None
    return world.services.uploads.process_object(world.services.settings.buckets["raw"], upload.raw_key, "v1")


def test_a_file_sent_earlier_but_finished_later_never_replaces_the_later_one():
    world = a_world()
    earlier, later = send(world, "jh-lundi.csv", "2000"), send(world, "jh-mardi.csv", "2400")
    assert process(world, later) is UploadStatus.VALIDATED
    assert process(world, earlier) is UploadStatus.REJECTED

    current = world.uploads.current(CHU, "patient_days", "2025-T1")
    assert current is not None and current.upload_id == later
    refused = world.uploads.get(CHU, earlier)
    assert refused is not None and refused.error_code == "ERR_SUPERSEDED"
    report = world.services.uploads.get(REFERENT, CHU.value, earlier)[1]
    [problem] = [p for p in report["errors"] if p["code"] == "upload.superseded"]
    assert "« jh-mardi.csv », envoyé le 02/03/2026 à 09:05 (UTC)" in problem["message"]
    lake = world.services.settings.buckets["lake"]
    assert not [key for bucket, key in world.objects.objects if bucket == lake and key.startswith("lake/") and earlier in key]


def test_the_later_file_replaces_the_earlier_one_as_before():
    world = a_world()
    earlier, later = send(world, "jh-lundi.csv", "2000"), send(world, "jh-mardi.csv", "2400")
    assert process(world, earlier) is UploadStatus.VALIDATED
    assert process(world, later) is UploadStatus.VALIDATED
    current = world.uploads.current(CHU, "patient_days", "2025-T1")
    assert current is not None and current.upload_id == later


class RacingUploadStore(FakeUploadStore):
    """Another import becomes current just before this one writes the pointer, once."""

    def __init__(self, base: FakeUploadStore, winner: CurrentDataset) -> None:
        self.__dict__.update(base.__dict__)
        self._winner: CurrentDataset | None = winner

    def replace_current(self, new: CurrentDataset, expected_version: int | None) -> None:
        if self._winner is not None:
            winner, self._winner = self._winner, None
            self.datasets[(winner.finess, winner.file_type, winner.period)] = winner
        super().replace_current(new, expected_version)


def test_losing_the_race_to_an_earlier_file_still_makes_the_later_one_current():
    world = a_world()
    earlier, later = send(world, "jh-lundi.csv", "2000"), send(world, "jh-mardi.csv", "2400")
    sent = world.uploads.get(CHU, earlier)
    assert sent is not None
    racer = CurrentDataset(CHU, "patient_days", "2025-T1", earlier, ("lake/x.parquet",), 1, sent.created_at)
    world.uploads.__class__ = type("Racing", (RacingUploadStore,), {})
    world.uploads.__dict__["_winner"] = racer
    assert process(world, later) is UploadStatus.VALIDATED
    current = world.uploads.current(CHU, "patient_days", "2025-T1")
    assert current is not None and (current.upload_id, current.version) == (later, 2)
