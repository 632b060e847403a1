"""Save and restore the emulator's state under the data directory.

moto keeps everything in Python objects; we pickle the backends of the
services the platform uses. Written atomically (temp file + rename), so a
crash mid-save keeps the previous snapshot.
"""

from __future__ import annotations

import copyreg
import io
import json
import os
import pickle
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.backends import get_backend

SERVICES = (
    "s3",
    "dynamodb",
    "cognito-idp",
    "ses",
    # SES v2 keeps a reference to the SES backend: both go in the one snapshot, so the
    # restored v2 backend sends into the restored SES backend (the mailbox reads it).
    "sesv2",
    "stepfunctions",
    # "lambda" is not picklable (weak references) and needs no saving: the
    # functions are declared again at every start (provision.register_functions).
    "iam",
    "events",
    "sqs",
    "kms",
    "logs",
)
SNAPSHOT = "emulator.pickle"
RUNTIME = "runtime.json"


def _load_rsa(pem: bytes) -> Any:
    return serialization.load_pem_private_key(pem, password=None)


def _reduce_rsa(key: Any) -> tuple[Any, tuple[bytes]]:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return _load_rsa, (pem,)


_RSA_TYPE = type(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def _dumps(obj: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table = copyreg.dispatch_table.copy()
    table[_RSA_TYPE] = _reduce_rsa  # cognito pools hold a private key object
    pickler.dispatch_table = table
    pickler.dump(obj)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def save(data_dir: Path, runtime: dict[str, Any]) -> None:
    """Snapshot the backends and the runtime facts (resource names, ids)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    backends = {name: dict(get_backend(name)) for name in SERVICES}  # type: ignore[call-overload]
    _write_atomically(data_dir / SNAPSHOT, _dumps(backends))
    _write_atomically(data_dir / RUNTIME, json.dumps(runtime, indent=2).encode())


def restore(data_dir: Path) -> dict[str, Any] | None:
    """Load a snapshot into the live backends; returns the runtime facts, or None."""
    snapshot, facts = data_dir / SNAPSHOT, data_dir / RUNTIME
    if not snapshot.exists() or not facts.exists():
        return None
    backends = pickle.loads(snapshot.read_bytes())  # noqa: S301 - our own snapshot, in our own data directory
    for name, accounts in backends.items():
        live = get_backend(name)
        live.clear()
        live.update(accounts)
    runtime: dict[str, Any] = json.loads(facts.read_text())
    return runtime
