"""The API keeps a share of the account's Lambda concurrency that imports cannot take, imports are capped,
and the reservations fit Lambda's default quota."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Template

from infra.cloud.concurrency import ACCOUNT_QUOTA, RESERVED, UNRESERVED_MINIMUM
from tests.cloud.cfn import resources

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def reserved(template: Template) -> dict[str, int]:
    functions = resources(template, "AWS::Serverless::Function")
    return {
        logical: function["Properties"]["ReservedConcurrentExecutions"]
        for logical, function in functions.items()
        if "ReservedConcurrentExecutions" in function["Properties"]
    }


def test_the_api_reserves_more_than_imports_can_take(template: Template) -> None:
    shares = reserved(template)
    assert shares["APIHandler"] >= 200 and 0 < shares["OnUpload"] <= 50


def test_only_the_api_and_the_imports_reserve_concurrency(template: Template) -> None:
    assert set(reserved(template)) == {"APIHandler", "OnUpload"}


def test_the_reservations_leave_lambda_its_unreserved_minimum_of_the_default_quota() -> None:
    assert sum(RESERVED.values()) <= ACCOUNT_QUOTA - UNRESERVED_MINIMUM
