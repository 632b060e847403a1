"""AccessStore on DynamoDB: tables ``memberships``, ``access_requests``, ``profiles``.

The référent of an establishment is also recorded in a marker item
(``email = "~referent"``) of the memberships table, written with a condition so
that two first requests racing cannot both become référent.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
from chalicelib.domain.access import AccessRequest, Membership, Profile, ProfileType, RequestState, Status
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict

REFERENT_MARKER = "~referent"


class DynamoAccessStore:
    def __init__(self, memberships_table: Any, requests_table: Any, profiles_table: Any) -> None:
        self._members = memberships_table
        self._requests = requests_table
        self._profiles = profiles_table
        # The resource's client serialises native Python values, transactions included.
        self._client = memberships_table.meta.client

    # Memberships -------------------------------------------------------
    def get_membership(self, finess: Finess, email: Email) -> Membership | None:
        item = self._members.get_item(Key={"finess": finess.value, "email": email.value}, ConsistentRead=True).get("Item")
        return _membership_from(item) if item else None

    def list_members(self, finess: Finess) -> list[Membership]:
        items = all_pages(self._members.query, {"KeyConditionExpression": Key("finess").eq(finess.value), "ConsistentRead": True})
        return [_membership_from(i) for i in items if i["email"] != REFERENT_MARKER]

    def memberships_of(self, email: Email) -> list[Membership]:
        items = all_pages(self._members.query, {"IndexName": "by_email", "KeyConditionExpression": Key("email").eq(email.value)})
        return sorted((_membership_from(i) for i in items), key=lambda m: m.finess.value)

    def add_first_referent(self, membership: Membership) -> None:
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._members.name,
                            "Item": {
                                "finess": membership.finess.value,
                                "email": REFERENT_MARKER,
                                "referent": membership.email.value,
                            },
                            "ConditionExpression": "attribute_not_exists(finess)",
                        }
                    },
                    {"Put": {"TableName": self._members.name, "Item": _membership_item(membership)}},
                ]
            )
        except ClientError as error:
            if condition_failed(error):
                raise Conflict("Cet établissement a déjà un référent.") from error
            raise

    def put_membership(self, membership: Membership) -> None:
        self._members.put_item(Item=_membership_item(membership))

    def hand_over_referent(self, finess: Finess, old: Email, new: Email, at: str) -> None:
        table = self._members.name
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"finess": finess.value, "email": REFERENT_MARKER},
                            "UpdateExpression": "SET referent = :new",
                            "ConditionExpression": "referent = :old",
                            "ExpressionAttributeValues": {":new": new.value, ":old": old.value},
                        }
                    },
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"finess": finess.value, "email": old.value},
                            "UpdateExpression": "SET #s = :c",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": {":c": Status.CONTRIBUTEUR.value},
                        }
                    },
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"finess": finess.value, "email": new.value},
                            "UpdateExpression": "SET #s = :r",
                            "ConditionExpression": "attribute_exists(finess)",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": {":r": Status.REFERENT.value},
                        }
                    },
                ]
            )
        except ClientError as error:
            if condition_failed(error):
                raise Conflict("Le rôle de référent a changé entre-temps : rechargez la page.") from error
            raise

    def referent_of(self, finess: Finess) -> Email | None:
        item = self._members.get_item(Key={"finess": finess.value, "email": REFERENT_MARKER}, ConsistentRead=True).get("Item")
        return Email(item["referent"]) if item else None

    # Access requests ---------------------------------------------------
    def put_request(self, request: AccessRequest) -> None:
        self._requests.put_item(Item=_request_item(request))

    def get_request(self, finess: Finess, request_id: str) -> AccessRequest | None:
        item = self._requests.get_item(Key={"finess": finess.value, "request_id": request_id}, ConsistentRead=True).get("Item")
        return _request_from(item) if item else None

    def list_requests(self, finess: Finess, state: RequestState | None = None) -> list[AccessRequest]:
        items = all_pages(
            self._requests.query, {"KeyConditionExpression": Key("finess").eq(finess.value), "ConsistentRead": True}
        )
        found = [_request_from(i) for i in items]
        return sorted((r for r in found if state is None or r.state is state), key=lambda r: (r.created_at, r.request_id))

    def requests_of(self, email: Email) -> list[AccessRequest]:
        items = all_pages(self._requests.query, {"IndexName": "by_email", "KeyConditionExpression": Key("email").eq(email.value)})
        return sorted((_request_from(i) for i in items), key=lambda r: (r.created_at, r.request_id))

    def accept_request(self, request: AccessRequest, membership: Membership) -> None:
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._requests.name,
                            "Item": _request_item(request),
                            "ConditionExpression": "#st = :pending",
                            "ExpressionAttributeNames": {"#st": "state"},
                            "ExpressionAttributeValues": {":pending": RequestState.PENDING.value},
                        }
                    },
                    {"Put": {"TableName": self._members.name, "Item": _membership_item(membership)}},
                ]
            )
        except ClientError as error:
            if condition_failed(error):
                raise Conflict("Cette demande d'accès a déjà été traitée.") from error
            raise

    # Profiles ------------------------------------------------------------
    def put_profile(self, email: Email, profile: Profile) -> None:
        item: dict[str, Any] = {"email": email.value, "type": profile.type.value}
        if profile.region is not None:
            item["region"] = profile.region.value
        self._profiles.put_item(Item=item)

    def delete_profile(self, email: Email, kind: ProfileType) -> bool:
        answer = self._profiles.delete_item(Key={"email": email.value, "type": kind.value}, ReturnValues="ALL_OLD")
        return "Attributes" in answer

    def profiles_of(self, email: Email) -> list[Profile]:
        items = all_pages(self._profiles.query, {"KeyConditionExpression": Key("email").eq(email.value), "ConsistentRead": True})
        return [_profile_from(i) for i in items]

    def list_profiles(self) -> list[tuple[Email, Profile]]:
        # A small table (the regional, national and admin staff): a scan is enough.
        items = all_pages(self._profiles.scan, {"ConsistentRead": True})
        return sorted(((Email(i["email"]), _profile_from(i)) for i in items), key=lambda p: (p[0].value, p[1].type.value))


def _profile_from(item: dict[str, Any]) -> Profile:
    return Profile(ProfileType(item["type"]), RegionCode(item["region"]) if item.get("region") else None)


def _membership_item(m: Membership) -> dict[str, Any]:
    return {"finess": m.finess.value, "email": m.email.value, "status": m.status.value, "since": m.since}


def _membership_from(item: dict[str, Any]) -> Membership:
    return Membership(Finess(item["finess"]), Email(item["email"]), Status(item["status"]), item.get("since", ""))


def _request_item(r: AccessRequest) -> dict[str, Any]:
    item: dict[str, Any] = {
        "finess": r.finess.value,
        "request_id": r.request_id,
        "email": r.email.value,
        "state": r.state.value,
        "created_at": r.created_at,
    }
    if r.decided_by is not None:
        item["decided_by"] = r.decided_by.value
    if r.decided_at is not None:
        item["decided_at"] = r.decided_at
    if r.role is not None:
        item["role"] = r.role.value
    return item


def _request_from(item: dict[str, Any]) -> AccessRequest:
    return AccessRequest(
        request_id=item["request_id"],
        finess=Finess(item["finess"]),
        email=Email(item["email"]),
        state=RequestState(item["state"]),
        created_at=item["created_at"],
        decided_by=Email(item["decided_by"]) if item.get("decided_by") else None,
        decided_at=item.get("decided_at"),
        role=Status(item["role"]) if item.get("role") else None,
    )
