import json
from pathlib import Path

from chalicelib.handlers.events import ObjectCreated, objects_created

EVENTS = Path(__file__).parents[1] / "events"


def test_an_s3_notification_gives_the_decoded_key_and_version():
    event = json.loads((EVENTS / "s3_object_created.json").read_text())
    assert objects_created(event) == [
        ObjectCreated(
            bucket="consores-local-raw",
            key="uploads/440000990/consumption/2025-T1/abc123/conso T1.xlsx",
            version_id="3HL4kqtJvjVBH40Nrjfkd",
            size=18234,
        )
    ]


def test_an_eventbridge_object_created_event_gives_the_same_reference():
    event = json.loads((EVENTS / "eventbridge_object_created.json").read_text())
    [created] = objects_created(event)
    assert (created.bucket, created.version_id) == ("consores-dev-raw", "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e")
    assert created.key.endswith("conso T1.xlsx")


def test_an_unknown_event_is_ignored_not_crashing():
    assert objects_created({"hello": "world"}) == []
    assert objects_created({"detail-type": "Object Deleted", "detail": {"bucket": {"name": "b"}, "object": {"key": "k"}}}) == []
