"""cdk-nag's AWS Solutions and HIPAA Security packs find nothing left on the dev and prod stacks and on their
companion firewall stacks: every finding is fixed in the stack or acknowledged with its reason in
``infra/cloud/nag_suppressions.py``."""

from __future__ import annotations

import pytest
from constructs import IConstruct

from infra.cloud.nag_suppressions import ACKNOWLEDGED, FUNCTIONS_ACKNOWLEDGED, PACKS, SCOPED_WILDCARDS, flatten, scoped_reason
from tests.cloud.conftest import Synthesis

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def findings(scope: IConstruct) -> list[str]:
    """Every unacknowledged finding, errors and warnings alike: "<pack rule> at <construct path>"."""
    found = []
    for pack in PACKS:
        report = pack().validate_scope(scope)
        for violation in report.violations:
            found += [f"{violation.rule_name} at {resource.construct_path}" for resource in violation.violating_resources]
    return sorted(found)


def test_the_dev_stack_has_no_unacknowledged_finding_of_either_pack(synthesis: Synthesis) -> None:
    assert findings(synthesis.stack) == []


def test_the_prod_stack_has_no_unacknowledged_finding_of_either_pack(prod_synthesis: Synthesis) -> None:
    assert findings(prod_synthesis.stack) == []


def test_the_site_firewall_stacks_have_no_unacknowledged_finding_of_either_pack(
    synthesis: Synthesis, prod_synthesis: Synthesis
) -> None:
    assert findings(synthesis.firewall_stack) + findings(prod_synthesis.firewall_stack) == []


def test_every_acknowledgement_gives_a_reason() -> None:
    reasons = [a.reason for a in (*ACKNOWLEDGED, *FUNCTIONS_ACKNOWLEDGED)] + [reason for _, reason in SCOPED_WILDCARDS]
    assert all(len(reason.split()) >= 8 for reason in reasons)


def test_a_wildcard_on_a_whole_bucket_or_table_is_not_taken_for_a_scoped_one() -> None:
    whole_bucket = flatten({"Fn::Join": ["", [{"Fn::GetAtt": ["RawBucket0C3EE094", "Arn"]}, "/*"]]})
    assert whole_bucket == "<RawBucket0C3EE094.Arn>/*"
    assert scoped_reason(whole_bucket) is None
    assert scoped_reason("*") is None
    assert scoped_reason("<RawBucket0C3EE094.Arn>/uploads/*") is not None
