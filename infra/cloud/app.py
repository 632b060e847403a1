"""CDK entry point: ``cdk deploy -c stage=dev`` from ``infra/cloud`` (venv active).

Context:
  stage        Chalice stage and stack id: ``dev`` (default) or ``prod``.
  web_origins  comma-separated origins allowed to upload to the raw bucket.
  mail_identity  ``false`` when the SES identity of the mail domain already exists.
  alarm_emails   comma-separated addresses of the national team the alarms are e-mailed to.

Chalice's construct packages the app during synth (``chalice package``); it
writes its work files under ``./chalice.out``.
"""

from __future__ import annotations

import os
import sys

import aws_cdk as cdk

# ``python app.py`` runs from infra/cloud; the stack imports ``infra.resources``.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)))

from infra.cloud.stack import ConsoResStack

STAGES = ("dev", "prod")


def main() -> None:
    app = cdk.App()
    stage = app.node.try_get_context("stage") or "dev"
    if stage not in STAGES:
        raise SystemExit(f"unknown stage {stage!r}: expected one of {', '.join(STAGES)}")
    origins = app.node.try_get_context("web_origins") or "*"
    mail_identity = str(app.node.try_get_context("mail_identity") or "true").lower() != "false"
    emails = app.node.try_get_context("alarm_emails") or ""
    # Paris by default: the data are French health data.
    region = os.environ.get("CDK_DEFAULT_REGION", "eu-west-3")
    # `chalice package` (run by the construct) needs a region for its service principals.
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    ConsoResStack(
        app,
        stage,
        stack_name=f"consores-{stage}",
        web_origins=tuple(origin.strip() for origin in origins.split(",") if origin.strip()),
        mail_identity=mail_identity,
        alarm_emails=tuple(email.strip() for email in emails.split(",") if email.strip()),
        env=cdk.Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
            region=region,
        ),
        description=f"ConsoRes antibiotic surveillance ({stage})",
    )
    app.synth()


if __name__ == "__main__":
    main()
