"""Health data under customer-managed keys, their accesses logged, the tables backed up daily.

Read back from the synthesised templates: each bucket and table names the key of its class of data
(``infra/cloud/families.py``), each key policy lets the account administer the key but not use it, and
only the families' roles (and the backup role) use a data key, through the service that stores the data.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from infra.cloud.backup import retention_days
from infra.cloud.families import BUCKET_KEYS, FAMILIES, encrypts_only, key_uses
from infra.cloud.keys import ADMINISTRATION
from infra.resources import BUCKETS, TABLES
from tests.cloud.cfn import properties, referenced, resources
from tests.cloud.test_least_privilege import family_role

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]

KEY_IDS = {"identifying": "IdentifyingDataKey", "data": "DataKey"}
USAGE = {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _service(via: Any) -> str:
    """``s3.<region>.amazonaws.com`` (the region a reference) -> ``s3``."""
    first = via["Fn::Join"][1][0] if isinstance(via, dict) else via
    return str(first).split(".")[0]


def key_logical(template: Template, prefix: str) -> str:
    (logical,) = [n for n in resources(template, "AWS::KMS::Key") if n.startswith(prefix) and len(n) == len(prefix) + 8]
    return logical


def key_statements(template: Template, logical: str) -> list[dict[str, Any]]:
    return list(resources(template, "AWS::KMS::Key")[logical]["Properties"]["KeyPolicy"]["Statement"])


def bucket_key(resource: dict[str, Any]) -> str | None:
    (rule,) = resource["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    return referenced(rule["ServerSideEncryptionByDefault"].get("KMSMasterKeyID"))


def test_each_data_bucket_is_encrypted_with_the_key_of_its_class_of_data_and_logs_its_accesses(template: Template) -> None:
    buckets = resources(template, "AWS::S3::Bucket")
    (logs,) = [n for n in buckets if n.startswith("AccessLogsBucket")]
    for bucket in BUCKETS:
        (logical,) = [n for n in buckets if n.startswith(f"{bucket.name.capitalize()}Bucket")]
        assert bucket_key(buckets[logical]) == key_logical(template, KEY_IDS[BUCKET_KEYS[bucket.name]]), bucket.name
        logging = buckets[logical]["Properties"]["LoggingConfiguration"]
        assert referenced(logging["DestinationBucketName"]) == logs and logging["LogFilePrefix"] == f"{bucket.name}/"
    assert "LoggingConfiguration" not in buckets[logs]["Properties"]
    assert [rule["ExpirationInDays"] for rule in buckets[logs]["Properties"]["LifecycleConfiguration"]["Rules"]] == [90]


def test_only_the_raw_bucket_is_under_the_identifying_key(template: Template) -> None:
    assert [b.name for b in BUCKETS if BUCKET_KEYS[b.name] == "identifying"] == ["raw"]


def test_every_table_is_encrypted_with_the_data_key(template: Template) -> None:
    tables = properties(template, "AWS::DynamoDB::Table")
    assert len(tables) == len(TABLES)
    for table in tables:
        assert table["SSESpecification"]["SSEEnabled"] is True and table["SSESpecification"]["SSEType"] == "KMS"
        assert referenced(table["SSESpecification"]["KMSMasterKeyId"]) == key_logical(template, "DataKey")


def test_no_key_policy_lets_the_account_root_use_a_data_key(template: Template) -> None:
    """The account administers (ADMINISTRATION) and lets DynamoDB and Backup create grants; it never uses."""
    for prefix in ("IdentifyingDataKey", "DataKey", "PseudonymKey"):
        for statement in key_statements(template, key_logical(template, prefix)):
            principal = str(statement["Principal"])
            if ":root" in principal:
                actions = set(_as_list(statement["Action"]))
                assert "kms:*" not in actions and not actions & USAGE, (prefix, actions)
                assert actions <= set(ADMINISTRATION) or (
                    actions == {"kms:CreateGrant"} and statement["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
                ), (prefix, actions)


def test_a_data_key_is_used_only_by_the_roles_of_the_families_that_need_it_and_only_through_s3_or_dynamodb(
    template: Template,
) -> None:
    for data_class, prefix in KEY_IDS.items():
        users = {}
        for statement in key_statements(template, key_logical(template, prefix)):
            role = referenced(statement["Principal"].get("AWS"))
            if role and role.endswith(tuple("0123456789ABCDEF")) and "FunctionsRole" in role:
                services = {_service(v) for v in _as_list(statement["Condition"]["StringEquals"]["kms:ViaService"])}
                users.setdefault(role, set()).update(services)
        expected: dict[str, set[str]] = {}
        for family in FAMILIES:
            for key_class, service in key_uses(family):
                if key_class == data_class:
                    expected.setdefault(family_role(template, family), set()).add(service)
        assert users == expected, data_class


def test_only_import_pseudonymisation_and_the_api_use_the_identifying_key() -> None:
    users = {f.name for f in FAMILIES if any(key == "identifying" for key, _ in key_uses(f))}
    assert users == {"api", "import", "pseudonymisation"}


def test_the_api_may_encrypt_the_files_it_signs_with_the_identifying_key_never_decrypt_them(template: Template) -> None:
    """The browser's upload is encrypted by S3 with a data key it generates; reading the file would decrypt."""
    api = family_role(template, next(f for f in FAMILIES if f.name == "api"))
    identifying = key_logical(template, KEY_IDS["identifying"])
    for statement in key_statements(template, identifying):
        if referenced(statement["Principal"].get("AWS")) == api:
            assert _as_list(statement["Action"]) == ["kms:GenerateDataKey"], statement
    assert encrypts_only(next(f for f in FAMILIES if f.name == "api"), "identifying")
    assert not any(encrypts_only(f, "identifying") for f in FAMILIES if f.name in {"import", "pseudonymisation"})


