"""TicketStore on DynamoDB: one partition per ticket; the header carries the version every write checks.

=========  ======================  ===========================================================
ticket_id  item                    attributes
=========  ======================  ===========================================================
<id>       ``ticket``              category, subject, status, team, finess?, author, created_at,
                                   updated_at, links, version, messages, attachments
<id>       ``message#0001``        by, body, at
<id>       ``attachment#<id>``     message, filename, size, content_type, by, at
=========  ======================  ===========================================================

The indexes ``by_team``, ``by_finess`` and ``by_author`` (sorted by ``created_at``) hold the headers only:
messages and attachments carry ``by``, never ``team``, ``finess`` or ``author``.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
from chalicelib.domain.tickets.model import Attachment, Category, Links, Message, Ticket, TicketStatus

HEADER = "ticket"
MESSAGE = "message#"
ATTACHMENT = "attachment#"


class DynamoTicketStore:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._client = table.meta.client  # the resource's client serialises native values, transactions included

    def save(self, ticket: Ticket, message: Message | None = None, attachment: Attachment | None = None) -> bool:
        if ticket.version == 1:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(ticket_id)"}
        else:
            condition = {
                "ConditionExpression": "version = :before",
                "ExpressionAttributeValues": {":before": ticket.version - 1},
            }
        writes: list[dict[str, Any]] = [{"Put": {"TableName": self._table.name, "Item": _header(ticket), **condition}}]
        if message is not None:
            writes.append({"Put": {"TableName": self._table.name, "Item": _message(ticket.ticket_id, message),
                                   "ConditionExpression": "attribute_not_exists(ticket_id)"}})  # fmt: skip
        if attachment is not None:
            writes.append({"Put": {"TableName": self._table.name, "Item": _attachment(ticket.ticket_id, attachment),
                                   "ConditionExpression": "attribute_not_exists(ticket_id)"}})  # fmt: skip
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def get(self, ticket_id: str) -> Ticket | None:
        item = self._table.get_item(Key={"ticket_id": ticket_id, "item": HEADER}, ConsistentRead=True).get("Item")
        return _ticket(item) if item else None

    def thread(self, ticket_id: str) -> tuple[list[Message], list[Attachment]]:
        items = all_pages(self._table.query, {"KeyConditionExpression": Key("ticket_id").eq(ticket_id), "ConsistentRead": True})
        messages = sorted((_message_from(i) for i in items if i["item"].startswith(MESSAGE)), key=lambda m: m.number)
        files = sorted((_attachment_from(i) for i in items if i["item"].startswith(ATTACHMENT)), key=lambda a: (a.message, a.at))
        return messages, files

    def of_team(self, team: str) -> list[Ticket]:
        return self._indexed("by_team", "team", team)

    def of_establishment(self, finess: str) -> list[Ticket]:
        return self._indexed("by_finess", "finess", finess)

    def of_author(self, author: str) -> list[Ticket]:
        return self._indexed("by_author", "author", author)

    def all(self) -> list[Ticket]:
        items = all_pages(self._table.scan, {"ConsistentRead": True})
        return _latest_first(_ticket(i) for i in items if i["item"] == HEADER)

    def _indexed(self, index: str, attribute: str, value: str) -> list[Ticket]:
        # The indexes project every attribute: a listing reads them as they are (eventually consistent, a
        # change may show a moment later there); a ticket's own page reads the table (``get``).
        items = all_pages(self._table.query, {"IndexName": index, "KeyConditionExpression": Key(attribute).eq(value)})
        return _latest_first(_ticket(i) for i in items)


def _latest_first(tickets: Any) -> list[Ticket]:
    return sorted(tickets, key=lambda t: (t.updated_at, t.ticket_id), reverse=True)


def _header(ticket: Ticket) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ticket_id": ticket.ticket_id, "item": HEADER, "category": ticket.category.value, "subject": ticket.subject,
        "status": ticket.status.value, "team": ticket.team, "author": ticket.author, "created_at": ticket.created_at,
        "updated_at": ticket.updated_at, "links": ticket.links.document(), "version": ticket.version,
        "messages": ticket.messages, "attachments": ticket.attachments,
    }  # fmt: skip
    if ticket.finess:
        item["finess"] = ticket.finess
    return item


def _ticket(item: dict[str, Any]) -> Ticket:
    links = item.get("links") or {}
    return Ticket(
        item["ticket_id"], Category(item["category"]), item["subject"], TicketStatus(item["status"]), item["team"],
        item.get("finess"), item["author"], item["created_at"], item["updated_at"],
        Links(links.get("upload_id"), links.get("period"), tuple(links.get("ucds") or ())), int(item["version"]),
        int(item["messages"]), int(item["attachments"]),
    )  # fmt: skip


def _message(ticket_id: str, message: Message) -> dict[str, Any]:
    return {"ticket_id": ticket_id, "item": f"{MESSAGE}{message.number:04d}", "by": message.author, "body": message.body,
            "at": message.at}  # fmt: skip


def _message_from(item: dict[str, Any]) -> Message:
    return Message(int(item["item"][len(MESSAGE) :]), item["by"], item["body"], item["at"])


def _attachment(ticket_id: str, attachment: Attachment) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id, "item": f"{ATTACHMENT}{attachment.attachment_id}", "message": attachment.message,
        "filename": attachment.filename, "size": attachment.size, "content_type": attachment.content_type,
        "by": attachment.by, "at": attachment.at,
    }  # fmt: skip


def _attachment_from(item: dict[str, Any]) -> Attachment:
    return Attachment(item["item"][len(ATTACHMENT) :], int(item["message"]), item["filename"], int(item["size"]),
                      item["content_type"], item["by"], item["at"])  # fmt: skip
