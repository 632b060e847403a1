"""In-memory CampaignStore (contract: tests/contract/test_campaign_store_contract.py)."""

from __future__ import annotations

import threading

from chalicelib.domain.campaign import Campaign
from chalicelib.services.ports.campaigns import ReminderSent


class FakeCampaignStore:
    def __init__(self) -> None:
        self.campaigns: dict[int, Campaign] = {}
        self.sent: dict[tuple[int, int, str], ReminderSent] = {}
        self.confirmed: set[tuple[int, int, str]] = set()
        self._lock = threading.Lock()

    def get(self, year: int) -> Campaign | None:
        return self.campaigns.get(year)

    def all(self) -> list[Campaign]:
        return [self.campaigns[y] for y in sorted(self.campaigns)]

    def put(self, campaign: Campaign) -> None:
        self.campaigns[campaign.year] = campaign

    def claim_reminder(self, sent: ReminderSent, stale_before: str = "") -> bool:
        with self._lock:
            key = (sent.year, sent.day, sent.finess)
            held = self.sent.get(key)
            if held is not None and (key in self.confirmed or not held.sent_at < stale_before):
                return False
            self.sent[key] = sent
            return True

    def confirm_reminder(self, sent: ReminderSent) -> None:
        with self._lock:
            key = (sent.year, sent.day, sent.finess)
            if self.sent.get(key) == sent:
                self.confirmed.add(key)

    def release_reminder(self, sent: ReminderSent) -> None:
        with self._lock:
            if self.sent.get((sent.year, sent.day, sent.finess)) == sent:
                del self.sent[(sent.year, sent.day, sent.finess)]

    def reminders(self, year: int) -> list[ReminderSent]:
        found = (s for key, s in self.sent.items() if key[0] == year and key in self.confirmed)
        return sorted(found, key=lambda r: (-r.day, r.finess))
