"""ObjectStore on S3: presigned POSTs for uploads, reads, writes and deletions.

Objects are encrypted by their bucket's default encryption (in the cloud, the KMS key of the bucket's
class of data, infra/cloud/keys.py): no write names an encryption of its own, which would override it.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


class S3ObjectStore:
    def __init__(self, s3_client: Any, public_endpoint: str | None = None, internal_endpoint: str | None = None) -> None:
        self._s3 = s3_client
        # The embedded runtime serves the emulator's S3 to the browser under its
        # own origin; presigned URLs are rewritten from internal to public.
        self._public = public_endpoint
        self._internal = internal_endpoint

    def presigned_post(self, bucket: str, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        post = self._s3.generate_presigned_post(
            Bucket=bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in,
        )
        url = str(post["url"])
        if self._public and self._internal and url.startswith(self._internal):
            url = self._public + url[len(self._internal) :]
        return {"url": url, "fields": dict(post["fields"])}

    def presigned_get(self, bucket: str, key: str, filename: str, expires_in: int) -> str:
        url = str(
            self._s3.generate_presigned_url(
                "get_object",
                Params={"Bucket": bucket, "Key": key, "ResponseContentDisposition": f'attachment; filename="{filename}"'},
                ExpiresIn=expires_in,
            )
        )
        if self._public and self._internal and url.startswith(self._internal):
            url = self._public + url[len(self._internal) :]
        return url

    def head(self, bucket: str, key: str, version_id: str | None = None) -> dict[str, Any] | None:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            answer = self._s3.head_object(**kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}:
                return None
            raise
        return {
            "size": int(answer["ContentLength"]),
            "content_type": answer.get("ContentType", ""),
            "version_id": answer.get("VersionId"),
        }

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        body: bytes = self._s3.get_object(**kwargs)["Body"].read()
        return body

    def put(self, bucket: str, key: str, body: bytes, content_type: str) -> None:
        self._s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)

    def put_new(self, bucket: str, key: str, body: bytes, content_type: str) -> bool:
        try:
            self._s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type,
                                IfNoneMatch="*")  # fmt: skip
        except ClientError as error:
            # 412: the object exists; 409: another conditional write of the key is under way (the other wins).
            if error.response.get("Error", {}).get("Code") in {"PreconditionFailed", "ConditionalRequestConflict"}:
                return False
            raise
        return True

    def delete_all_versions(self, bucket: str, key: str) -> None:
        """Really gone: every version and delete marker of the key."""
        paginator = self._s3.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=bucket, Prefix=key):
            doomed = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
                if v["Key"] == key
            ]
            if doomed:
                self._s3.delete_objects(Bucket=bucket, Delete={"Objects": doomed, "Quiet": True})

    def copy(self, bucket: str, source: str, target: str) -> None:
        self._s3.copy_object(Bucket=bucket, Key=target, CopySource={"Bucket": bucket, "Key": source})

    def touch(self, bucket: str, key: str) -> None:
        self._s3.copy_object(
            Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": key}, MetadataDirective="REPLACE",
            Metadata={"resumed": "1"},
        )  # fmt: skip

    def list_keys(self, bucket: str, prefix: str) -> list[str]:
        keys: list[str] = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return keys
