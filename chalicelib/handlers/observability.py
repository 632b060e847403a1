"""Structured logs of the functions, through powertools' Logger.

One JSON object per line with the keys of the work in hand (``upload_id``,
``finess``), so that one query finds every line of one upload. The services log
through stdlib loggers named ``consores.*``: they propagate to this logger and
come out in the same format, with the same keys. Keys are per thread (the local
server answers requests on several threads).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from aws_lambda_powertools import Logger

logger = Logger(service="consores")


@contextmanager
def log_keys(**keys: str) -> Iterator[None]:
    """Every line logged inside carries ``keys``; they are removed on the way out."""
    logger.thread_safe_append_keys(**keys)
    try:
        yield
    finally:
        logger.thread_safe_remove_keys(list(keys))
