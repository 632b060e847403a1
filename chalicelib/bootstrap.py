"""Composition root: settings -> adapters -> services.

Handlers call ``services()``; tests and the embedded runtime ``install`` their
own wiring (fakes, or real adapters pointed at the emulator) through the same
``build_services`` function.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.config import Settings
from chalicelib.domain.imports import FileType
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.services.access import AccessService
from chalicelib.services.accounts import AccountService
from chalicelib.services.administration import AdministrationService
from chalicelib.services.annotated_reports import AnnotatedReports
from chalicelib.services.authentication import Authenticator
from chalicelib.services.catalogue import CatalogueService
from chalicelib.services.closure import ClosureService
from chalicelib.services.context import Context
from chalicelib.services.controls import ControlService
from chalicelib.services.datasets import DatasetService
from chalicelib.services.deduplication import DeduplicationWorkflow
from chalicelib.services.ears_net import EarsNetService
from chalicelib.services.ears_net_sources import ClosedData
from chalicelib.services.following_stores import FollowingStores
from chalicelib.services.guard import Guard
from chalicelib.services.importers import processors
from chalicelib.services.indicators import IndicatorService
from chalicelib.services.mappings import MappingService, proposer
from chalicelib.services.methods import MethodsService
from chalicelib.services.outlier_controls import OutlierControls
from chalicelib.services.ports import Mailbox
from chalicelib.services.ports.platform import Adapters
from chalicelib.services.ports.standard_report import ReportPrinter
from chalicelib.services.profiles import ProfileService
from chalicelib.services.publisher import LakePublisher
from chalicelib.services.resistance import ResistanceProcessor
from chalicelib.services.resistance_rules import classifier, decide, group_lookup
from chalicelib.services.standard_reports import ReportArchive, ReportService
from chalicelib.services.structure import StructureService
from chalicelib.services.sweeper import UploadSweeper
from chalicelib.services.tenants import TenantService
from chalicelib.services.uploads import Buckets, UploadService
from chalicelib.services.year_dedup import YearDeduplication


@dataclass(frozen=True)
class Services:
    settings: Settings
    adapters: Adapters
    accounts: AccountService
    authenticator: Authenticator
    tenants: TenantService
    access: AccessService
    profiles: ProfileService
    administration: AdministrationService
    uploads: UploadService
    annotated_reports: AnnotatedReports
    structure: StructureService
    controls: ControlService
    closure: ClosureService
    indicators: IndicatorService
    methods: MethodsService
    mappings: MappingService
    deduplication: DeduplicationWorkflow
    ears_net: EarsNetService
    catalogue: CatalogueService
    templates: Callable[[FileType], bytes]
    mailbox: Mailbox | None
    sweeper: UploadSweeper
    datasets: DatasetService
    standard_reports: ReportService
    #: Scheduled jobs by name: run by the schedule handlers, the embedded
    #: runtime's ticker and ``POST /api/local/schedules/{job}/run``.
    jobs: dict[str, Callable[[], object]] = field(default_factory=dict)


def build_services(settings: Settings, adapters: Adapters) -> Services:
    context = Context(adapters.clock, adapters.ids, adapters.audit_log)
    guard = Guard(adapters.tenants)
    accounts = AccountService(
        adapters.identity, adapters.codes, adapters.mailer, adapters.access, adapters.tenants, context, adapters.counters
    )
    catalogue = CatalogueService(
        adapters.catalogue, adapters.catalogue_source, adapters.mailer, guard, context, alert_to=settings.national_team_emails
    )
    controls = ControlService(
        adapters.uploads,
        adapters.units,
        adapters.settings,
        adapters.lake_reader,
        adapters.objects,
        guard,
        settings.buckets["lake"],
        OutlierControls(
            adapters.query_engine,
            adapters.uploads,
            adapters.tenants,
            adapters.objects,
            settings.buckets["lake"],
            adapters.settings,
            adapters.methods,
        ),
        tenants=adapters.tenants,
        reports=adapters.reports,
    )
    publisher = LakePublisher(adapters.uploads, adapters.objects, adapters.lake_writer, settings.buckets["lake"])
    following = FollowingStores(adapters.units, adapters.lake_reader, settings.buckets["lake"])
    year_dedup = YearDeduplication(
        adapters.uploads, adapters.tenants, adapters.objects, adapters.lake_reader, publisher, context,
        settings.buckets["lake"], adapters.columnar_writer,
    )  # fmt: skip
    reference = default_reference()
    mappings = MappingService(
        adapters.mappings, adapters.tenants, proposer(reference), reference.codes, context, adapters.access, adapters.mailer
    )
    resistance = ResistanceProcessor(
        adapters.units, mappings, adapters.work_objects, adapters.workflows, reference.is_screening
    )
    uploads = UploadService(
        adapters.uploads,
        adapters.tenants,
        adapters.periods,
        adapters.settings,
        adapters.objects,
        adapters.reader,
        {
            **processors(adapters.units, adapters.settings, catalogue.resolve, publisher, catalogue.version),
            FileType.RESISTANCE: resistance,
        },
        guard,
        context,
        Buckets(raw=settings.buckets["raw"], lake=settings.buckets["lake"]),
        following=following,
        reports=adapters.reports,
    )
    closure = ClosureService(
        adapters.periods,
        adapters.uploads,
        adapters.settings,
        controls,
        adapters.workflows,
        adapters.tenants,
        adapters.access,
        adapters.objects,
        adapters.mailer,
        guard,
        context,
        settings.buckets["lake"],
    )
    indicators = IndicatorService(
        adapters.query_engine, adapters.uploads, adapters.tenants, adapters.objects, guard, settings.buckets["lake"],
        adapters.settings, adapters.methods, adapters.units,
    )  # fmt: skip
    services = Services(
        settings=settings,
        adapters=adapters,
        accounts=accounts,
        authenticator=Authenticator(adapters.verifier, adapters.access),
        tenants=TenantService(adapters.tenants, guard, context),
        access=AccessService(
            adapters.tenants, adapters.access, adapters.identity, adapters.mailer, guard, context, settings.support_contact
        ),
        profiles=ProfileService(adapters.access, guard, context),
        administration=AdministrationService(
            adapters.tenants, adapters.access, adapters.identity, adapters.periods, guard, context
        ),
        uploads=uploads,
        annotated_reports=AnnotatedReports(
            adapters.uploads, adapters.objects, adapters.renderer, adapters.workflows, guard, settings.buckets["lake"], context,
            reports=adapters.reports,
        ),
        structure=StructureService(adapters.units, adapters.settings, adapters.uploads, adapters.periods, guard, context),
        controls=controls,
        closure=closure,
        catalogue=catalogue,
        indicators=indicators,
        methods=MethodsService(adapters.methods, guard, context),
        mappings=mappings,
        deduplication=DeduplicationWorkflow(
            adapters.uploads,
            adapters.tenants,
            adapters.units,
            adapters.objects,
            adapters.pseudonym_keys,
            publisher,
            decide,
            classifier(reference),
            group_lookup(reference),
            context,
            settings.buckets["raw"],
            settings.buckets["lake"],
            columnar=adapters.columnar_writer,
            reports=adapters.reports,
            work=adapters.work_objects,
            year=year_dedup,
        ),
        ears_net=EarsNetService(
            adapters.exports,
            adapters.patient_counters,
            adapters.tessy_files,
            ClosedData(
                adapters.objects, adapters.lake_reader, adapters.uploads, adapters.tenants, adapters.units, reference,
                settings.buckets["lake"],
            ),
            adapters.access,
            adapters.objects,
            adapters.mailer,
            adapters.workflows,
            guard,
            context,
            settings.buckets["exports"],
            settings.national_team_emails,
        ),
        templates=adapters.renderer.template,
        mailbox=adapters.mailbox,
        sweeper=UploadSweeper(
            adapters.uploads, adapters.objects, settings.buckets["raw"], settings.buckets["lake"], context, following, year_dedup,
            reports=adapters.reports,
        ),
        datasets=DatasetService(
            adapters.uploads, adapters.units, adapters.objects, guard, settings.buckets["lake"], context, year_dedup
        ),
        standard_reports=ReportService(
            indicators, closure, adapters.tenants, adapters.access, adapters.periods, adapters.objects,
            ReportArchive(adapters.objects, settings.buckets["exports"]), adapters.report_printer or _report_printer(),
            adapters.mailer, guard, context, settings.buckets["exports"], settings.web_url,
        ),
    )
    services.jobs["purge_expired_codes"] = accounts.purge_expired_codes
    services.jobs["sweep_uploads"] = services.sweeper.sweep
    services.jobs["sync_catalogue"] = catalogue.sync_job
    services.jobs["export_ears_net"] = services.ears_net.scheduled
    return services


def _report_printer() -> ReportPrinter:
    """The ReportLab printer (pure Python, no AWS): the default of every wiring."""
    from chalicelib.adapters.pdf_report import PdfReportPrinter

    return PdfReportPrinter()


_lock = threading.Lock()
_current: Services | None = None


def services() -> Services:
    """The running platform's services, built lazily from the environment."""
    global _current
    with _lock:
        if _current is None:
            from chalicelib.adapters.factory import real_adapters

            settings = Settings.from_env()
            _current = build_services(settings, real_adapters(settings))
        return _current


def install(wired: Services | None) -> None:
    """Replace the running services (tests, embedded runtime); None resets."""
    global _current
    with _lock:
        _current = wired
