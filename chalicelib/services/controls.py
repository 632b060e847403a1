"""Controls of an establishment's year (DOMAIN.md §8), over its current data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.controls import Control, YearData, run_controls
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.files.consumption import ConsumptionLine
from chalicelib.domain.files.patient_days import PatientDaysRow
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period, Periodicity
from chalicelib.domain.resistance_controls import CurrentAntibiograms, ResistanceYear, resistance_controls
from chalicelib.domain.uploads import pointer_periods
from chalicelib.services.guard import Guard
from chalicelib.services.ports import (
    LakeStore,
    ReportStore,
    SettingsStore,
    TenantStore,
    UnitStore,
    UploadStore,
)


def required_year(year: str | None) -> str:
    if not year:
        raise InvalidInput("Précisez l'année : ?year=2025.", details=[{"field": "year"}])
    return year


class ControlService:
    def __init__(
        self,
        *,
        uploads: UploadStore,
        units: UnitStore,
        settings: SettingsStore,
        lake: LakeStore,
        guard: Guard,
        outliers: Callable[[Finess, int], list[Control]] | None = None,
        tenants: TenantStore | None = None,
        reports: ReportStore,
    ) -> None:
        """``outliers``: the warnings on values far from history or category
        (services/outlier_controls.py), shown on demand, not run by the closure."""
        self._outliers = outliers
        self._uploads = uploads
        self._units = units
        self._settings = settings
        self._lake = lake
        self._guard = guard
        self._tenants = tenants
        self._reports = reports

    def controls(self, caller: Principal, finess: str, year: str | None) -> list[Control]:
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)  # rights first: 404 before 400
        when = Period.parse(required_year(year)).year
        found = self.run(establishment.finess, when)
        if self._outliers is None:
            return found
        try:
            far = self._outliers(establishment.finess, when)
        except Exception:  # a warning's computation must never hide the other controls
            logging.getLogger("consores.controls").exception("far-from-history controls failed for %s %s", finess, when)
            far = []
        return sorted([*found, *far], key=lambda c: (not c.blocking, c.id, c.period or ""))

    def run(self, finess: Finess, year: int) -> list[Control]:
        """Every control of one establishment's year (closure runs them too)."""
        found = run_controls(self.year_data(finess.value, year)) + resistance_controls(self.resistance_year(finess, year))
        return sorted(found, key=lambda c: (not c.blocking, c.id, c.period or ""))

    def resistance_year(self, finess: Finess, year: int) -> ResistanceYear:
        """The year's antibiogram uploads as the resistance controls read them."""
        chosen = (self._settings.periodicities(finess, year) or {}).get("resistance_periodicity")
        periods = Period(year).quarters() if chosen == Periodicity.QUARTER.value else (Period(year),)
        latest: dict[Period, Any] = {}
        for upload in self._uploads.list_uploads(finess, FileType.RESISTANCE.value):  # newest first
            if upload.period.year == year and upload.period not in latest:
                latest[upload.period] = upload
        current: dict[Period, CurrentAntibiograms] = {}
        for found in self._uploads.current_for_year(finess, year):
            if found.file_type != FileType.RESISTANCE.value:
                continue
            accepted = self._uploads.get(finess, found.upload_id)
            report = self._reports.get(accepted) if accepted is not None else None
            summary: dict[str, Any] = report.summary if report is not None else {}
            current[Period.parse(found.period)] = CurrentAntibiograms(
                int(summary.get("isolates_read") or 0), dict(summary.get("excluded") or {})
            )
        establishment = self._tenants.get_establishment(finess) if self._tenants is not None else None
        return ResistanceYear(
            year=year,
            periods=periods,
            laboratory_linked=bool(establishment and establishment.laboratories),
            waiting=[p for p, u in latest.items() if u.status is UploadStatus.NEEDS_MAPPING],
            current=current,
        )

    def year_data(self, finess: str, year: int) -> YearData:
        code = Finess(finess)
        patient_days: list[PatientDaysRow] = []
        consumption: list[ConsumptionLine] = []
        for current in self._uploads.current_for_year(code, year):
            for key in current.lake_keys:
                if current.file_type == FileType.PATIENT_DAYS.value:
                    patient_days.extend(_patient_days(row) for row in self._lake.rows(key))
                elif current.file_type == FileType.CONSUMPTION.value:
                    consumption.extend(_consumption(row) for row in self._lake.rows(key))
        chosen = (self._settings.periodicities(code, year) or {}).get("consumption_periodicity")
        return YearData(
            year=year,
            units={u.code_uf: u for u in self._units.units(code)},
            beds=self._units.beds(code, year),
            patient_days=patient_days,
            consumption=consumption,
            unknown_ucds=self._unknown_ucds(code, year),
            periodicity=Periodicity(chosen) if chosen else None,
        )

    def _unknown_ucds(self, finess: Finess, year: int) -> dict[Period, list[str]]:
        """UCDs of the latest consumption upload of each period, when it was rejected for them or waits
        on the catalogue (DOMAIN.md §10.4) and no accepted file of that period is current."""
        latest: dict[str, Any] = {}
        for upload in self._uploads.list_uploads(finess, FileType.CONSUMPTION.value):  # newest first
            settled = upload.status.final or upload.status is UploadStatus.NEEDS_CATALOGUE
            if upload.period.year == year and str(upload.period) not in latest and settled:
                latest[str(upload.period)] = upload
        found: dict[Period, list[str]] = {}
        for period, upload in latest.items():
            if upload.status not in (UploadStatus.REJECTED, UploadStatus.NEEDS_CATALOGUE):
                continue
            if any(self._uploads.current(finess, FileType.CONSUMPTION.value, str(p)) for p in pointer_periods(upload)):
                continue  # an accepted file is current: a later refused one never blocks (DOMAIN.md §10.6)
            report = self._reports.get(upload)
            if report is None:
                raise LookupError(f"no report for upload {upload.upload_id}")
            unknown = report.summary.get("unknown_ucds") or []
            if unknown:
                found[Period.parse(period)] = list(unknown)
        return found


def _patient_days(row: dict[str, Any]) -> PatientDaysRow:
    return PatientDaysRow(
        uf=row["code_uf"],
        period=Period.parse(row["period"]),
        patient_days=int(row["patient_days"]),
        admissions=row["admissions"],
        row=0,
    )


def _consumption(row: dict[str, Any]) -> ConsumptionLine:
    return ConsumptionLine(
        uf=row["code_uf"],
        ucd=row["ucd"],
        atc=row["atc"],
        route=row["route"],
        quantity=Decimal(row["quantity"]),
        ddd=Decimal(row["ddd"]) if row["ddd"] is not None else None,
        period=Period.parse(row["period"]),
        family=row["family"],
        scope=row["scope"],
        ddd_version=row["ddd_version"],
        label="",
        counted=bool(row["counted"]),
        row=0,
    )
