"""Guards the private moto hook of the embedded runtime: an invocation through
the emulator's Lambda API must run the Chalice handler in this process."""

from __future__ import annotations

from pathlib import Path

from chalicelib.domain.codes import Email
from infra.local import provision


def test_an_emulator_lambda_invocation_runs_the_chalice_handler_in_process(platform):
    codes = platform.services.adapters.codes
    from datetime import UTC, datetime, timedelta

    from chalicelib.services.ports import StoredCode

    codes.put(StoredCode(Email("old@chu.fr"), "confirm", "h", datetime.now(UTC) - timedelta(days=2), 0))
    event = (Path(__file__).parents[1] / "events" / "scheduled_event.json").read_bytes()
    answer = provision.client("lambda", platform.emulator.url).invoke(
        FunctionName=provision.function_name("purge_expired_codes"), Payload=event
    )
    assert "FunctionError" not in answer, answer["Payload"].read()
    import json

    assert json.loads(answer["Payload"].read()) == {"job": "purge_expired_codes", "result": 1}
    assert codes.get(Email("old@chu.fr"), "confirm") is None


def test_an_asynchronous_invocation_is_accepted_at_once_and_runs_the_handler_in_the_background(platform):
    from datetime import UTC, datetime, timedelta

    from chalicelib.services.ports import StoredCode
    from infra.local import lambda_hook

    codes = platform.services.adapters.codes
    codes.put(StoredCode(Email("older@chu.fr"), "confirm", "h", datetime.now(UTC) - timedelta(days=2), 0))
    event = (Path(__file__).parents[1] / "events" / "scheduled_event.json").read_bytes()
    answer = provision.client("lambda", platform.emulator.url).invoke(
        FunctionName=provision.function_name("purge_expired_codes"), InvocationType="Event", Payload=event
    )
    assert answer["StatusCode"] == 202
    lambda_hook.drain()
    assert codes.get(Email("older@chu.fr"), "confirm") is None


def test_the_local_schedule_route_runs_a_job_now(http):
    answer = http.call("POST", "/api/local/schedules/purge_expired_codes/run")
    assert answer.status_code == 200 and answer.data["job"] == "purge_expired_codes"
    assert http.call("POST", "/api/local/schedules/nope/run").status_code == 404
