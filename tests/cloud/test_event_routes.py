"""Every event path into a function works in an AWS account: the rule may invoke it, and what it
cannot deliver waits in an encrypted dead-letter queue."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from chalicelib.handlers.schedules import SCHEDULES
from infra.cloud.event_routes import logical_name
from tests.cloud.cfn import properties, referenced, resources

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def targets(template: Template) -> list[tuple[str, dict[str, Any]]]:
    return [
        (rule_id, target)
        for rule_id, rule in resources(template, "AWS::Events::Rule").items()
        for target in rule["Properties"]["Targets"]
    ]


def test_every_rule_target_may_invoke_its_function_from_that_rule_only(template: Template) -> None:
    permissions = properties(template, "AWS::Lambda::Permission")
    for rule_id, target in targets(template):
        assert any(
            permission["Action"] == "lambda:InvokeFunction"
            and permission["Principal"] == "events.amazonaws.com"
            and permission["FunctionName"] == target["Arn"]
            and permission["SourceArn"] == {"Fn::GetAtt": [rule_id, "Arn"]}
            for permission in permissions
        ), f"{rule_id} cannot invoke {target['Arn']}"


def test_every_rule_target_retries_then_keeps_what_it_could_not_deliver_in_an_encrypted_queue(template: Template) -> None:
    queues = resources(template, "AWS::SQS::Queue")
    queue_policies = properties(template, "AWS::SQS::QueuePolicy")
    for rule_id, target in targets(template):
        assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
        assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] <= 24 * 3600
        queue_id = referenced(target["DeadLetterConfig"]["Arn"])
        assert queue_id in queues, rule_id
        assert referenced(queues[queue_id]["Properties"]["KmsMasterKeyId"]) in resources(template, "AWS::KMS::Key")
        assert any(
            statement["Principal"] == {"Service": "events.amazonaws.com"}
            and statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Fn::GetAtt": [rule_id, "Arn"]}
            for policy in queue_policies
            if {"Ref": queue_id} in policy["Queues"]
            for statement in policy["PolicyDocument"]["Statement"]
        ), f"EventBridge may not write {rule_id}'s failures to {queue_id}"


def test_every_schedule_fires_its_function_through_a_rule_of_the_stack(template: Template) -> None:
    rules = properties(template, "AWS::Events::Rule")
    scheduled = {
        referenced(target["Arn"]): rule["ScheduleExpression"]
        for rule in rules
        if "ScheduleExpression" in rule
        for target in rule["Targets"]
    }
    assert scheduled == {logical_name(job): rate.to_string() for job, rate in SCHEDULES.items()}


def test_no_function_keeps_an_event_source_the_stack_does_not_declare(template: Template) -> None:
    """SAM would make rules of them without a dead-letter queue, out of the tests' sight."""
    functions = resources(template, "AWS::Serverless::Function")
    assert {logical for logical, function in functions.items() if function["Properties"].get("Events")} == set()


def test_uploads_and_schedules_are_every_rule(template: Template) -> None:
    assert len(resources(template, "AWS::Events::Rule")) == 1 + len(SCHEDULES)
