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
from chalicelib.domain import second_factor
from chalicelib.domain.imports import FileType
from chalicelib.domain.resistance.reference import ResistanceReference, default_reference
from chalicelib.services.access import AccessService
from chalicelib.services.accounts import AccountService
from chalicelib.services.administration import AdministrationService
from chalicelib.services.alerts import AlertService
from chalicelib.services.annotated_reports import AnnotatedReports
from chalicelib.services.authentication import Authenticator
from chalicelib.services.campaign import CampaignService
from chalicelib.services.catalogue import CatalogueService
from chalicelib.services.catalogue_wait import CatalogueWait
from chalicelib.services.closure import ClosureService
from chalicelib.services.completeness import CompletenessService
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
from chalicelib.services.indicators.known_rows import KnownRows
from chalicelib.services.installation import Installation
from chalicelib.services.mappings import MappingService, proposer
from chalicelib.services.methods import MethodsService
from chalicelib.services.outlier_controls import OutlierControls
from chalicelib.services.ports import Mailbox, QueryEngine
from chalicelib.services.ports.platform import Adapters
from chalicelib.services.ports.standard_report import ReportPrinter
from chalicelib.services.profiles import ProfileService
from chalicelib.services.publisher import LakePublisher
from chalicelib.services.resistance import ResistanceProcessor
from chalicelib.services.resistance_rules import alert_finder, classifier, decide, group_lookup
from chalicelib.services.second_factor import SecondFactorRule, SecondFactorService
from chalicelib.services.standard_reports import ReportService, SynthesisService
from chalicelib.services.standard_reports.generation import GenerationService
from chalicelib.services.standard_reports.remembered import RememberedAnswers
from chalicelib.services.structure import StructureService
from chalicelib.services.sweeper import UploadSweeper
from chalicelib.services.tenants import TenantService
from chalicelib.services.throttle import Throttle
from chalicelib.services.ticket_mail import TicketMail
from chalicelib.services.tickets import TicketService
from chalicelib.services.uploads import UploadService
from chalicelib.services.year_dedup import YearDeduplication


