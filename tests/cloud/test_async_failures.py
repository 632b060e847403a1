"""What a function invoked asynchronously fails on is never lost: Lambda retries a bounded number of
times, drops events too old to matter, and records the failure in an encrypted queue."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from chalicelib.handlers.schedules import SCHEDULES
from infra.cloud.event_routes import logical_name
from tests.cloud.cfn import properties, referenced, resources, role_policy_statements

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def invoked_asynchronously(template: Template) -> set[str]:
    """The functions EventBridge rules target, and those SAM would subscribe to an event source."""
    targeted = {
        referenced(target["Arn"])
        for rule in properties(template, "AWS::Events::Rule")
        for target in rule["Targets"]
        if target["Arn"].get("Fn::GetAtt", [None, None])[1] == "Arn"
    }
    subscribed = {
        logical
        for logical, function in resources(template, "AWS::Serverless::Function").items()
        if function["Properties"].get("Events")
    }
    return {name for name in targeted | subscribed if name}


def invoke_configs(template: Template) -> dict[str, dict[str, Any]]:
    return {referenced(config["FunctionName"]) or "": config for config in properties(template, "AWS::Lambda::EventInvokeConfig")}


def role_statements(template: Template, function: str) -> list[dict[str, Any]]:
    role = referenced(resources(template, "AWS::Serverless::Function")[function]["Properties"]["Role"])
    return role_policy_statements(template, role or "")


def test_uploads_and_every_schedule_are_invoked_asynchronously(template: Template) -> None:
    assert invoked_asynchronously(template) >= {"OnUpload", *(logical_name(job) for job in SCHEDULES)}


def test_every_function_invoked_asynchronously_records_its_failures_in_an_encrypted_queue(template: Template) -> None:
    configs = invoke_configs(template)
    queues = resources(template, "AWS::SQS::Queue")
    for function in invoked_asynchronously(template):
        assert function in configs, f"{function} loses what it fails on"
        config = configs[function]
        assert config["Qualifier"] == "$LATEST"
        queue = referenced(config["DestinationConfig"]["OnFailure"]["Destination"])
        assert queue in queues, function
        assert referenced(queues[queue]["Properties"]["KmsMasterKeyId"]) in resources(template, "AWS::KMS::Key")


def test_every_function_invoked_asynchronously_retries_a_bounded_number_of_times_on_recent_events(template: Template) -> None:
    configs = invoke_configs(template)
    for function in invoked_asynchronously(template):
        assert 0 <= configs[function]["MaximumRetryAttempts"] <= 2, function
        assert 60 <= configs[function]["MaximumEventAgeInSeconds"] <= 6 * 3600, function


def test_a_failed_import_is_not_run_a_third_time(template: Template) -> None:
    """A quarter of an hour each: the sweeper settles the upload (DOMAIN.md §10.2)."""
    assert invoke_configs(template)["OnUpload"]["MaximumRetryAttempts"] <= 1


def test_every_function_may_write_its_failures_to_its_queue(template: Template) -> None:
    """A destination is written with the function's own permissions (and the queue's key)."""
    configs = invoke_configs(template)
    for function in invoked_asynchronously(template):
        destination = configs[function]["DestinationConfig"]["OnFailure"]["Destination"]
        statements = role_statements(template, function)
        assert any(
            "sqs:SendMessage" in statement["Action"] and destination in _as_list(statement["Resource"])
            for statement in statements
        ), function
        key = resources(template, "AWS::SQS::Queue")[referenced(destination) or ""]["Properties"]["KmsMasterKeyId"]
        assert any(
            "kms:GenerateDataKey" in statement["Action"] and key in _as_list(statement["Resource"]) for statement in statements
        ), function


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
