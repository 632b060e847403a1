"""The embedded runtime's emulator behaves as AWS where the platform relies on it."""

from __future__ import annotations

import sys
import threading
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from infra.local.emulator import ACCOUNT_ID  # noqa: F401  (the emulator module is the one under test)


@pytest.fixture
def clients(emulator):
    kwargs = {"endpoint_url": emulator.url, "region_name": "eu-west-3", "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    return boto3.client("s3", **kwargs), boto3.client("dynamodb", **kwargs)


def test_listing_the_versions_under_a_prefix_gives_the_same_answer_and_copies_only_those(clients, monkeypatch):
    s3, _ = clients
    bucket = f"b{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for n in range(30):
        s3.put_object(Bucket=bucket, Key=f"other/{n}", Body=b"x" * 1000)
    s3.put_object(Bucket=bucket, Key="mine/a", Body=b"1")
    s3.put_object(Bucket=bucket, Key="mine/a", Body=b"2")
    s3.delete_object(Bucket=bucket, Key="mine/a")
    import copy

    copied = []
    real = copy.deepcopy
    monkeypatch.setattr(copy, "deepcopy", lambda value, *rest: copied.append(value) or real(value, *rest))
    answer = s3.list_object_versions(Bucket=bucket, Prefix="mine/")
    assert [(v["Key"], v["IsLatest"]) for v in answer["Versions"]] == [("mine/a", False), ("mine/a", False)]
    assert [m["Key"] for m in answer["DeleteMarkers"]] == ["mine/a"]
    assert len(copied) == 1  # the one key's versions, not the bucket's 31 keys
    assert len(s3.list_object_versions(Bucket=bucket)["Versions"]) == 32


def test_two_conditional_writes_racing_on_dynamodb_never_both_succeed(clients):
    _, dynamodb = clients
    sys.setswitchinterval(1e-6)  # threads switch constantly: any unlocked check-then-write shows
    table = f"t{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )  # fmt: skip
    try:
        rounds(dynamodb, table)
    finally:
        sys.setswitchinterval(0.005)


def rounds(dynamodb, table: str) -> None:
    for round_ in range(40):
        won: list[str] = []

        def write(who: str, key: str = f"k{round_}", won: list[str] = won) -> None:
            try:
                dynamodb.put_item(TableName=table, Item={"pk": {"S": key}, "who": {"S": who}},
                                  ConditionExpression="attribute_not_exists(pk)")  # fmt: skip
                won.append(who)
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"

        threads = [threading.Thread(target=write, args=(who,)) for who in ("a", "b", "c")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1, f"round {round_}: {won} all wrote"


def test_the_emulator_finds_the_backend_of_a_service_once_not_at_every_request(clients, monkeypatch):
    s3, dynamodb = clients
    dynamodb.list_tables()
    s3.list_buckets()
    from moto import backends

    listed = []
    real = backends.list_of_moto_modules
    monkeypatch.setattr(backends, "list_of_moto_modules", lambda: listed.append(1) or real())
    for _ in range(5):
        dynamodb.list_tables()
        s3.list_buckets()
    assert listed == []
    assert "TableNames" in dynamodb.list_tables()  # and each still reaches its own backend
    assert "Buckets" in s3.list_buckets()
