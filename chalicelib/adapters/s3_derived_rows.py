"""DerivedRowsStore on the object store: the lake bucket's ``derived/rows/<code>/<name>.json.gz``.

``<code>`` fingerprints the package's own files (its Python, its SQL, its reference tables): rows kept by
one version of the code are never read by another, whose queries or rules may differ. Derived from closed
data only, so nothing here is a draft; everything here can be deleted (it is computed again).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from chalicelib.services.ports import ObjectStore

PREFIX = "derived/rows/"
#: The package whose files fingerprint the code (``chalicelib/``).
PACKAGE = Path(__file__).resolve().parents[1]


@functools.cache
def code_fingerprint(package: Path = PACKAGE) -> str:
    """The digest of every file of the package that can change a computed row (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".sql", ".csv", ".json") and p.is_file()):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class S3DerivedRows:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def _key(self, name: str) -> str:
        return f"{PREFIX}{code_fingerprint()}/{name}.json.gz"

    def read(self, name: str) -> bytes | None:
        key = self._key(name)
        if self._objects.head(self._bucket, key) is None:
            return None
        return self._objects.get(self._bucket, key)

    def write(self, name: str, body: bytes) -> None:
        self._objects.put(self._bucket, self._key(name), body, "application/gzip")
