"""What the embedded runtime's ``/_s3`` path lets through to the emulator.

The emulator enforces no presigned policy or signature (ARCHITECTURE.md, emulator
gaps), so this gate does what S3 does before anything is forwarded: a ``POST`` must
carry a policy signed with the runtime's key, not expired, whose conditions (bucket,
key, content type, size) the form and its file meet; a ``GET`` must be a presigned
URL signed with that key, not expired. Nothing else passes: no listing, no ``PUT``,
no anonymous read.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlsplit

ALGORITHM = "AWS4-HMAC-SHA256"


class Refused(Exception):
    """The request is not one the app presigned: said in French, nothing is forwarded."""


def _signing_key(secret: str, day: str, region: str) -> bytes:
    key = hmac.new(f"AWS4{secret}".encode(), day.encode(), hashlib.sha256).digest()
    for part in (region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _signature(secret: str, credential: str, to_sign: str) -> str:
    try:
        _access_key, day, region, service, terminal = credential.split("/")
    except ValueError as error:
        raise Refused("Signature invalide.") from error
    if service != "s3" or terminal != "aws4_request":
        raise Refused("Signature invalide.")
    return hmac.new(_signing_key(secret, day, region), to_sign.encode(), hashlib.sha256).hexdigest()


def _moment(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError as error:
        raise Refused("Date de signature invalide.") from error


def check_get(path: str, internal_host: str, secret: str, now: datetime) -> None:
    """``path`` (``/bucket/key?X-Amz-…``) is a presigned GET of the emulator at ``internal_host``."""
    parts = urlsplit(path)
    query = parse_qsl(parts.query, keep_blank_values=True)
    params = dict(query)
    if params.get("X-Amz-Algorithm") != ALGORITHM or params.get("X-Amz-SignedHeaders") != "host":
        raise Refused("Lien de téléchargement invalide : demandez-en un nouveau.")
    signed_at = _moment(params.get("X-Amz-Date", ""))
    try:
        lifetime = int(params.get("X-Amz-Expires", ""))
    except ValueError as error:
        raise Refused("Lien de téléchargement invalide : demandez-en un nouveau.") from error
    if not 0 < lifetime <= 7 * 24 * 3600 or now > signed_at + timedelta(seconds=lifetime):
        raise Refused("Lien de téléchargement expiré : demandez-en un nouveau.")
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query) if k != "X-Amz-Signature"
    )
    canonical = "\n".join(
        ["GET", quote(parts.path, safe="/-_.~%"), canonical_query, f"host:{internal_host}", "", "host", "UNSIGNED-PAYLOAD"]
    )
    credential = params.get("X-Amz-Credential", "")
    scope = credential.split("/", 1)[1] if "/" in credential else ""
    to_sign = "\n".join([ALGORITHM, params["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()])
    if not hmac.compare_digest(_signature(secret, credential, to_sign), params.get("X-Amz-Signature", "")):
        raise Refused("Lien de téléchargement invalide : demandez-en un nouveau.")


def check_post(bucket: str, content_type: str, body: bytes, secret: str, now: datetime) -> None:
    """A browser's multipart POST to ``bucket`` meets the signed policy it carries."""
    fields, file_size = _form(content_type, body)
    policy_text = fields.get("policy", "")
    credential = fields.get("x-amz-credential", "")
    if fields.get("x-amz-algorithm") != ALGORITHM or not policy_text:
        raise Refused("Envoi refusé : il doit suivre l'autorisation délivrée par ConsoRes.")
    if not hmac.compare_digest(_signature(secret, credential, policy_text), fields.get("x-amz-signature", "")):
        raise Refused("Envoi refusé : autorisation invalide.")
    try:
        policy = json.loads(base64.b64decode(policy_text, validate=True))
        expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
        conditions = list(policy["conditions"])
    except (ValueError, KeyError, TypeError) as error:
        raise Refused("Envoi refusé : autorisation invalide.") from error
    if now > expiration:
        raise Refused("Autorisation d'envoi expirée (15 minutes) : recommencez l'import.")
    values = {**{k.lower(): v for k, v in fields.items()}, "bucket": bucket}
    for condition in conditions:
        _meet(condition, values, file_size)


def _meet(condition: object, values: Mapping[str, str], file_size: int) -> None:
    if isinstance(condition, dict):
        for name, expected in condition.items():
            if values.get(name.lower()) != expected:
                raise Refused(f"Envoi refusé : le champ « {name} » ne correspond pas à l'autorisation.")
        return
    if isinstance(condition, list) and len(condition) == 3:
        operator, name, expected = condition
        if operator == "content-length-range":
            if not int(name) <= file_size <= int(expected):
                raise Refused("Envoi refusé : la taille du fichier ne correspond pas à celle déclarée.")
            return
        field = str(name).lstrip("$").lower()
        actual = values.get(field, "")
        if (operator == "eq" and actual == expected) or (operator == "starts-with" and actual.startswith(str(expected))):
            return
    raise Refused("Envoi refusé : le fichier ne correspond pas à l'autorisation délivrée.")


def _form(content_type: str, body: bytes) -> tuple[dict[str, str], int]:
    """The text fields of a multipart form and the size of its file."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise Refused("Envoi refusé : formulaire attendu.")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    fields: dict[str, str] = {}
    file_size = -1
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        if part.get_param("filename", header="content-disposition") is not None or name == "file":
            file_size = len(payload)
        elif isinstance(name, str):
            fields[name] = payload.decode("utf-8", "replace")
    if file_size < 0:
        raise Refused("Envoi refusé : aucun fichier.")
    return fields, file_size
