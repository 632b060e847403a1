"""Least privilege per function: each runs with its family's role, and a role names only what its family uses.

The families and their needs are ``infra/cloud/families.py`` (the stack builds the roles from the same
table). Each role's statements are read back from the synthesised template, each resource reduced to
what it is ("table uploads", "objects raw/uploads/", "workflow closure"...).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

import pytest
from aws_cdk.assertions import Template

from chalicelib.domain.lake import CLOSED_CHANGES
from chalicelib.handlers.schedules import SCHEDULES
from infra.cloud.families import (
    API_HANDLER,
    AUDIT_TABLE,
    FAMILIES,
    RAW_BUCKET,
    READ,
    WRITE,
    Family,
    key_uses,
)
from infra.cloud.lake_catalogue import RESULTS_PREFIX
from infra.cloud.roles import function_logical_id
from infra.resources import BUCKETS, STATE_MACHINES, TABLES
from tests.cloud.cfn import resources, role_policy_statements

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]

#: What a resource of a statement is, e.g. ("table", "uploads"), ("objects", "raw", "uploads/").
Thing = tuple[str, ...]
OBJECT_READS = {"s3:GetObject", "s3:GetObjectVersion"}
#: What Athena reads and writes with the rights of a family that queries (LakeCatalogue.grant_query).
ATHENA_OBJECTS = {("lake", "lake/"), ("lake", "closed/"), ("exports", RESULTS_PREFIX)}
ASYNCHRONOUS = {"on_upload": "UploadFailures", **dict.fromkeys(SCHEDULES, "ScheduleFailures")}


def _named(template: Template, kind: str, prefix: str) -> str:
    (logical,) = [name for name in resources(template, kind) if name.startswith(prefix) and len(name) == len(prefix) + 8]
    return logical


def _logical_names(template: Template) -> dict[str, Thing]:
    """The stack's logical ids of what a function may be granted, and what each is."""
    camel = {table.name: "".join(p.capitalize() for p in table.name.split("_")) for table in TABLES}
    names: dict[str, Thing] = {
        _named(template, "AWS::DynamoDB::Table", f"{camel[t.name]}Table"): ("table", t.name) for t in TABLES
    }
    names.update({_named(template, "AWS::S3::Bucket", f"{b.name.capitalize()}Bucket"): ("bucket", b.name) for b in BUCKETS})
    names[_named(template, "AWS::KMS::Key", "PseudonymKey")] = ("key", "pseudonym")
    names[_named(template, "AWS::KMS::Key", "OperationsKey")] = ("key", "operations")
    names[_named(template, "AWS::KMS::Key", "IdentifyingDataKey")] = ("key", "identifying")
    names[_named(template, "AWS::KMS::Key", "DataKey")] = ("key", "data")
    names[_named(template, "AWS::Cognito::UserPool", "UserPool")] = ("pool",)
    for queue in ("UploadFailures", "ScheduleFailures"):
        names[_named(template, "AWS::SQS::Queue", queue)] = ("queue", queue)
    return names


def _text(value: Any) -> str:
    """A resource as text: references as ``{logical}``, pseudo parameters dropped."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        return "".join(_text(part) for part in value["Fn::Join"][1])
    if "Ref" in value:
        return "" if value["Ref"].startswith("AWS::") else "{" + value["Ref"] + "}"
    if "Fn::GetAtt" in value:
        return "{" + value["Fn::GetAtt"][0] + "}"
    raise AssertionError(f"unexpected resource expression {value}")


def _thing(text: str, names: dict[str, Thing], condition: dict[str, Any]) -> set[Thing]:
    if text == "*":
        return {("anything",)}
    for logical, thing in names.items():
        token = "{" + logical + "}"
        if token not in text:
            continue
        rest = text.split(token, 1)[1]
        if thing[0] == "table":
            return {thing}
        if thing[0] == "bucket":
            if rest.startswith("/"):
                return {("objects", thing[1], rest[1:].rstrip("*"))}
            prefixes = condition.get("StringLike", {}).get("s3:prefix")
            if prefixes is None:
                return {thing}
            return {("list", thing[1], p.rstrip("*")) for p in ([prefixes] if isinstance(prefixes, str) else prefixes)}
        return {thing}
    if ":function:" in text:  # a function invoked, named consores-<stage>-<handler>
        return {("function", text.split(":function:", 1)[1].split("-", 2)[2])}
    for marker, kind in ((":stateMachine:", "workflow"), (":log-group:", "logs")):
        if marker in text:
            name = text.split(marker, 1)[1]
            return {(kind, name.rsplit("-", 1)[1] if kind == "workflow" else name.split("/")[-1].split(":")[0])}
    for marker, kind in ((":athena:", "athena"), (":glue:", "glue"), (":ses:", "mail")):
        if marker in text:
            return {(kind,)}
    raise AssertionError(f"a resource no family is known to use: {text}")


def allows(actions: set[str], *wanted: str) -> bool:
    """Whether a statement's actions (patterns such as ``s3:GetObject*``) allow any of ``wanted``."""
    return any(fnmatchcase(action, pattern) for pattern in actions for action in wanted)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def function_roles(template: Template) -> dict[str, str]:
    """Function logical id -> its role's logical id."""
    return {
        logical: function["Properties"]["Role"]["Fn::GetAtt"][0]
        for logical, function in resources(template, "AWS::Serverless::Function").items()
    }


