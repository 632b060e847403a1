"""Mailbox of the embedded runtime: the e-mails the emulator's SES captured.

Reads moto's SES backend in-process (the emulator runs in the same process);
never used in the cloud, where moto is not even installed.
"""

from __future__ import annotations

from typing import Any

EMULATOR_ACCOUNT = "123456789012"


class EmulatorMailbox:
    def __init__(self, region: str) -> None:
        self._region = region

    def messages(self) -> list[dict[str, str]]:
        from moto.ses.models import ses_backends

        backend: Any = ses_backends[EMULATOR_ACCOUNT][self._region]
        result = []
        for message in backend.sent_messages:
            body = getattr(message, "body", "") or ""
            destinations = getattr(message, "destinations", {}) or {}
            to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else list(destinations)
            result.append(
                {
                    "to": ", ".join(to),
                    "subject": getattr(message, "subject", "") or "",
                    "body": body,
                    "sent_at": getattr(message, "sent_at", "") or "",
                }
            )
        return result
