"""One IAM role per family of functions (``infra/cloud/families.py``), and each function given its family's.

No AWS managed policy and no ``*`` resource: each statement names the stack's resources (tables and
their indexes, bucket prefixes, the user pool, the workgroup, the key, the queues, the functions' own log
groups). The functions do not trace (no X-Ray) nor put metrics, the two usual reasons for a ``*``.
"""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from infra.cloud.event_routes import logical_name
from infra.cloud.families import (
    API_HANDLER,
    AUDIT_TABLE,
    DELETE,
    FAMILIES,
    IMPORT_FUNCTION,
    READ,
    WRITE,
    Family,
    Objects,
    encrypts_only,
    key_uses,
)
from infra.cloud.keys import DataKeys, grant_use
from infra.cloud.lake_catalogue import LakeCatalogue
from infra.cloud.monitoring import app_functions, function_log_group_name
from infra.resources import MAIL_FROM, TABLES

#: What the app does with the pool (see ``chalicelib/adapters/cognito_identity.py``): it creates and
#: confirms accounts itself because it sends its own codes through SES.
COGNITO_ACTIONS = (
    "cognito-idp:AdminConfirmSignUp",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminSetUserPassword",
    "cognito-idp:SignUp",
    "cognito-idp:InitiateAuth",
    "cognito-idp:AdminUpdateUserAttributes",
)
TABLE_ACTIONS = {
    READ: ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem",
           "dynamodb:DescribeTable"),
    WRITE: ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"),
    DELETE: ("dynamodb:DeleteItem",),
}  # fmt: skip
#: Appending to the audit, for every family; reading it, for those that list it. Never Update, Delete, BatchWrite.
AUDIT_APPEND = ("dynamodb:PutItem",)
AUDIT_READ = ("dynamodb:Query",)
OBJECT_ACTIONS = {
    READ: ("s3:GetObject", "s3:GetObjectVersion"),
    WRITE: ("s3:PutObject",),
    DELETE: ("s3:DeleteObject", "s3:DeleteObjectVersion"),
}
LIST_ACTIONS = ("s3:ListBucket", "s3:ListBucketVersions")
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
QUEUE_SEND_ACTIONS = ("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")

TABLE_INDEXES = {table.name: bool(table.indexes) for table in TABLES}


def function_logical_id(handler: str) -> str:
    """Chalice's CloudFormation name of a function (the REST handler's is ``APIHandler``)."""
    return "APIHandler" if handler == API_HANDLER else logical_name(handler)


def function_name(stage: str, handler: str) -> str:
    """The physical name given to a function other functions invoke (named, so that every function's environment
    may name it without referring to it: the function's own environment would be a circular reference)."""
    return f"consores-{stage}-{handler}"


def function_arn(scope: Construct, stage: str, handler: str) -> str:
    return cdk.Stack.of(scope).format_arn(
        service="lambda", resource="function", resource_name=function_name(stage, handler),
        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
    )  # fmt: skip


def name_invoked_functions(app: Chalice, stage: str) -> None:
    """Each function some family invokes gets its physical name (``function_name``)."""
    for handler in sorted({f for family in FAMILIES for f in family.invokes}):
        app.get_resource(function_logical_id(handler)).add_property_override("FunctionName", function_name(stage, handler))


def invoked_functions_environment(stage: str) -> dict[str, str]:
    """What ``chalicelib/config.py`` reads to name the import function."""
    return {"CONSORES_IMPORT_FUNCTION": function_name(stage, IMPORT_FUNCTION)}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


