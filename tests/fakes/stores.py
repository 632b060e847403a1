"""In-memory fakes of the storage ports; the contract suite runs them beside the real adapters."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.access import AccessRequest, Membership, Profile, ProfileType, RequestState, Status
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict, NotFound, PeriodClosed
from chalicelib.domain.imports import FileType, Report, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.resistance.labels import label_key
from chalicelib.domain.structure import Unit
from chalicelib.domain.tenants import Establishment, Laboratory
from chalicelib.domain.uploads import Upload
from chalicelib.services.ports import CurrentDataset, KeptRows, LabelMapping, PeriodState, StoredCode


class FakeTenantStore:
    def __init__(self) -> None:
        self.establishments: dict[Finess, Establishment] = {}
        self.laboratories: dict[str, Laboratory] = {}

    def create_establishment(self, establishment: Establishment) -> None:
        if establishment.finess in self.establishments:
            raise Conflict(f"L'établissement {establishment.finess} existe déjà.")
        self.establishments[establishment.finess] = establishment

    def replace_establishment(self, establishment: Establishment) -> None:
        if establishment.finess not in self.establishments:
            raise NotFound("Établissement introuvable.")
        self.establishments[establishment.finess] = establishment

    def get_establishment(self, finess: Finess) -> Establishment | None:
        return self.establishments.get(finess)

    def list_establishments(self, region: RegionCode | None = None) -> list[Establishment]:
        found = [e for e in self.establishments.values() if region is None or e.region == region]
        return sorted(found, key=lambda e: e.finess.value)

    def create_laboratory(self, laboratory: Laboratory) -> None:
        self.laboratories[laboratory.lab_id] = laboratory

    def get_laboratory(self, lab_id: str) -> Laboratory | None:
        return self.laboratories.get(lab_id)

    def list_laboratories(self) -> list[Laboratory]:
        return sorted(self.laboratories.values(), key=lambda lab: (lab.name, lab.lab_id))


class FakeAccessStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.members: dict[tuple[Finess, Email], Membership] = {}
        self.referents: dict[Finess, Email] = {}
        self.requests: dict[tuple[Finess, str], AccessRequest] = {}
        self.profiles: dict[tuple[Email, ProfileType], Profile] = {}

    def get_membership(self, finess: Finess, email: Email) -> Membership | None:
        return self.members.get((finess, email))

    def list_members(self, finess: Finess) -> list[Membership]:
        return sorted((m for (f, _), m in self.members.items() if f == finess), key=lambda m: m.email.value)

    def memberships_of(self, email: Email) -> list[Membership]:
        return sorted((m for (_, e), m in self.members.items() if e == email), key=lambda m: m.finess.value)

    def add_first_referent(self, membership: Membership) -> None:
        with self._lock:
            if membership.finess in self.referents:
                raise Conflict("Cet établissement a déjà un référent.")
            self.referents[membership.finess] = membership.email
            self.members[(membership.finess, membership.email)] = membership

    def put_membership(self, membership: Membership) -> None:
        self.members[(membership.finess, membership.email)] = membership

    def hand_over_referent(self, finess: Finess, old: Email, new: Email, at: str) -> None:
        with self._lock:
            if self.referents.get(finess) != old or (finess, new) not in self.members:
                raise Conflict("Le rôle de référent a changé entre-temps : rechargez la page.")
            self.referents[finess] = new
            self.members[(finess, old)] = replace(self.members[(finess, old)], status=Status.CONTRIBUTEUR)
            self.members[(finess, new)] = replace(self.members[(finess, new)], status=Status.REFERENT)

    def referent_of(self, finess: Finess) -> Email | None:
        return self.referents.get(finess)

    def put_request(self, request: AccessRequest) -> None:
        self.requests[(request.finess, request.request_id)] = request

    def get_request(self, finess: Finess, request_id: str) -> AccessRequest | None:
        return self.requests.get((finess, request_id))

    def list_requests(self, finess: Finess, state: RequestState | None = None) -> list[AccessRequest]:
        found = [r for (f, _), r in self.requests.items() if f == finess and (state is None or r.state is state)]
        return sorted(found, key=lambda r: (r.created_at, r.request_id))

    def requests_of(self, email: Email) -> list[AccessRequest]:
        return sorted((r for r in self.requests.values() if r.email == email), key=lambda r: (r.created_at, r.request_id))

    def accept_request(self, request: AccessRequest, membership: Membership) -> None:
        with self._lock:
            current = self.requests.get((request.finess, request.request_id))
            if current is None or current.state is not RequestState.PENDING:
                raise Conflict("Cette demande d'accès a déjà été traitée.")
            self.requests[(request.finess, request.request_id)] = request
            self.members[(membership.finess, membership.email)] = membership

    def put_profile(self, email: Email, profile: Profile) -> None:
        self.profiles[(email, profile.type)] = profile

    def delete_profile(self, email: Email, kind: ProfileType) -> bool:
        return self.profiles.pop((email, kind), None) is not None

    def profiles_of(self, email: Email) -> list[Profile]:
        return [p for (e, _), p in self.profiles.items() if e == email]

    def list_profiles(self) -> list[tuple[Email, Profile]]:
        return sorted(((e, p) for (e, _), p in self.profiles.items()), key=lambda x: (x[0].value, x[1].type.value))


class FakeAuditLog:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def since(self, since: datetime, limit: int = 1000) -> list[AuditEntry]:
        lower = since.isoformat(timespec="milliseconds")
        return sorted((e for e in self.entries if e.at >= lower), key=lambda e: (e.at, e.entry_id))[:limit]


class FakeCodeStore:
    def __init__(self) -> None:
        self.codes: dict[tuple[Email, str], StoredCode] = {}

    def put(self, code: StoredCode) -> None:
        self.codes[(code.email, code.purpose)] = code

    def get(self, email: Email, purpose: str) -> StoredCode | None:
        return self.codes.get((email, purpose))

    def count_attempt(self, email: Email, purpose: str) -> None:
        current = self.codes.get((email, purpose))
        if current is not None:
            self.codes[(email, purpose)] = replace(current, attempts=current.attempts + 1)

    def delete(self, email: Email, purpose: str) -> None:
        self.codes.pop((email, purpose), None)

    def purge_expired(self, now: datetime) -> int:
        expired = [key for key, code in self.codes.items() if code.expires_at <= now]
        for key in expired:
            del self.codes[key]
        return len(expired)


class FakeSecondFactors:
    def __init__(self) -> None:
        self.enrolled: dict[Email, datetime] = {}

    def enrolled_at(self, email: Email) -> datetime | None:
        return self.enrolled.get(email)

    def record(self, email: Email, at: datetime) -> None:
        self.enrolled[email] = at


class FakeAttemptCounters:
    def __init__(self) -> None:
        self.windows: dict[tuple[str, str], tuple[datetime, int]] = {}  # (key, name) -> (ends at, attempts)
        self._lock = threading.Lock()

    def count(self, key: str, name: str, now: datetime, window: timedelta) -> int:
        with self._lock:
            ends, attempts = self.windows.get((key, name), (now, 0))
            if ends <= now:
                ends, attempts = now + window, 0
            self.windows[(key, name)] = (ends, attempts + 1)
            return attempts + 1

    def attempts(self, key: str, name: str, now: datetime) -> int:
        ends, attempts = self.windows.get((key, name), (now, 0))
        return attempts if ends > now else 0

    def clear(self, key: str, name: str) -> None:
        self.windows.pop((key, name), None)


class FakeUploadStore:
    def __init__(self, periods: FakePeriodStatusStore | None = None) -> None:
        self.uploads: dict[tuple[Finess, str], Upload] = {}
        self.datasets: dict[tuple[Finess, str, str], CurrentDataset] = {}
        self.periods = periods or FakePeriodStatusStore()
        self.annotated_claims: dict[tuple[Finess, str], str] = {}
        self._claims_lock = threading.Lock()

    def create(self, upload: Upload) -> None:
        if (upload.finess, upload.upload_id) in self.uploads:
            raise Conflict("upload exists")
        self.uploads[(upload.finess, upload.upload_id)] = upload

    def get(self, finess: Finess, upload_id: str) -> Upload | None:
        return self.uploads.get((finess, upload_id))

    def list_uploads(self, finess: Finess, file_type: str | None = None, period: str | None = None) -> list[Upload]:
        found = [
            u
            for (f, _), u in self.uploads.items()
            if f == finess
            and (file_type is None or u.file_type.value == file_type)
            and (period is None or str(u.period) == period)
        ]
        return sorted(found, key=lambda u: (u.created_at, u.upload_id), reverse=True)

    def claim(self, finess: Finess, upload_id: str, version_id: str, at: str) -> bool:
        current = self.uploads.get((finess, upload_id))
        if current is None or current.status is not UploadStatus.PENDING:
            return False
        self.uploads[(finess, upload_id)] = replace(current, status=UploadStatus.PROCESSING, version_id=version_id, updated_at=at)
        return True

    def finish(self, finess: Finess, upload_id: str, status: str, at: str, summary_json: str, error_code: str | None) -> None:
        current = self.uploads[(finess, upload_id)]
        self.uploads[(finess, upload_id)] = replace(
            current, status=UploadStatus(status), updated_at=at, summary_json=summary_json, error_code=error_code or None
        )

    def unfinished(self, updated_before: str) -> list[Upload]:
        waiting = (UploadStatus.PENDING, UploadStatus.PROCESSING)
        return [
            u
            for u in self.uploads.values()
            if u.updated_at < updated_before
            and (u.status in waiting or (u.status is UploadStatus.VALIDATED and u.file_type is FileType.RESISTANCE))
        ]

    def waiting_on_catalogue(self) -> list[Upload]:
        return [u for u in self.uploads.values() if u.status is UploadStatus.NEEDS_CATALOGUE]

    def abandon(self, upload: Upload, status: str, at: str, summary_json: str, error_code: str | None) -> bool:
        current = self.uploads.get((upload.finess, upload.upload_id))
        if current is None or (current.status, current.updated_at) != (upload.status, upload.updated_at):
            return False
        self.finish(upload.finess, upload.upload_id, status, at, summary_json, error_code)
        return True

    def reopen(self, finess: Finess, upload_id: str, at: str, waiting: UploadStatus) -> bool:
        current = self.uploads.get((finess, upload_id))
        if current is None or not waiting.waiting or current.status is not waiting:
            return False
        self.uploads[(finess, upload_id)] = replace(current, status=UploadStatus.PENDING, updated_at=at)
        return True

    def claim_annotated_report(self, finess: Finess, upload_id: str, at: str, stale_before: str) -> bool:
        with self._claims_lock:  # a conditional write: two threads may ask at once
            if (finess, upload_id) not in self.uploads:
                return False
            began = self.annotated_claims.get((finess, upload_id))
            if began is not None and began >= stale_before:
                return False
            self.annotated_claims[(finess, upload_id)] = at
            return True

    def current(self, finess: Finess, file_type: str, period: str) -> CurrentDataset | None:
        return self.datasets.get((finess, file_type, period))

    def current_for_year(self, finess: Finess, year: int) -> list[CurrentDataset]:
        return [d for (f, _, p), d in self.datasets.items() if f == finess and Period.parse(p).year == year]

    def remove_current(self, current: CurrentDataset) -> None:
        found = self.datasets.get((current.finess, current.file_type, current.period))
        if self.periods.is_closed(current.finess, current.period):
            raise PeriodClosed()
        if found is None or found.version != current.version:
            raise Conflict("Un autre import de ce fichier pour cette période s'est terminé entre-temps.")
        del self.datasets[(current.finess, current.file_type, current.period)]

    def replace_current(self, new: CurrentDataset, expected_version: int | None) -> None:
        previous = self.datasets.get((new.finess, new.file_type, new.period))
        if self.periods.is_closed(new.finess, new.period):
            raise PeriodClosed()
        if (previous.version if previous else None) != expected_version:
            raise Conflict("Un autre import de ce fichier pour cette période s'est terminé entre-temps.")
        self.datasets[(new.finess, new.file_type, new.period)] = new


class FakePeriodStatusStore:
    def __init__(self) -> None:
        self.status: dict[tuple[Finess, str], PeriodState] = {}

    @property
    def closed(self) -> _ClosedView:
        """``store.closed.add((finess, "2025"))`` closes a period directly (tests)."""
        return _ClosedView(self)

    def is_closed(self, finess: Finess, period: str) -> bool:
        wanted = Period.parse(period)
        return any(
            (state := self.status.get((finess, p))) is not None and state.status in ("closing", "closed")
            for p in {str(wanted), str(wanted.year)}
        )

    def states(self, finess: Finess, year: int) -> list[PeriodState]:
        return [s for (f, p), s in self.status.items() if f == finess and Period.parse(p).year == year]

    def start_closing(self, finess: Finess, period: str, at: str, by: str) -> None:
        self._move(finess, period, {"open", None}, "closing", at, by, None)

    def finish_closing(self, finess: Finess, period: str, at: str) -> None:
        current = self.status.get((finess, period))
        if current is not None and current.status == "closed":
            return
        self._move(finess, period, {"closing"}, "closed", at, current.changed_by if current else "", None)

    def abort_closing(self, finess: Finess, period: str, at: str) -> None:
        current = self.status.get((finess, period))
        if current is not None and current.status == "closing":
            self.status[(finess, period)] = PeriodState(finess, period, "open", at, "system")

    def reopen(self, finess: Finess, period: str, at: str, by: str, reason: str) -> None:
        self._move(finess, period, {"closed"}, "open", at, by, reason)

    def _move(
        self, finess: Finess, period: str, sources: set[str | None], target: str, at: str, by: str, reason: str | None
    ) -> None:
        current = self.status.get((finess, period))
        if (current.status if current else None) not in sources and not (current and current.status in sources):
            raise Conflict("État de période incompatible.", code="ERR_PERIOD_STATE")
        self.status[(finess, period)] = PeriodState(finess, period, target, at, by, reason)


class _ClosedView:
    def __init__(self, store: FakePeriodStatusStore) -> None:
        self._store = store

    def add(self, key: tuple[Finess, str]) -> None:
        self._store.status[key] = PeriodState(key[0], key[1], "closed", "", "test")


class FakeSettingsStore:
    def __init__(self) -> None:
        self.values: dict[tuple[Finess, int], dict[str, str]] = {}
        self.antifungals: dict[tuple[Finess, int], bool] = {}

    def periodicities(self, finess: Finess, year: int) -> dict[str, str] | None:
        found = self.values.get((finess, year))
        return dict(found) if found is not None else None

    def put_periodicities(self, finess: Finess, year: int, values: dict[str, str]) -> None:
        self.values.setdefault((finess, year), {}).update(values)

    def antifungals_reported(self, finess: Finess, year: int) -> bool | None:
        return self.antifungals.get((finess, year))

    def put_antifungals_reported(self, finess: Finess, year: int, reported: bool) -> None:
        self.antifungals[(finess, year)] = reported

    def antifungal_statements(self, year: int, establishments: Iterable[Finess]) -> dict[str, bool]:
        return {f.value: self.antifungals[(f, year)] for f in establishments if (f, year) in self.antifungals}


class FakeUnitStore:
    def __init__(self) -> None:
        self.structure: dict[Finess, dict[str, Unit]] = {}
        self.bed_counts: dict[tuple[Finess, int], dict[str, int]] = {}

    def units(self, finess: Finess) -> list[Unit]:
        return sorted(self.structure.get(finess, {}).values(), key=lambda u: u.code_uf)

    def put_unit(self, finess: Finess, unit: Unit) -> None:
        self.structure.setdefault(finess, {})[unit.code_uf] = unit

    def delete_unit(self, finess: Finess, code_uf: str) -> bool:
        return self.structure.get(finess, {}).pop(code_uf, None) is not None

    def replace_units(self, finess: Finess, units: Sequence[Unit]) -> None:
        self.structure[finess] = {u.code_uf: u for u in units}

    def beds(self, finess: Finess, year: int) -> dict[str, int]:
        return dict(self.bed_counts.get((finess, year), {}))

    def replace_beds(self, finess: Finess, year: int, beds: dict[str, int]) -> None:
        self.bed_counts[(finess, year)] = dict(beds)


class FakeObjectStore:
    """Buckets in memory; presigned POSTs are recorded, not served."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.posts: list[dict[str, Any]] = []
        self.touched: list[tuple[str, str]] = []

    def presigned_post(self, bucket: str, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        post = {"url": f"memory://{bucket}", "fields": {"key": key, "Content-Type": content_type}}
        self.posts.append({**post, "max_bytes": max_bytes, "expires_in": expires_in})
        return post

    def head(self, bucket: str, key: str, version_id: str | None = None) -> dict[str, Any] | None:
        found = self.objects.get((bucket, key))
        return {"size": len(found[0]), "content_type": found[1], "version_id": "v1"} if found else None

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        found = self.objects.get((bucket, key))
        if found is None:
            raise NotFound(f"no object {bucket}/{key}")
        return found[0]

    def put(self, bucket: str, key: str, body: bytes, content_type: str) -> None:
        self.objects[(bucket, key)] = (body, content_type)

    def put_new(self, bucket: str, key: str, body: bytes, content_type: str) -> bool:
        written = (body, content_type)
        return self.objects.setdefault((bucket, key), written) is written  # one step, as S3's conditional write

    def delete_all_versions(self, bucket: str, key: str) -> None:
        self.objects.pop((bucket, key), None)

    def list_keys(self, bucket: str, prefix: str) -> list[str]:
        # A copy of the keys first: the services read and write from several threads (a report's questions at once).
        return sorted(k for b, k in list(self.objects) if b == bucket and k.startswith(prefix))

    def touch(self, bucket: str, key: str) -> None:
        self.touched.append((bucket, key))

    def copy(self, bucket: str, source: str, target: str) -> None:
        self.objects[(bucket, target)] = self.objects[(bucket, source)]

    def presigned_get(self, bucket: str, key: str, filename: str, expires_in: int) -> str:
        return f"memory://{bucket}/{key}?filename={filename}&expires_in={expires_in}"


class FakeReportStore:
    """The reports in memory, one per upload, copied in and out as the real store serialises them; beside each
    the rows kept and the annotated copy."""

    def __init__(self) -> None:
        self._reports: dict[tuple[str, str], dict[str, Any]] = {}
        self._rows: dict[tuple[str, str], KeptRows] = {}
        self._annotated: dict[tuple[str, str], bytes] = {}

    def get(self, upload: Upload) -> Report | None:
        found = self._reports.get((upload.finess.value, upload.upload_id))
        return None if found is None else Report.from_dict(deepcopy(found))

    def put(self, upload: Upload, report: Report) -> None:
        self._reports[(upload.finess.value, upload.upload_id)] = deepcopy(report.as_dict())

    def put_rows(self, upload: Upload, kept: KeptRows) -> None:
        self._rows[(upload.finess.value, upload.upload_id)] = deepcopy(kept)

    def rows(self, upload: Upload) -> KeptRows | None:
        return deepcopy(self._rows.get((upload.finess.value, upload.upload_id)))

    def annotated(self, upload: Upload) -> str | None:
        return f"memory://annotated/{upload.finess}/{upload.upload_id}" if self._key(upload) in self._annotated else None

    def put_annotated(self, upload: Upload, body: bytes) -> str:
        self._annotated[self._key(upload)] = body
        return f"memory://annotated/{upload.finess}/{upload.upload_id}"

    def annotated_url(self, upload: Upload, filename: str, expires_in: int) -> str:
        return f"memory://annotated/{upload.finess}/{upload.upload_id}?filename={filename}&expires_in={expires_in}"

    @staticmethod
    def _key(upload: Upload) -> tuple[str, str]:
        return upload.finess.value, upload.upload_id


class FakeMappingStore:
    def __init__(self) -> None:
        self.mappings: dict[tuple[str, str, str], LabelMapping] = {}
        self.versions: dict[str, int] = {}

    def version(self, lab_id: str) -> int:
        return self.versions.get(lab_id, 0)

    def next_version(self, lab_id: str) -> int:
        self.versions[lab_id] = self.version(lab_id) + 1
        return self.versions[lab_id]

    def get_many(self, lab_id: str, kind: str, labels: Sequence[str]) -> dict[str, LabelMapping]:
        found = {}
        for label in labels:
            mapping = self.mappings.get((lab_id, kind, label_key(label)))
            if mapping is not None:
                found[label] = mapping
        return found

    def put_many(self, mappings: Sequence[LabelMapping]) -> None:
        for m in mappings:
            self.mappings[(m.lab_id, m.kind, label_key(m.label))] = m

    def put_new(self, mappings: Sequence[LabelMapping]) -> None:
        for m in mappings:
            self.mappings.setdefault((m.lab_id, m.kind, label_key(m.label)), m)

    def list_mappings(self, lab_id: str, kind: str | None = None, state: str | None = None) -> list[LabelMapping]:
        found = [
            m
            for (lab, k, _), m in self.mappings.items()
            if lab == lab_id and (kind is None or k == kind) and (state is None or m.state == state)
        ]
        return sorted(found, key=lambda m: (m.kind, m.label.casefold()))


class FakePseudonymKeys:
    """A fixed secret per establishment, as the key service would keep it."""

    def secret_for(self, finess: Finess) -> bytes:
        return f"secret-of-{finess}".encode()


class FakeWorkflows:
    """Records the starts; ``runner`` (optional) runs the workflow at once, as a test wishes."""

    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, Any]]] = []
        self.runner: Any = None
        self.closures: list[tuple[str, dict[str, Any]]] = []
        self.closure_runner: Any = None
        self.exports: list[tuple[str, dict[str, Any]]] = []
        self.export_runner: Any = None
        self.annotated_reports: list[tuple[str, dict[str, Any]]] = []
        self.annotated_report_runner: Any = None
        self.report_generations: list[tuple[str, dict[str, Any]]] = []

    def start_deduplication(self, name: str, payload: dict[str, Any]) -> str:
        return _start(self.started, self.runner, name, payload)

    def start_closure(self, name: str, payload: dict[str, Any]) -> str:
        return _start(self.closures, self.closure_runner, name, payload)

    def start_ears_net_export(self, name: str, payload: dict[str, Any]) -> str:
        return _start(self.exports, self.export_runner, name, payload)

    def start_annotated_report(self, name: str, payload: dict[str, Any]) -> str:
        return _start(self.annotated_reports, self.annotated_report_runner, name, payload)

    def start_report_generation(self, name: str, payload: dict[str, Any]) -> str:
        return _start(self.report_generations, None, name, payload)


def _start(started: list[tuple[str, dict[str, Any]]], runner: Any, name: str, payload: dict[str, Any]) -> str:
    """Records the start, runs the workflow at once if the test gave a runner; the execution's name."""
    started.append((name, payload))
    if runner is not None:
        runner(payload)
    return f"execution:{name}"
