"""The API stage's logs: an access log line per request (JSON) and the execution errors, in log groups of the
stage kept as long as the functions' logs, encrypted with the operations key.

API Gateway writes to CloudWatch Logs only through the region's account-wide role
(``AWS::ApiGateway::Account``): one per account and region, shared by every stage deployed there (the last
deployed names it; each stage's names the same AWS-managed policy, so any of them serves all). The stage's
execution logging level is set with its throttling (``api_edge.throttle_api``'s method settings).
"""

from __future__ import annotations

import json

from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from chalice.cdk import Chalice
from constructs import Construct

from infra.cloud.monitoring import log_removal, retention

#: One JSON object per request: enough to follow a request to its function's log (the request id), no body.
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "integrationLatency": "$context.integrationLatency",
    "wafResponseCode": "$context.wafResponseCode",
}


def log_api(scope: Construct, app: Chalice, stage: str, key: kms.IKey) -> logs.LogGroup:
    group = logs.LogGroup(
        scope,
        "ApiAccessLogs",
        log_group_name=f"/consores/{stage}/api/access",
        encryption_key=key,
        retention=retention(stage),
        removal_policy=log_removal(stage),
    )
    role = iam.Role(
        scope,
        "ApiGatewayLogsRole",
        assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonAPIGatewayPushToCloudWatchLogs")],
    )
    account = apigateway.CfnAccount(scope, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn)
    api = app.get_resource("RestAPI")
    access = {"DestinationArn": group.log_group_arn, "Format": json.dumps(ACCESS_LOG_FORMAT)}
    api.add_property_override("AccessLogSetting", access)
    api.add_dependency(account)  # the stage's logging needs the account's role first
    return group
