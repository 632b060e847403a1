"""cdk-nag's packs find nothing left on the Chalice functions and API as CloudFormation deploys them (the
stack's template through SAM's transform, ``infra/cloud/nag_functions.py``), dev and prod: every finding
is fixed in the stack or acknowledged with its reason in ``infra/cloud/nag_suppressions.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.cloud.nag_functions import transformed_functions
from infra.cloud.nag_suppressions import PACKS
from tests.cloud.conftest import REGION, Synthesis

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def findings(synthesis: Synthesis, work_dir: Path) -> list[str]:
    """Every unacknowledged finding on what the transform made: "<pack rule> at <logical id>"."""
    functions = transformed_functions(synthesis.template_file, work_dir, REGION)
    found = []
    for pack in PACKS:
        for violation in pack().validate_scope(functions.stack).violations:
            for resource in violation.violating_resources:
                logical = resource.construct_path.rsplit("/", 1)[-1]
                if logical in functions.made:
                    found.append(f"{violation.rule_name} at {logical}")
    return sorted(found)


def test_the_transform_shows_every_chalice_function_and_the_api(synthesis: Synthesis, tmp_path: Path) -> None:
    functions = transformed_functions(synthesis.template_file, tmp_path, REGION)
    kinds = {functions.stack.node.find_child("Template").node.find_child(name).cfn_resource_type for name in functions.made}
    assert {"AWS::Lambda::Function", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage"} <= kinds
    assert "APIHandler" in functions.made and "OnUpload" in functions.made


def test_the_dev_functions_have_no_unacknowledged_finding_of_either_pack(synthesis: Synthesis, tmp_path: Path) -> None:
    assert findings(synthesis, tmp_path) == []


def test_the_prod_functions_have_no_unacknowledged_finding_of_either_pack(prod_synthesis: Synthesis, tmp_path: Path) -> None:
    assert findings(prod_synthesis, tmp_path) == []