class FamilyRoles:
    """The families' roles, built from ``FAMILIES`` over the stack's resources."""

    def __init__(
        self,
        scope: Construct,
        *,
        stage: str,
        tables: Mapping[str, dynamodb.ITable],
        buckets: Mapping[str, s3.IBucket],
        pool: cognito.IUserPool,
        pseudonym_key: kms.Key,
        data_keys: DataKeys,
        lake_catalogue: LakeCatalogue,
        workflow_arns: Mapping[str, str],
    ) -> None:
        self._stack = cdk.Stack.of(scope)
        self._stage = stage
        self._tables = tables
        self._buckets = buckets
        self.roles: dict[str, iam.Role] = {}
        for family in FAMILIES:
            role = iam.Role(
                scope,
                f"{_camel(family.name)}FunctionsRole",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"ConsoRes {stage}, {family.name} functions: {family.purpose}"[:1000],
            )
            self._logs(role, family)
            self._data(role, family)
            # The data keys of what it reads and writes, each through the service that stores it (keys.py).
            for data_class, service in sorted(key_uses(family)):
                grant_use(data_keys[data_class], role, service, encrypt_only=encrypts_only(family, data_class))
            for grant in family.objects:
                self._objects(role, grant)
            if family.starts:
                role.add_to_principal_policy(
                    iam.PolicyStatement(actions=["states:StartExecution"], resources=[workflow_arns[m] for m in family.starts])
                )
            if family.invokes:
                role.add_to_principal_policy(
                    iam.PolicyStatement(
                        actions=["lambda:InvokeFunction"], resources=[function_arn(scope, stage, f) for f in family.invokes]
                    )
                )
            if family.queries:
                lake_catalogue.grant_query(role)
            if family.identity:
                pool.grant(role, *COGNITO_ACTIONS)
            if family.mail:
                self._mail(role)
            if family.pseudonymises:
                # Each secret is bound to its establishment (the adapter always names it). The key policy says the
                # same: the key trusts no IAM policy of the account (keys.py).
                conditions = {"Null": {"kms:EncryptionContext:finess": "false"}}
                role.add_to_principal_policy(
                    iam.PolicyStatement(actions=list(KEY_ACTIONS), resources=[pseudonym_key.key_arn], conditions=conditions)
                )
                pseudonym_key.add_to_resource_policy(
                    iam.PolicyStatement(principals=[role], actions=list(KEY_ACTIONS), resources=["*"], conditions=conditions)
                )
            self.roles[family.name] = role
        self._by_function = {function: self.roles[family.name] for family in FAMILIES for function in family.functions}

    def of(self, handler: str) -> iam.Role:
        return self._by_function[handler]

    def grant_failures(self, queues: Mapping[str, sqs.IQueue]) -> None:
        """Each asynchronously invoked function may write what it failed on to its queue (handler -> queue)."""
        for handler, queue in queues.items():
            role = self.of(handler)
            role.add_to_principal_policy(iam.PolicyStatement(actions=list(QUEUE_SEND_ACTIONS), resources=[queue.queue_arn]))
            # The queue's key, to encrypt what is sent (CDK's grant_send_messages would grant kms:GenerateDataKey*
            # and kms:ReEncrypt*: more than sending needs).
            if queue.encryption_master_key is not None:
                role.add_to_principal_policy(
                    iam.PolicyStatement(actions=list(KEY_ACTIONS), resources=[queue.encryption_master_key.key_arn])
                )

    def assign(self, app: Chalice) -> None:
        """Every packaged function runs with its family's role. The REST handler already has the API's (the
        stage's ``iam_role_arn``); Chalice reads per-function roles only from ``.chalice/config.json``, so the
        others' ``Role`` is set on the packaged template."""
        packaged = set(app_functions(app))
        declared = {function_logical_id(handler): handler for handler in self._by_function}
        if packaged != set(declared):
            raise ValueError(
                f"functions without a family: {sorted(packaged - set(declared))}; "
                f"families naming no function: {sorted(set(declared) - packaged)} (infra/cloud/families.py)"
            )
        for logical, handler in declared.items():
            if handler != API_HANDLER:
                app.get_resource(logical).add_property_override("Role", self.of(handler).role_arn)

    def _logs(self, role: iam.Role, family: Family) -> None:
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(LOG_ACTIONS),
                resources=[
                    self._stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=f"{function_log_group_name(self._stage, function_logical_id(handler))}:*",
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                    for handler in family.functions
                ],
            )
        )

    def _data(self, role: iam.Role, family: Family) -> None:
        if AUDIT_TABLE in family.tables:
            raise ValueError(f"{family.name}: the audit is granted by AUDIT_APPEND/reads_audit only, never as a table")
        for name in family.tables:
            table = self._tables[name]
            access = family.table_access(name)
            actions = [action for level in (READ, WRITE, DELETE) if level in access for action in TABLE_ACTIONS[level]]
            indexes = [f"{table.table_arn}/index/*"] if READ in access and TABLE_INDEXES[name] else []
            role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=[table.table_arn, *indexes]))
        audit = self._tables[AUDIT_TABLE]
        actions = [*AUDIT_APPEND, *(AUDIT_READ if family.reads_audit else ())]
        role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=[audit.table_arn]))

    def _objects(self, role: iam.Role, grant: Objects) -> None:
        bucket = self._buckets[grant.bucket]
        actions = [action for level in (READ, WRITE, DELETE) if level in grant.access for action in OBJECT_ACTIONS[level]]
        if actions:
            resources = [bucket.arn_for_objects(_objects_under(p)) for p in grant.prefixes]
            role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=resources))
        if READ in grant.access:
            # S3 answers a read of a missing object 404 only to who may list the bucket (else 403, which the app
            # would take for a fault): the code reads absent objects on purpose (a report not made yet, an expired
            # raw file, the first EARS-Net ledger of a year). Key names only, never the objects.
            role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn]))
        if grant.list:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(LIST_ACTIONS),
                    resources=[bucket.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [f"{p}*" for p in grant.prefixes]}},
                )
            )

    def _mail(self, role: iam.Role) -> None:
        """Mail from the platform's one address (SES checks the sending identity, and in the sandbox the
        recipients' too: the stage's identities, not another account's)."""
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ses:SendEmail"],
                resources=[self._stack.format_arn(service="ses", resource="identity", resource_name="*")],
                conditions={"StringEquals": {"ses:FromAddress": MAIL_FROM}},
            )
        )


def _objects_under(prefix: str) -> str:
    """A folder's objects (``closed/`` gives ``closed/*``); a name without its final slash is one object."""
    return f"{prefix}*" if prefix.endswith("/") else prefix
