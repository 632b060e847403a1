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
import hashlib
import hmac
import json
import re
import secrets
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


def check_post(bucket: str, content_type: str, body: bytes, secret: str, now: datetime) -> tuple[str, bytes]:
    """A browser's multipart POST to ``bucket`` meets the signed policy it carries.

    Returns the form to forward instead, rebuilt from what was checked (so the emulator
    can never read another form than the one checked here): its content type and body.
    """
    written, file_name, content = _form(content_type, body)
    fields = {name.lower(): value for name, value in written.items()}
    file_size = len(content)
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
    values = {**fields, "bucket": bucket}
    covered = {"bucket"}
    for condition in conditions:
        covered |= _meet(condition, values, file_size)
    unsigned = set(fields) - covered - _UNCOVERED
    if unsigned:  # as S3: every field of the form is named by the policy
        raise Refused(f"Envoi refusé : champ non autorisé ({', '.join(sorted(unsigned))}).")
    return _rebuilt(written, file_name, content)


#: Fields a policy never names (S3 ignores them in the policy check).
_UNCOVERED = {"policy", "x-amz-signature", "file"}


def _meet(condition: object, values: Mapping[str, str], file_size: int) -> set[str]:
    """Check one policy condition; returns the fields it covers."""
    if isinstance(condition, dict):
        for name, expected in condition.items():
            if values.get(name.lower()) != expected:
                raise Refused(f"Envoi refusé : le champ « {name} » ne correspond pas à l'autorisation.")
        return {name.lower() for name in condition}
    if isinstance(condition, list) and len(condition) == 3:
        operator, name, expected = condition
        if operator == "content-length-range":
            if not int(name) <= file_size <= int(expected):
                raise Refused("Envoi refusé : la taille du fichier ne correspond pas à celle déclarée.")
            return set()
        field = str(name).lstrip("$").lower()
        actual = values.get(field, "")
        if (operator == "eq" and actual == expected) or (operator == "starts-with" and actual.startswith(str(expected))):
            return {field}
    raise Refused("Envoi refusé : le fichier ne correspond pas à l'autorisation délivrée.")


_BOUNDARY = re.compile(r'boundary="?([0-9A-Za-z\'()+_,./:=?-]{1,70})"?$')
_DISPOSITION = re.compile(rb'^form-data; name="([^"\\]*)"(?:; filename="([^"\\]*)")?$')


def _form(content_type: str, body: bytes) -> tuple[dict[str, str], str, bytes]:
    """The text fields (as named), the file's name and the file of a multipart form.

    Strict, as the parser behind the gate must agree with it: one boundary, each field once
    (whatever its case), one file part and last, no transfer encoding; linear in the body.
    """
    media, *parameters = [part.strip() for part in content_type.split(";")]
    boundaries = [p for p in parameters if p.lower().startswith("boundary=")]
    if media.lower() != "multipart/form-data" or len(boundaries) != 1 or len(parameters) != 1:
        raise Refused("Envoi refusé : formulaire attendu.")
    found = _BOUNDARY.match(boundaries[0])
    if found is None:
        raise Refused("Envoi refusé : formulaire illisible.")
    delimiter = b"--" + found.group(1).encode()
    if not body.startswith(delimiter + b"\r\n"):
        raise Refused("Envoi refusé : formulaire illisible.")
    fields: dict[str, str] = {}
    names: dict[str, str] = {}  # as written, for the form forwarded
    file_name: str | None = None
    content = b""
    position = len(delimiter) + 2
    while True:
        end = body.find(b"\r\n" + delimiter, position)
        if end < 0:
            raise Refused("Envoi refusé : formulaire illisible.")
        head, separator, payload = body[position:end].partition(b"\r\n\r\n")
        if not separator:
            raise Refused("Envoi refusé : formulaire illisible.")
        name, filename = _part_head(head)
        if name.lower() in fields or (name.lower() == "file" and file_name is not None) or file_name is not None:
            raise Refused("Envoi refusé : champ en double, ou champ après le fichier.")
        if filename is not None or name.lower() == "file":
            file_name, content = filename or "fichier", payload
        else:
            fields[name.lower()] = payload.decode("utf-8", "strict")
            names[name.lower()] = name
        position = end + 2 + len(delimiter)
        if body[position : position + 2] == b"--":
            break
        if body[position : position + 2] != b"\r\n":
            raise Refused("Envoi refusé : formulaire illisible.")
        position += 2
    if file_name is None:
        raise Refused("Envoi refusé : aucun fichier.")
    return {names[k]: v for k, v in fields.items()}, file_name, content


def _part_head(head: bytes) -> tuple[str, str | None]:
    """A part's field name and file name; only Content-Disposition and Content-Type are allowed."""
    name: str | None = None
    filename: str | None = None
    for line in head.split(b"\r\n"):
        header, _, value = line.partition(b":")
        kind = header.strip().lower()
        if kind == b"content-disposition":
            found = _DISPOSITION.match(value.strip())
            if found is None or name is not None:
                raise Refused("Envoi refusé : formulaire illisible.")
            name = found.group(1).decode("utf-8", "strict")
            filename = found.group(2).decode("utf-8", "strict") if found.group(2) is not None else None
        elif kind != b"content-type":
            raise Refused("Envoi refusé : en-tête de formulaire non autorisé.")
    if name is None:
        raise Refused("Envoi refusé : formulaire illisible.")
    return name, filename


def _rebuilt(fields: Mapping[str, str], file_name: str, content: bytes) -> tuple[str, bytes]:
    """The checked form, written anew with a boundary absent from it."""
    boundary = "consores" + secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    safe_name = file_name.replace('"', "").replace("\r", "").replace("\n", "")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe_name}"\r\n\r\n'.encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + content + f"\r\n--{boundary}--\r\n".encode()
