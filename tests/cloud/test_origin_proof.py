"""The API answers only what came through the stage's distribution, which sends it the stage's secret and the
viewer's address; its firewall and the app count each client by that address, never by CloudFront's."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from aws_cdk.assertions import Template

from chalicelib.domain.client_address import ORIGIN_HEADER, VIEWER_ADDRESS_HEADER
from infra.cloud.origin_proof import SECRET_LENGTH, VIEWER_ADDRESS
from tests.cloud.cfn import properties, referenced, resources
from tests.cloud.test_hosting import api_behaviour, origin_of, the_distribution

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def the_secret(template: Template) -> str:
    """The stage's generated secret (its logical id): letters and digits, never a value in the template."""
    [(logical, secret)] = resources(template, "AWS::SecretsManager::Secret").items()
    generated = secret["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= SECRET_LENGTH and generated["ExcludePunctuation"] is True
    assert "SecretString" not in secret["Properties"]
    return logical


def resolves(value: Any, secret: str) -> bool:
    """``value`` is CloudFormation's dynamic reference to ``secret``'s value (resolved at deploy)."""
    parts = value["Fn::Join"][1]
    return parts[0] == "{{resolve:secretsmanager:" and referenced(parts[1]) == secret and parts[2] == ":SecretString:::}}"


def test_the_distribution_sends_the_api_the_stages_secret(template: Template) -> None:
    secret = the_secret(template)
    _, config = the_distribution(template)
    origin = origin_of(config, api_behaviour(config))
    [header] = origin["OriginCustomHeaders"]
    assert header["HeaderName"] == ORIGIN_HEADER
    assert resolves(header["HeaderValue"], secret)


def test_the_distribution_writes_the_viewers_address_for_the_api(template: Template) -> None:
    _, config = the_distribution(template)
    [association] = api_behaviour(config)["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    function = resources(template, "AWS::CloudFront::Function")[referenced(association["FunctionARN"])]
    assert function["Properties"]["FunctionCode"] == VIEWER_ADDRESS.read_text()


def test_the_viewer_address_function_replaces_what_the_viewer_sent() -> None:
    event = {"viewer": {"ip": "203.0.113.7"}, "request": {"uri": "/api/auth/login", "headers": {
        VIEWER_ADDRESS_HEADER: {"value": "198.51.100.1"}, "content-type": {"value": "application/json"}}}}  # fmt: skip
    script = VIEWER_ADDRESS.read_text() + f"\nconsole.log(JSON.stringify(handler({json.dumps(event)}).headers));"
    headers = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert headers == {VIEWER_ADDRESS_HEADER: {"value": "203.0.113.7"}, "content-type": {"value": "application/json"}}


def test_the_apis_firewall_first_refuses_in_french_what_lacks_the_secret(template: Template) -> None:
    secret = the_secret(template)
    [acl] = properties(template, "AWS::WAFv2::WebACL")
    first = min(acl["Rules"], key=lambda rule: rule["Priority"])
    match = first["Statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": ORIGIN_HEADER}}
    assert match["PositionalConstraint"] == "EXACTLY" and resolves(match["SearchString"], secret)
    assert match["TextTransformations"] == [{"Priority": 0, "Type": "NONE"}]
    block = first["Action"]["Block"]["CustomResponse"]
    assert block["ResponseCode"] == 403
    body = json.loads(acl["CustomResponseBodies"][block["CustomResponseBodyKey"]]["Content"])
    assert body["code"] == "ERR_FORBIDDEN" and "au travers du site" in body["message"]


def test_the_apis_firewall_counts_each_client_by_the_viewers_address(template: Template) -> None:
    [acl] = properties(template, "AWS::WAFv2::WebACL")
    rates = [rule["Statement"]["RateBasedStatement"] for rule in acl["Rules"] if "RateBasedStatement" in rule["Statement"]]
    assert rates and all(rate["AggregateKeyType"] == "FORWARDED_IP" for rate in rates)
    assert all(rate["ForwardedIPConfig"]["HeaderName"] == VIEWER_ADDRESS_HEADER for rate in rates)


def test_the_app_is_given_the_secret_to_check_it_itself(template: Template) -> None:
    secret = the_secret(template)
    functions = properties(template, "AWS::Serverless::Function")
    assert functions and all(resolves(f["Environment"]["Variables"]["CONSORES_ORIGIN_SECRET"], secret) for f in functions)


def test_the_api_is_regional_its_edge_is_the_distribution(template: Template) -> None:
    [api] = properties(template, "AWS::Serverless::Api")
    assert api["EndpointConfiguration"] == "REGIONAL"
