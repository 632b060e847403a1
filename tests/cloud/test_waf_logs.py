"""Both firewalls (the API's regional one, the site's in us-east-1) log what they blocked or counted, in
their own region, for a bounded time, encrypted, without the secrets a request carries."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from infra.cloud.origin_proof import ORIGIN_HEADER
from tests.cloud.cfn import properties, referenced, resources
from tests.cloud.conftest import REGION, Synthesis

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def firewalls(synthesis: Synthesis) -> dict[str, tuple[Template, str]]:
    """Each firewall's template and the region it is deployed in."""
    return {"api": (synthesis.template, REGION), "site": (synthesis.firewall, "us-east-1")}


def logging_of(template: Template) -> dict[str, Any]:
    """The one WebACL of ``template`` and its one logging configuration (which names it)."""
    [acl] = resources(template, "AWS::WAFv2::WebACL")
    [logging] = properties(template, "AWS::WAFv2::LoggingConfiguration")
    assert referenced(logging["ResourceArn"]) == acl
    return dict(logging)


def destination(template: Template) -> tuple[str, dict[str, Any]]:
    """The ARN the firewall logs to (its references spelt ``<id>``) and the log group it names."""
    [arn] = logging_of(template)["LogDestinationConfigs"]
    parts = arn["Fn::Join"][1]
    groups = resources(template, "AWS::Logs::LogGroup")
    named = [referenced(part) for part in parts if referenced(part) in groups]
    assert len(named) == 1, f"the destination {arn} names no log group of the stack"
    spelt = "".join(part if isinstance(part, str) else f"<{referenced(part)}>" for part in parts)
    return spelt, groups[named[0] or ""]


def test_each_firewall_logs_to_a_log_group_of_its_own_region_named_as_waf_requires(synthesis: Synthesis) -> None:
    for template, region in firewalls(synthesis).values():
        arn, group = destination(template)
        assert f":logs:{region}:" in arn and arn.endswith(">")  # the group's ARN, without CloudFormation's ":*"
        assert group["Properties"]["LogGroupName"].startswith("aws-waf-logs-")


def test_the_firewall_logs_are_kept_three_months_in_dev_and_a_year_in_prod(
    synthesis: Synthesis, prod_synthesis: Synthesis
) -> None:
    for stage, days in ((synthesis, 90), (prod_synthesis, 365)):
        for template, _ in firewalls(stage).values():
            assert destination(template)[1]["Properties"]["RetentionInDays"] == days


def test_the_firewall_logs_are_encrypted_with_a_key_cloudwatch_logs_of_their_region_may_use(synthesis: Synthesis) -> None:
    for template, region in firewalls(synthesis).values():
        key = resources(template, "AWS::KMS::Key")[referenced(destination(template)[1]["Properties"]["KmsKeyId"]) or ""]
        services = [statement["Principal"].get("Service") for statement in key["Properties"]["KeyPolicy"]["Statement"]]
        assert f"logs.{region}.amazonaws.com" in services


def test_the_bearer_token_the_cookies_and_the_origin_secret_never_reach_the_logs(synthesis: Synthesis) -> None:
    for template, _ in firewalls(synthesis).values():
        redacted = {field["SingleHeader"]["Name"].lower() for field in logging_of(template)["RedactedFields"]}
        assert {"authorization", "cookie", ORIGIN_HEADER} <= redacted


def test_only_what_a_rule_blocked_or_counted_is_kept(synthesis: Synthesis) -> None:
    for template, _ in firewalls(synthesis).values():
        kept = logging_of(template)["LoggingFilter"]
        assert kept["DefaultBehavior"] == "DROP"
        [keep] = kept["Filters"]
        assert keep["Behavior"] == "KEEP" and keep["Requirement"] == "MEETS_ANY"
        actions = {condition["ActionCondition"]["Action"] for condition in keep["Conditions"]}
        assert actions == {"BLOCK", "COUNT", "EXCLUDED_AS_COUNT"}
