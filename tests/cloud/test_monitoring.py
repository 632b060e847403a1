"""Operators see what fails: logs kept for a bounded time (longer in production), and alarms on
errors, throttles, unprocessed events and failed workflows, all notifying the national team."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from tests.cloud.cfn import properties, referenced, resources

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]

THREE_MONTHS, ONE_YEAR = 90, 365


def function_log_groups(template: Template) -> dict[str, dict[str, Any]]:
    """Each function's log group (its ``LoggingConfig``), by function."""
    groups = resources(template, "AWS::Logs::LogGroup")
    found = {}
    for logical, function in resources(template, "AWS::Serverless::Function").items():
        named = function["Properties"].get("LoggingConfig", {}).get("LogGroup")
        matches = [
            group for group_id, group in groups.items() if named in ({"Ref": group_id}, group["Properties"].get("LogGroupName"))
        ]
        assert len(matches) == 1, f"{logical} writes to {named}, not a log group of the stack"
        found[logical] = matches[0]
    return found


def workflow_log_groups(template: Template) -> dict[str, dict[str, Any]]:
    groups = resources(template, "AWS::Logs::LogGroup")
    found = {}
    for machine in properties(template, "AWS::StepFunctions::StateMachine"):
        configuration = machine["LoggingConfiguration"]
        assert configuration["Level"] in ("ERROR", "ALL")
        [destination] = configuration["Destinations"]
        found[machine["StateMachineName"]] = groups[referenced(destination["CloudWatchLogsLogGroup"]["LogGroupArn"]) or ""]
    return found


def alarms(template: Template) -> list[dict[str, Any]]:
    return properties(template, "AWS::CloudWatch::Alarm")


def alarms_on(template: Template, namespace: str, metric: str, dimension: str) -> dict[str, dict[str, Any]]:
    """Alarms on ``metric``, by the logical id its dimension names."""
    return {
        referenced(alarm["Dimensions"][0]["Value"]) or "": alarm
        for alarm in alarms(template)
        if alarm["Namespace"] == namespace and alarm["MetricName"] == metric and alarm["Dimensions"][0]["Name"] == dimension
    }


def test_every_function_logs_to_a_log_group_of_the_stack_kept_three_months_in_dev(template: Template) -> None:
    groups = function_log_groups(template)
    assert len(groups) == len(resources(template, "AWS::Serverless::Function"))
    assert {group["Properties"]["RetentionInDays"] for group in groups.values()} == {THREE_MONTHS}


def test_every_workflow_logs_its_failures_to_a_log_group_kept_three_months_in_dev(template: Template) -> None:
    groups = workflow_log_groups(template)
    assert len(groups) == len(resources(template, "AWS::StepFunctions::StateMachine"))
    assert {group["Properties"]["RetentionInDays"] for group in groups.values()} == {THREE_MONTHS}


def test_production_keeps_every_log_a_year_and_beyond_the_stack(prod_template: Template) -> None:
    groups = [*function_log_groups(prod_template).values(), *workflow_log_groups(prod_template).values()]
    assert groups and {group["Properties"]["RetentionInDays"] for group in groups} == {ONE_YEAR}
    assert {group["DeletionPolicy"] for group in groups} == {"Retain"}


def test_every_function_alarms_on_its_errors_and_its_throttles(template: Template) -> None:
    functions = set(resources(template, "AWS::Serverless::Function"))
    for metric in ("Errors", "Throttles"):
        watched = alarms_on(template, "AWS/Lambda", metric, "FunctionName")
        assert set(watched) == functions, metric
        for alarm in watched.values():
            assert alarm["Statistic"] == "Sum" and alarm["Threshold"] == 1
            assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_a_message_in_any_queue_raises_an_alarm(template: Template) -> None:
    """Every queue of the stack holds failures (dead letters, on-failure destinations)."""
    watched = {}
    for alarm in alarms(template):
        if alarm["Namespace"] == "AWS/SQS" and alarm["MetricName"] == "ApproximateNumberOfMessagesVisible":
            [dimension] = alarm["Dimensions"]
            watched[referenced(dimension["Value"])] = alarm
    assert set(watched) == set(resources(template, "AWS::SQS::Queue"))
    for alarm in watched.values():
        assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_every_failed_workflow_execution_raises_an_alarm(template: Template) -> None:
    watched = alarms_on(template, "AWS/States", "ExecutionsFailed", "StateMachineArn")
    assert set(watched) == set(resources(template, "AWS::StepFunctions::StateMachine"))