def family_role(template: Template, family: Family) -> str:
    roles = function_roles(template)
    (role,) = {roles[function_logical_id(handler)] for handler in family.functions}
    return role


role_statements = role_policy_statements


def grants(template: Template, family: Family) -> list[tuple[set[str], set[Thing]]]:
    """Each statement of the family's role: its actions and the things it names."""
    names = _logical_names(template)
    return [
        (
            set(_as_list(statement["Action"])),
            set().union(*(_thing(_text(r), names, statement.get("Condition", {})) for r in _as_list(statement["Resource"]))),
        )
        for statement in role_statements(template, family_role(template, family))
    ]


def expected(family: Family) -> set[Thing]:
    """Everything the family's role may name, from its entry in FAMILIES."""
    things: set[Thing] = {("table", table) for table in family.tables} | {("table", AUDIT_TABLE)}
    for grant in family.objects:
        things |= {("objects", grant.bucket, prefix) for prefix in grant.prefixes}
        things |= {("list", grant.bucket, prefix) for prefix in grant.prefixes} if grant.list else set()
        # A reader may list the bucket's key names: S3 answers a missing object 404 only to who may (else 403).
        things |= {("bucket", grant.bucket)} if READ in grant.access else set()
    if family.queries:
        things |= {("athena",), ("glue",), ("bucket", "lake"), ("bucket", "exports")}
        things |= {("objects", *where) for where in ATHENA_OBJECTS} | {("list", *where) for where in ATHENA_OBJECTS}
    things |= {("workflow", machine) for machine in family.starts}
    things |= {("function", handler) for handler in family.invokes}
    things |= {("logs", function_logical_id(handler)) for handler in family.functions}
    things |= {("key", "pseudonym")} if family.pseudonymises else set()
    things |= {("key", data_class) for data_class, _ in key_uses(family)}
    things |= {("pool",)} if family.identity else set()
    things |= {("mail",)} if family.mail else set()
    queues = {ASYNCHRONOUS[handler] for handler in family.functions if handler in ASYNCHRONOUS}
    things |= {("queue", queue) for queue in queues} | ({("key", "operations")} if queues else set())
    return things


def family(name: str) -> Family:
    (found,) = [f for f in FAMILIES if f.name == name]
    return found


def test_every_function_runs_with_the_role_of_its_family_and_each_family_has_its_own(template: Template) -> None:
    roles = function_roles(template)
    assert set(roles) == {function_logical_id(handler) for f in FAMILIES for handler in f.functions}
    by_family = {f.name: {roles[function_logical_id(handler)] for handler in f.functions} for f in FAMILIES}
    assert all(len(role) == 1 for role in by_family.values()), by_family
    assert len({role for (role,) in by_family.values()}) == len(FAMILIES)
    assert roles["APIHandler"] == family_role(template, family("api"))


def test_no_function_role_has_a_managed_policy_nor_a_wildcard_resource(template: Template) -> None:
    """The functions neither trace (X-Ray) nor put metrics: no action of theirs lacks resource-level permissions."""
    function_role_ids = set(function_roles(template).values())
    for role in function_role_ids:
        assert not resources(template, "AWS::IAM::Role")[role]["Properties"].get("ManagedPolicyArns"), role
        for statement in role_statements(template, role):
            for resource in _as_list(statement["Resource"]):
                assert resource != "*", (role, statement)


def test_each_role_names_only_what_its_family_uses(template: Template) -> None:
    """No table, prefix, workflow, key, pool or log group of another family's (or of nobody's)."""
    for f in FAMILIES:
        named = set().union(*(things for _, things in grants(template, f)))
        assert named == expected(f), (f.name, sorted(named - expected(f)), sorted(expected(f) - named))


def test_each_family_reads_writes_and_deletes_only_as_declared(template: Template) -> None:
    for f in FAMILIES:
        for actions, things in grants(template, f):
            for thing in things:
                if thing[0] == "table" and thing[1] != AUDIT_TABLE:
                    access = f.table_access(thing[1])
                    assert allows(actions, "dynamodb:PutItem") <= (WRITE in access), (f.name, thing)
                    assert allows(actions, "dynamodb:DeleteItem") <= ("delete" in access), (f.name, thing)
                if thing[0] == "objects" and thing[1:] not in ATHENA_OBJECTS:
                    declared = set().union(*(g.access for g in f.objects if g.bucket == thing[1] and thing[2] in g.prefixes))
                    assert allows(actions, "s3:PutObject") <= (WRITE in declared), (f.name, thing)
                    assert allows(actions, "s3:DeleteObject") <= ("delete" in declared), (f.name, thing)
                    assert allows(actions, *OBJECT_READS) <= (READ in declared), (f.name, thing)