def test_the_pseudonymisation_key_policy_keeps_the_finess_encryption_context_rule(template: Template) -> None:
    statements = key_statements(template, key_logical(template, "PseudonymKey"))
    users = [s for s in statements if set(_as_list(s["Action"])) & USAGE]
    assert len(users) == 1 and users[0]["Condition"] == {"Null": {"kms:EncryptionContext:finess": "false"}}


def _backups(template: Template) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    (vault,) = resources(template, "AWS::Backup::BackupVault").values()
    (plan,) = properties(template, "AWS::Backup::BackupPlan")
    return vault, plan, properties(template, "AWS::Backup::BackupSelection")


def test_every_table_is_backed_up_daily_into_a_vault_under_its_own_key(template: Template) -> None:
    vault, plan, selections = _backups(template)
    assert referenced(vault["Properties"]["EncryptionKeyArn"]) == key_logical(template, "TableBackupsVaultKey")
    (rule,) = plan["BackupPlan"]["BackupPlanRule"]
    assert rule["ScheduleExpression"] == "cron(0 1 * * ? *)"
    assert rule["Lifecycle"]["DeleteAfterDays"] == retention_days("dev") == 7
    backed_up = {referenced(r) for s in selections for r in s["BackupSelection"].get("Resources", [])}
    tables = set(resources(template, "AWS::DynamoDB::Table"))
    assert tables and backed_up == tables
    assert all(
        t["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] for t in properties(template, "AWS::DynamoDB::Table")
    )
    assert "LockConfiguration" not in vault["Properties"] and vault["DeletionPolicy"] == "Delete"


def test_prod_keeps_backups_35_days_in_a_locked_retained_vault_and_protects_its_tables(prod_template: Template) -> None:
    vault, plan, _ = _backups(prod_template)
    (rule,) = plan["BackupPlan"]["BackupPlanRule"]
    assert rule["Lifecycle"]["DeleteAfterDays"] == retention_days("prod") == 35
    assert vault["Properties"]["LockConfiguration"]["MinRetentionDays"] == 35 and vault["DeletionPolicy"] == "Retain"
    assert all(t["DeletionProtectionEnabled"] for t in properties(prod_template, "AWS::DynamoDB::Table"))
    (logs,) = [r for n, r in resources(prod_template, "AWS::S3::Bucket").items() if n.startswith("AccessLogsBucket")]
    assert [rule["ExpirationInDays"] for rule in logs["Properties"]["LifecycleConfiguration"]["Rules"]] == [365]
