"""CampaignStore on DynamoDB: one partition per campaign year.

======  ========================  ==========================================
year    item                      attributes
======  ========================  ==========================================
2025    ``campaign``              deadline, reminder_days, set_by, set_at
2025    ``reminder#030#<finess>`` sent_at, recipients, pending (claimed, not yet
                                  confirmed sent: removed once the e-mail went)
======  ========================  ==========================================
"""

from __future__ import annotations

from datetime import date
from typing import Any

from boto3.dynamodb.conditions import Key

from chalicelib.adapters.dynamo import all_pages, conditional
from chalicelib.domain.campaign import Campaign
from chalicelib.services.ports.campaigns import ReminderSent

CAMPAIGN = "campaign"
REMINDER = "reminder#"


class DynamoCampaignStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, year: int) -> Campaign | None:
        item = self._table.get_item(Key={"year": str(year), "item": CAMPAIGN}, ConsistentRead=True).get("Item")
        return _campaign(item) if item else None

    def all(self) -> list[Campaign]:
        items = all_pages(self._table.scan, {"ConsistentRead": True})
        return sorted((_campaign(i) for i in items if i["item"] == CAMPAIGN), key=lambda c: c.year)

    def put(self, campaign: Campaign) -> None:
        self._table.put_item(
            Item={"year": str(campaign.year), "item": CAMPAIGN, "deadline": campaign.deadline.isoformat(),
                  "reminder_days": [int(d) for d in campaign.reminder_days], "set_by": campaign.set_by,
                  "set_at": campaign.set_at}
        )  # fmt: skip

    def claim_reminder(self, sent: ReminderSent, stale_before: str = "") -> bool:
        # A claim of a run that died before sending (still pending, older than stale_before) may be taken over.
        return conditional(
            self._table.put_item,
            Item={"year": str(sent.year), "item": _item(sent), "sent_at": sent.sent_at, "recipients": sent.recipients,
                  "pending": True},
            ConditionExpression="attribute_not_exists(#item) OR (attribute_exists(pending) AND sent_at < :stale)",
            ExpressionAttributeNames={"#item": "item"},
            ExpressionAttributeValues={":stale": stale_before},
        )  # fmt: skip

    def confirm_reminder(self, sent: ReminderSent) -> None:
        conditional(
            self._table.update_item,
            Key={"year": str(sent.year), "item": _item(sent)},
            UpdateExpression="REMOVE pending",
            ConditionExpression="sent_at = :at",  # this claim's, never a later one's
            ExpressionAttributeValues={":at": sent.sent_at},
        )

    def release_reminder(self, sent: ReminderSent) -> None:
        self._table.delete_item(
            Key={"year": str(sent.year), "item": _item(sent)},
            ConditionExpression="sent_at = :at",  # only this claim, never a later one
            ExpressionAttributeValues={":at": sent.sent_at},
        )

    def reminders(self, year: int) -> list[ReminderSent]:
        items = all_pages(
            self._table.query,
            {"KeyConditionExpression": Key("year").eq(str(year)) & Key("item").begins_with(REMINDER), "ConsistentRead": True},
        )
        found = [_reminder(year, i) for i in items if "pending" not in i]  # sent, confirmed
        return sorted(found, key=lambda r: (-r.day, r.finess))


def _campaign(item: dict[str, Any]) -> Campaign:
    days = tuple(sorted((int(d) for d in item.get("reminder_days", [])), reverse=True))
    return Campaign(int(item["year"]), date.fromisoformat(item["deadline"]), days, item.get("set_by", ""), item.get("set_at", ""))


def _item(sent: ReminderSent) -> str:
    return f"{REMINDER}{sent.day:03d}#{sent.finess}"


def _reminder(year: int, item: dict[str, Any]) -> ReminderSent:
    _, day, finess = item["item"].split("#", 2)
    return ReminderSent(year, int(day), finess, item["sent_at"], int(item.get("recipients", 0)))
