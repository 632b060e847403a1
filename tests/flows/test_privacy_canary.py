"""DOMAIN.md §5: no raw patient identifier (nor date of birth) anywhere but the
raw bucket, and not there either once the import succeeded. Canary values go
through the whole flow; then the lake, every DynamoDB table, the workflow's
payloads, the API's answers and the logs are searched for them."""

from __future__ import annotations

import gzip
import io
import json
import logging
import zipfile

import boto3
import duckdb
import requests
from botocore.exceptions import ClientError

from tests.flows.test_imports_one import CHU, referent, upload
from tests.flows.test_imports_two import a_laboratory, wait_for
from tests.support import files

CANARIES = ["CANARY-7F3A9Q", "CANARY-2B8X4K", "CANARY-9Z1M5T", "CANARY-4H6W2R"]
BIRTH = "19/04/1937"


def canary_file(broken: bool = False) -> bytes:
    header = ["code_uf", "IPP", "date_naissance", *files.RESISTANCE_HEADER[3:]]
    rows = []
    for n, row in enumerate(files.RESISTANCE_ROWS):
        patient = CANARIES[int(row[1][-1]) - 1]
        cells = [row[0], patient, BIRTH, *row[3:]]
        if broken and n == 1:
            cells[7] = "Résistant ?"  # an unknown result: the file is rejected, the report shows the row
        rows.append(cells)
    return files.csv([header, *rows])


def texts_of_lake(platform) -> list[str]:
    services = platform.services
    objects, bucket = services.adapters.objects, services.settings.buckets["lake"]
    texts = []
    for key in objects.list_keys(bucket, ""):
        try:
            data = objects.get(bucket, key)
        except ClientError as error:  # a work object the finishing workflow deleted since the listing: gone
            if error.response["Error"]["Code"] != "NoSuchKey":
                raise
            continue
        if key.endswith(".parquet"):
            path = f"/tmp/canary-{abs(hash(key))}.parquet"
            with open(path, "wb") as handle:
                handle.write(data)
            texts.append(json.dumps(duckdb.sql(f"SELECT * FROM '{path}'").fetchall(), default=str))
        elif data[:2] == b"\x1f\x8b":
            texts.append(gzip.decompress(data).decode("utf-8", "replace"))
        else:
            texts.append(data.decode("utf-8", "replace"))
    return texts


def texts_of_dynamodb(platform) -> list[str]:
    client = boto3.client("dynamodb", endpoint_url=platform.emulator.url, region_name="eu-west-3")
    return [json.dumps(client.scan(TableName=name)["Items"], default=str) for name in client.list_tables()["TableNames"]]


def texts_of_workflows(platform) -> list[str]:
    sfn = boto3.client("stepfunctions", endpoint_url=platform.emulator.url, region_name="eu-west-3")
    texts = []
    for machine in sfn.list_state_machines()["stateMachines"]:
        for execution in sfn.list_executions(stateMachineArn=machine["stateMachineArn"])["executions"]:
            described = sfn.describe_execution(executionArn=execution["executionArn"])
            texts.append(json.dumps(described, default=str))
            texts.append(json.dumps(sfn.get_execution_history(executionArn=execution["executionArn"])["events"], default=str))
    return texts


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist() if name.endswith(".xml"))


def assert_no_canary(where: str, texts: list[str]) -> None:
    for text in texts:
        for secret in [*CANARIES, BIRTH, "1937-04-19"]:
            assert secret not in text, f"{secret} found in {where}"


def test_canary_identifiers_never_leave_the_raw_bucket(platform, http):
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        token = referent(http)
        lab = a_laboratory(http)
        upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
        answers = []
        for broken in (True, False):
            content = canary_file(broken)
            created = http.call(
                "POST", f"/api/establishments/{CHU}/uploads",
                {"type": "resistance", "period": "2025", "filename": "a.csv", "size": len(content), "laboratory_id": lab}, token,
            ).data  # fmt: skip
            requests.post(created["post"]["url"], data=created["post"]["fields"], files={"file": ("a.csv", content)}, timeout=60)
            first = wait_for(http, token, created["upload_id"], {"NEEDS_MAPPING", "REJECTED", "FAILED"})
            answers.append(json.dumps(first))
            if broken:
                assert first["status"] == "REJECTED"
                report = http.annotated_report(CHU, created["upload_id"], token)
                assert report.status_code == 200
                answers.append(xlsx_text(report.content))
                continue
            raw = platform.services.adapters.objects
            raw_bucket = platform.services.settings.buckets["raw"]
            assert any(
                CANARIES[0].encode() in raw.get(raw_bucket, k) for k in raw.list_keys(raw_bucket, "uploads/")
            )  # the test can fail
            for kind in ("species", "specimen", "antibiotic"):
                http.call("POST", f"/api/laboratories/{lab}/mappings/{kind}/confirm-proposals", None, token)
            http.call("POST", f"/api/establishments/{CHU}/uploads/{created['upload_id']}/resume", None, token)
            done = wait_for(http, token, created["upload_id"], {"DEDUPLICATED", "FAILED", "REJECTED"})
            assert done["status"] == "DEDUPLICATED", done["report"]
            answers.append(json.dumps(done))
            answers.append(http.call("GET", f"/api/establishments/{CHU}/uploads", None, token).text)
            # imported: its raw file is gone (the rejected one stays for 7 days, in the raw bucket only)
            assert raw.list_keys(raw_bucket, f"uploads/{CHU}/resistance/2025/{created['upload_id']}/") == []
            assert raw.list_keys(raw_bucket, "work/") == []
    finally:
        logging.getLogger().removeHandler(handler)
    assert_no_canary("the lake", texts_of_lake(platform))
    assert_no_canary("DynamoDB", texts_of_dynamodb(platform))
    assert_no_canary("the workflow's payloads", texts_of_workflows(platform))
    assert_no_canary("the API's answers", answers)
    assert_no_canary("the logs", [captured.getvalue()])
    assert "CANARY" not in json.dumps(platform.services.adapters.mailbox.messages())
