"""Where the campaigns and the reminders sent live (DOMAIN.md §10.9)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from chalicelib.domain.campaign import Campaign


@dataclass(frozen=True)
class ReminderSent:
    """One reminder e-mailed: to one establishment's référents, for one reminder day of a campaign."""

    year: int
    day: int  # days before the deadline
    finess: str
    sent_at: str
    recipients: int


class CampaignStore(Protocol):
    def get(self, year: int) -> Campaign | None: ...

    def all(self) -> list[Campaign]:
        """Every campaign set, oldest year first."""
        ...

    def put(self, campaign: Campaign) -> None: ...

    def claim_reminder(self, sent: ReminderSent, stale_before: str = "") -> bool:
        """Claim ``sent`` unless that establishment was already reminded on that day of that campaign: True for
        one claimant only, whoever claims at the same time (the e-mail is sent after, then confirmed). A claim
        never confirmed and made before ``stale_before`` (its run died before sending) may be claimed again."""
        ...

    def confirm_reminder(self, sent: ReminderSent) -> None:
        """The claimed reminder's e-mail went: it is recorded as sent (never claimed again)."""
        ...

    def release_reminder(self, sent: ReminderSent) -> None:
        """Forget a claim whose e-mail could not be sent (the next run claims and sends it again)."""
        ...

    def reminders(self, year: int) -> list[ReminderSent]:
        """The reminders sent (confirmed) for a campaign, by reminder day (largest first) then FINESS."""
        ...
