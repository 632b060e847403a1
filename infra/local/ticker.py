"""Fires ``Rate()`` schedules, which the emulator never does, by invoking the
job's Lambda function through the emulator (hence through the Lambda hook)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger("consores.local.ticker")

_SECONDS = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400}


def scheduled_event(job: str, region: str, account: str) -> dict[str, Any]:
    """The EventBridge "Scheduled Event" a rule would deliver to the job's function."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account}:rule/consores-local-{job}"],
        "detail": {},
    }


def rate_seconds(rate: Any) -> int:
    unit = str(getattr(rate, "unit", "MINUTES")).upper()
    return int(getattr(rate, "value", 1)) * _SECONDS.get(unit, 60)


class Ticker:
    def __init__(self, schedules: Mapping[str, Any], run: Callable[[str], Any]) -> None:
        self._every = {job: rate_seconds(rate) for job, rate in schedules.items()}
        self._run = run
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        due = {job: time.monotonic() + every for job, every in self._every.items()}
        while not self._stop.wait(1.0):
            now = time.monotonic()
            for job, when in due.items():
                if now >= when:
                    due[job] = now + self._every[job]
                    try:
                        self._run(job)
                    except Exception:
                        logger.exception("scheduled job %s failed", job)
