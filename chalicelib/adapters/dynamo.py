"""Small helpers shared by the DynamoDB adapters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError


def all_pages(operation: Callable[..., dict[str, Any]], kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """Follow ``LastEvaluatedKey`` until every item of a query or scan is read."""
    items: list[dict[str, Any]] = []
    while True:
        page = operation(**kwargs)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs = {**kwargs, "ExclusiveStartKey": page["LastEvaluatedKey"]}


def condition_failed(error: ClientError) -> bool:
    """A conditional write or a transaction was refused because of its condition."""
    return error.response.get("Error", {}).get("Code") in {
        "ConditionalCheckFailedException",
        "TransactionCanceledException",
    }


def conditional(operation: Callable[..., Any], **request: Any) -> bool:
    """Make a conditional write (``put_item``, ``update_item``…); False when its condition refused it."""
    try:
        operation(**request)
    except ClientError as error:
        if condition_failed(error):
            return False
        raise
    return True
