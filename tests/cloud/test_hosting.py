"""The web client hosted: a private bucket behind CloudFront with the API under /api, security headers, the
site's firewall in us-east-1, and the buckets accepting browser uploads from the site only."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from infra.cloud.hosting import API_PATHS, COUNTRIES, SPA_ROUTING, Site, WebHosting
from infra.cloud.origin_proof import ApiOriginProof
from infra.cloud.site_firewall import FIREWALL_REGION, MANAGED_GROUPS, SiteFirewallStack
from infra.resources import BUCKETS
from tests.cloud.cfn import properties, referenced, resources

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]

#: CloudFront's managed policies (their ids are fixed by AWS).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def the_distribution(template: Template) -> tuple[str, dict[str, Any]]:
    [(logical, distribution)] = resources(template, "AWS::CloudFront::Distribution").items()
    return logical, distribution["Properties"]["DistributionConfig"]


def bucket_id(template: Template, prefix: str) -> str:
    [logical] = [name for name in resources(template, "AWS::S3::Bucket") if name.startswith(prefix)]
    return logical


def origin_of(config: dict[str, Any], behaviour: dict[str, Any]) -> dict[str, Any]:
    [origin] = [origin for origin in config["Origins"] if origin["Id"] == behaviour["TargetOriginId"]]
    return origin


def api_behaviour(config: dict[str, Any]) -> dict[str, Any]:
    [behaviour] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == API_PATHS]
    return behaviour


def test_the_site_bucket_is_private_versioned_and_refuses_requests_without_tls(template: Template) -> None:
    site = resources(template, "AWS::S3::Bucket")[bucket_id(template, "SiteSiteBucket")]
    assert site["Properties"]["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    assert site["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    assert site["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    [policy] = [
        p
        for p in properties(template, "AWS::S3::BucketPolicy")
        if referenced(p["Bucket"]) == bucket_id(template, "SiteSiteBucket")
    ]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in policy["PolicyDocument"]["Statement"]
    )


def test_cloudfront_reads_the_site_bucket_through_an_origin_access_control_granted_to_this_distribution_only(
    template: Template,
) -> None:
    distribution, config = the_distribution(template)
    site = bucket_id(template, "SiteSiteBucket")
    origin = origin_of(config, config["DefaultCacheBehavior"])
    assert referenced(origin["DomainName"]) == site
    [(oac_id, oac)] = resources(template, "AWS::CloudFront::OriginAccessControl").items()
    assert referenced(origin["OriginAccessControlId"]) == oac_id
    assert oac["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    assert origin["S3OriginConfig"].get("OriginAccessIdentity", "") == ""
    assert resources(template, "AWS::CloudFront::CloudFrontOriginAccessIdentity") == {}
    [policy] = [p for p in properties(template, "AWS::S3::BucketPolicy") if referenced(p["Bucket"]) == site]
    allowed = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert [s["Principal"] for s in allowed] == [{"Service": "cloudfront.amazonaws.com"}]
    assert allowed[0]["Action"] == "s3:GetObject"
    source = allowed[0]["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Join"][1]
    assert {"Ref": distribution} in source and ":distribution/" in source


def test_api_paths_go_to_the_api_stage_uncached_with_every_viewer_header_but_host(template: Template) -> None:
    _, config = the_distribution(template)
    behaviour = api_behaviour(config)
    [api] = properties(template, "AWS::Serverless::Api")
    origin = origin_of(config, behaviour)
    assert origin["DomainName"]["Fn::Join"][1][:2] == [{"Ref": "RestAPI"}, ".execute-api."]
    assert origin["OriginPath"] == f"/{api['StageName']}"
    assert origin["CustomOriginConfig"] == {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]}
    assert behaviour["CachePolicyId"] == CACHING_DISABLED
    assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert behaviour["ViewerProtocolPolicy"] == "https-only"


def test_client_routes_get_the_client_and_the_apis_errors_reach_the_browser_unchanged(template: Template) -> None:
    _, config = the_distribution(template)
    assert "CustomErrorResponses" not in config, "an error page would turn the API's 403 and 404 into index.html"
    [association] = config["DefaultCacheBehavior"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    function = resources(template, "AWS::CloudFront::Function")[referenced(association["FunctionARN"])]
    assert function["Properties"]["FunctionCode"] == SPA_ROUTING.read_text()
    assert all(
        resources(template, "AWS::CloudFront::Function")[referenced(a["FunctionARN"])]["Properties"]["FunctionCode"]
        != SPA_ROUTING.read_text()
        for a in api_behaviour(config)["FunctionAssociations"]
    ), "the API's paths are never routed to the client"
    assert config["DefaultRootObject"] == "index.html"


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        ("/", "/index.html"),
        ("/etablissements/310000001/periodes", "/index.html"),
        ("/connexion", "/index.html"),
        ("/assets/index-DHJXpS_n.js", "/assets/index-DHJXpS_n.js"),
        ("/favicon.svg", "/favicon.svg"),
    ],
)
def test_the_routing_function_sends_client_routes_to_the_client_and_files_as_asked(asked: str, served: str) -> None:
    script = SPA_ROUTING.read_text() + f"\nconsole.log(handler({{request: {{uri: {json.dumps(asked)}}}}}).uri);"
    answer = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == served


def test_every_answer_carries_a_strict_csp_hsts_nosniff_and_no_framing(template: Template) -> None:
    [policy] = properties(template, "AWS::CloudFront::ResponseHeadersPolicy")
    headers = policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    _, config = the_distribution(template)
    [policy_id] = resources(template, "AWS::CloudFront::ResponseHeadersPolicy")
    for behaviour in (config["DefaultCacheBehavior"], api_behaviour(config)):
        assert referenced(behaviour["ResponseHeadersPolicyId"]) == policy_id
    hsts = headers["StrictTransportSecurity"]
    assert (hsts["AccessControlMaxAgeSec"], hsts["IncludeSubdomains"], hsts["Override"]) == (63072000, True, True)
    assert hsts["Preload"] is False, "dev: not preloaded (a browser's preload list is hard to leave)"
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}
    csp = csp_directives(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    assert csp["default-src"] == csp["script-src"] == csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert not any("'unsafe" in source or source == "*" for sources in csp.values() for source in sources)


def csp_directives(value: Any) -> dict[str, list[str]]:
    """The policy's directives, each bucket's endpoint as ``https://{<logical id>.<attribute>}``."""
    parts = value["Fn::Join"][1] if isinstance(value, dict) else [value]
    text = "".join(p if isinstance(p, str) else "{" + ".".join(p["Fn::GetAtt"]) + "}" for p in parts)
    return {d.split()[0]: d.split()[1:] for d in (directive.strip() for directive in text.split(";")) if d}


