"""The web site's firewall: a WAF WebACL of scope CLOUDFRONT, in front of everything the distribution serves
(the client and ``/api/*``).

AWS only accepts a CLOUDFRONT WebACL in us-east-1, whatever the region of the distribution's stack: it
is the one resource of a stage's companion stack, ``consores-<stage>-site-firewall``, deployed in
us-east-1; the stage's stack reads its ARN through CDK's cross-region references (an SSM parameter
written in the stage's region by the companion stack, read back by a custom resource), so
``cdk deploy --all`` deploys both, in that order.

Rules, in order: AWS's list of addresses known for bots and attacks; a rate per client address over
every path (a hospital's users often share one egress address, hence a high limit), and the stricter
rate of the account routes (``api_edge``: the same rule the API's regional firewall has, here on the
viewer's own address, which the API behind the distribution does not see); AWS's known bad inputs
(exploit payloads) and its common rule set, whose 8 KB body limit only counts: bodies are the API's
(validated by the app; files go straight to S3) and some are larger (a catalogue's entries).

What it blocks or counts is logged in us-east-1 (``waf_logs.py``), under a key of the companion stack.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.cloud.api_edge import (
    AUTH_PATH,
    AUTH_REQUESTS_PER_CLIENT,
    per_client_rule,
    too_many_requests_bodies,
    visibility,
)
from infra.cloud.keys import customer_key
from infra.cloud.monitoring import logs_may_use
from infra.cloud.waf_logs import log_requests

#: Where AWS accepts a WebACL of scope CLOUDFRONT.
FIREWALL_REGION = "us-east-1"
#: Requests of one client address per 5 minutes, every path (a page loads a few; a hospital's users share
#: an address): beyond, 429 until its rate falls.
SITE_REQUESTS_PER_CLIENT = 3000
#: AWS managed rule groups, in the order they are evaluated, with the rules of each that only count.
MANAGED_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AWSManagedRulesAmazonIpReputationList", ()),
    ("AWSManagedRulesKnownBadInputsRuleSet", ()),
    ("AWSManagedRulesCommonRuleSet", ("SizeRestrictions_BODY",)),
)


class SiteFirewallStack(cdk.Stack):
    """The companion stack of a stage, in us-east-1: the site's WebACL (``web_acl_arn``)."""

    def __init__(self, scope: Construct, stage: str, **kwargs: Any) -> None:
        env = kwargs.pop("env", None)
        account = env.account if env is not None else None
        super().__init__(
            scope,
            f"{stage}-site-firewall",
            env=cdk.Environment(account=account, region=FIREWALL_REGION),
            cross_region_references=True,
            **kwargs,
        )
        rules = [
            _managed_rule(*MANAGED_GROUPS[0], priority=0),
            per_client_rule("site-per-client", 1, SITE_REQUESTS_PER_CLIENT),
            per_client_rule("site-auth-routes-per-client", 2, AUTH_REQUESTS_PER_CLIENT, under=AUTH_PATH),
            *(_managed_rule(name, counted, priority=3 + i) for i, (name, counted) in enumerate(MANAGED_GROUPS[1:])),
        ]
        self.web_acl = wafv2.CfnWebACL(
            self,
            "SiteFirewall",
            scope="CLOUDFRONT",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=visibility(f"consores-{stage}-site"),
            custom_response_bodies=too_many_requests_bodies(),
            rules=rules,
        )
        self.web_acl_arn = self.web_acl.attr_arn
        self.logs_key = customer_key(self, "FirewallLogsKey", f"ConsoRes {stage}: the site firewall's logs")
        logs_may_use(self.logs_key)
        self.logging = log_requests(self.web_acl, stage=stage, firewall="site", key=self.logs_key)


def _managed_rule(name: str, counted: tuple[str, ...], priority: int) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=name,
                rule_action_overrides=[
                    wafv2.CfnWebACL.RuleActionOverrideProperty(
                        name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                    )
                    for rule in counted
                ]
                or None,
            )
        ),
        visibility_config=visibility(f"consores-{name}"),
    )
