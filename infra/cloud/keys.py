"""The stack's customer-managed KMS keys for the data, and their key policies.

Two data keys, one per class of data (``infra/resources.py`` says which bucket holds what):

- the *identifying* key encrypts the raw bucket, where uploaded files wait with the patients'
  identifiers not yet pseudonymised;
- the *data* key encrypts everything else: the lake and exports buckets and every table.

Rotated yearly and retained with the stack's data. A key policy names who may do what with its key,
and nothing is delegated to IAM: the account (its administrators, CloudFormation deploying the stack)
administers the keys without being able to use them, except to let DynamoDB and AWS Backup create the
grants they need for the resources they encrypt (``kms:GrantIsForAWSResource``). Usage is granted to
each family role that needs it, through the one service that stores what it reads (``kms:ViaService``),
in the key policy and in the role's own policy alike (``grant_use``), so that a role's statements say
everything it may do. Reading data by hand means an administrator adding themselves to the key policy:
that change is in CloudTrail.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.cloud.families import DATA_KEY, IDENTIFYING_KEY

#: What the account may do with a key: manage it, never encrypt or decrypt with it.
ADMINISTRATION = (
    "kms:Describe*",
    "kms:Get*",
    "kms:List*",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:UpdateKeyDescription",
    "kms:PutKeyPolicy",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:RotateKeyOnDemand",
    "kms:RevokeGrant",
    "kms:RetireGrant",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
)
#: What a role does with a data key, by the service it goes through: S3 encrypts an object with a data key
#: it generates and decrypts it on reading; DynamoDB also encrypts and re-encrypts its table keys.
USES: dict[str, tuple[str, ...]] = {
    "s3": ("kms:Decrypt", "kms:GenerateDataKey"),
    "dynamodb": (
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
    ),
}
#: The services whose resources the account may let create grants on a key (tables, backups).
GRANTING_SERVICES = ("dynamodb", "backup")


def via(scope: Construct, *services: str) -> dict[str, dict[str, list[str]]]:
    region = cdk.Stack.of(scope).region
    return {"StringEquals": {"kms:ViaService": [f"{service}.{region}.amazonaws.com" for service in services]}}


def customer_key(scope: Construct, construct_id: str, description: str) -> kms.Key:
    """A rotated, retained key whose policy lets the account administer it, not use it."""
    account = iam.AccountRootPrincipal()
    policy = iam.PolicyDocument(
        statements=[
            iam.PolicyStatement(sid="Administration", principals=[account], actions=list(ADMINISTRATION), resources=["*"]),
            iam.PolicyStatement(
                sid="GrantsForEncryptedResources",
                principals=[account],
                actions=["kms:CreateGrant"],
                resources=["*"],
                conditions={**via(scope, *GRANTING_SERVICES), "Bool": {"kms:GrantIsForAWSResource": "true"}},
            ),
        ]
    )
    return kms.Key(
        scope,
        construct_id,
        description=description,
        enable_key_rotation=True,
        policy=policy,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


#: What a role that only writes objects does with their key: S3 generates a data key to encrypt each one.
S3_ENCRYPT_ONLY = ("kms:GenerateDataKey",)


def grant_use(key: kms.Key, role: iam.IRole, service: str, *, encrypt_only: bool = False) -> None:
    """``role`` may use ``key`` through ``service`` only (the key policy and the role's policy say the same);
    ``encrypt_only``: an S3 writer that never reads, which needs no decryption."""
    actions = list(S3_ENCRYPT_ONLY if encrypt_only and service == "s3" else USES[service])
    conditions = via(key, service)
    role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=[key.key_arn], conditions=conditions))
    key.add_to_resource_policy(
        iam.PolicyStatement(principals=[role], actions=actions, resources=["*"], conditions=conditions)
    )


class DataKeys:
    """The two data keys, by class (``families.IDENTIFYING_KEY``, ``families.DATA_KEY``)."""

    def __init__(self, scope: Construct) -> None:
        self.by_class = {
            IDENTIFYING_KEY: customer_key(
                scope, "IdentifyingDataKey", "ConsoRes: uploaded files, identifiers not yet pseudonymised (raw bucket)"
            ),
            DATA_KEY: customer_key(scope, "DataKey", "ConsoRes: the lake, the exports and every table"),
        }

    def __getitem__(self, data_class: str) -> kms.Key:
        return self.by_class[data_class]
