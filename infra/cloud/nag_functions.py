"""The Chalice functions as CloudFormation deploys them, for cdk-nag.

Chalice's construct includes a SAM template: its functions and API are ``AWS::Serverless::*`` resources,
which cdk-nag's rules do not read (they check ``AWS::Lambda::Function``, ``AWS::ApiGateway::Stage``...).
CloudFormation applies SAM's transform at deploy; here the same transform (``aws-sam-translator``, offline)
is applied to the synthesised stack's template, every override the stack made included (roles, log
groups, concurrency), and the result is included in a throwaway stack of a separate app, where the packs
(``nag_suppressions.PACKS``) and the acknowledgements (``nag_suppressions.Acknowledge``) run as on the
stack itself. Only the resources the transform made count (``TransformedFunctions.made``): the others
are the stack's own, which ``tests/cloud/test_nag.py`` reads on the stack.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import cloudformation_include as cfn_include
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from infra.cloud.nag_suppressions import Acknowledge

#: SAM resolves the names of managed policies a function's ``Policies`` list; ours name none (every
#: function has its family's role), so a static map keeps the transform offline (no IAM call).
MANAGED_POLICIES = {"AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}


def sam_transform(template: dict[str, Any]) -> dict[str, Any]:
    """``template`` as CloudFormation's ``AWS::Serverless-2016-10-31`` transform turns it (the region is
    the environment's ``AWS_DEFAULT_REGION``)."""
    transformed: dict[str, Any] = Translator(None, Parser()).translate(
        copy.deepcopy(template), parameter_values={}, get_managed_policy_map=lambda: MANAGED_POLICIES
    )
    return transformed


def made_by_the_transform(template: dict[str, Any], transformed: dict[str, Any]) -> frozenset[str]:
    """Logical ids of what the transform made: the SAM resources turned into their CloudFormation kinds
    (same ids), and what it added (the API's deployment and stage)."""
    before = template["Resources"]
    serverless = {name for name, resource in before.items() if resource["Type"].startswith("AWS::Serverless::")}
    return frozenset(serverless | (set(transformed["Resources"]) - set(before)))


@dataclass(frozen=True)
class TransformedFunctions:
    #: The throwaway stack holding the transformed template.
    stack: cdk.Stack
    made: frozenset[str]


def transformed_functions(template_file: Path, work_dir: Path, region: str) -> TransformedFunctions:
    """The synthesised stack's template (``template_file``), transformed, in a stack of a new app."""
    template = json.loads(template_file.read_text())
    transformed = sam_transform(template)
    included = work_dir / f"{template_file.stem}.transformed.json"
    included.write_text(json.dumps(transformed))
    app = cdk.App(outdir=str(work_dir / "cdk.out"))
    # The template already holds CDK's bootstrap version check.
    synthesizer = cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)
    stack = cdk.Stack(app, "TransformedFunctions", env=cdk.Environment(region=region), synthesizer=synthesizer)
    cfn_include.CfnInclude(stack, "Template", template_file=str(included))
    cdk.Aspects.of(stack).add(Acknowledge())
    app.synth()  # runs the aspect
    return TransformedFunctions(stack=stack, made=made_by_the_transform(template, transformed))
