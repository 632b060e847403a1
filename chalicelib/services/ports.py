"""Ports: what the use cases need from the outside world.

Each port has a real adapter (``chalicelib/adapters``) and an in-memory fake
(``tests/fakes``); one contract suite (``tests/contract``) runs against both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.domain.access import AccessRequest, Membership, Profile, ProfileType, RequestState
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import DomainError, TooLarge
from chalicelib.domain.imports import FileType, Problem
from chalicelib.domain.letters import Letter
from chalicelib.domain.structure import Unit
from chalicelib.domain.tenants import Establishment, Laboratory
from chalicelib.domain.tessy.records import AmrCoverRecord, AmrTestRecord
from chalicelib.domain.uploads import Upload


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> str:
        """A new unique, URL-safe identifier."""
        ...


class TenantStore(Protocol):
    """Establishments, laboratories and the links between them."""

    def create_establishment(self, establishment: Establishment) -> None:
        """Store a new establishment. Raises Conflict if the FINESS exists."""
        ...

    def replace_establishment(self, establishment: Establishment) -> None:
        """Overwrite an existing establishment. Raises NotFound if absent."""
        ...

    def get_establishment(self, finess: Finess) -> Establishment | None: ...

    def list_establishments(self, region: RegionCode | None = None) -> list[Establishment]:
        """All establishments, or those of one region, sorted by FINESS."""
        ...

    def create_laboratory(self, laboratory: Laboratory) -> None: ...

    def get_laboratory(self, lab_id: str) -> Laboratory | None: ...

    def list_laboratories(self) -> list[Laboratory]:
        """All laboratories sorted by name."""
        ...


class AccessStore(Protocol):
    """Memberships, access requests and profiles."""

    def get_membership(self, finess: Finess, email: Email) -> Membership | None: ...

    def list_members(self, finess: Finess) -> list[Membership]:
        """Members of one establishment, sorted by e-mail."""
        ...

    def memberships_of(self, email: Email) -> list[Membership]: ...

    def add_first_referent(self, membership: Membership) -> None:
        """Make ``membership`` the establishment's first référent, atomically.

        Raises Conflict if the establishment already has a référent (two first
        requests racing: exactly one wins).
        """
        ...

    def put_membership(self, membership: Membership) -> None:
        """Create or update a non-référent membership."""
        ...

    def hand_over_referent(self, finess: Finess, old: Email, new: Email, at: str) -> None:
        """Atomically make ``new`` référent and ``old`` contributeur.

        Raises Conflict if ``old`` is no longer the référent.
        """
        ...

    def referent_of(self, finess: Finess) -> Email | None: ...

    def put_request(self, request: AccessRequest) -> None: ...

    def get_request(self, finess: Finess, request_id: str) -> AccessRequest | None: ...

    def list_requests(self, finess: Finess, state: RequestState | None = None) -> list[AccessRequest]:
        """Requests of one establishment, oldest first."""
        ...

    def requests_of(self, email: Email) -> list[AccessRequest]: ...

    def accept_request(self, request: AccessRequest, membership: Membership) -> None:
        """Record an accepted request and its membership in one transaction.

        Raises Conflict if the request is no longer pending.
        """
        ...

    def put_profile(self, email: Email, profile: Profile) -> None: ...

    def delete_profile(self, email: Email, kind: ProfileType) -> bool:
        """Remove a profile; returns whether it existed."""
        ...

    def profiles_of(self, email: Email) -> list[Profile]: ...

    def list_profiles(self) -> list[tuple[Email, Profile]]:
        """Every profile held by anyone, sorted by e-mail then type."""
        ...


class AuditLog(Protocol):
    def record(self, entry: AuditEntry) -> None:
        """Append one entry. Entries are never updated or deleted."""
        ...

    def since(self, since: datetime, limit: int = 1000) -> list[AuditEntry]:
        """Entries at or after ``since``, oldest first."""
        ...


class Mailer(Protocol):
    def send(self, letter: Letter) -> None:
        """Send one e-mail (SES). Raises on delivery failure."""
        ...


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class UserInfo:
    email: Email
    first_name: str
    last_name: str
    confirmed: bool


class IdentityProvider(Protocol):
    """The user pool (Cognito). Codes are the platform's, not the pool's."""

    def sign_up(self, email: Email, password: str, first_name: str, last_name: str) -> None:
        """Create an unconfirmed user. Raises Conflict (exists) or InvalidInput (weak password)."""
        ...

    def confirm(self, email: Email) -> None:
        """Mark the user's account and e-mail as confirmed."""
        ...

    def login(self, email: Email, password: str) -> Tokens:
        """Raises Unauthenticated on bad credentials or unconfirmed account."""
        ...

    def refresh(self, refresh_token: str) -> Tokens: ...

    def set_password(self, email: Email, password: str) -> None: ...

    def get_user(self, email: Email) -> UserInfo | None: ...


