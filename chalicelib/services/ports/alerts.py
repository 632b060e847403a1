"""Where alerts on rare phenotypes live (DOMAIN.md §10.10)."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.alerts import Alert


class AlertStore(Protocol):
    def add(self, alert: Alert) -> bool:
        """Write a new alert only if its id is absent. False when it exists (raised before: a retry, a
        re-import of the same isolate): nothing is written, the stored alert keeps its status and comment."""
        ...

    def save(self, alert: Alert) -> bool:
        """Write ``alert`` at its version n only if the stored one is still at version n - 1. False when
        another change came first (or the alert is absent): nothing is written."""
        ...

    def get(self, alert_id: str) -> Alert | None: ...

    def claim_mail(self, alert_id: str, at: str) -> bool:
        """Mark the alert's e-mail as sent at ``at``, once: True for the first caller only (who sends it);
        False when it was claimed before or the alert is absent."""
        ...

    def of_establishment(self, finess: str) -> list[Alert]:
        """The establishment's alerts, the last raised first (so are the other listings)."""
        ...

    def of_region(self, region: str) -> list[Alert]:
        """The alerts of the region's establishments (the region they were in when raised)."""
        ...

    def all(self) -> list[Alert]: ...
