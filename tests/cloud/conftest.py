"""Synthesise the cloud stack once per session (it runs ``chalice package``)."""

from __future__ import annotations

import os
import sys
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

from infra.cloud.stack import ConsoResStack  # noqa: E402

STAGE = "dev"


@dataclass(frozen=True)
class Synthesis:
    template: Template
    #: The deployment package Chalice's construct built for the stack.
    deployment_zip: Path
    #: The stack itself (cdk-nag walks its constructs) and its synthesised template file (cfn-lint reads it).
    stack: ConsoResStack
    template_file: Path


#: The production stage's web client origin (production names it; dev accepts any).
PROD_ORIGIN = "https://consores.sante.example"


def synthesise(stage: str, out: Path) -> Synthesis:
    previous = Path.cwd()
    # The Chalice construct writes its package under ./chalice.out.
    os.chdir(out)
    try:
        app = cdk.App(outdir=str(out / "cdk.out"))
        origins = (PROD_ORIGIN,) if stage == "prod" else ("*",)
        stack = ConsoResStack(app, stage, stack_name=f"consores-{stage}", web_origins=origins)
        template = Template.from_stack(stack)
    finally:
        os.chdir(previous)
    zips = sorted(out.glob("chalice.out/*/deployment.zip"))
    assert len(zips) == 1, f"expected one deployment.zip under {out}/chalice.out, found {zips}"
    return Synthesis(
        template=template, deployment_zip=zips[0], stack=stack, template_file=out / "cdk.out" / f"{stage}.template.json"
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