def test_the_browser_may_post_files_to_the_upload_buckets_and_nowhere_else(template: Template) -> None:
    [policy] = properties(template, "AWS::CloudFront::ResponseHeadersPolicy")
    csp = csp_directives(
        policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    )
    uploads = {bucket_id(template, f"{b.name.capitalize()}Bucket") for b in BUCKETS if b.browser_uploads}
    assert uploads and bucket_id(template, "RawBucket") in uploads
    expected = {f"https://{{{bucket}.{attribute}}}" for bucket in uploads for attribute in ("DomainName", "RegionalDomainName")}
    assert set(csp["connect-src"]) == set(csp["form-action"]) == {"'self'", *expected}


def test_production_preloads_hsts(prod_template: Template) -> None:
    [policy] = properties(prod_template, "AWS::CloudFront::ResponseHeadersPolicy")
    assert policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["StrictTransportSecurity"]["Preload"] is True


def test_the_upload_buckets_accept_browser_posts_from_the_sites_origin_only(template: Template) -> None:
    """The distribution's name is known once it exists: a custom resource writes the CORS rule then."""
    distribution, _ = the_distribution(template)
    assert not any("CorsConfiguration" in b for b in properties(template, "AWS::S3::Bucket"))
    written = {}
    for call in properties(template, "Custom::AWS"):
        parts = call["Create"]["Fn::Join"][1]
        if '"action":"putBucketCors"' in parts[0]:
            assert call["Update"] == call["Create"]
            written[referenced(parts[1])] = parts[2:]
    uploads = {bucket_id(template, f"{b.name.capitalize()}Bucket") for b in BUCKETS if b.browser_uploads}
    assert set(written) == uploads
    for rule in written.values():
        assert rule[0].endswith('"AllowedMethods":["POST"],"AllowedOrigins":["https://')
        assert rule[1] == {"Fn::GetAtt": [distribution, "DomainName"]}
        assert rule[2].startswith('"],')


