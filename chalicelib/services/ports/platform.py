"""The set of ports a running platform is wired with (real, or fakes in tests)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.services.ports import (
    AccessStore,
    AttemptCounters,
    AuditLog,
    Clock,
    CodeStore,
    ColumnarLakeWriter,
    ExportFiles,
    ExportStore,
    IdentityProvider,
    IdGenerator,
    ImportRequests,
    LakeReader,
    LakeStore,
    Mailbox,
    Mailer,
    MappingStore,
    MethodSettings,
    ObjectStore,
    PatientCounters,
    PeriodStatusStore,
    PseudonymKeys,
    QueryEngine,
    RawStore,
    ReportRenderer,
    ReportStore,
    SecondFactorStore,
    SettingsStore,
    SpreadsheetReader,
    TenantStore,
    TessyFiles,
    TokenVerifier,
    UnitStore,
    UploadStore,
    Workflows,
    WorkObjects,
)
from chalicelib.services.ports.alerts import AlertStore
from chalicelib.services.ports.campaigns import CampaignStore
from chalicelib.services.ports.catalogue import CatalogueSource, DrugCatalogue
from chalicelib.services.ports.completeness import YearRecords
from chalicelib.services.ports.indicators import DerivedRowsStore
from chalicelib.services.ports.report_archive import GenerationLog, ReportArchive
from chalicelib.services.ports.standard_report import ReportPrinter
from chalicelib.services.ports.tickets import TicketFiles, TicketStore


@dataclass(frozen=True)
class Adapters:
    tenants: TenantStore
    access: AccessStore
    audit_log: AuditLog
    codes: CodeStore
    counters: AttemptCounters
    #: When each user set up their second factor.
    second_factors: SecondFactorStore
    mailer: Mailer
    identity: IdentityProvider
    verifier: TokenVerifier
    clock: Clock
    ids: IdGenerator
    uploads: UploadStore
    units: UnitStore
    periods: PeriodStatusStore
    settings: SettingsStore
    objects: ObjectStore
    reader: SpreadsheetReader
    renderer: ReportRenderer
    lake_reader: LakeReader
    catalogue: DrugCatalogue
    mappings: MappingStore
    pseudonym_keys: PseudonymKeys
    workflows: Workflows
    query_engine: QueryEngine
    exports: ExportStore
    patient_counters: PatientCounters
    methods: MethodSettings
    campaigns: CampaignStore
    #: What the stores hold of a year, every establishment at once.
    year_records: YearRecords
    tickets: TicketStore
    alerts: AlertStore
    ticket_files: TicketFiles
    tessy_files: TessyFiles
    columnar_writer: ColumnarLakeWriter
    reports: ReportStore
    #: The standard reports' versions and the generation requests (the exports bucket, theirs).
    report_archive: ReportArchive
    generation_log: GenerationLog
    work_objects: WorkObjects
    #: The lake's objects (rows by key, closed years' listings), its bucket and keys its own.
    lake: LakeStore
    #: Rows computed over closed data, kept between calls and containers (the lake bucket's ``derived/``).
    derived_rows: DerivedRowsStore
    #: The files sent, in the bucket that alone holds patient identifiers (its name the store's own).
    raw: RawStore
    #: The import function, asked to process a reopened upload's raw file again (only it may read that file).
    imports: ImportRequests
    #: The EARS-Net exports' files and ledgers (their bucket and keys its own).
    export_files: ExportFiles
    catalogue_source: CatalogueSource | None = None
    mailbox: Mailbox | None = None
    #: Prints the standard report; None: the ReportLab printer (pure, no AWS).
    report_printer: ReportPrinter | None = None
