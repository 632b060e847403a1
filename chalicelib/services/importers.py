"""One processor per file type: validate with the domain, publish to the lake.

Each processor builds its validator's context from the stores (structure, beds,
periodicity, catalogue), and on acceptance writes one Parquet file for the
upload and makes it the establishment's current data for that period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from chalicelib.domain.drugs import CatalogueEntry, DddTable, Ucd, default_ddd_table
from chalicelib.domain.files import beds, consumption, patient_days, structure
from chalicelib.domain.imports import FileType
from chalicelib.domain.lake import BEDS, CONSUMPTION, PATIENT_DAYS, STRUCTURE, Dataset
from chalicelib.domain.periods import Period, Periodicity, in_order
from chalicelib.domain.structure import SURGERY_TOTAL, Unit, theatre_reallocation
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import Upload
from chalicelib.services.file_processing import FileProcessor, Validation
from chalicelib.services.ports import SettingsStore, SheetLike, UnitStore
from chalicelib.services.publisher import LakePublisher

T = TypeVar("T")


def _periodicity(settings: SettingsStore, upload: Upload) -> Periodicity | None:
    chosen = (settings.periodicities(upload.finess, upload.period.year) or {}).get("consumption_periodicity")
    return Periodicity(chosen) if chosen else None


def _units(store: UnitStore, upload: Upload) -> dict[str, Unit]:
    return {u.code_uf: u for u in store.units(upload.finess)}


@dataclass
class StructureProcessor:
    units: UnitStore
    publisher: LakePublisher

    def validate(self, upload: Upload, establishment: Establishment, sheet: SheetLike) -> Validation:
        parsed = structure.validate(sheet.rows, sheet.row_numbers, structure.StructureContext(date1904=sheet.date1904))
        return Validation(parsed.report, parsed.rows, parsed.header_row)

    def publish(self, upload: Upload, establishment: Establishment, validation: Validation) -> tuple[str, ...]:
        units: list[Unit] = validation.payload
        rows = [
            STRUCTURE.row(
                finess=upload.finess.value, code_uf=u.code_uf, libelle_uf=u.libelle, code_pole=u.code_pole,
                libelle_pole=u.libelle_pole, code_service=u.code_service, libelle_service=u.libelle_service,
                code_ta=u.code_ta, code_de=u.code_de, sector=u.sector, specialty=u.specialty, date_debut=u.start,
                date_fin=u.end, upload_id=upload.upload_id,
            )
            for u in units
        ]  # fmt: skip
        key = self.publisher.write(establishment, upload.period.year, upload.upload_id, STRUCTURE, rows)
        # Once current (a superseded file changes nothing), and undone with the pointer if it fails.
        replace = _undoable(lambda: self.units.units(upload.finess), lambda found: self.units.replace_units(upload.finess, found))
        _make_current(self.publisher, upload, (key,), then=lambda: replace(units))
        return (key,)


@dataclass
class BedsProcessor:
    units: UnitStore
    publisher: LakePublisher

    def validate(self, upload: Upload, establishment: Establishment, sheet: SheetLike) -> Validation:
        context = beds.BedsContext(year=upload.period.year, units=_units(self.units, upload))
        parsed = beds.validate(sheet.rows, sheet.row_numbers, context)
        return Validation(parsed.report, parsed.rows, parsed.header_row)

    def publish(self, upload: Upload, establishment: Establishment, validation: Validation) -> tuple[str, ...]:
        lines: list[beds.BedsRow] = validation.payload
        rows = [
            BEDS.row(finess=upload.finess.value, year=line.year, code_uf=line.uf, beds=line.beds, upload_id=upload.upload_id)
            for line in lines
        ]
        key = self.publisher.write(establishment, upload.period.year, upload.upload_id, BEDS, rows)
        year = upload.period.year
        replace = _undoable(
            lambda: self.units.beds(upload.finess, year), lambda found: self.units.replace_beds(upload.finess, year, found)
        )
        _make_current(self.publisher, upload, (key,), then=lambda: replace({line.uf: line.beds for line in lines}))
        return (key,)


@dataclass
class PatientDaysProcessor:
    units: UnitStore
    settings: SettingsStore
    publisher: LakePublisher

    def validate(self, upload: Upload, establishment: Establishment, sheet: SheetLike) -> Validation:
        units = _units(self.units, upload)
        context = patient_days.PatientDaysContext(
            period=upload.period,
            units=units,
            beds=self.units.beds(upload.finess, upload.period.year),
            periodicity=_periodicity(self.settings, upload),
        )
        parsed = patient_days.validate(sheet.rows, sheet.row_numbers, context)
        return Validation(parsed.report, (parsed.rows, units), parsed.header_row, periods=_periods(parsed.rows))

    def publish(self, upload: Upload, establishment: Establishment, validation: Validation) -> tuple[str, ...]:
        lines, units = validation.payload
        rows = [
            PATIENT_DAYS.row(
                finess=upload.finess.value,
                period=str(line.period),
                code_uf=line.uf,
                sector=units[line.uf].sector,
                patient_days=line.patient_days,
                admissions=line.admissions,
                upload_id=upload.upload_id,
                specialty=units[line.uf].specialty,
            )
            for line in lines
        ]
        return _publish_by_period(self.publisher, establishment, upload, PATIENT_DAYS, rows)


@dataclass
class ConsumptionProcessor:
    units: UnitStore
    settings: SettingsStore
    resolve: Callable[[list[Ucd]], Mapping[Ucd, CatalogueEntry]]
    publisher: LakePublisher
    ddd_table: DddTable
    catalogue_version: Callable[[], str]

    def validate(self, upload: Upload, establishment: Establishment, sheet: SheetLike) -> Validation:
        units = _units(self.units, upload)
        cache: dict[Ucd, CatalogueEntry | None] = {}

        def lookup(ucd: Ucd) -> CatalogueEntry | None:
            if ucd not in cache:
                cache[ucd] = self.resolve([ucd]).get(ucd)
            return cache[ucd]

        context = consumption.ConsumptionContext(
            period=upload.period,
            units=units,
            catalogue=lookup,
            ddd_table=self.ddd_table,
            periodicity=_periodicity(self.settings, upload),
        )
        parsed = consumption.validate(sheet.rows, sheet.row_numbers, context)
        return Validation(parsed.report, (parsed.rows, units), parsed.header_row, periods=_periods(parsed.rows))

    def publish(self, upload: Upload, establishment: Establishment, validation: Validation) -> tuple[str, ...]:
        lines, units = validation.payload
        reallocations: dict[Period, dict[str, str]] = {}  # per period: the units open then
        catalogue_version = self.catalogue_version()
        rows: list[tuple[Any, ...]] = []
        for line in lines:
            moved = reallocations.get(line.period)
            if moved is None:
                moved = reallocations[line.period] = theatre_reallocation(units, line.period)
            unit = units.get(line.uf)
            target = moved.get(line.uf)
            sector = unit.sector if unit else None
            if target is not None:  # a theatre counts in the sector of the UF it is reallocated to
                sector = "CHIR" if target == SURGERY_TOTAL else units[target].sector
            rows.append(
                CONSUMPTION.row(
                    finess=upload.finess.value, period=str(line.period), code_uf=line.uf, sector=sector,
                    specialty=unit.specialty if unit else None, reallocated_uf=target, ucd=line.ucd, atc=line.atc,
                    route=line.route, family=line.family, scope=line.scope, quantity=line.quantity, ddd=line.ddd,
                    ddd_version=line.ddd_version, catalogue_version=catalogue_version, counted=line.counted,
                    upload_id=upload.upload_id,
                )
            )  # fmt: skip
        return _publish_by_period(self.publisher, establishment, upload, CONSUMPTION, rows)


def processors(
    units: UnitStore,
    settings: SettingsStore,
    resolve: Callable[[list[Ucd]], Mapping[Ucd, CatalogueEntry]],
    publisher: LakePublisher,
    catalogue_version: Callable[[], str],
) -> dict[FileType, FileProcessor]:
    return {
        FileType.STRUCTURE: StructureProcessor(units, publisher),
        FileType.BEDS: BedsProcessor(units, publisher),
        FileType.PATIENT_DAYS: PatientDaysProcessor(units, settings, publisher),
        FileType.CONSUMPTION: ConsumptionProcessor(units, settings, resolve, publisher, default_ddd_table(), catalogue_version),
    }


def _periods(lines: list[Any]) -> tuple[Period, ...]:
    """The periods accepted rows carry (each has a ``period``), in order."""
    return tuple(in_order({line.period for line in lines}))


def _publish_by_period(
    publisher: LakePublisher,
    establishment: Establishment,
    upload: Upload,
    dataset: Dataset,
    rows: list[tuple[Any, ...]],
) -> tuple[str, ...]:
    """One lake file per period the rows carry (their ``period`` column), all current or none.

    A file of one period — the declared one — is the upload's own lake file. A year file holding
    quarters gives one file per quarter, each current for its quarter (DOMAIN.md §3, §10.2).
    """
    by_period: dict[str, list[tuple[Any, ...]]] = {}
    period_at = dataset.position("period")
    for row in rows:
        by_period.setdefault(row[period_at], []).append(row)
    year = upload.period.year
    if not by_period or list(by_period) == [str(upload.period)]:
        key = publisher.write(establishment, year, upload.upload_id, dataset, rows)
        _make_current(publisher, upload, (key,))
        return (key,)
    ordered = [(str(period), by_period[str(period)]) for period in in_order(Period.parse(text) for text in by_period)]
    written = publisher.write_each(establishment, year, upload.upload_id, dataset, ordered)
    publisher.make_all_current(upload.finess, upload.file_type.value, upload.upload_id, written, upload.created_at)
    return tuple(key for _, keys in written for key in keys)


def _undoable(read: Callable[[], T], write: Callable[[T], None]) -> Callable[[T], None]:
    """A store's whole replacement that, when it fails, puts back what the store held before (then raises)."""

    def replace(new: T) -> None:
        before = read()
        try:
            write(new)
        except Exception:
            write(before)
            raise

    return replace


def _make_current(
    publisher: LakePublisher, upload: Upload, keys: tuple[str, ...], then: Callable[[], None] | None = None
) -> None:
    """The upload's lake files become current unless a file sent later already is (``Superseded``).

    ``then`` writes the stores that follow them, all or nothing with the pointer.
    """
    publisher.make_current(
        upload.finess, upload.file_type.value, str(upload.period), upload.upload_id, keys, upload.created_at, then
    )