@dataclass(frozen=True)
class VerifiedToken:
    email: Email
    subject: str


class TokenVerifier(Protocol):
    def verify(self, token: str) -> VerifiedToken:
        """Check signature (against the pool's keys), expiry, issuer and audience.

        Raises Unauthenticated for anything that cannot be trusted.
        """
        ...


@dataclass(frozen=True)
class StoredCode:
    email: Email
    purpose: str
    code_hash: str
    expires_at: datetime
    attempts: int


class CodeStore(Protocol):
    """One-time verification codes (account confirmation, password reset)."""

    def put(self, code: StoredCode) -> None:
        """Store or replace the code for (email, purpose)."""
        ...

    def get(self, email: Email, purpose: str) -> StoredCode | None: ...

    def count_attempt(self, email: Email, purpose: str) -> None: ...

    def delete(self, email: Email, purpose: str) -> None: ...

    def purge_expired(self, now: datetime) -> int:
        """Delete expired codes; returns how many (DynamoDB TTL is lazy, the emulator's never runs)."""
        ...


class Mailbox(Protocol):
    """Read what was sent (embedded runtime only)."""

    def messages(self) -> Sequence[dict[str, str]]: ...


# Imports ---------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentDataset:
    """Which upload currently holds an establishment's data for one file type and period."""

    finess: Finess
    file_type: str
    period: str
    upload_id: str
    lake_keys: tuple[str, ...]
    version: int


class UploadStore(Protocol):
    def create(self, upload: Upload) -> None: ...

    def get(self, finess: Finess, upload_id: str) -> Upload | None: ...

    def list_uploads(self, finess: Finess, file_type: str | None = None, period: str | None = None) -> list[Upload]:
        """Uploads of one establishment, newest first."""
        ...

    def claim(self, finess: Finess, upload_id: str, version_id: str, at: str) -> bool:
        """Move PENDING -> PROCESSING for this object version, once.

        Returns False when the upload is not PENDING or this version was already
        claimed (the S3 event was delivered twice): the caller does nothing.
        """
        ...

    def finish(self, finess: Finess, upload_id: str, status: str, at: str, summary_json: str, error_code: str | None) -> None:
        """Record the outcome of processing."""
        ...

    def reopen(self, finess: Finess, upload_id: str, at: str) -> bool:
        """NEEDS_MAPPING -> PENDING, once; False when not waiting any more."""
        ...

    def current(self, finess: Finess, file_type: str, period: str) -> CurrentDataset | None: ...

    def current_for_year(self, finess: Finess, year: int) -> list[CurrentDataset]: ...

    def replace_current(self, new: CurrentDataset, expected_version: int | None) -> None:
        """Point (finess, type, period) at ``new``, if it still points where the caller read
        and if neither the period nor its year is closing or closed — in one transaction, so
        that an import never lands in a period once its closure has begun.

        ``expected_version`` None means "nothing yet". Raises Conflict when a
        concurrent import replaced it first, or ``PeriodClosed`` when the period closed.
        """
        ...


@dataclass(frozen=True)
class PeriodState:
    finess: Finess
    period: str
    status: str  # open | closing | closed
    changed_at: str
    changed_by: str
    reason: str | None = None


