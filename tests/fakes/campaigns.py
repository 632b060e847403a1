"""In-memory CampaignStore (contract: tests/contract/test_campaign_store_contract.py)."""

from __future__ import annotations

import threading

from chalicelib.domain.campaign import Campaign
from chalicelib.services.ports.campaigns import ReminderSent


class FakeCampaignStore:
    def __init__(self) -> None:
        self.campaigns: dict[int, Campaign] = {}
        self.sent: dict[tuple[int, int, str], ReminderSent] = {}
        self._lock = threading.Lock()

    def get(self, year: int) -> Campaign | None:
        return self.campaigns.get(year)

    def all(self) -> list[Campaign]:
        return [self.campaigns[y] for y in sorted(self.campaigns)]

    def put(self, campaign: Campaign) -> None:
        self.campaigns[campaign.year] = campaign

    def claim_reminder(self, sent: ReminderSent) -> bool:
        with self._lock:
            key = (sent.year, sent.day, sent.finess)
            if key in self.sent:
                return False
            self.sent[key] = sent
            return True

    def release_reminder(self, sent: ReminderSent) -> None:
        with self._lock:
            if self.sent.get((sent.year, sent.day, sent.finess)) == sent:
                del self.sent[(sent.year, sent.day, sent.finess)]

    def reminders(self, year: int) -> list[ReminderSent]:
        return sorted((s for (y, _, _), s in self.sent.items() if y == year), key=lambda r: (-r.day, r.finess))
