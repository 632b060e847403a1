"""AWS Backup of every table: a daily backup plan into a vault encrypted with a key of its own.

The tables also keep point-in-time recovery (35 days, ``stack._table``); the plan adds daily
recovery points kept apart from the tables, in a vault that deleting a table or the stack does not
touch. ``prod`` keeps them 35 days in a locked vault (AWS Backup refuses to delete a recovery point
younger than that, whoever asks) and retains the vault with the stack; ``dev`` keeps them 7 days,
unlocked, and its vault goes with the stack once empty.
"""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.cloud.keys import customer_key, via
from infra.cloud.monitoring import PRODUCTION

#: How long a daily recovery point is kept, by stage.
RETENTION_DAYS = {PRODUCTION: 35}
DEFAULT_RETENTION_DAYS = 7
#: The backup service's own permissions on DynamoDB, maintained by AWS as the service evolves.
BACKUP_SERVICE_POLICY = "service-role/AWSBackupServiceRolePolicyForBackup"
#: What the backup role does with the tables' key (reading encrypted tables) and the vault's (writing
#: recovery points), each only through DynamoDB or AWS Backup.
KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey")


def retention_days(stage: str) -> int:
    return RETENTION_DAYS.get(stage, DEFAULT_RETENTION_DAYS)


class TableBackups(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: str, tables: Mapping[str, dynamodb.ITable], table_key: kms.Key
    ) -> None:
        super().__init__(scope, construct_id)
        production = stage == PRODUCTION
        days = cdk.Duration.days(retention_days(stage))
        self.key = customer_key(self, "VaultKey", "ConsoRes: the tables' backups (AWS Backup vault)")
        self.vault = backup.BackupVault(
            self,
            "Vault",
            backup_vault_name=f"consores-{stage}",
            encryption_key=self.key,
            lock_configuration=backup.LockConfiguration(min_retention=days) if production else None,
            removal_policy=cdk.RemovalPolicy.RETAIN if production else cdk.RemovalPolicy.DESTROY,
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            description=f"ConsoRes {stage}: AWS Backup's daily backups of the tables",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(BACKUP_SERVICE_POLICY)],
        )
        for key in (table_key, self.key):
            conditions = via(self, "dynamodb", "backup")
            self.role.add_to_principal_policy(
                iam.PolicyStatement(actions=list(KEY_ACTIONS), resources=[key.key_arn], conditions=conditions)
            )
            key.add_to_resource_policy(
                iam.PolicyStatement(principals=[self.role], actions=list(KEY_ACTIONS), resources=["*"], conditions=conditions)
            )
        self.plan = backup.BackupPlan(
            self,
            "Plan",
            backup_plan_name=f"consores-{stage}-tables",
            backup_vault=self.vault,
            backup_plan_rules=[
                backup.BackupPlanRule(
                    rule_name="daily",
                    # 01:00 UTC, when nobody imports.
                    schedule_expression=events.Schedule.cron(hour="1", minute="0"),
                    delete_after=days,
                )
            ],
        )
        self.plan.add_selection(
            "Tables",
            resources=[backup.BackupResource.from_dynamo_db_table(table) for table in tables.values()],
            role=self.role,
        )
