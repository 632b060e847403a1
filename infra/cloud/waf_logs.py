"""What the firewalls acted on, in CloudWatch Logs: each WebACL (the API's regional one, ``api_edge.py``; the
site's, ``site_firewall.py``, in us-east-1) logs to a log group of its own region, whose name WAF requires
to start with ``aws-waf-logs-``.

- **Kept**: the requests a rule blocked (the origin proof's 403, the per-client rates' 429, AWS's managed
  rules) or only counted (a rule set to count, such as the common rule set's body size): what an operator
  investigates or tunes a rule with. A request every rule let through is dropped: every request reaching
  either firewall is one CloudFront serves, and the distribution's access logs already record it
  (``hosting.py``; the API's firewall blocks whatever did not come through the distribution, and blocks
  are kept). Logging every allowed request again would copy each user's address and headers into a
  second place for nothing (data minimisation).
- **Redacted**: the bearer token (``authorization``), the cookies, and the origin secret
  (``origin_proof.ORIGIN_HEADER``): a log reader sees that they were sent, never their value.
- **Kept for**: as every log of the stage (``monitoring.retention``: a year in production, three months
  elsewhere), encrypted with a customer-managed key CloudWatch Logs may use for the account's log groups
  (``monitoring.logs_may_use``).

WAF adds the log groups' resource policy for its log delivery when CloudFormation creates the
configuration (AWS documents it for CloudWatch Logs destinations).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.cloud.monitoring import log_removal, retention
from infra.cloud.origin_proof import ORIGIN_HEADER

#: WAF delivers only to a log group whose name starts so.
LOG_GROUP_PREFIX = "aws-waf-logs-"
#: Headers whose values never reach the logs.
REDACTED_HEADERS = ("authorization", "cookie", ORIGIN_HEADER)
#: The actions a kept record carries: blocked, counted by a rule of ours, counted by a managed rule set to count.
KEPT_ACTIONS = ("BLOCK", "COUNT", "EXCLUDED_AS_COUNT")


def log_group_name(stage: str, firewall: str) -> str:
    return f"{LOG_GROUP_PREFIX}consores-{stage}-{firewall}"


def log_requests(acl: wafv2.CfnWebACL, *, stage: str, firewall: str, key: kms.IKey) -> wafv2.CfnLoggingConfiguration:
    """Logs what ``acl`` blocked or counted, redacted, to ``aws-waf-logs-consores-<stage>-<firewall>``."""
    scope: Construct = acl.node.scope  # type: ignore[assignment]
    group = logs.LogGroup(
        scope,
        f"{acl.node.id}Logs",
        log_group_name=log_group_name(stage, firewall),
        encryption_key=key,
        retention=retention(stage),
        removal_policy=log_removal(stage),
    )
    # WAF wants the log group's ARN without the ":*" that CloudFormation's Arn attribute ends with.
    destination = cdk.Stack.of(scope).format_arn(
        service="logs", resource="log-group", resource_name=group.log_group_name, arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME
    )
    return wafv2.CfnLoggingConfiguration(
        scope,
        f"{acl.node.id}Logging",
        resource_arn=acl.attr_arn,
        log_destination_configs=[destination],
        redacted_fields=[
            wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": header}) for header in REDACTED_HEADERS
        ],
        logging_filter={
            "DefaultBehavior": "DROP",
            "Filters": [
                {
                    "Behavior": "KEEP",
                    "Requirement": "MEETS_ANY",
                    "Conditions": [{"ActionCondition": {"Action": action}} for action in KEPT_ACTIONS],
                }
            ],
        },
    )
