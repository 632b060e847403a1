"""What every use case shares: time, identifiers and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.audit import AuditEntry
from chalicelib.services.ports import AuditLog, Clock, IdGenerator


@dataclass(frozen=True)
class Context:
    clock: Clock
    ids: IdGenerator
    audit_log: AuditLog

    def now_iso(self) -> str:
        return self.clock.now().isoformat(timespec="milliseconds")

    def audit(self, actor: str, action: str, target: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        """Record one change; called after the change succeeded."""
        self.audit_log.record(
            AuditEntry(
                at=self.clock.now().isoformat(timespec="milliseconds"),
                actor=actor,
                action=action,
                target=target,
                before=before,
                after=after,
                entry_id=self.ids.new_id(),
            )
        )
