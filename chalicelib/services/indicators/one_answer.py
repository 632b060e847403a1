"""What one answer reads once: within ``one_answer()`` (a batch of a dashboard section, its items and their
years), the stores' answers that every item would otherwise ask again — the national deduplication setting,
the listings of the lake's keys, the directory of establishments, the antifungal statements — are asked once
and shared by the items. Outside it, every call asks the stores (a single route's answer asks each once
anyway). One request sees one state of the stores: its items agree with one another."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_READ: ContextVar[dict[Hashable, Any] | None] = ContextVar("indicator_answer_reads", default=None)


@contextmanager
def one_answer() -> Iterator[None]:
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


def already_read(key: Hashable) -> Any | None:
    """What ``read_once(key, …)`` gave within the current ``one_answer()``, or None."""
    reads = _READ.get()
    return None if reads is None else reads.get(key)


def read_once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it gave before within the same ``one_answer()``."""
    reads = _READ.get()
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    found: T = reads[key]
    return found
