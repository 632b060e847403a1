"""MethodSettings on DynamoDB: one item per version of a national setting.

=================  ====================  =============================================
setting            version               item
=================  ====================  =============================================
``deduplication``  ``000002`` (padded)   period, set_by, set_at, reason
=================  ====================  =============================================

A version is written only if it does not exist: two national users changing the
setting at once cannot both take the same version number; the second is refused.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
from chalicelib.domain.errors import Conflict
from chalicelib.domain.resistance.dedup import PeriodScope
from chalicelib.domain.resistance.dedup_setting import DedupSetting

DEDUPLICATION = "deduplication"


class DynamoMethodSettings:
    def __init__(self, table: Any) -> None:
        self._table = table

    def dedup_versions(self) -> list[DedupSetting]:
        items = all_pages(self._table.query, {"KeyConditionExpression": Key("setting").eq(DEDUPLICATION), "ConsistentRead": True})
        return sorted((_setting(item) for item in items), key=lambda s: s.version)

    def add_dedup_version(self, setting: DedupSetting) -> None:
        try:
            self._table.put_item(
                Item={"setting": DEDUPLICATION, "version": f"{setting.version:06d}", "period": setting.period.value,
                      "set_by": setting.set_by, "set_at": setting.set_at, "reason": setting.reason},
                ConditionExpression="attribute_not_exists(version)",
            )  # fmt: skip
        except ClientError as error:
            if condition_failed(error):
                raise Conflict(
                    "Le réglage du dédoublonnage vient d'être changé par quelqu'un d'autre : relisez-le avant de le changer.",
                    code="ERR_CHANGED_MEANWHILE",
                ) from error
            raise


def _setting(item: dict[str, Any]) -> DedupSetting:
    return DedupSetting(int(item["version"]), PeriodScope(item["period"]), item["set_by"], item["set_at"], item["reason"])