class PeriodStatusStore(Protocol):
    """Where each period of an establishment stands (DOMAIN.md §8). Absent means open."""

    def is_closed(self, finess: Finess, period: str) -> bool:
        """Whether ``period`` is closing or closed, itself or through its year (a quarter of a closed year is closed)."""
        ...

    def states(self, finess: Finess, year: int) -> list[PeriodState]: ...

    def start_closing(self, finess: Finess, period: str, at: str, by: str) -> None:
        """open -> closing, once. Raises Conflict when closing or closed already."""
        ...

    def finish_closing(self, finess: Finess, period: str, at: str) -> None:
        """closing -> closed (idempotent when closed)."""
        ...

    def abort_closing(self, finess: Finess, period: str, at: str) -> None:
        """closing -> open: blocking controls appeared meanwhile."""
        ...

    def reopen(self, finess: Finess, period: str, at: str, by: str, reason: str) -> None:
        """closed -> open. Raises Conflict when not closed."""
        ...


class SettingsStore(Protocol):
    def periodicities(self, finess: Finess, year: int) -> dict[str, str] | None:
        """``{"consumption_periodicity": ..., "resistance_periodicity": ...}`` or None if never set."""
        ...

    def put_periodicities(self, finess: Finess, year: int, values: dict[str, str]) -> None: ...


class UnitStore(Protocol):
    def units(self, finess: Finess) -> list[Unit]: ...

    def put_unit(self, finess: Finess, unit: Unit) -> None: ...

    def delete_unit(self, finess: Finess, code_uf: str) -> bool: ...

    def replace_units(self, finess: Finess, units: Sequence[Unit]) -> None:
        """The structure file replaces the whole structure."""
        ...

    def beds(self, finess: Finess, year: int) -> dict[str, int]: ...

    def replace_beds(self, finess: Finess, year: int, beds: dict[str, int]) -> None: ...


