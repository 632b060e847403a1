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


def test_a_request_to_process_a_file_again_reaches_the_import_service_not_the_event_parser(monkeypatch):
    from types import SimpleNamespace

    from chalicelib.adapters.lambda_import_requests import process_again_event
    from chalicelib.domain.imports import UploadStatus
    from chalicelib.handlers import events

    asked: list[str] = []

    def process_again(key: str) -> UploadStatus:
        asked.append(key)
        return UploadStatus.PENDING

    monkeypatch.setattr(events, "services", lambda: SimpleNamespace(uploads=SimpleNamespace(process_again=process_again)))
    key = "uploads/440000990/consumption/2025-T1/abc123/conso.csv"
    assert events.on_upload(process_again_event(key), None) == {"processed_again": {key: "PENDING"}}
    assert asked == [key]
    assert objects_created(process_again_event(key)) == []
