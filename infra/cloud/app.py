"""CDK entry point: ``cdk deploy --all -c stage=dev`` from ``infra/cloud`` (venv active), or ``make deploy``.

Two stacks per stage: ``consores-<stage>`` (the platform, in the stage's region) and
``consores-<stage>-site-firewall`` (the site's WAF, which AWS only accepts in us-east-1).

Context:
  stage        Chalice stage and stack id: ``dev`` (default) or ``prod``.
  web_origins  comma-separated origins allowed to upload to the buckets, when not the site's own.
  site_domain, site_certificate_arn  the stage's domain and its ACM certificate (us-east-1).
  mail_identity  ``false`` when the SES identity of the mail domain already exists.
  alarm_emails   comma-separated addresses of the national team the alarms are e-mailed to.

Chalice's construct packages the app during synth (``chalice package``); it
writes its work files under ``./chalice.out``.

``cdk synth`` (and so ``cdk deploy``) runs cdk-nag's packs (``nag_suppressions.PACKS``) on both stacks as
CDK validation plugins: an unacknowledged finding fails the synthesis with its report, as
``tests/cloud/test_nag.py`` fails. The Chalice functions as SAM's transform makes them are read by
``tests/cloud/test_nag_functions.py`` only (the transform runs at deploy, in CloudFormation).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import aws_cdk as cdk

# ``python app.py`` runs from infra/cloud; the stack imports ``infra.resources``.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)))

from infra.cloud.hosting import Site
from infra.cloud.nag_suppressions import PACKS
from infra.cloud.site_firewall import SiteFirewallStack
from infra.cloud.stack import ConsoResStack

STAGES = ("dev", "prod")
#: The built web client (``make web``).
WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"


def stage_stacks(
    app: cdk.App,
    stage: str,
    *,
    region: str,
    web_assets: str,
    account: str | None = None,
    web_origins: Sequence[str] = (),
    site_domain: str | None = None,
    site_certificate_arn: str | None = None,
    mail_identity: bool = True,
    alarm_emails: Sequence[str] = (),
) -> tuple[ConsoResStack, SiteFirewallStack]:
    """A stage's stacks: the site's firewall in us-east-1, read by the platform's stack across regions."""
    firewall = SiteFirewallStack(
        app,
        stage,
        stack_name=f"consores-{stage}-site-firewall",
        env=cdk.Environment(account=account),
        description=f"ConsoRes antibiotic surveillance ({stage}): the web site's firewall",
    )
    platform = ConsoResStack(
        app,
        stage,
        stack_name=f"consores-{stage}",
        site=Site(
            assets=web_assets, firewall_arn=firewall.web_acl_arn, domain=site_domain, certificate_arn=site_certificate_arn
        ),
        web_origins=web_origins,
        mail_identity=mail_identity,
        alarm_emails=alarm_emails,
        env=cdk.Environment(account=account, region=region),
        cross_region_references=True,
        description=f"ConsoRes antibiotic surveillance ({stage})",
    )
    return platform, firewall


def check_with_packs(app: cdk.App) -> None:
    """cdk-nag's packs judge the app's stacks when it synthesises (their acknowledgements included)."""
    for pack in PACKS:
        cdk.Validations.of(app).add_plugins(pack(app))


def _listed(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


def main() -> None:
    app = cdk.App()
    stage = app.node.try_get_context("stage") or "dev"
    if stage not in STAGES:
        raise SystemExit(f"unknown stage {stage!r}: expected one of {', '.join(STAGES)}")
    mail_identity = str(app.node.try_get_context("mail_identity") or "true").lower() != "false"
    if not (WEB_DIST / "index.html").is_file():
        raise SystemExit(f"the web client is not built ({WEB_DIST}): run `make web` first")
    # Paris by default: the data are French health data.
    region = os.environ.get("CDK_DEFAULT_REGION", "eu-west-3")
    # `chalice package` (run by the construct) needs a region for its service principals.
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    stage_stacks(
        app,
        stage,
        region=region,
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
        web_assets=str(WEB_DIST),
        web_origins=_listed(app.node.try_get_context("web_origins")),
        site_domain=app.node.try_get_context("site_domain") or None,
        site_certificate_arn=app.node.try_get_context("site_certificate_arn") or None,
        mail_identity=mail_identity,
        alarm_emails=_listed(app.node.try_get_context("alarm_emails")),
    )
    check_with_packs(app)
    app.synth()


if __name__ == "__main__":
    main()