class ObjectStore(Protocol):
    """Objects in the platform's buckets (raw uploads, lake, reports)."""

    def presigned_post(self, bucket: str, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        """A POST policy limited to this key, type and size: ``{"url", "fields"}``."""
        ...

    def head(self, bucket: str, key: str, version_id: str | None = None) -> dict[str, Any] | None:
        """``{"size", "content_type", "version_id"}`` or None when absent."""
        ...

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes: ...

    def put(self, bucket: str, key: str, body: bytes, content_type: str) -> None: ...

    def delete_all_versions(self, bucket: str, key: str) -> None: ...

    def copy(self, bucket: str, source: str, target: str) -> None:
        """A server-side copy within one bucket."""
        ...

    def touch(self, bucket: str, key: str) -> None:
        """A new version of the object with the same content (fires "object created" again)."""
        ...

    def list_keys(self, bucket: str, prefix: str) -> list[str]: ...

    def presigned_get(self, bucket: str, key: str, filename: str, expires_in: int) -> str:
        """A URL that downloads the object as ``filename`` (attachment) for ``expires_in`` seconds."""
        ...


class LakeWriter(Protocol):
    def parquet(self, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> bytes:
        """Rows as Parquet bytes; ``columns`` are (name, SQL type) pairs."""
        ...


class SheetLike(Protocol):
    """The cells of a sheet as text (see adapters/spreadsheets.Sheet)."""

    @property
    def rows(self) -> list[list[str]]: ...

    @property
    def row_numbers(self) -> list[int]: ...

    @property
    def date1904(self) -> bool: ...


class SpreadsheetReader(Protocol):
    def read(self, data: bytes, filename: str) -> SheetLike:
        """Raises TooLarge or Unprocessable (French message) when the file cannot be read."""
        ...


class ReportRenderer(Protocol):
    def annotated(
        self, rows: Sequence[Sequence[str]], row_numbers: Sequence[int], header_row: int | None, problems: Sequence[Problem]
    ) -> bytes:
        """The file's rows annotated with their problems, as XLSX bytes."""
        ...

    def template(self, file_type: FileType) -> bytes: ...


class LakeReader(Protocol):
    def rows(self, bucket: str, key: str) -> list[dict[str, Any]]:
        """The rows of one Parquet object of the lake, as dictionaries."""
        ...


# Resistance --------------------------------------------------------------------


@dataclass(frozen=True)
class LabelMapping:
    """One laboratory label and where it stands: unmapped, proposed (automatic) or confirmed (a person)."""

    lab_id: str
    kind: str  # species | specimen | antibiotic
    label: str  # as the laboratory writes it (trimmed)
    state: str  # unmapped | proposed | confirmed
    code: str | None = None  # confirmed reference code
    proposed_code: str | None = None
    hints: tuple[str, ...] = ()  # phenotype hints carried by the label ("esbl", "mrsa"...)
    updated_at: str = ""
    updated_by: str = ""


class MappingStore(Protocol):
    def get_many(self, lab_id: str, kind: str, labels: Sequence[str]) -> dict[str, LabelMapping]:
        """The known mappings among ``labels`` (matched case-insensitively), by label as given."""
        ...

    def put_many(self, mappings: Sequence[LabelMapping]) -> None: ...

    def list_mappings(self, lab_id: str, kind: str | None = None, state: str | None = None) -> list[LabelMapping]: ...


class PseudonymKeys(Protocol):
    def secret_for(self, finess: Finess) -> bytes:
        """The establishment's HMAC secret, created on first use.

        Held by the key service (KMS: only its encrypted form is stored); the
        clear secret lives in memory for one task. Idempotent.
        """
        ...


class Workflows(Protocol):
    def start_deduplication(self, name: str, payload: dict[str, Any]) -> str:
        """Start the deduplication state machine; ``name`` makes a retried start idempotent.

        Returns the execution id.
        """
        ...

    def start_closure(self, name: str, payload: dict[str, Any]) -> str:
        """Start the closure state machine (same contract)."""
        ...


# Indicators --------------------------------------------------------------------


@dataclass(frozen=True)
class TableSource:
    """The Parquet objects standing behind one table of a query, and its columns."""

    keys: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]


class QueryEngine(Protocol):
    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
        """Run ``chalicelib/queries/<query>.sql`` (Athena dialect) with bound parameters.

        Parameters are bound, never interpolated; ``tables`` says which objects
        stand behind each table name (the engine adds the partition columns
        ``year``, ``region``, ``es`` from their keys).
        """
        ...


class QueryTooLarge(TooLarge):
    """The query would read more than the engine allows per query (Athena workgroup's scan limit)."""

    code = "ERR_QUERY_TOO_LARGE"
    default_message = "Cet indicateur lirait plus de données que la limite autorisée par requête."


class QueryFailed(DomainError):
    """The query engine failed, was unreachable, or gave up waiting (HTTP 503)."""

    code = "ERR_QUERY_FAILED"
    default_message = "Le calcul de l'indicateur a échoué : réessayez plus tard."


# EARS-Net export ---------------------------------------------------------------


@dataclass(frozen=True)
class ExportRecord:
    """One EARS-Net export: who asked, when, its outcome; ``details_json`` holds counts, validation and file keys."""

    export_id: str
    year: int
    status: str  # published | rejected
    created_at: str
    created_by: str
    trigger: str  # api | schedule
    details_json: str = "{}"


class ExportStore(Protocol):
    """The EARS-Net exports and the national team's export settings."""

    def put_export(self, record: ExportRecord) -> None:
        """Create or replace an export (by ``export_id``)."""
        ...

    def get_export(self, export_id: str) -> ExportRecord | None: ...

    def list_exports(self) -> list[ExportRecord]:
        """Every export, newest first (``created_at``, then ``export_id``)."""
        ...

    def export_settings(self) -> dict[str, Any] | None:
        """The settings document, or None if never set."""
        ...

    def put_export_settings(self, values: dict[str, Any]) -> None: ...


class PatientCounters(Protocol):
    """TESSy's PatientCounter: one stable integer per laboratory and patient pseudonym."""

    def counters(self, laboratory: str, pseudonyms: Sequence[str]) -> dict[str, int]:
        """The laboratory's counter of each pseudonym; the new ones get the laboratory's next
        integers, in the order given. A counter never changes and is never given twice,
        even when two exports number patients at the same time."""
        ...


class TessyFiles(Protocol):
    """TESSy records as the CSV files ECDC's upload takes (``adapters/tessy_csv.py``)."""

    def write(self, records: Sequence[AmrTestRecord | AmrCoverRecord], record_type: str | None = None) -> bytes: ...

    def read_amrtest(self, data: bytes) -> list[AmrTestRecord]: ...
