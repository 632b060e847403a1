"""An upload being processed when the closure begins is refused, never committed after."""

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.structure import Unit
from tests.fakes.wiring import fake_world
from tests.support import files

ADMIN = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
CHU = Finess("440000990")


def test_an_upload_in_flight_when_the_closure_begins_is_refused():
    world = fake_world()
    services = world.services
    services.tenants.create_establishment(ADMIN, CHU.value, "CHU", "CHU", "52")
    world.units.replace_units(CHU, [Unit.create("0412", "Médecine", "03", "38"), Unit.create("1204", "Chirurgie", "03", "137")])
    world.access.put_membership(Membership(CHU, Email("r@chu.fr"), Status.REFERENT, "t"))
    referent = Principal(Email("r@chu.fr"), memberships={CHU: Status.REFERENT})
    content = files.csv(files.PATIENT_DAYS_T1[:3])
    upload, _, _ = services.uploads.create(referent, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    world.objects.put(services.settings.buckets["raw"], upload.raw_key, content, "text/csv")

    world.periods.start_closing(CHU, "2025-T1", "t", "r@chu.fr")  # the closure begins while the file is on its way
    assert services.uploads.process_object(services.settings.buckets["raw"], upload.raw_key, "v1") is UploadStatus.REJECTED
    assert world.uploads.current(CHU, "patient_days", "2025-T1") is None
    assert world.uploads.get(CHU, upload.upload_id).error_code == "ERR_PERIOD_CLOSED"