def test_only_the_import_and_pseudonymisation_functions_read_the_raw_bucket(template: Template) -> None:
    """Patient identifiers: the API signs the browser's upload and nothing more; a file sent to be imported
    again is read by the import function it asks (an invocation), never by the API."""
    readers = {"import", "pseudonymisation"}
    for f in FAMILIES:
        raw_reads = {
            thing
            for actions, things in grants(template, f)
            if allows(actions, *OBJECT_READS, "s3:ListBucket")
            for thing in things
            if thing[1:2] == (RAW_BUCKET,)
        }
        assert f.name in readers or not raw_reads, (f.name, raw_reads)
    api = {thing: actions for actions, things in grants(template, family("api")) for thing in things}
    assert api[("objects", RAW_BUCKET, "uploads/")] == {"s3:PutObject"}


def test_the_functions_that_send_a_file_to_be_imported_again_may_invoke_the_import_function_and_nothing_else(
    template: Template,
) -> None:
    invokers = {f.name: f.invokes for f in FAMILIES if f.invokes}
    assert invokers == {"api": ("on_upload",), "import": ("on_upload",)}
    for f in FAMILIES:
        statements = grants(template, f)
        invoked = {thing for actions, things in statements if allows(actions, "lambda:InvokeFunction") for thing in things}
        assert invoked == {("function", handler) for handler in f.invokes}, f.name
    (on_upload,) = [
        function for logical, function in resources(template, "AWS::Serverless::Function").items() if logical == "OnUpload"
    ]
    assert on_upload["Properties"]["FunctionName"] == "consores-dev-on_upload"
    assert on_upload["Properties"]["Environment"]["Variables"]["CONSORES_IMPORT_FUNCTION"] == "consores-dev-on_upload"


def test_the_audit_is_append_only_for_every_function_and_read_only_by_the_api(template: Template) -> None:
    for f in FAMILIES:
        on_audit = set().union(*(actions for actions, things in grants(template, f) if ("table", AUDIT_TABLE) in things))
        reads = {"dynamodb:Query"} if f.name == "api" else set()
        assert on_audit == {"dynamodb:PutItem", *reads}, (f.name, on_audit)
    assert [f.name for f in FAMILIES if f.reads_audit] == ["api"]


def test_only_the_pseudonymising_function_may_use_the_pseudonymisation_key(template: Template) -> None:
    users = [f for f in FAMILIES if any(("key", "pseudonym") in things for _, things in grants(template, f))]
    assert [f.functions for f in users] == [("wf_pseudonymise",)]
    (key_grant,) = [(actions, things) for actions, things in grants(template, users[0]) if ("key", "pseudonym") in things]
    assert key_grant[0] == {"kms:GenerateDataKey", "kms:Decrypt"}
    # The secrets it decrypts are read by it alone.
    assert [f.name for f in FAMILIES if ("table", "keys") in expected(f)] == ["pseudonymisation"]


def test_only_the_api_administers_the_user_pool(template: Template) -> None:
    for f in FAMILIES:
        administers = any(("pool",) in things for _, things in grants(template, f))
        assert administers == (f.name == "api"), f.name


def test_each_workflow_is_started_only_by_the_families_that_start_it(template: Template) -> None:
    """And every state machine is started by someone (a family naming none would leave it unused)."""
    started = {f.name: {t[1] for _, things in grants(template, f) for t in things if t[0] == "workflow"} for f in FAMILIES}
    assert {machine for machines in started.values() for machine in machines} == set(STATE_MACHINES)
    assert started["import"] == {"deduplication"} and "deduplication" not in started["api"]


def test_the_families_table_names_each_function_once() -> None:
    handlers = [handler for f in FAMILIES for handler in f.functions]
    assert len(handlers) == len(set(handlers)) and API_HANDLER in handlers


def test_every_family_that_may_change_the_closed_area_may_write_its_state_and_no_other_family_may(template: Template) -> None:
    """Listings of the closed area are given again while its state is unchanged (chalicelib/adapters/s3_lake.py):
    a function that copies to it or removes from it and could not write the new state would leave them stale.
    The API, which only removes from it, may write that one object, nothing else of the closed area."""
    for f in FAMILIES:
        changes = any(g.bucket == "lake" and "closed/" in g.prefixes and {WRITE, "delete"} & g.access for g in f.objects)
        written = {
            _text(resource).split("}", 1)[1]
            for statement in role_statements(template, family_role(template, f))
            if allows(set(_as_list(statement["Action"])), "s3:PutObject")
            for resource in _as_list(statement["Resource"])
            if _text(resource).startswith("{LakeBucket")
        }
        assert bool(written & {f"/{CLOSED_CHANGES}", "/closed/*"}) == changes, (f.name, written)
    api = family("api")
    assert {thing for actions, things in grants(template, api) if allows(actions, "s3:PutObject") for thing in things} >= {
        ("objects", "lake", CLOSED_CHANGES)
    }