def test_every_alarm_notifies_the_national_team_on_a_topic_encrypted_with_a_key_cloudwatch_may_use(template: Template) -> None:
    [(topic_id, topic)] = resources(template, "AWS::SNS::Topic").items()
    assert alarms(template) and all(alarm["AlarmActions"] == [{"Ref": topic_id}] for alarm in alarms(template))
    assert all(alarm["AlarmDescription"] for alarm in alarms(template))
    key = resources(template, "AWS::KMS::Key")[referenced(topic["Properties"]["KmsMasterKeyId"]) or ""]
    assert any(
        statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"} and "kms:GenerateDataKey*" in statement["Action"]
        for statement in key["Properties"]["KeyPolicy"]["Statement"]
    )


def test_the_alarms_of_the_stage_may_publish_to_the_topic(template: Template) -> None:
    """The topic's policy (TLS only) replaces SNS's default one, which let the account's alarms publish."""
    [(topic_id, _)] = resources(template, "AWS::SNS::Topic").items()
    statements = [
        statement
        for policy in properties(template, "AWS::SNS::TopicPolicy")
        if {"Ref": topic_id} in policy["Topics"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]
    [publish] = [s for s in statements if s["Effect"] == "Allow" and s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert publish["Action"] == "sns:Publish"
    assert "alarm:consores-dev-*" in str(publish["Condition"]["ArnLike"]["aws:SourceArn"])


def test_the_imports_processed_rejected_and_found_stuck_are_metrics_of_the_structured_logs(template: Template) -> None:
    from infra.cloud.operations import LOG_METRICS

    filters = {f["MetricTransformations"][0]["MetricName"]: f for f in properties(template, "AWS::Logs::MetricFilter")}
    assert set(filters) == set(LOG_METRICS) == {"ImportsProcessed", "ImportsRejected", "StuckUploadsSettled"}
    groups = resources(template, "AWS::Logs::LogGroup")
    for name, (function, pattern, value) in LOG_METRICS.items():
        found = filters[name]
        assert found["FilterPattern"] == pattern and found["MetricTransformations"][0]["MetricValue"] == value
        assert found["MetricTransformations"][0]["MetricNamespace"] == "ConsoRes/dev"
        assert groups[referenced(found["LogGroupName"])]["Properties"]["LogGroupName"] == f"/consores/dev/lambda/{function}"


def test_what_the_filters_read_is_what_the_app_logs() -> None:
    from pathlib import Path

    events = Path("chalicelib/handlers/events.py").read_text(encoding="utf-8")
    schedules = Path("chalicelib/handlers/schedules.py").read_text(encoding="utf-8")
    assert 'logger.info("object processed", extra={"status":' in events
    assert 'logger.info("stuck uploads settled", extra={"settled": settled})' in schedules


def test_a_stuck_upload_alarms(template: Template) -> None:
    [alarm] = [a for a in alarms(template) if a.get("MetricName") == "StuckUploadsSettled"]
    assert alarm["Namespace"] == "ConsoRes/dev" and alarm["Threshold"] == 0 and alarm["AlarmActions"]


def test_the_stage_has_a_dashboard_of_imports_workflows_functions_and_failure_queues(template: Template) -> None:
    [board] = properties(template, "AWS::CloudWatch::Dashboard")
    assert board["DashboardName"] == "consores-dev"
    body = str(board["DashboardBody"])
    for title in ("Imports", "Workflows en échec", "Fonctions : erreurs", "événements à rejouer", "StuckUploadsSettled"):
        assert title in body, title


def test_the_api_stage_logs_each_request_and_every_methods_errors_never_a_body(template: Template) -> None:
    import json

    from infra.cloud.api_logs import ACCESS_LOG_FORMAT

    [api] = properties(template, "AWS::Serverless::Api")
    groups = resources(template, "AWS::Logs::LogGroup")
    destination = api["AccessLogSetting"]["DestinationArn"]
    assert groups[destination["Fn::GetAtt"][0]]["Properties"]["LogGroupName"] == "/consores/dev/api/access"
    assert json.loads(api["AccessLogSetting"]["Format"]) == ACCESS_LOG_FORMAT and "body" not in api["AccessLogSetting"]["Format"]
    [every] = [s for s in api["MethodSettings"] if s["ResourcePath"] == "/*"]
    assert (every["LoggingLevel"], every["DataTraceEnabled"], every["MetricsEnabled"]) == ("ERROR", False, True)
    [account] = properties(template, "AWS::ApiGateway::Account")
    role = resources(template, "AWS::IAM::Role")[account["CloudWatchRoleArn"]["Fn::GetAtt"][0]]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
