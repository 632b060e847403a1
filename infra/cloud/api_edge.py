"""The API's edge in the cloud stack: API Gateway's stage throttling (stricter on the account routes), a
WAF answering 429 in French to a client flooding the account routes, and the French 404 of a route the
API does not have (API Gateway would answer 403 in English)."""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_wafv2 as wafv2
from chalice.cdk import Chalice
from constructs import Construct

from chalicelib.domain.errors import unknown_route_document
from infra.cloud.origin_proof import VIEWER_ADDRESS_HEADER, ApiOriginProof
from infra.cloud.waf_logs import log_requests

#: The account routes anyone can call: guessing passwords and codes, or sending e-mails.
AUTH_ROUTES = ("/api/auth/signup", "/api/auth/confirm", "/api/auth/resend-code", "/api/auth/login",
               "/api/auth/refresh", "/api/auth/forgot-password", "/api/auth/reset-password",
               "/api/auth/second-factor", "/api/auth/totp/setup", "/api/auth/totp/confirm")  # fmt: skip
#: What every account route's path contains (behind the stage's name at the API, at the start on the site).
AUTH_PATH = "/api/auth/"
#: API Gateway's stage throttling (requests per second, burst), for every route and for each account route.
STAGE_RATE, STAGE_BURST = 200, 400
AUTH_RATE, AUTH_BURST = 20, 40
#: WAF: requests of one client address to the account routes per 5 minutes, beyond which it answers 429.
AUTH_REQUESTS_PER_CLIENT = 100
TOO_MANY_REQUESTS = {
    "code": "ERR_TOO_MANY_REQUESTS",
    "message": "Trop de requêtes depuis votre réseau : réessayez dans quelques minutes.",
    "details": [],
}
TOO_MANY_REQUESTS_BODY = "too-many-requests"


def unknown_routes(app: Chalice) -> None:
    """A path the API does not have answers 404 in the errors' French shape, as the embedded runtime does,
    instead of API Gateway's English 403 "Missing Authentication Token". Declared in the API's own
    definition, so that the deployment of the stage carries it (a separate GatewayResponse resource waits
    for a redeployment that a change of its own never triggers)."""
    app.get_resource("RestAPI").add_property_override(
        "DefinitionBody.x-amazon-apigateway-gateway-responses",
        {
            "MISSING_AUTHENTICATION_TOKEN": {
                "statusCode": 404,
                "responseParameters": {"gatewayresponse.header.Content-Type": "'application/json; charset=utf-8'"},
                "responseTemplates": {"application/json": json.dumps(unknown_route_document(), ensure_ascii=False)},
            }
        },
    )


def throttle_api(
    scope: Construct, app: Chalice, stage: str, logs_key: kms.IKey, origin_proof: ApiOriginProof | None = None
) -> wafv2.CfnWebACL:
    """What the app counts itself (per account and per client, docs/api-extensions.md) is backed at the
    edge: the stage's throttling caps the rate of each route, stricter on the account routes, and a
    WAF rate-based rule answers 429 to a client address that floods the account routes.

    Behind the site's distribution (``origin_proof``), the firewall first refuses what did not come
    through it, and the client address it counts by is the viewer's the distribution sends
    (``origin_proof.py``): API Gateway's would be CloudFront's, shared by many users. What the firewall
    blocks or counts is logged, encrypted with ``logs_key`` (``waf_logs.py``)."""
    api = app.get_resource("RestAPI")
    # The stage's requests traced by X-Ray, with the functions they reach.
    api.add_property_override("TracingEnabled", True)
    api.add_property_override(
        "MethodSettings",
        [
            # Every method's errors logged (api_logs.py), with its metrics; never the requests' bodies (DataTrace).
            {"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": STAGE_RATE, "ThrottlingBurstLimit": STAGE_BURST,
             "LoggingLevel": "ERROR", "MetricsEnabled": True, "DataTraceEnabled": False},
            *(
                {"ResourcePath": "/" + path.replace("/", "~1"), "HttpMethod": "POST",  # "/" is "~1" in a path
                 "ThrottlingRateLimit": AUTH_RATE, "ThrottlingBurstLimit": AUTH_BURST}
                for path in AUTH_ROUTES
            ),
        ],
    )  # fmt: skip
    acl = wafv2.CfnWebACL(
        scope,
        "ApiFirewall",
        scope="REGIONAL",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=visibility("consores-api"),
        custom_response_bodies={**too_many_requests_bodies(), **(origin_proof.response_bodies() if origin_proof else {})},
        rules=[
            *([origin_proof.required_rule(0)] if origin_proof else []),
            per_client_rule(
                "auth-routes-per-client",
                1 if origin_proof else 0,
                AUTH_REQUESTS_PER_CLIENT,
                under=AUTH_PATH,
                address_header=VIEWER_ADDRESS_HEADER if origin_proof else None,
            ),
        ],
    )
    association = wafv2.CfnWebACLAssociation(
        scope,
        "ApiFirewallAssociation",
        resource_arn=cdk.Fn.sub(f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{RestAPI}}/stages/{stage}"),
        web_acl_arn=acl.attr_arn,
    )
    # The stage is made by SAM's transform from the API (RestAPI<stage>Stage): associate once it exists.
    association.add_override("DependsOn", [f"RestAPI{stage}Stage"])
    log_requests(acl, stage=stage, firewall="api", key=logs_key)
    return acl


def visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def too_many_requests_bodies() -> dict[str, wafv2.CfnWebACL.CustomResponseBodyProperty]:
    """The French answer of a per-client rule (a WebACL declares the bodies its rules name)."""
    return {
        TOO_MANY_REQUESTS_BODY: wafv2.CfnWebACL.CustomResponseBodyProperty(
            content_type="APPLICATION_JSON", content=json.dumps(TOO_MANY_REQUESTS, ensure_ascii=False)
        )
    }


def per_client_rule(
    name: str, priority: int, limit: int, under: str | None = None, address_header: str | None = None
) -> wafv2.CfnWebACL.RuleProperty:
    """A client address sending more than ``limit`` requests in 5 minutes (to paths containing ``under``,
    or to any path) is answered 429 in French until its rate falls. The address is the request's source,
    or the one in ``address_header`` (a header only a trusted proxy writes; without it, not counted)."""
    scope_down = (
        wafv2.CfnWebACL.StatementProperty(
            byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                positional_constraint="CONTAINS",  # behind the stage's name in the path
                search_string=under,
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="LOWERCASE")],
            )
        )
        if under
        else None
    )
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        action=wafv2.CfnWebACL.RuleActionProperty(
            block=wafv2.CfnWebACL.BlockActionProperty(
                custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                    response_code=429, custom_response_body_key=TOO_MANY_REQUESTS_BODY
                )
            )
        ),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=limit,
                aggregate_key_type="FORWARDED_IP" if address_header else "IP",
                forwarded_ip_config=(
                    wafv2.CfnWebACL.ForwardedIPConfigurationProperty(header_name=address_header, fallback_behavior="NO_MATCH")
                    if address_header
                    else None
                ),
                evaluation_window_sec=300,
                scope_down_statement=scope_down,
            )
        ),
        visibility_config=visibility(f"consores-{name}"),
    )
