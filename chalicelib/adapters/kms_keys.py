"""PseudonymKeys with KMS envelope encryption.

Each establishment's HMAC secret is a KMS data key: KMS generates it, only its
encrypted form (CiphertextBlob) is stored in the ``keys`` table, and a task
decrypts it once into memory. The secret is never stored in clear, nor beside
the data it pseudonymises (the lake).
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.codes import Finess


class KmsPseudonymKeys:
    def __init__(self, kms_client: Any, keys_table: Any, key_id: str) -> None:
        self._kms = kms_client
        self._table = keys_table
        self._key_id = key_id
        self._cache: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def secret_for(self, finess: Finess) -> bytes:
        with self._lock:
            if finess.value in self._cache:
                return self._cache[finess.value]
        item = self._table.get_item(Key={"finess": finess.value}, ConsistentRead=True).get("Item")
        if item is None:
            created = self._kms.generate_data_key(
                KeyId=self._key_id, KeySpec="AES_256", EncryptionContext={"finess": finess.value}
            )
            try:
                self._table.put_item(
                    Item={"finess": finess.value, "ciphertext": created["CiphertextBlob"]},
                    ConditionExpression="attribute_not_exists(finess)",
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
            item = self._table.get_item(Key={"finess": finess.value}, ConsistentRead=True)["Item"]  # the winner's key
        blob = bytes(item["ciphertext"].value if hasattr(item["ciphertext"], "value") else item["ciphertext"])
        secret: bytes = self._kms.decrypt(CiphertextBlob=blob, EncryptionContext={"finess": finess.value})["Plaintext"]
        with self._lock:
            self._cache[finess.value] = secret
        return secret
