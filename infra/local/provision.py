"""Create the emulator's resources from the same definitions as the cloud stack."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path
from typing import Any

import boto3

from infra import resources

STAGE = "local"
REGION = "eu-west-3"
ROLE_NAME = "consores-local-lambda"
STATE_MACHINE_DIR = Path(__file__).resolve().parents[1] / "statemachines"


def client(service: str, endpoint: str) -> Any:
    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="local", aws_secret_access_key="local"
    )


def physical(name: str, prefix: str = f"consores-{STAGE}") -> str:
    return f"{prefix}-{name.replace('_', '-')}"


def create_missing_tables(endpoint: str, env: dict[str, str], prefix: str = f"consores-{STAGE}") -> dict[str, str]:
    """A restored state saved before a table was declared: create it, and add it to ``env``."""
    dynamodb = client("dynamodb", endpoint)
    added = dict(env)
    for table in resources.TABLES:
        if table.env_var in env:
            continue
        name = physical(table.name, prefix)
        with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):  # an earlier start created it
            dynamodb.create_table(**_table_spec(table, name))
        added[table.env_var] = name
    return added


def create_resources(endpoint: str, prefix: str = f"consores-{STAGE}") -> dict[str, str]:
    """Create every table, bucket, the user pool and the mail identity.

    ``prefix`` names them (tests use a unique one per test). Returns the
    environment the app needs to find them.
    """
    env: dict[str, str] = {}
    dynamodb = client("dynamodb", endpoint)
    for table in resources.TABLES:
        name = physical(table.name, prefix)
        dynamodb.create_table(**_table_spec(table, name))
        if table.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute}
            )
        env[table.env_var] = name
    s3 = client("s3", endpoint)
    for bucket in resources.BUCKETS:
        name = physical(bucket.name, prefix)
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        if bucket.versioned:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        expiring = ([("", bucket.expire_days)] if bucket.expire_days else []) + list(bucket.expire_prefixes)
        rules = [_expiry(prefix, days, current_too=True) for prefix, days in expiring]
        rules += [_expiry(prefix, days, current_too=False) for prefix, days in bucket.old_versions_expire]
        if rules:
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
        env[bucket.env_var] = name
    idp = client("cognito-idp", endpoint)
    pool = idp.create_user_pool(
        PoolName=f"{prefix}-{resources.USER_POOL_NAME}",
        Policies={
            "PasswordPolicy": {
                "MinimumLength": resources.PASSWORD_MIN_LENGTH,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
            }
        },
    )["UserPool"]["Id"]
    # As in the cloud: a second factor optional for the pool, TOTP only; the app requires it per profile.
    idp.set_user_pool_mfa_config(UserPoolId=pool, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL")
    app_client = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName=resources.USER_POOL_CLIENT_NAME,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    client("ses", endpoint).verify_email_identity(EmailAddress=resources.MAIL_FROM)
    iam = client("iam", endpoint)
    if ROLE_NAME not in {r["RoleName"] for r in iam.list_roles()["Roles"]}:
        iam.create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
        )
    key = client("kms", endpoint).create_key(Description="ConsoRes: pseudonymisation secrets of the establishments")
    env.update(
        {
            "CONSORES_KMS_KEY_ID": key["KeyMetadata"]["KeyId"],
            "CONSORES_USER_POOL_ID": pool,
            "CONSORES_USER_POOL_CLIENT_ID": app_client,
            "CONSORES_JWKS_URL": f"{endpoint}/{pool}/.well-known/jwks.json",
            "CONSORES_MAIL_FROM": resources.MAIL_FROM,
        }
    )
    return env


def register_functions(endpoint: str, function_names: list[str]) -> dict[str, str]:
    """Declare the app's non-HTTP handlers as Lambda functions in the emulator.

    Their code is never run by the emulator: the Lambda hook dispatches every
    invocation in-process to the Chalice handler of the same name.
    """
    lambda_client = client("lambda", endpoint)
    role = client("iam", endpoint).get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("app.py", "# dispatched in-process by infra/local/lambda_hook.py\n")
    arns = {}
    existing = {f["FunctionName"] for f in lambda_client.list_functions().get("Functions", [])}
    for name in function_names:
        physical_name = function_name(name)
        if physical_name not in existing:
            lambda_client.create_function(
                FunctionName=physical_name,
                Runtime="python3.11",
                Role=role,
                Handler=f"app.{name}",
                Code={"ZipFile": archive.getvalue()},
                Timeout=900,
                MemorySize=3008,
            )
        arns[name] = lambda_client.get_function(FunctionName=physical_name)["Configuration"]["FunctionArn"]
    return arns


def function_name(handler: str) -> str:
    return f"consores-{STAGE}-{handler}"


def handler_of(function: str) -> str:
    prefix = f"consores-{STAGE}-"
    return function[len(prefix) :] if function.startswith(prefix) else function


def _table_spec(table: resources.Table, name: str) -> dict[str, Any]:
    keys = [table.partition_key] + ([table.sort_key] if table.sort_key else [])
    attributes = set(keys)
    schema = [{"AttributeName": table.partition_key, "KeyType": "HASH"}]
    if table.sort_key:
        schema.append({"AttributeName": table.sort_key, "KeyType": "RANGE"})
    indexes = []
    for index in table.indexes:
        index_schema = [{"AttributeName": index.partition_key, "KeyType": "HASH"}]
        attributes.add(index.partition_key)
        if index.sort_key:
            index_schema.append({"AttributeName": index.sort_key, "KeyType": "RANGE"})
            attributes.add(index.sort_key)
        indexes.append({"IndexName": index.name, "KeySchema": index_schema, "Projection": {"ProjectionType": "ALL"}})
    spec: dict[str, Any] = {
        "TableName": name,
        "KeySchema": schema,
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if indexes:
        spec["GlobalSecondaryIndexes"] = indexes
    return spec


def notify_uploads(endpoint: str, raw_bucket: str, function_arn: str) -> None:
    """Raw bucket "object created" -> the on_upload function (the cloud uses EventBridge)."""
    client("s3", endpoint).put_bucket_notification_configuration(
        Bucket=raw_bucket,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {
                    "Id": "on-upload",
                    "LambdaFunctionArn": function_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
                }
            ]
        },
    )


def create_state_machines(endpoint: str, function_arns: dict[str, str], prefix: str = f"consores-{STAGE}") -> dict[str, str]:
    """The state machines of infra/statemachines/, with the task ARNs substituted.

    Returns the environment naming them. Idempotent (an existing one is updated).
    """
    sfn = client("stepfunctions", endpoint)
    role = client("iam", endpoint).get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    existing = {m["name"]: m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]}
    arns = {}
    for machine, filename in resources.STATE_MACHINES.items():
        definition = (STATE_MACHINE_DIR / filename).read_text()
        for placeholder, handler in resources.TASKS[machine].items():
            definition = definition.replace("${" + placeholder + "}", function_arns[handler])
        name = f"{prefix}-{machine}"
        if name in existing:
            sfn.update_state_machine(stateMachineArn=existing[name], definition=definition)
            arns[machine] = existing[name]
        else:
            arns[machine] = sfn.create_state_machine(name=name, definition=definition, roleArn=role)["stateMachineArn"]
    return {
        "CONSORES_DEDUP_STATE_MACHINE_ARN": arns["deduplication"],
        "CONSORES_CLOSURE_STATE_MACHINE_ARN": arns["closure"],
        "CONSORES_EARS_NET_STATE_MACHINE_ARN": arns["ears_net_export"],
        "CONSORES_ANNOTATED_REPORT_STATE_MACHINE_ARN": arns["annotated_report"],
        "CONSORES_REPORT_GENERATION_STATE_MACHINE_ARN": arns["report_generation"],
    }


def _expiry(prefix: str, days: int, current_too: bool) -> dict[str, Any]:
    """The objects under ``prefix`` go after ``days``, old versions with them; or, not ``current_too``, only
    their superseded versions (as ``infra/cloud/lifecycle.py``)."""
    return {
        "ID": f"expire-{prefix.strip('/') or 'all'}" if current_too else f"expire-old-versions-of-{prefix.replace('/', '-')}",
        "Status": "Enabled",
        "Filter": {"Prefix": prefix},
        **({"Expiration": {"Days": days}} if current_too else {}),
        "NoncurrentVersionExpiration": {"NoncurrentDays": days},
    }
