"""Services wired with fakes, through the same ``build_services`` as production."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.adapters import tessy_csv
from chalicelib.adapters.documents import CalamineReader, XlsxRenderer
from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.adapters.duckdb_results_writer import DuckDbColumnarWriter
from chalicelib.adapters.duckdb_work_objects import DuckDbWorkObjects
from chalicelib.adapters.jwt_verifier import JwtVerifier
from chalicelib.adapters.s3_derived_rows import S3DerivedRows
from chalicelib.adapters.s3_export_files import S3ExportFiles
from chalicelib.adapters.s3_generation_log import S3GenerationLog
from chalicelib.adapters.s3_lake import S3LakeStore
from chalicelib.adapters.s3_raw import S3RawStore
from chalicelib.adapters.s3_report_archive import S3ReportArchive
from chalicelib.adapters.s3_reports import S3ReportStore
from chalicelib.adapters.s3_ticket_files import S3TicketFiles
from chalicelib.bootstrap import Services, build_services
from chalicelib.config import Settings
from chalicelib.services.ports import QueryEngine
from chalicelib.services.ports.platform import Adapters
from tests.fakes.alerts import FakeAlertStore
from tests.fakes.campaigns import FakeCampaignStore
from tests.fakes.catalogue import FakeDrugCatalogue
from tests.fakes.ears_net import FakeExportStore, FakePatientCounters
from tests.fakes.identity import AUDIENCE, ISSUER, CountingIds, FakeClock, FakeIdentityProvider, FakeMailer, StaticKeys
from tests.fakes.import_requests import FakeImportRequests
from tests.fakes.methods import FakeMethodSettings
from tests.fakes.stores import (
    FakeAccessStore,
    FakeAttemptCounters,
    FakeAuditLog,
    FakeCodeStore,
    FakeMappingStore,
    FakeObjectStore,
    FakePeriodStatusStore,
    FakePseudonymKeys,
    FakeSecondFactors,
    FakeSettingsStore,
    FakeTenantStore,
    FakeUnitStore,
    FakeUploadStore,
    FakeWorkflows,
)
from tests.fakes.tickets import FakeTicketStore
from tests.fakes.year_records import FakeYearRecords


@dataclass
class FakeWorld:
    services: Services
    tenants: FakeTenantStore
    access: FakeAccessStore
    audit: FakeAuditLog
    codes: FakeCodeStore
    mailer: FakeMailer
    identity: FakeIdentityProvider
    clock: FakeClock
    uploads: FakeUploadStore
    units: FakeUnitStore
    periods: FakePeriodStatusStore
    settings: FakeSettingsStore
    objects: FakeObjectStore
    catalogue: FakeDrugCatalogue
    mappings: FakeMappingStore
    workflows: FakeWorkflows
    second_factors: FakeSecondFactors
    #: The requests to process an upload again, run at once by the import function's half.
    imports: FakeImportRequests

    def code_sent_to(self, email: str) -> str:
        found = re.search(r"\b(\d{6})\b", self.mailer.last_to(email).body)
        assert found, f"no code in the last e-mail to {email}"
        return found.group(1)


def fake_world(engine: Callable[[QueryEngine], QueryEngine] | None = None, mfa_required: str | None = None) -> FakeWorld:
    """``engine``: wraps the query engine (a memo shared by several worlds, for instance); ``mfa_required``:
    the profiles that must use a second factor (CONSORES_MFA_REQUIRED_PROFILES; none when None)."""
    tenants, access, audit, codes = FakeTenantStore(), FakeAccessStore(), FakeAuditLog(), FakeCodeStore()
    mailer, clock = FakeMailer(), FakeClock()
    identity = FakeIdentityProvider(clock)
    periods = FakePeriodStatusStore()
    second_factors = FakeSecondFactors()
    uploads, units, settings_store = FakeUploadStore(periods), FakeUnitStore(), FakeSettingsStore()
    objects, catalogue = FakeObjectStore(), FakeDrugCatalogue()
    mappings, workflows = FakeMappingStore(), FakeWorkflows()
    imports = FakeImportRequests()
    env = {"CONSORES_RUNTIME": "embedded", "CONSORES_USER_POOL_ID": "eu-west-3_fake"}
    if mfa_required is not None:
        env["CONSORES_MFA_REQUIRED_PROFILES"] = mfa_required
    settings = Settings.from_env(env)
    adapters = Adapters(
        tenants=tenants,
        access=access,
        audit_log=audit,
        codes=codes,
        counters=FakeAttemptCounters(),
        second_factors=second_factors,
        mailer=mailer,
        identity=identity,
        verifier=JwtVerifier(StaticKeys(), ISSUER, AUDIENCE),
        clock=clock,
        ids=CountingIds(),
        uploads=uploads,
        units=units,
        periods=periods,
        settings=settings_store,
        objects=objects,
        reader=CalamineReader(),
        renderer=XlsxRenderer(),
        columnar_writer=DuckDbColumnarWriter(),
        reports=S3ReportStore(objects, settings.buckets["lake"]),  # the reports where tests read them: in the objects
        report_archive=S3ReportArchive(objects, settings.buckets["exports"]),  # the real ones, over the objects in memory
        generation_log=S3GenerationLog(objects, settings.buckets["exports"]),
        work_objects=DuckDbWorkObjects(objects, settings.buckets["raw"], settings.buckets["lake"]),  # the real one, in memory
        lake_reader=DuckDbLakeReader(objects),
        lake=S3LakeStore(objects, DuckDbLakeReader(objects), DuckDbLakeWriter(), settings.buckets["lake"]),
        derived_rows=S3DerivedRows(objects, settings.buckets["lake"]),  # the real one, in memory
        raw=S3RawStore(objects, settings.buckets["raw"]),  # the files where tests put them: in the objects
        imports=imports,
        export_files=S3ExportFiles(objects, settings.buckets["exports"]),
        catalogue=catalogue,
        mappings=mappings,
        pseudonym_keys=FakePseudonymKeys(),
        workflows=workflows,
        query_engine=(engine or (lambda inner: inner))(
            DuckDbQueryEngine(objects, "consores-lake", tempfile.mkdtemp(prefix="consores-test-cache-"))
        ),
        exports=FakeExportStore(),
        patient_counters=FakePatientCounters(),
        methods=FakeMethodSettings(),
        campaigns=FakeCampaignStore(),
        year_records=FakeYearRecords(uploads, periods, settings_store),
        tickets=FakeTicketStore(),
        alerts=FakeAlertStore(),
        ticket_files=S3TicketFiles(objects, settings.buckets["exports"]),  # the real one, over the objects in memory
        tessy_files=tessy_csv,
        mailbox=mailer,
    )
    services = build_services(settings, adapters)
    workflows.export_runner = services.ears_net.task_run  # the export's state machine, at once (None: only started)
    imports.runner = services.uploads.process_again  # the import function, at once
    return FakeWorld(
        services,
        tenants,
        access,
        audit,
        codes,
        mailer,
        identity,
        clock,
        uploads,
        units,
        periods,
        settings_store,
        objects,
        catalogue,
        mappings,
        workflows,
        second_factors,
        imports,
    )
