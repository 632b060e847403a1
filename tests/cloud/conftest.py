"""Synthesise the cloud stack once per session (it runs ``chalice package``)."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

# jsii prints a banner about Node 20 (end of life for jsii) on every import:
# keep test output readable; `chalice package` needs a region for its service
# principals.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
# The stack imports ``infra``: make the repository root importable however pytest is started.
REPOSITORY_ROOT = str(Path(__file__).resolve().parents[2])
if REPOSITORY_ROOT not in sys.path:
    sys.path.insert(0, REPOSITORY_ROOT)

import aws_cdk as cdk  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from infra.cloud.app import stage_stacks  # noqa: E402
from infra.cloud.site_firewall import SiteFirewallStack  # noqa: E402
from infra.cloud.stack import ConsoResStack  # noqa: E402

STAGE = "dev"


@dataclass(frozen=True)
class Synthesis:
    template: Template
    #: The deployment package Chalice's construct built for the stack.
    deployment_zip: Path
    #: The stage's companion stack in us-east-1 (the site's WAF).
    firewall: Template
    #: The stack itself (cdk-nag walks its constructs) and its synthesised template file (cfn-lint reads it).
    stack: ConsoResStack
    template_file: Path
    #: The companion stack itself (cdk-nag walks it too) and its template file (cfn-lint reads it, in us-east-1).
    firewall_stack: SiteFirewallStack
    firewall_template_file: Path


#: The production stage's web client origin (production names it; dev's is its distribution's).
PROD_ORIGIN = "https://consores.sante.example"
REGION = "eu-west-3"


def built_client(out: Path) -> Path:
    """A stand-in for ``web/dist`` (``make web``): the stack deploys whatever folder it is given."""
    dist = out / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>ConsoRes</title>")
    (dist / "assets" / "index-test.js").write_text("export {};")
    return dist


def synthesise(stage: str, out: Path) -> Synthesis:
    # `chalice package` loads the app with the stage's environment variables set in this process's
    # environment and leaves them there (CONSORES_MFA_REQUIRED_PROFILES=admin,national for prod, among
    # others): a platform a flow test starts later in the same process would read them.
    environment = dict(os.environ)
    try:
        return _synthesise(stage, out)
    finally:
        os.environ.clear()
        os.environ.update(environment)


@contextmanager
def one_packager_at_a_time() -> Iterator[None]:
    """Hold the repository's packaging lock across processes.

    `chalice package` builds the Lambda zip in the repository's ``.chalice/deployments`` (named by a hash
    of the sources, reused when it exists): two test workers packaging at once on a fresh clone both
    create that folder (the second fails: File exists) and both write the same zip.
    """
    deployments = Path(REPOSITORY_ROOT) / ".chalice" / "deployments"
    deployments.mkdir(parents=True, exist_ok=True)
    with (deployments / ".packaging.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _synthesise(stage: str, out: Path) -> Synthesis:
    previous = Path.cwd()
    # The Chalice construct writes its package under ./chalice.out.
    os.chdir(out)
    try:
        app = cdk.App(outdir=str(out / "cdk.out"))
        origins = (PROD_ORIGIN,) if stage == "prod" else ()
        with one_packager_at_a_time():
            stack, firewall = stage_stacks(
                app, stage, region=REGION, web_assets=str(built_client(out)), web_origins=origins
            )
        template, firewall_template = Template.from_stack(stack), Template.from_stack(firewall)
    finally:
        os.chdir(previous)
    zips = sorted(out.glob("chalice.out/*/deployment.zip"))
    assert len(zips) == 1, f"expected one deployment.zip under {out}/chalice.out, found {zips}"
    return Synthesis(
        template=template, deployment_zip=zips[0], firewall=firewall_template, stack=stack,
        template_file=out / "cdk.out" / f"{stage}.template.json", firewall_stack=firewall,
        firewall_template_file=out / "cdk.out" / f"{firewall.artifact_id}.template.json",
    )


@pytest.fixture(scope="session")
def synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    return synthesise(STAGE, tmp_path_factory.mktemp("cloud"))


@pytest.fixture(scope="session")
def prod_synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    """The production stage, where it differs from ``dev`` (a second packaging: only where needed)."""
    return synthesise("prod", tmp_path_factory.mktemp("cloud-prod"))


@pytest.fixture(scope="session")
def prod_template(prod_synthesis: Synthesis) -> Template:
    return prod_synthesis.template


@pytest.fixture(scope="session")
def template(synthesis: Synthesis) -> Template:
    return synthesis.template