@dataclass(frozen=True)
class Services:
    settings: Settings
    adapters: Adapters
    accounts: AccountService
    authenticator: Authenticator
    second_factor: SecondFactorService
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
    completeness: CompletenessService
    campaign: CampaignService
    tickets: TicketService
    syntheses: SynthesisService
    report_generation: GenerationService
    alerts: AlertService
    #: The first administrator (embedded runtime at start, ``infra.cloud.first_admin`` in a cloud stage).
    installation: Installation
    #: Scheduled jobs by name: run by the schedule handlers, the embedded
    #: runtime's ticker and ``POST /api/local/schedules/{job}/run``.
    jobs: dict[str, Callable[[], object]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Wiring:
    """What every builder shares: the settings, the adapters and the few objects made once from them."""

    settings: Settings
    adapters: Adapters
    context: Context
    guard: Guard
    reference: ResistanceReference


@dataclass(frozen=True)
class _Lake:
    """Who writes to and reads from the lake on behalf of the other services."""

    publisher: LakePublisher
    following: FollowingStores
    year_dedup: YearDeduplication


def _second_factor_rule(w: _Wiring) -> SecondFactorRule:
    required = second_factor.required_profiles(w.settings.mfa_required_profiles, w.settings.embedded)
    return SecondFactorRule(required, w.adapters.second_factors, w.adapters.access, w.adapters.identity)


def _second_factor(w: _Wiring) -> SecondFactorService:
    a = w.adapters
    return SecondFactorService(
        identity=a.identity, store=a.second_factors, rule=_second_factor_rule(w), counters=a.counters, mailer=a.mailer,
        support_contact=w.settings.support_contact, context=w.context,
    )  # fmt: skip


def _accounts(w: _Wiring, second: SecondFactorService) -> AccountService:
    a = w.adapters
    return AccountService(
        identity=a.identity, codes=a.codes, mailer=a.mailer, access=a.access, tenants=a.tenants, context=w.context,
        counters=a.counters, second_factor=second,
    )  # fmt: skip


def _access(w: _Wiring) -> AccessService:
    a = w.adapters
    return AccessService(
        tenants=a.tenants, access=a.access, identity=a.identity, mailer=a.mailer, guard=w.guard, context=w.context,
        support_contact=w.settings.support_contact,
    )  # fmt: skip


def _catalogue(w: _Wiring, waiting: CatalogueWait) -> CatalogueService:
    a = w.adapters
    return CatalogueService(
        catalogue=a.catalogue, source=a.catalogue_source, mailer=a.mailer, guard=w.guard, context=w.context,
        alert_to=w.settings.national_team_emails, on_grown=waiting.revalidate,
    )  # fmt: skip


def _catalogue_wait(w: _Wiring, tickets: TicketService) -> CatalogueWait:
    a = w.adapters
    return CatalogueWait(
        uploads=a.uploads, imports=a.imports, reports=a.reports, tickets=tickets, resolve=a.catalogue.get_many,
        tenants=a.tenants, access=a.access, mailer=a.mailer, context=w.context, web_url=w.settings.web_url,
    )  # fmt: skip


def _lake(w: _Wiring) -> _Lake:
    a = w.adapters
    publisher = LakePublisher(uploads=a.uploads, lake=a.lake)
    following = FollowingStores(units=a.units, lake=a.lake)
    year_dedup = YearDeduplication(
        uploads=a.uploads, tenants=a.tenants, lake=a.lake, publisher=publisher, context=w.context,
        columnar=a.columnar_writer,
    )  # fmt: skip
    return _Lake(publisher=publisher, following=following, year_dedup=year_dedup)


def _controls(w: _Wiring) -> ControlService:
    a = w.adapters
    outliers = OutlierControls(
        engine=a.query_engine, uploads=a.uploads, tenants=a.tenants, lake=a.lake, settings=a.settings,
        methods=a.methods,
    )  # fmt: skip
    return ControlService(
        uploads=a.uploads, units=a.units, settings=a.settings, lake=a.lake, guard=w.guard, outliers=outliers,
        tenants=a.tenants, reports=a.reports,
    )  # fmt: skip


def _mappings(w: _Wiring) -> MappingService:
    a = w.adapters
    return MappingService(
        mappings=a.mappings, tenants=a.tenants, propose=proposer(w.reference), known_codes=w.reference.codes,
        context=w.context, access=a.access, mailer=a.mailer,
    )  # fmt: skip


def _imports(
    w: _Wiring, lake: _Lake, catalogue: CatalogueService, mappings: MappingService, waiting: CatalogueWait
) -> UploadService:
    a = w.adapters
    resistance = ResistanceProcessor(
        units=a.units, mappings=mappings, work=a.work_objects, workflows=a.workflows,
        is_screening=w.reference.is_screening,
    )  # fmt: skip
    by_type = {
        **processors(a.units, a.settings, catalogue.resolve, lake.publisher, catalogue.version),
        FileType.RESISTANCE: resistance,
    }
    return UploadService(
        uploads=a.uploads, tenants=a.tenants, periods=a.periods, settings=a.settings, raw=a.raw, imports=a.imports,
        reader=a.reader,
        processors=by_type, guard=w.guard, context=w.context, following=lake.following, reports=a.reports,
        catalogue_wait=waiting,
    )  # fmt: skip


def _alerts(w: _Wiring) -> AlertService:
    a = w.adapters
    species = w.reference.species_by_code

    def species_name(code: str) -> str:
        found = species.get(code)
        return found.name if found else code

    return AlertService(
        alerts=a.alerts, access=a.access, mailer=a.mailer, guard=w.guard, context=w.context, find=alert_finder(w.reference),
        species_name=species_name, web_url=w.settings.web_url,
    )  # fmt: skip


def _deduplication(w: _Wiring, lake: _Lake, alerts: AlertService) -> DeduplicationWorkflow:
    a = w.adapters
    return DeduplicationWorkflow(
        uploads=a.uploads, tenants=a.tenants, units=a.units, raw=a.raw, lake=a.lake, keys=a.pseudonym_keys,
        publisher=lake.publisher, decide=decide, classify=classifier(w.reference), group_of=group_lookup(w.reference),
        context=w.context, columnar=a.columnar_writer, reports=a.reports, work=a.work_objects, year=lake.year_dedup,
        alerts=alerts,
    )  # fmt: skip


def _indicators(w: _Wiring, engine: QueryEngine | None = None) -> IndicatorService:
    """The indicator service over the adapters' engine, or over ``engine`` (the reports' remembered answers);
    the API's keeps the rows it computed, by question and objects (``known_rows.py``)."""
    a = w.adapters
    return IndicatorService(
        engine=engine or a.query_engine, uploads=a.uploads, tenants=a.tenants, lake=a.lake, guard=w.guard, settings=a.settings,
        methods=a.methods, units=a.units, derived_rows=a.derived_rows, known_rows=KnownRows() if engine is None else None,
    )  # fmt: skip


def _closure(w: _Wiring, controls: ControlService) -> ClosureService:
    a = w.adapters
    return ClosureService(
        periods=a.periods, uploads=a.uploads, settings=a.settings, controls=controls, workflows=a.workflows,
        tenants=a.tenants, access=a.access, lake=a.lake, mailer=a.mailer, guard=w.guard, context=w.context,
    )  # fmt: skip


def _exports(w: _Wiring) -> EarsNetService:
    a = w.adapters
    closed = ClosedData(lake=a.lake, uploads=a.uploads, tenants=a.tenants, units=a.units, reference=w.reference)
    return EarsNetService(
        exports=a.exports, counters=a.patient_counters, files=a.tessy_files, closed=closed, access=a.access,
        export_files=a.export_files, mailer=a.mailer, workflows=a.workflows, guard=w.guard, context=w.context,
        national_team=w.settings.national_team_emails,
    )  # fmt: skip


def _annotated_reports(w: _Wiring) -> AnnotatedReports:
    a = w.adapters
    return AnnotatedReports(
        uploads=a.uploads, renderer=a.renderer, workflows=a.workflows, guard=w.guard, ctx=w.context, reports=a.reports,
    )  # fmt: skip


def _maintenance(w: _Wiring, lake: _Lake) -> tuple[UploadSweeper, DatasetService]:
    a = w.adapters
    sweeper = UploadSweeper(
        uploads=a.uploads, raw=a.raw, work=a.work_objects, ctx=w.context, following=lake.following,
        year=lake.year_dedup, reports=a.reports,
    )  # fmt: skip
    datasets = DatasetService(uploads=a.uploads, units=a.units, lake=a.lake, guard=w.guard, ctx=w.context, year=lake.year_dedup)
    return sweeper, datasets


def _standard_reports(w: _Wiring, indicators: IndicatorService, closure: ClosureService) -> ReportService:
    a = w.adapters
    return ReportService(
        indicators=indicators, closure=closure, tenants=a.tenants, access=a.access, periods=a.periods,
        archive=a.report_archive, printer=a.report_printer or _report_printer(),
        mailer=a.mailer, guard=w.guard, context=w.context, alerts=_alerts(w), web_url=w.settings.web_url,
    )  # fmt: skip


def _syntheses(w: _Wiring, indicators: IndicatorService) -> SynthesisService:
    a = w.adapters
    return SynthesisService(
        indicators=indicators, tenants=a.tenants, completeness=_completeness(w),
        archive=a.report_archive, printer=a.report_printer or _report_printer(),
        context=w.context, alerts=_alerts(w),
    )  # fmt: skip


def _completeness(w: _Wiring) -> CompletenessService:
    return CompletenessService(tenants=w.adapters.tenants, records=w.adapters.year_records)


def _follow_up(w: _Wiring, generation: GenerationService) -> tuple[CompletenessService, CampaignService]:
    a = w.adapters
    completeness = _completeness(w)
    campaign = CampaignService(
        campaigns=a.campaigns, completeness=completeness, tenants=a.tenants, access=a.access, mailer=a.mailer,
        guard=w.guard, context=w.context, web_url=w.settings.web_url, generation=generation,
    )  # fmt: skip
    return completeness, campaign


def _tickets(w: _Wiring, closure: ClosureService) -> TicketService:
    a = w.adapters
    return TicketService(
        tickets=a.tickets, files=a.ticket_files, tenants=a.tenants, uploads=a.uploads, closure=closure,
        mail=TicketMail(a.access, a.mailer, w.settings.web_url), guard=w.guard, context=w.context,
        throttle=Throttle(a.counters, w.context),
    )  # fmt: skip


def _report_generation(w: _Wiring, indicators: IndicatorService, closure: ClosureService) -> GenerationService:
    return GenerationService(
        reports=_standard_reports(w, indicators, closure), syntheses=_syntheses(w, indicators), log=w.adapters.generation_log,
        workflows=w.adapters.workflows, guard=w.guard, context=w.context,
    )  # fmt: skip


def build_services(settings: Settings, adapters: Adapters) -> Services:
    """Every service wired over ``adapters``, area by area; the scheduled jobs named."""
    w = _Wiring(
        settings=settings,
        adapters=adapters,
        context=Context(clock=adapters.clock, ids=adapters.ids, audit_log=adapters.audit_log),
        guard=Guard(adapters.tenants),
        reference=default_reference(),
    )
    second = _second_factor(w)
    accounts = _accounts(w, second)
    lake = _lake(w)
    mappings = _mappings(w)
    controls = _controls(w)
    closure = _closure(w, controls)
    tickets = _tickets(w, closure)
    waiting = _catalogue_wait(w, tickets)
    catalogue = _catalogue(w, waiting)
    indicators = _indicators(w)
    # The reports' own: the same service over remembered answers (a batch's reports share the national rows).
    report_indicators = _indicators(w, RememberedAnswers(adapters.query_engine))
    sweeper, datasets = _maintenance(w, lake)
    generation = _report_generation(w, report_indicators, closure)
    completeness, campaign = _follow_up(w, generation)
    alerts = _alerts(w)
    profiles = ProfileService(access=adapters.access, guard=w.guard, context=w.context)
    services = Services(
        settings=settings,
        adapters=adapters,
        accounts=accounts,
        authenticator=Authenticator(verifier=adapters.verifier, access=adapters.access, second_factor=_second_factor_rule(w)),
        second_factor=second,
        tenants=TenantService(tenants=adapters.tenants, guard=w.guard, context=w.context),
        access=_access(w),
        profiles=profiles,
        administration=AdministrationService(
            tenants=adapters.tenants,
            access=adapters.access,
            identity=adapters.identity,
            periods=adapters.periods,
            guard=w.guard,
            context=w.context,
        ),
        uploads=_imports(w, lake, catalogue, mappings, waiting),
        annotated_reports=_annotated_reports(w),
        structure=StructureService(
            units=adapters.units,
            settings=adapters.settings,
            uploads=adapters.uploads,
            periods=adapters.periods,
            guard=w.guard,
            context=w.context,
        ),
        controls=controls,
        closure=closure,
        catalogue=catalogue,
        indicators=indicators,
        methods=MethodsService(methods=adapters.methods, guard=w.guard, context=w.context),
        mappings=mappings,
        deduplication=_deduplication(w, lake, alerts),
        ears_net=_exports(w),
        templates=adapters.renderer.template,
        mailbox=adapters.mailbox,
        sweeper=sweeper,
        datasets=datasets,
        standard_reports=_standard_reports(w, report_indicators, closure),
        completeness=completeness,
        campaign=campaign,
        tickets=tickets,
        syntheses=_syntheses(w, report_indicators),
        report_generation=generation,
        alerts=alerts,
        installation=Installation(identity=adapters.identity, access=adapters.access, profiles=profiles),
    )
    services.jobs.update(
        purge_expired_codes=accounts.purge_expired_codes,
        sweep_uploads=sweeper.sweep,
        sync_catalogue=catalogue.sync_job,
        export_ears_net=services.ears_net.scheduled,
        remind_deadlines=campaign.remind,
        generate_after_deadline=campaign.after_deadlines,
        revalidate_waiting_uploads=lambda: waiting.revalidate(refresh=True),
    )
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


def install(wired: Services | None) -> Services | None:
    """Replace the running services (tests, embedded runtime); None resets. Returns those replaced, for a
    test to put back (an embedded platform of the same process serves with them)."""
    global _current
    with _lock:
        previous, _current = _current, wired
        return previous
