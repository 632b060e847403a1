"""The cloud stack declares what ``infra/resources.py`` defines, safely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from chalicelib.domain.lake import CLOSED_CHANGES
from infra.cloud.lake_catalogue import RESULTS_PREFIX
from infra.resources import (
    BUCKETS,
    MAIL_FROM,
    PASSWORD_MIN_LENGTH,
    TABLES,
    USER_POOL_CLIENT_NAME,
    USER_POOL_NAME,
)
from tests.cloud.cfn import data_buckets, properties, referenced, resources
from tests.cloud.conftest import PROD_ORIGIN

# One xdist worker for the folder (``--dist loadgroup``): one synthesis, one package.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]


def key_schema(keys: list[dict[str, str]]) -> tuple[str, str | None]:
    by_type = {key["KeyType"]: key["AttributeName"] for key in keys}
    return by_type["HASH"], by_type.get("RANGE")


def the_function(template: Template) -> dict[str, Any]:
    functions = properties(template, "AWS::Serverless::Function")
    assert functions, "the Chalice app declares no function"
    return functions[0]


def app_policy_statements(template: Template, function: str = "APIHandler") -> list[dict[str, Any]]:
    """The statements of a function's role (the REST handler's by default); CDK moves what exceeds an inline
    policy's size to a managed "overflow" policy."""
    role_id = resources(template, "AWS::Serverless::Function")[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    return [
        statement
        for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
        for policy in properties(template, kind)
        if {"Ref": role_id} in policy.get("Roles", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def actions_of(statement: dict[str, Any]) -> set[str]:
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


def test_every_table_of_the_definitions_is_declared(template: Template) -> None:
    template.resource_count_is("AWS::DynamoDB::Table", len(TABLES))
    declared = {key_schema(table["KeySchema"]) for table in properties(template, "AWS::DynamoDB::Table")}
    assert declared == {(table.partition_key, table.sort_key) for table in TABLES}


def test_every_table_has_point_in_time_recovery_and_encryption(template: Template) -> None:
    for resource in resources(template, "AWS::DynamoDB::Table").values():
        table = resource["Properties"]
        assert table["BillingMode"] == "PAY_PER_REQUEST"
        assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert table["SSESpecification"]["SSEEnabled"] is True
        assert resource["DeletionPolicy"] == "Retain"


def test_production_tables_refuse_deletion_and_dev_tables_may_be_torn_down(template: Template, prod_template: Template) -> None:
    assert all(t.get("DeletionProtectionEnabled") is True for t in properties(prod_template, "AWS::DynamoDB::Table"))
    assert not any(t.get("DeletionProtectionEnabled") for t in properties(template, "AWS::DynamoDB::Table"))


def test_every_key_attribute_is_a_string(template: Template) -> None:
    for table in properties(template, "AWS::DynamoDB::Table"):
        assert {attribute["AttributeType"] for attribute in table["AttributeDefinitions"]} == {"S"}


def test_every_index_projects_all_attributes(template: Template) -> None:
    declared = {
        (index["IndexName"], key_schema(index["KeySchema"]), index["Projection"]["ProjectionType"])
        for table in properties(template, "AWS::DynamoDB::Table")
        for index in table.get("GlobalSecondaryIndexes", [])
    }
    expected = {(index.name, (index.partition_key, index.sort_key), "ALL") for t in TABLES for index in t.indexes}
    assert declared == expected


def test_codes_expire_through_their_ttl_attribute(template: Template) -> None:
    ttls = {
        table["TimeToLiveSpecification"]["AttributeName"]
        for table in properties(template, "AWS::DynamoDB::Table")
        if table.get("TimeToLiveSpecification", {}).get("Enabled")
    }
    assert ttls == {table.ttl_attribute for table in TABLES if table.ttl_attribute}


def test_buckets_block_public_access_and_are_versioned(template: Template) -> None:
    assert len(data_buckets(template)) == len(BUCKETS)
    for resource in data_buckets(template).values():
        bucket = resource["Properties"]
        assert bucket["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
        assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert resource["DeletionPolicy"] == "Retain"


def test_buckets_refuse_requests_without_tls(template: Template) -> None:
    policies = [p for p in properties(template, "AWS::S3::BucketPolicy") if referenced(p["Bucket"]) in data_buckets(template)]
    assert len(policies) == len(BUCKETS)
    for policy in policies:
        assert any(
            statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for statement in policy["PolicyDocument"]["Statement"]
        )


def test_raw_bucket_expires_uploads_after_seven_days(template: Template) -> None:
    raw = next(bucket for bucket in BUCKETS if bucket.name == "raw")
    assert raw.expire_days == 7
    rules = [
        rule
        for bucket in data_buckets(template).values()
        for rule in bucket["Properties"].get("LifecycleConfiguration", {}).get("Rules", [])
        if "Prefix" not in rule
    ]
    assert len(rules) == 1, "only the raw bucket expires all its objects"
    (rule,) = rules
    assert rule["Status"] == "Enabled"
    assert rule["ExpirationInDays"] == 7
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 7


def test_athena_results_tickets_attachments_and_derived_rows_expire_and_nothing_else(template: Template) -> None:
    prefixed = [
        rule
        for logical_id, resource in resources(template, "AWS::S3::Bucket").items()
        if not logical_id.startswith("AccessLogsBucket")
        for rule in resource["Properties"].get("LifecycleConfiguration", {}).get("Rules", [])
        if "Prefix" in rule
    ]
    assert sorted((rule["Prefix"], rule.get("ExpirationInDays"), rule["Status"]) for rule in prefixed) == [
        (RESULTS_PREFIX, 7, "Enabled"),
        (CLOSED_CHANGES, None, "Enabled"),  # the closed area's state: its old versions only (below)
        ("derived/", 30, "Enabled"),  # the lake's derived rows: computed again when gone
        ("tickets/", 90, "Enabled"),
    ]
    (state,) = [rule for rule in prefixed if rule["Prefix"] == CLOSED_CHANGES]
    assert state["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}


def test_raw_bucket_sends_its_events_to_eventbridge(template: Template) -> None:
    notifications = properties(template, "Custom::S3BucketNotifications")
    assert [n["NotificationConfiguration"] for n in notifications] == [{"EventBridgeConfiguration": {}}]
    (raw_id,) = [
        logical_id
        for logical_id, bucket in data_buckets(template).items()
        if any("Prefix" not in rule for rule in bucket["Properties"].get("LifecycleConfiguration", {}).get("Rules", []))
    ]
    assert notifications[0]["BucketName"] == {"Ref": raw_id}


def test_user_pool_sends_no_cognito_emails(template: Template) -> None:
    (pool,) = properties(template, "AWS::Cognito::UserPool")
    assert pool["UserPoolName"] == USER_POOL_NAME
    assert not pool.get("AutoVerifiedAttributes")
    assert pool["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]}
    assert "EmailConfiguration" not in pool or pool["EmailConfiguration"].get("EmailSendingAccount") != "DEVELOPER"


def test_user_pool_signs_in_by_username_with_the_shared_password_policy(template: Template) -> None:
    (pool,) = properties(template, "AWS::Cognito::UserPool")
    assert "UsernameAttributes" not in pool and "AliasAttributes" not in pool
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": PASSWORD_MIN_LENGTH,
        "RequireLowercase": True,
        "RequireUppercase": True,
        "RequireNumbers": True,
        "RequireSymbols": False,
    }
    assert {attribute["Name"] for attribute in pool["Schema"]} >= {"email", "given_name", "family_name"}


def test_web_client_has_no_secret_and_password_flows(template: Template) -> None:
    (client,) = properties(template, "AWS::Cognito::UserPoolClient")
    assert client["ClientName"] == USER_POOL_CLIENT_NAME
    assert not client.get("GenerateSecret")
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    validity = (client["RefreshTokenValidity"], client["IdTokenValidity"], client["TokenValidityUnits"])
    assert validity == (43200, 60, {"RefreshToken": "minutes", "IdToken": "minutes", "AccessToken": "minutes"})


def test_web_client_has_no_oauth_flow_and_never_reveals_whether_an_account_exists(template: Template) -> None:
    (client,) = properties(template, "AWS::Cognito::UserPoolClient")
    assert not client.get("AllowedOAuthFlows") and not client.get("CallbackURLs")
    assert client.get("AllowedOAuthFlowsUserPoolClient") in (None, False)
    assert client["PreventUserExistenceErrors"] == "ENABLED"


def test_users_may_change_their_names_but_never_their_email(template: Template) -> None:
    """The app names a user by the immutable username; the e-mail attribute stays the one it verified."""
    (client,) = properties(template, "AWS::Cognito::UserPoolClient")
    assert sorted(client["WriteAttributes"]) == ["family_name", "given_name"]


def test_lambda_environment_names_every_table_and_bucket(template: Template) -> None:
    variables = the_function(template)["Environment"]["Variables"]
    tables = resources(template, "AWS::DynamoDB::Table")
    buckets = resources(template, "AWS::S3::Bucket")
    for table in TABLES:
        assert variables[table.env_var]["Ref"] in tables, table.env_var
    for bucket in BUCKETS:
        assert variables[bucket.env_var]["Ref"] in buckets, bucket.env_var
    names = [table.env_var for table in TABLES] + [bucket.env_var for bucket in BUCKETS]
    assert len({variables[name]["Ref"] for name in names}) == len(names), "two variables name the same resource"
    assert variables["CONSORES_RUNTIME"] == "cloud"
    assert variables["CONSORES_STAGE"] == "dev"
    assert variables["CONSORES_MAIL_FROM"] == MAIL_FROM
    assert variables["CONSORES_USER_POOL_ID"] == {"Ref": next(iter(resources(template, "AWS::Cognito::UserPool")))}
    client_id = next(iter(resources(template, "AWS::Cognito::UserPoolClient")))
    assert variables["CONSORES_USER_POOL_CLIENT_ID"] == {"Ref": client_id}


def test_lambda_runs_the_packaging_interpreter(template: Template) -> None:
    assert the_function(template)["Runtime"] == "python3.11"


def test_some_function_writes_every_table_and_reads_its_indexes(template: Template) -> None:
    statements = [s for f in resources(template, "AWS::Serverless::Function") for s in app_policy_statements(template, f)]
    dynamo = [s for s in statements if "dynamodb:PutItem" in actions_of(s)]
    granted = {json.dumps(statement["Resource"]) for statement in dynamo}
    for logical_id in resources(template, "AWS::DynamoDB::Table"):
        assert any(logical_id in resource for resource in granted), logical_id
    tables = resources(template, "AWS::DynamoDB::Table")
    indexed = {logical for logical, table in tables.items() if table["Properties"].get("GlobalSecondaryIndexes")}
    for statement in statements:
        if "dynamodb:Query" in actions_of(statement) and any(logical in json.dumps(statement["Resource"]) for logical in indexed):
            assert "/index/*" in json.dumps(statement["Resource"]), statement


def test_the_api_may_administer_the_pool_and_every_function_sends_mail_from_one_address_only(template: Template) -> None:
    actions = set().union(*(actions_of(s) for s in app_policy_statements(template)))
    assert {
        "cognito-idp:AdminConfirmSignUp",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminSetUserPassword",
        "cognito-idp:SignUp",
        "cognito-idp:InitiateAuth",
        "cognito-idp:AdminUpdateUserAttributes",
        "s3:PutObject",
        "ses:SendEmail",
    } <= actions
    for function in resources(template, "AWS::Serverless::Function"):
        for mail in [s for s in app_policy_statements(template, function) if "ses:SendEmail" in actions_of(s)]:
            assert mail["Condition"] == {"StringEquals": {"ses:FromAddress": MAIL_FROM}}, function


def test_raw_uploads_reach_on_upload_through_eventbridge(template: Template) -> None:
    rules = template.find_resources("AWS::Events::Rule")
    patterns = [r["Properties"].get("EventPattern", {}) for r in rules.values()]
    assert any(p.get("detail-type") == ["Object Created"] and p.get("source") == ["aws.s3"] for p in patterns)
    targets = [t for r in rules.values() for t in r["Properties"].get("Targets", [])]
    assert targets and all("RetryPolicy" in t for t in targets)


def test_the_deduplication_workflow_is_the_shared_definition_with_the_task_functions(template: Template) -> None:
    import json

    from infra.resources import DEDUPLICATION_TASKS, REPORT_GENERATION_TASKS

    machines = {m["StateMachineName"]: m for m in properties(template, "AWS::StepFunctions::StateMachine")}
    assert set(machines) == {
        "consores-dev-deduplication", "consores-dev-closure", "consores-dev-ears_net_export", "consores-dev-annotated_report",
        "consores-dev-report_generation",
    }  # fmt: skip
    assert set(machines["consores-dev-report_generation"]["DefinitionSubstitutions"]) == set(REPORT_GENERATION_TASKS)
    machine = machines["consores-dev-deduplication"]
    substitutions = machine["DefinitionSubstitutions"]
    assert set(substitutions) == set(DEDUPLICATION_TASKS)
    definition = json.loads(Path("infra/statemachines/deduplication.asl.json").read_text())

    def states(machine: dict[str, Any]) -> dict[str, Any]:  # with the Parallel states' branches
        found = dict(machine["States"])
        for state in machine["States"].values():
            for branch in state.get("Branches", []):
                found |= states(branch)
        return found

    every = states(definition)
    assert set(every) >= {
        "Pseudonymise",
        "Deduplicate",
        "Phenotypes",
        "PublishResults",
        "PrepareIsolates",
        "Publish",
        "MarkDeduplicated",
        "Failed",
    }
    used = {state["Resource"].strip("${}") for state in every.values() if state["Type"] == "Task"}
    assert used == set(DEDUPLICATION_TASKS)  # every task function is a state, and no state names an unknown one


def test_pseudonymisation_secrets_are_under_a_rotated_kms_key_the_pseudonymising_function_uses(template: Template) -> None:
    variables = the_function(template)["Environment"]["Variables"]
    key = resources(template, "AWS::KMS::Key")[variables["CONSORES_KMS_KEY_ID"]["Fn::GetAtt"][0]]["Properties"]
    assert key["EnableKeyRotation"] is True
    actions = set().union(*(actions_of(s) for s in app_policy_statements(template, "WfPseudonymise")))
    assert {"kms:GenerateDataKey", "kms:Decrypt"} <= actions
    assert {
        "CONSORES_KMS_KEY_ID",
        "CONSORES_DEDUP_STATE_MACHINE_ARN",
        "CONSORES_CLOSURE_STATE_MACHINE_ARN",
        "CONSORES_EARS_NET_STATE_MACHINE_ARN",
    } <= set(variables)


# --- The lake in Glue, and Athena -------------------------------------------------


def _joined(value: Any, names: dict[str, str]) -> str:
    """A CloudFormation string (plain, or Fn::Join of Refs) with each Ref named by ``names``."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return names.get(value["Ref"], value["Ref"])
    separator, parts = value["Fn::Join"]
    return separator.join(_joined(part, names) for part in parts)


def _bucket_names(template: Template) -> dict[str, str]:
    """Logical id of each bucket -> ``<name>`` (its logical name in infra/resources.py)."""
    logical = {f"{''.join(p.capitalize() for p in b.name.split('_'))}Bucket": b.name for b in BUCKETS}
    return {rid: f"<{name}>" for rid in resources(template, "AWS::S3::Bucket") for prefix, name in logical.items()
            if rid.startswith(prefix)}  # fmt: skip


def _glue_tables(template: Template) -> dict[str, dict[str, Any]]:
    return {table["TableInput"]["Name"]: table for table in properties(template, "AWS::Glue::Table")}


def test_every_dataset_the_queries_read_has_a_draft_and_a_closed_glue_table(template: Template) -> None:
    from chalicelib.services.indicators import COLUMNS
    from infra.cloud.lake_catalogue import hive_type

    (database,) = properties(template, "AWS::Glue::Database")
    name = database["DatabaseInput"]["Name"]
    tables = _glue_tables(template)
    assert set(tables) == {f"{state}_{dataset}" for state in ("draft", "closed") for dataset in COLUMNS}
    names = _bucket_names(template)
    for dataset, columns in COLUMNS.items():
        for state, prefix in (("draft", "lake"), ("closed", "closed")):
            table = tables[f"{state}_{dataset}"]
            assert table["DatabaseName"] == name
            described = table["TableInput"]
            storage = described["StorageDescriptor"]
            assert [(c["Name"], c["Type"]) for c in storage["Columns"]] == [(c, hive_type(t)) for c, t in columns]
            assert [(k["Name"], k["Type"]) for k in described["PartitionKeys"]] == [("year", "string"), ("region", "string"),
                                                                                   ("es", "string")]  # fmt: skip
            assert _joined(storage["Location"], names) == f"s3://<lake>/{prefix}/{dataset}/"
            assert storage["SerdeInfo"]["SerializationLibrary"].endswith("ParquetHiveSerDe")
            assert described["Parameters"]["classification"] == "parquet"


def test_partition_projection_covers_every_partition_the_publisher_and_closure_write(template: Template) -> None:
    """No partition is ever registered: the closure workflow's published copies are
    queryable as soon as they exist, because the projection's template is their layout."""
    from chalicelib.domain.codes import Finess
    from chalicelib.domain.lake import closed_key, lake_key
    from chalicelib.reference import regions

    names = _bucket_names(template)
    for table_name, table in _glue_tables(template).items():
        parameters = table["TableInput"]["Parameters"]
        assert parameters["projection.enabled"] == "true"
        assert parameters["projection.year.type"] == "integer"
        low, high = (int(y) for y in parameters["projection.year.range"].split(","))
        assert low <= 2015 and high >= 2035
        assert parameters["projection.region.type"] == "enum"
        assert set(parameters["projection.region.values"].split(",")) == set(regions())
        # FINESS are too many to enumerate: injected, so every query must bind ``es`` (the engine always does).
        assert parameters["projection.es.type"] == "injected"
        state, dataset = table_name.split("_", 1)
        template_location = _joined(parameters["storage.location.template"], names)
        for region in regions():
            key = lake_key(dataset, 2025, region, Finess("440000990"), "upload-1")
            written = key if state == "draft" else closed_key(key)
            projected = template_location.replace("${year}", "2025").replace("${region}", region).replace("${es}", "440000990")
            assert f"s3://<lake>/{written}".startswith(projected) and "/" not in f"s3://<lake>/{written}"[len(projected) :]


def test_the_athena_workgroup_enforces_a_per_query_scan_limit_and_the_results_location(template: Template) -> None:
    (workgroup,) = properties(template, "AWS::Athena::WorkGroup")
    configuration = workgroup["WorkGroupConfiguration"]
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert 10 * 1024**2 <= configuration["BytesScannedCutoffPerQuery"] <= 100 * 1024**3
    output = _joined(configuration["ResultConfiguration"]["OutputLocation"], _bucket_names(template))
    assert output == "s3://<exports>/athena-results/"
    variables = the_function(template)["Environment"]["Variables"]
    assert variables["CONSORES_ATHENA_WORKGROUP"] == workgroup["Name"]
    assert variables["CONSORES_ATHENA_DATABASE"] == properties(template, "AWS::Glue::Database")[0]["DatabaseInput"]["Name"]
    assert _joined(variables["CONSORES_ATHENA_OUTPUT"], _bucket_names(template)) == output


def test_lambda_role_may_query_the_workgroup_and_read_the_catalogue(template: Template) -> None:
    statements = app_policy_statements(template)
    athena = [s for s in statements if "athena:StartQueryExecution" in actions_of(s)]
    assert len(athena) == 1
    assert {"athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution"} <= actions_of(athena[0])
    assert "workgroup/consores-dev" in json.dumps(athena[0]["Resource"])
    glue = [s for s in statements if "glue:GetTable" in actions_of(s)]
    assert len(glue) == 1 and "table/consores_dev/*" in json.dumps(glue[0]["Resource"])
    assert any("s3:GetBucketLocation" in actions_of(s) for s in statements)
    assert not any(a.startswith("glue:Create") or a.startswith("glue:Update") for s in statements for a in actions_of(s))


def test_the_ears_net_export_runs_in_its_own_workflow_with_the_task_functions(template: Template) -> None:
    from infra.resources import EARS_NET_EXPORT_TASKS

    machines = {m["StateMachineName"]: m for m in properties(template, "AWS::StepFunctions::StateMachine")}
    assert set(machines["consores-dev-ears_net_export"]["DefinitionSubstitutions"]) == set(EARS_NET_EXPORT_TASKS)
    definition = json.loads(Path("infra/statemachines/ears_net_export.asl.json").read_text())
    tasks = {state["Resource"].strip("${}") for state in definition["States"].values() if state["Type"] == "Task"}
    assert tasks == set(EARS_NET_EXPORT_TASKS) and definition["States"]["Export"]["Catch"][0]["Next"] == "MarkFailed"


def test_the_annotated_report_is_written_by_a_workflow_of_its_own(template: Template) -> None:
    from infra.resources import ANNOTATED_REPORT_TASKS

    machines = {m["StateMachineName"]: m for m in properties(template, "AWS::StepFunctions::StateMachine")}
    assert set(machines["consores-dev-annotated_report"]["DefinitionSubstitutions"]) == set(ANNOTATED_REPORT_TASKS)
    definition = json.loads(Path("infra/statemachines/annotated_report.asl.json").read_text())
    tasks = {state["Resource"].strip("${}") for state in definition["States"].values() if state["Type"] == "Task"}
    assert tasks == set(ANNOTATED_REPORT_TASKS)


def test_each_function_has_the_memory_and_time_its_work_needs(template: Template) -> None:
    """Measured in `make bench`: a million isolates take 43 s and 2.8 GB in on_upload; the API answers within
    API Gateway's 29 s; a national EARS-Net export may take minutes."""
    functions = resources(template, "AWS::Serverless::Function")
    sized = {logical: (f["Properties"]["MemorySize"], f["Properties"]["Timeout"]) for logical, f in functions.items()}
    assert sized["APIHandler"][1] <= 29 and sized["APIHandler"][0] >= 1769
    for worker in ("OnUpload", "WfDeduplicate", "WfPublish", "WfPublishResults", "WfPrepareIsolates"):
        assert sized[worker] == (4096, 900), worker
    assert sized["ExRun"] == sized["ExportEarsNet"] == (10240, 900)
    for large in ("OnUpload", "WfPublish", "WfPublishResults", "WfPrepareIsolates", "ExRun"):
        assert functions[large]["Properties"]["EphemeralStorage"] == {"Size": 4096}, large


def test_the_stage_throttles_every_route_and_the_account_routes_more(template):
    from infra.cloud.api_edge import AUTH_RATE, AUTH_ROUTES, STAGE_RATE

    [api] = properties(template, "AWS::Serverless::Api")
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in api["MethodSettings"]}
    assert settings["/*", "*"]["ThrottlingRateLimit"] == STAGE_RATE
    for route in ("/api/auth/login", "/api/auth/confirm", "/api/auth/reset-password", "/api/auth/resend-code"):
        assert route in AUTH_ROUTES
        assert settings["/" + route.replace("/", "~1"), "POST"]["ThrottlingRateLimit"] == AUTH_RATE < STAGE_RATE


def test_every_account_route_a_client_posts_to_is_throttled_as_one():
    import app  # noqa: F401  (every route registered)
    from chalicelib.handlers.http import ROUTES
    from infra.cloud.api_edge import AUTH_ROUTES

    posted = {route.path for route in ROUTES if route.path.startswith("/api/auth/") and route.method == "POST"}
    assert posted and posted <= set(AUTH_ROUTES)


def test_a_firewall_answers_429_in_french_to_a_client_flooding_the_account_routes(template):
    [acl] = properties(template, "AWS::WAFv2::WebACL")
    assert acl["Scope"] == "REGIONAL" and "Allow" in acl["DefaultAction"]
    [rule] = [rule for rule in acl["Rules"] if "RateBasedStatement" in rule["Statement"]]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["Limit"] <= 100  # by the viewer's address behind the site (test_origin_proof.py)
    assert rate["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "/api/auth/"
    block = rule["Action"]["Block"]["CustomResponse"]
    assert block["ResponseCode"] == 429
    body = json.loads(acl["CustomResponseBodies"][block["CustomResponseBodyKey"]]["Content"])
    assert body["code"] == "ERR_TOO_MANY_REQUESTS" and "réessayez" in body["message"]


def test_the_firewall_guards_the_api_stage_the_functions_answer_on(template):
    [api] = properties(template, "AWS::Serverless::Api")
    [association] = resources(template, "AWS::WAFv2::WebACLAssociation").values()
    arn = association["Properties"]["ResourceArn"]["Fn::Sub"]
    assert arn.endswith(f"/restapis/${{RestAPI}}/stages/{api['StageName']}")
    assert association["DependsOn"] == [f"RestAPI{api['StageName']}Stage"]
    [acl_id] = resources(template, "AWS::WAFv2::WebACL")
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}


def test_a_route_the_api_does_not_have_answers_404_in_french_not_api_gateways_403(template):
    """In the API's definition, so that the stage's deployment carries it."""
    from chalicelib.domain.errors import unknown_route_document

    [api] = properties(template, "AWS::Serverless::Api")
    response = api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]["MISSING_AUTHENTICATION_TOKEN"]
    assert response["statusCode"] == 404
    assert json.loads(response["responseTemplates"]["application/json"]) == unknown_route_document()
    assert resources(template, "AWS::ApiGateway::GatewayResponse") == {}


def test_production_refuses_a_raw_bucket_open_to_every_origin(tmp_path) -> None:
    import aws_cdk as cdk

    from infra.cloud.stack import ConsoResStack

    with pytest.raises(ValueError, match="web_origins"):
        ConsoResStack(cdk.App(outdir=str(tmp_path)), "prod", web_origins=("*",))


def test_production_raw_bucket_accepts_uploads_from_the_web_client_only(prod_template: Template) -> None:
    buckets = properties(prod_template, "AWS::S3::Bucket")
    rules = [rule for bucket in buckets for rule in bucket.get("CorsConfiguration", {}).get("CorsRules", [])]
    assert rules and all(rule["AllowedOrigins"] == [PROD_ORIGIN] for rule in rules)
