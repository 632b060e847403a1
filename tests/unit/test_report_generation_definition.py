"""The generation workflow (infra/statemachines/report_generation.asl.json, both runtimes): a Map state
makes the items in parallel, bounded; each item retried, then recorded as failed without failing the
batch; no item's result travels back through the payload; only a failed plan fails the request."""

from __future__ import annotations

import json
from pathlib import Path

from infra.resources import REPORT_GENERATION_TASKS, STATE_MACHINES

DEFINITION = json.loads((Path(__file__).resolve().parents[2] / "infra/statemachines/report_generation.asl.json").read_text())
STATES = DEFINITION["States"]
ITEMS = STATES["Items"]
ITEM_STATES = ITEMS["ItemProcessor"]["States"]


def test_the_plan_feeds_a_map_state_bounded_in_parallel_then_finish():
    assert DEFINITION["StartAt"] == "Plan" and STATES["Plan"]["Next"] == "Items" and ITEMS["Next"] == "Finish"
    assert ITEMS["Type"] == "Map" and ITEMS["ItemsPath"] == "$.items" and 1 < ITEMS["MaxConcurrency"] <= 10
    assert ITEMS["ItemSelector"]["scope.$"] == "$$.Map.Item.Value.scope"


def test_each_item_is_retried_then_recorded_as_failed_and_never_fails_the_batch():
    make = ITEM_STATES["Make"]
    assert "TransientError" in make["Retry"][0]["ErrorEquals"] and make["Retry"][0]["MaxAttempts"] >= 2
    assert make["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "ItemFailed"}]
    assert ITEM_STATES["ItemFailed"]["End"] is True and "Catch" not in ITEM_STATES["ItemFailed"]


def test_no_items_result_travels_back_through_the_payload():
    assert ITEMS["ResultPath"] is None and set(STATES["Finish"]["Parameters"]) == {"job_id.$", "year.$"}


def test_only_a_failed_plan_or_map_marks_the_request_failed():
    assert STATES["Plan"]["Catch"][0]["Next"] == ITEMS["Catch"][0]["Next"] == "MarkFailed"
    assert STATES["MarkFailed"]["Next"] == "GenerationFailed" and STATES["GenerationFailed"]["Type"] == "Fail"


def test_every_task_of_the_definition_is_a_registered_function():
    text = json.dumps(DEFINITION)
    assert STATE_MACHINES["report_generation"] == "report_generation.asl.json"
    assert {p for p in REPORT_GENERATION_TASKS if "${" + p + "}" in text} == set(REPORT_GENERATION_TASKS)
    import app

    assert set(REPORT_GENERATION_TASKS.values()) <= {f.name for f in app.app.pure_lambda_functions}
