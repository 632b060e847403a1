"""The regional and national syntheses (DOMAIN.md §10.8; API.md "Reports"): their content asked of the
indicator service (the API's one source of numbers) as a system caller holding the scope's regional or
national profile, so closed data only, never a draft; printed like the establishment report, kept in
versions (``reports/regions/{code}/…``, ``reports/national/…``), downloaded by that region's team and
the national team, 404 for everyone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import RegionCode
from chalicelib.domain.completeness import YearFacts
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.indicators import Scope
from chalicelib.domain.periods import Period
from chalicelib.domain.reports.model import Report
from chalicelib.domain.reports.questions import ALERTS
from chalicelib.domain.reports.scope_facts import Completeness, Member, ScopeSubject
from chalicelib.domain.reports.shelves import Shelf, StoredReport
from chalicelib.domain.reports.synthesis import report
from chalicelib.domain.reports.synthesis_questions import questions
from chalicelib.domain.tenants import Establishment
from chalicelib.services.annotated_reports import Ready
from chalicelib.services.completeness import CompletenessService
from chalicelib.services.context import Context
from chalicelib.services.indicators import IndicatorService
from chalicelib.services.ports import TenantStore
from chalicelib.services.ports.report_archive import ReportArchive
from chalicelib.services.ports.standard_report import ReportPrinter, YearAlerts
from chalicelib.services.standard_reports.asking import ask_alerts, ask_all
from chalicelib.services.standard_reports.service import SYSTEM_EMAIL, ready, version_of, year_of


def reader_of(scope: Scope) -> Principal:
    """The synthesis's reader: the scope's regional profile, or the national one; never a member."""
    if scope.region is not None:
        return Principal(SYSTEM_EMAIL, profiles=frozenset({(ProfileType.REGIONAL, scope.region)}))
    return Principal(SYSTEM_EMAIL, profiles=frozenset({(ProfileType.NATIONAL, None)}))


def shelf_of(scope: Scope) -> Shelf:
    if scope.finess is not None:
        return Shelf.establishment(scope.finess.value)
    return Shelf.region(scope.region.value) if scope.region is not None else Shelf.national()


@dataclass(frozen=True)
class SynthesisService:
    indicators: IndicatorService
    tenants: TenantStore
    completeness: CompletenessService
    archive: ReportArchive
    printer: ReportPrinter
    context: Context
    alerts: YearAlerts

    # Routes --------------------------------------------------------------------------------
    def versions(self, caller: Principal, region: str | None) -> list[dict[str, Any]]:
        """The scope's stored versions, latest year and version first. Raises NotFound (rights)."""
        scope = self._readable(caller, region)
        base = f"/api/reports/regions/{scope.region}" if scope.region else "/api/reports/national"
        return [
            {"year": r.year, "version": r.version, "generated_at": r.generated_at, "pages": r.pages,
             "url": f"{base}/{r.year}.pdf?version={r.version}"}
            for r in sorted(self.archive.versions(shelf_of(scope)), key=lambda r: (-r.year, -r.version))
        ]  # fmt: skip

    def download(self, caller: Principal, region: str | None, document: str, version: str | None) -> Ready:
        """A presigned URL to the year's latest synthesis (or ``version``). Raises NotFound (rights, none
        such), InvalidInput (a malformed version)."""
        scope = self._readable(caller, region)
        whose = f"la région {scope.region}" if scope.region else "la France entière"
        return ready(self.archive, shelf_of(scope), year_of(document), version_of(version), whose)

    def _readable(self, caller: Principal, region: str | None) -> Scope:
        """The scope, if ``caller`` may read its synthesis: that region's team, the national team and the
        administrators; anyone else gets 404 (the synthesis does not exist for them)."""
        national = caller.has_profile(ProfileType.NATIONAL) or caller.has_profile(ProfileType.ADMIN)
        if region is None:
            if not national:
                raise NotFound("Synthèse introuvable.")
            return Scope("national")
        try:
            code = RegionCode.parse(region)
        except InvalidInput as error:
            raise NotFound("Synthèse introuvable.") from error
        if not national and code not in caller.regions():
            raise NotFound("Synthèse introuvable.")
        return Scope("region", region=code)

    # Making a synthesis ---------------------------------------------------------------------
    def content(self, scope: Scope, year: int, version: int, generated_at: datetime) -> Report:
        """The synthesis's document, from the indicator service's answers for the scope and year."""
        members = self.members(scope)
        regions = () if scope.region else tuple(sorted({e.region.value for e in members}))
        facts = self.completeness.facts(year, scope.region)
        subject = ScopeSubject(
            str(scope),
            year,
            _completeness(facts, year),
            tuple(Member(e.finess.value, e.name, e.region.value) for e in members),
            generated_at,
            version,
            regions,
        )
        reader = reader_of(scope)
        answers = ask_all(self.indicators, reader, str(scope), year, questions(regions))
        closed = {e.finess.value: _closed(f, year) for e, f in facts}  # never a draft: the alerts of closed periods
        return report(subject, {**answers, ALERTS: ask_alerts(self.alerts, reader, str(scope), year, closed)})

    def members(self, scope: Scope) -> list[Establishment]:
        """The scope's establishments (every region's for the nation)."""
        found = self.tenants.list_establishments()
        return sorted((e for e in found if scope.region is None or e.region == scope.region), key=lambda e: e.finess.value)

    def generate(self, scope: Scope, year: int, claim: str, made_by: str = "manual") -> StoredReport:
        """Make, print and keep the next version of the scope's synthesis. Idempotent for one ``claim`` (a
        generation request): a version already made for it is returned, nothing printed again."""
        now = self.context.clock.now()
        return self.archive.make(shelf_of(scope), year, claim, made_by, now,
                                 lambda version: self.printer.print(self.content(scope, year, version, now)))  # fmt: skip


def _completeness(facts: list[tuple[Establishment, YearFacts]], year: int) -> Completeness:
    """How complete the scope's year is: its owner's facts (``CompletenessService``), read in bulk."""
    found = [f for _, f in facts]
    return Completeness(
        establishments=len(found),
        sent=sum(1 for f in found if f.imported),
        with_closed=sum(1 for f in found if f.closed),
        year_closed=sum(1 for f in found if f.is_closed(str(year))),
        periods_closed=sum(len(f.closed) for f in found),
    )


def _closed(facts: YearFacts, year: int) -> frozenset[str]:
    """The establishment's closed periods of the year (a quarter is closed when the year is, and the other way)."""
    periods = (str(year), *(str(q) for q in Period(year).quarters()))
    return frozenset(p for p in periods if facts.is_closed(p))
