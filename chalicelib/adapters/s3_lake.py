"""LakeStore on the object store: the lake bucket, its keys laid out by ``chalicelib.domain.lake``.

The closed area's listings are kept, each under the closed area's state it was made in: every change of
the closed area (an object copied to it or removed from it) ends by writing a new token to
``domain/lake.CLOSED_CHANGES``, so a listing made while the token was T is given again while the token is
still T (``closed_keys`` with a ``version``). A national year is 1,700 keys per dataset, eleven datasets:
listed for every answer, they were most of a national dashboard's time. A listing is kept
``LISTING_MAX_AGE`` seconds at most: a writer that died between its change and its token is seen by then.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from typing import Any

from chalicelib.domain.lake import CLOSED, CLOSED_CHANGES, PARQUET, Dataset, closed_key, closed_year_key, partition_prefix
from chalicelib.domain.tenants import Establishment
from chalicelib.services.ports import LakeReader, LakeWriter, ObjectStore

#: The closed area's state while nothing has changed it yet.
UNCHANGED = "unchanged"
#: Seconds a listing is given again at most, and how many keys the listings kept hold at most (a national
#: dataset-year is 1,700 keys; the least recently used listings are forgotten first).
LISTING_MAX_AGE = 900.0
LISTED_KEYS_KEPT = 200_000


class S3LakeStore:
    def __init__(self, objects: ObjectStore, reader: LakeReader, writer: LakeWriter, bucket: str) -> None:
        self._objects = objects
        self._reader = reader
        self._writer = writer
        self._bucket = bucket
        self._listings = Listings()

    def write(
        self, dataset: Dataset, year: int, establishment: Establishment, source_id: str, rows: Sequence[Sequence[Any]]
    ) -> str:
        return self.write_parquet(dataset, year, establishment, source_id, self._writer.parquet(dataset.columns, rows))

    def write_parquet(self, dataset: Dataset, year: int, establishment: Establishment, source_id: str, body: bytes) -> str:
        key = _key(dataset, year, establishment, source_id)
        self._objects.put(self._bucket, key, body, PARQUET)
        return key

    def remove_written(self, dataset: Dataset, year: int, establishment: Establishment, source_id: str) -> None:
        self.remove(_key(dataset, year, establishment, source_id))

    def rows(self, key: str) -> list[dict[str, Any]]:
        return self._reader.rows(self._bucket, key)

    def select(
        self,
        keys: Sequence[str],
        columns: Sequence[str],
        only: tuple[str, Collection[str]] | None = None,
        spread: tuple[Sequence[str], str] | None = None,
    ) -> list[tuple[Any, ...]]:
        return self._reader.select(self._bucket, keys, columns, only, spread)

    def remove(self, key: str) -> None:
        self._objects.delete_all_versions(self._bucket, key)
        if key.startswith(f"{CLOSED}/"):
            self._closed_changed()

    def copy_closed(self, key: str) -> None:
        self._objects.copy(self._bucket, key, closed_key(key))
        self._closed_changed()

    def copy_closed_year(self, key: str) -> None:
        target = closed_year_key(key)
        folder = target.rsplit("/", 1)[0] + "/"
        # The copy closed before goes first: a reader may see none for a moment (each isolate then keeps its
        # import's decision), never two (its isolates counted twice).
        for earlier in self._objects.list_keys(self._bucket, folder):
            if earlier != target:
                self._objects.delete_all_versions(self._bucket, earlier)
        self._objects.copy(self._bucket, key, target)
        self._closed_changed()

    def remove_closed(self, key: str) -> None:
        self.remove(closed_key(key))

    def closed_version(self) -> str:
        if self._objects.head(self._bucket, CLOSED_CHANGES) is None:
            return UNCHANGED
        return self._objects.get(self._bucket, CLOSED_CHANGES).decode()

    def closed_keys(
        self, dataset: str, year: int, region: str | None = None, finess: str | None = None, version: str | None = None
    ) -> list[str]:
        prefix = partition_prefix(CLOSED, dataset, year, region, finess)

        def listed() -> list[str]:
            return sorted(self._objects.list_keys(self._bucket, prefix))

        return listed() if version is None else self._listings.get(prefix, version, listed)

    def forget_listings(self) -> None:
        """Make every listing anew (what they list was found to differ from what the closed area holds)."""
        self._listings.clear()

    def _closed_changed(self) -> None:
        """After a change of the closed area (never before: a listing made meanwhile would be kept as the new state's)."""
        self._objects.put(self._bucket, CLOSED_CHANGES, uuid.uuid4().hex.encode(), "text/plain")


class Listings:
    """Listings by prefix, each with the closed area's state it was made in; thread-safe, bounded by their keys."""

    def __init__(
        self, max_age: float = LISTING_MAX_AGE, max_keys: int = LISTED_KEYS_KEPT, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_age, self._max_keys, self._clock = max_age, max_keys, clock
        self._lock = threading.Lock()
        self._found: OrderedDict[str, tuple[str, float, list[str]]] = OrderedDict()
        self._keys = 0

    def get(self, prefix: str, version: str, listed: Callable[[], list[str]]) -> list[str]:
        """The listing of ``prefix`` made under ``version`` (``listed()`` when there is none, or too old)."""
        with self._lock:
            found = self._found.get(prefix)
            if found is not None and found[0] == version and self._clock() - found[1] <= self._max_age:
                self._found.move_to_end(prefix)
                return list(found[2])
        at = self._clock()
        keys = listed()
        with self._lock:
            self._forget(prefix)
            if len(keys) <= self._max_keys:
                self._found[prefix] = (version, at, keys)
                self._keys += len(keys)
            while self._keys > self._max_keys:
                self._forget(next(iter(self._found)))
        return list(keys)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()
            self._keys = 0

    def _forget(self, prefix: str) -> None:
        gone = self._found.pop(prefix, None)
        if gone is not None:
            self._keys -= len(gone[2])


def _key(dataset: Dataset, year: int, establishment: Establishment, source_id: str) -> str:
    return dataset.key(year, establishment.region.value, establishment.finess, source_id)
