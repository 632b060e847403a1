"""The embedded runtime's /_s3 path lets through only what the app presigned (the emulator checks nothing)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import boto3
import pytest

from infra.local.s3_gate import Refused, check_get, check_post

SECRET = "a-secret-of-this-run"
ENDPOINT = "http://127.0.0.1:9999"
HOST = "127.0.0.1:9999"


def s3(secret: str = SECRET):
    return boto3.client(
        "s3", endpoint_url=ENDPOINT, region_name="eu-west-3", aws_access_key_id="local", aws_secret_access_key=secret
    )


def presigned_post(key: str = "uploads/440000990/beds/2025/u1/lits.csv", max_bytes: int = 100, secret: str = SECRET):
    return s3(secret).generate_presigned_post(
        Bucket="raw", Key=key, Fields={"Content-Type": "text/csv"},
        Conditions=[{"Content-Type": "text/csv"}, ["content-length-range", 1, max_bytes]], ExpiresIn=900,
    )  # fmt: skip


def form(fields: dict[str, str], content: bytes) -> tuple[str, bytes]:
    """A browser's multipart body: the fields, then the file."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lits.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n"
    )
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


def now() -> datetime:
    """The gate's clock, read when the check runs (the URL is signed at the current time too)."""
    return datetime.now(UTC)


def test_a_browser_post_within_the_policy_passes():
    content_type, body = form(presigned_post()["fields"], b"code_uf;annee;lits\n0412;2025;28\n")
    check_post("raw", content_type, body, SECRET, now())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: {**f, "key": "lake/consumption/year=2025/planted.parquet"}, "key"),
        (lambda f: {**f, "Content-Type": "application/octet-stream"}, "Content-Type"),
        (lambda f: {k: v for k, v in f.items() if k != "policy"}, "autorisation"),
        (lambda f: {**f, "x-amz-signature": "0" * 64}, "autorisation"),
    ],
)
def test_a_post_that_strays_from_its_policy_is_refused(change, message):
    content_type, body = form(change(presigned_post()["fields"]), b"code_uf;annee;lits\n")
    with pytest.raises(Refused, match=message):
        check_post("raw", content_type, body, SECRET, now())


def test_a_file_larger_than_declared_is_refused():
    content_type, body = form(presigned_post(max_bytes=10)["fields"], b"x" * 11)
    with pytest.raises(Refused, match="taille"):
        check_post("raw", content_type, body, SECRET, now())


def test_a_post_to_another_bucket_or_signed_with_another_key_or_too_late_is_refused():
    content_type, body = form(presigned_post()["fields"], b"ok")
    with pytest.raises(Refused):
        check_post("lake", content_type, body, SECRET, now())
    forged_type, forged = form(presigned_post(secret="guessed")["fields"], b"ok")
    with pytest.raises(Refused):
        check_post("raw", forged_type, forged, SECRET, now())
    with pytest.raises(Refused, match="expirée"):
        check_post("raw", content_type, body, SECRET, now() + timedelta(minutes=16))


def test_a_presigned_download_passes_and_nothing_else_does():
    disposition = 'attachment; filename="r.xlsx"'
    url = s3().generate_presigned_url(
        "get_object",
        Params={"Bucket": "exports", "Key": "reports/440000990/u1.xlsx", "ResponseContentDisposition": disposition},
        ExpiresIn=300,
    )
    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}"
    check_get(path, HOST, SECRET, now())
    for forged in (path.replace("u1.xlsx", "u2.xlsx"), parts.path, "/", "/lake?list-type=2"):
        with pytest.raises(Refused):
            check_get(forged, HOST, SECRET, now())
    with pytest.raises(Refused, match="expiré"):
        check_get(path, HOST, SECRET, now() + timedelta(minutes=6))
    with pytest.raises(Refused):
        check_get(path, HOST, "another-secret", now())


def raw_form(parts: list[tuple[str, str, bytes]], boundary: str = "b0undary") -> tuple[str, bytes]:
    """A multipart body as written: (part headers, name, value) each."""
    body = b"".join(f"--{boundary}\r\n{headers}\r\n\r\n".encode() + value + b"\r\n" for headers, _, value in parts)
    return f"multipart/form-data; boundary={boundary}", body + f"--{boundary}--\r\n".encode()


def field(name: str, value: str, extra: str = "") -> tuple[str, str, bytes]:
    return (f'Content-Disposition: form-data; name="{name}"{extra}', name, value.encode())


def signed_parts() -> list[tuple[str, str, bytes]]:
    return [field(name, value) for name, value in presigned_post()["fields"].items()]


FILE = ('Content-Disposition: form-data; name="file"; filename="lits.csv"\r\nContent-Type: text/csv', "file", b"ok")


@pytest.mark.parametrize(
    "parts",
    [
        [field("key", "uploads/999999999/planted.csv"), *signed_parts(), FILE],  # a second key, first
        [*signed_parts(), field("Key", "uploads/999999999/planted.csv"), FILE],  # the same field in another case
        [*signed_parts(), FILE, FILE],  # two files
        [*signed_parts(), FILE, field("acl", "public-read")],  # a field after the file
        [*signed_parts(), field("success_action_redirect", "https://ailleurs.example"), FILE],  # a field no policy names
        [(h + "\r\nContent-Transfer-Encoding: base64", n, v) for h, n, v in signed_parts()] + [FILE],
    ],
)
def test_a_form_the_emulator_could_read_otherwise_is_refused(parts):
    content_type, body = raw_form(parts)
    with pytest.raises(Refused):
        check_post("raw", content_type, body, SECRET, now())


def test_a_content_type_with_two_boundaries_is_refused():
    _, body = raw_form([*signed_parts(), FILE], boundary="AAAA")
    with pytest.raises(Refused):
        check_post("raw", "multipart/form-data; boundary=AAAA; boundary=BBBB", body, SECRET, now())


def test_what_is_forwarded_is_the_form_as_checked():
    content_type, body = raw_form([*signed_parts(), FILE])
    forwarded_type, forwarded = check_post("raw", content_type, body, SECRET, now())
    assert forwarded_type.startswith("multipart/form-data; boundary=consores") and forwarded != body
    fields = presigned_post()["fields"]
    assert f'name="key"\r\n\r\n{fields["key"]}\r\n'.encode() in forwarded and forwarded.count(b'name="file"') == 1
