"""In-memory AlertStore (contract: tests/contract/test_alert_store_contract.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from chalicelib.domain.alerts import Alert


class FakeAlertStore:
    def __init__(self) -> None:
        self.alerts: dict[str, Alert] = {}
        self.mailed: dict[str, str] = {}
        self._lock = threading.Lock()

    def add(self, alert: Alert) -> bool:
        with self._lock:
            if alert.alert_id in self.alerts:
                return False
            self.alerts[alert.alert_id] = alert
            return True

    def save(self, alert: Alert) -> bool:
        with self._lock:
            before = self.alerts.get(alert.alert_id)
            if before is None or before.version != alert.version - 1:
                return False
            self.alerts[alert.alert_id] = alert
            return True

    def get(self, alert_id: str) -> Alert | None:
        return self.alerts.get(alert_id)

    def claim_mail(self, alert_id: str, at: str) -> bool:
        with self._lock:
            if alert_id not in self.alerts or alert_id in self.mailed:
                return False
            self.mailed[alert_id] = at
            return True

    def of_establishment(self, finess: str) -> list[Alert]:
        return _latest_first(a for a in self.alerts.values() if a.finess == finess)

    def of_region(self, region: str) -> list[Alert]:
        return _latest_first(a for a in self.alerts.values() if a.region == region)

    def all(self) -> list[Alert]:
        return _latest_first(self.alerts.values())


def _latest_first(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (a.created_at, a.alert_id), reverse=True)
