"""Reading a synthesised template: resources by type, their properties, CloudFormation references."""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Template

from infra.resources import BUCKETS


def resources(template: Template, kind: str) -> dict[str, Any]:
    return dict(template.find_resources(kind))


def properties(template: Template, kind: str) -> list[dict[str, Any]]:
    return [resource["Properties"] for resource in resources(template, kind).values()]


def referenced(value: Any) -> str | None:
    """The logical id a ``Ref`` or ``Fn::GetAtt`` names, or None."""
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
    return None


def role_policy_statements(template: Template, role: str) -> list[dict[str, Any]]:
    """A role's statements (by its logical id); CDK moves what exceeds an inline policy's size to a managed
    "overflow" policy."""
    return [
        statement
        for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
        for policy in properties(template, kind)
        if {"Ref": role} in policy.get("Roles", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def data_buckets(template: Template) -> dict[str, Any]:
    """The buckets of ``infra/resources.py`` (not the site's nor the logs'), by logical id."""
    prefixes = tuple("".join(part.capitalize() for part in bucket.name.split("_")) + "Bucket" for bucket in BUCKETS)
    return {name: bucket for name, bucket in resources(template, "AWS::S3::Bucket").items() if name.startswith(prefixes)}
