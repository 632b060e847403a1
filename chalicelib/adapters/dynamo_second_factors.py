"""SecondFactorStore in the codes table (the accounts' security records): one item per user, purpose
``second_factor``. It never expires: its expiry attribute (the table's TTL, which the codes' purge
reads) is set beyond any date the purge or the TTL will reach."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain.codes import Email

PURPOSE = "second_factor"
_NEVER = 253402300799  # 9999-12-31T23:59:59Z


class DynamoSecondFactors:
    def __init__(self, table: Any) -> None:
        self._table = table

    def enrolled_at(self, email: Email) -> datetime | None:
        item = self._table.get_item(Key={"email": email.value, "purpose": PURPOSE}, ConsistentRead=True).get("Item")
        return datetime.fromisoformat(item["enrolled_at"]) if item else None

    def record(self, email: Email, at: datetime) -> None:
        self._table.put_item(
            Item={"email": email.value, "purpose": PURPOSE, "code_hash": "", "enrolled_at": at.isoformat(),
                  "expires_at": "9999-12-31T23:59:59+00:00", "expires_at_epoch": _NEVER, "attempts": 0}
        )  # fmt: skip