def test_the_distribution_and_the_site_bucket_log_their_access(template: Template) -> None:
    _, config = the_distribution(template)
    logs = bucket_id(template, "SiteLogBucket")
    assert config["Logging"]["Bucket"] == {"Fn::GetAtt": [logs, "RegionalDomainName"]}
    site = resources(template, "AWS::S3::Bucket")[bucket_id(template, "SiteSiteBucket")]["Properties"]
    # Beside the data buckets' access logs (by bucket policy: CloudFront's log bucket needs ACLs, and no
    # AccessControl grant is declared on it: CloudFront grants its own log delivery).
    assert site["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": bucket_id(template, "AccessLogsBucket")}
    log_bucket = resources(template, "AWS::S3::Bucket")[logs]
    assert "AccessControl" not in log_bucket["Properties"]
    assert log_bucket["Properties"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True
    assert log_bucket["DeletionPolicy"] == "Retain"


def test_the_site_is_served_in_france_and_its_overseas_regions_over_https(template: Template) -> None:
    _, config = the_distribution(template)
    assert config["Restrictions"]["GeoRestriction"] == {"Locations": list(COUNTRIES), "RestrictionType": "whitelist"}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"


def test_the_built_client_is_copied_to_the_site_bucket_and_the_distribution_invalidated(template: Template) -> None:
    distribution, _ = the_distribution(template)
    deployments = properties(template, "Custom::CDKBucketDeployment")
    assert len(deployments) == 2
    for deployment in deployments:
        assert referenced(deployment["DestinationBucketName"]) == bucket_id(template, "SiteSiteBucket")
        assert deployment["Prune"] is False, "a tab opened before a deploy still loads its chunks"
    [invalidating] = [d for d in deployments if "DistributionId" in d]
    assert referenced(invalidating["DistributionId"]) == distribution and invalidating["DistributionPaths"] == ["/*"]


def test_the_site_firewall_guards_the_distribution_with_aws_managed_groups_and_per_client_rates(synthesis) -> None:
    firewall = synthesis.firewall
    [(acl_id, acl)] = resources(firewall, "AWS::WAFv2::WebACL").items()
    rules = acl["Properties"]["Rules"]
    assert acl["Properties"]["Scope"] == "CLOUDFRONT"
    groups = [r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in rules if "ManagedRuleGroupStatement" in r["Statement"]]
    assert set(groups) == {name for name, _ in MANAGED_GROUPS} >= {
        "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"
    }  # fmt: skip
    rates = [r for r in rules if "RateBasedStatement" in r["Statement"]]
    assert any("ScopeDownStatement" not in r["Statement"]["RateBasedStatement"] for r in rates), "a rate over every path"
    for rate in rates:
        assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
        assert rate["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    assert len({r["Priority"] for r in rules}) == len(rules)
    # The distribution names that WebACL, read across regions from the companion stack.
    [writer] = properties(firewall, "Custom::CrossRegionExportWriter")
    [(name, value)] = writer["WriterProps"]["exports"].items()
    assert value == {"Fn::GetAtt": [acl_id, "Arn"]}
    _, config = the_distribution(synthesis.template)
    assert config["WebACLId"]["Fn::GetAtt"][1] == name


def test_the_site_firewall_stack_is_in_us_east_1_as_aws_requires_of_a_cloudfront_webacl(tmp_path: Path) -> None:
    stack = SiteFirewallStack(
        cdk.App(outdir=str(tmp_path)), "dev", env=cdk.Environment(account="123456789012", region="eu-west-3")
    )
    assert FIREWALL_REGION == "us-east-1" == stack.region
    assert stack.account == "123456789012"


class _Api:
    """What WebHosting reads of the Chalice construct: its REST API and its stage."""

    def __init__(self, scope: cdk.Stack) -> None:
        self.stage_name = "prod"
        self._api = cdk.CfnResource(scope, "RestAPI", type="AWS::ApiGateway::RestApi")

    def get_resource(self, name: str) -> cdk.CfnResource:
        assert name == "RestAPI"
        return self._api


def test_a_stage_with_its_own_domain_refuses_viewers_below_tls_1_2(tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "index.html").write_text("<!doctype html>")
    stack = cdk.Stack(cdk.App(outdir=str(tmp_path / "out")), "prod", env=cdk.Environment(region="eu-west-3"))
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    site = Site(assets=str(tmp_path / "dist"), firewall_arn="arn:aws:wafv2:us-east-1:1:global/webacl/x/y",
                domain="consores.sante.example", certificate_arn=certificate)  # fmt: skip
    logs = s3.Bucket(stack, "AccessLogs")
    proof = ApiOriginProof(stack, "ApiOriginProof", stage="prod")
    hosting = WebHosting(stack, "Site", site=site, app=_Api(stack), upload_buckets=[], access_logs=logs,  # type: ignore[arg-type]
                         production=True, origin_proof=proof)  # fmt: skip
    assert hosting.origin == "https://consores.sante.example" and hosting.own_domain
    _, config = the_distribution(Template.from_stack(stack))
    assert config["Aliases"] == ["consores.sante.example"]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": certificate, "MinimumProtocolVersion": "TLSv1.2_2021", "SslSupportMethod": "sni-only"
    }  # fmt: skip
