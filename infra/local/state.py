"""Save and restore the emulator's state under the data directory.

moto keeps everything in Python objects; we pickle the backends of the
services the platform uses. Written atomically (temp file + rename), so a
crash mid-save keeps the previous snapshot. S3 object bodies are written once
each, by content (``objects/<sha256>``), and the snapshot names them: it stays
as small as the metadata, so it can be written after every acknowledged write
(``platform.py``), and bodies no snapshot names any more are removed.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import json
import os
import pickle
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.backends import get_backend
from moto.core.base_backend import backend_lock
from moto.s3.models import FakeKey

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


OBJECTS = "objects"
_objects_dir: Path | None = None  # where _restore_key reads bodies from, set by restore()


def _body_path(objects: Path, digest: str) -> Path:
    return objects / digest[:2] / digest


def _restore_key(state: dict[str, Any], digest: str) -> Any:
    assert _objects_dir is not None
    key: Any = FakeKey.__new__(FakeKey)  # as pickle itself makes it
    key.__setstate__({**state, "value": _body_path(_objects_dir, digest).read_bytes()})
    return key


def _dumps(obj: Any, objects: Path) -> tuple[bytes, set[str]]:
    """The pickle, and the digests of the bodies it names (each written under ``objects`` once)."""
    referenced: set[str] = set()

    def reduce_key(key: FakeKey) -> tuple[Any, tuple[dict[str, Any], str]]:
        state = key.__getstate__()
        value = state.pop("value")
        body = value if isinstance(value, bytes) else str(value).encode()
        digest = hashlib.sha256(body).hexdigest()
        path = _body_path(objects, digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, body)
        referenced.add(digest)
        return _restore_key, (state, digest)

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table = copyreg.dispatch_table.copy()
    table[_RSA_TYPE] = _reduce_rsa  # cognito pools hold a private key object
    table[FakeKey] = reduce_key
    pickler.dispatch_table = table
    pickler.dump(obj)
    return buffer.getvalue(), referenced


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def save(data_dir: Path, runtime: dict[str, Any]) -> None:
    """Snapshot the backends and the runtime facts (resource names, ids); then remove the bodies
    the snapshot no longer names. Callers serialise saves (one at a time)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    objects = data_dir / OBJECTS
    # Reads run beside a snapshot (emulator.SnapshotGate): the first read of an account or region makes
    # its backend, inserting into the dicts pickled here; moto makes them under this lock.
    with backend_lock:
        backends = {name: dict(get_backend(name)) for name in SERVICES}  # type: ignore[call-overload]
        snapshot, referenced = _dumps(backends, objects)
    _write_atomically(data_dir / RUNTIME, json.dumps(runtime, indent=2).encode())
    _write_atomically(data_dir / SNAPSHOT, snapshot)
    for path in objects.glob("*/*"):
        if path.name not in referenced and not path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)


def restore(data_dir: Path) -> dict[str, Any] | None:
    """Load a snapshot into the live backends; returns the runtime facts, or None."""
    snapshot, facts = data_dir / SNAPSHOT, data_dir / RUNTIME
    if not snapshot.exists() or not facts.exists():
        return None
    global _objects_dir
    _objects_dir = data_dir / OBJECTS
    backends = pickle.loads(snapshot.read_bytes())  # noqa: S301 - our own snapshot, in our own data directory
    for name, accounts in backends.items():
        live = get_backend(name)
        live.clear()
        live.update(accounts)
    runtime: dict[str, Any] = json.loads(facts.read_text())
    return runtime
