"""What the EARS-Net export reads: the **closed** partitions of one year, and what surrounds them.

Only ``closed/`` is read (ARCHITECTURE.md: closed data are copies made when a
period closes, removed when it reopens), so a draft or reopened period never
leaves the country. From the closed ``isolates`` and ``results`` files: the
isolates the platform's deduplication kept, of a species EARS-Net follows and
an invasive specimen category (the planner decides the rest), with their
results; around them, the laboratory's EARS-Net code (the upload's
laboratory, else the establishment's only coded one), the UF's sector and
specialty. For AMRCOVER: beds (closed ``beds``, else the structure's) and
patient-days (closed ``patient_days``) of the establishments with closed
isolates, and the patient-days of every establishment with closed data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.lake import LakeKey
from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir
from chalicelib.domain.resistance.reference import ResistanceReference
from chalicelib.domain.tessy.plan import CoveredEstablishment, ExportIsolate
from chalicelib.services.ports import LakeStore, TenantStore, UnitStore, UploadStore

__all__ = ["ClosedData", "ClosedYear"]


@dataclass(frozen=True)
class ClosedYear:
    isolates: list[ExportIsolate]  # candidates, in (establishment, specimen date, row) order
    covered: list[CoveredEstablishment]
    national_patient_days: int | None
    closed_isolates: int  # every closed isolate of the year, kept or not, invasive or not
    closed_files: int  # closed objects of the year, every dataset

    @property
    def empty(self) -> bool:
        return self.closed_isolates == 0


class ClosedData:
    def __init__(
        self,
        *,
        lake: LakeStore,
        uploads: UploadStore,
        tenants: TenantStore,
        units: UnitStore,
        reference: ResistanceReference,
    ) -> None:
        self._lake = lake
        self._uploads = uploads
        self._tenants = tenants
        self._units = units
        self._reference = reference
        self._unit_cache: dict[str, dict[str, tuple[str | None, str | None]]] = {}
        self._lab_cache: dict[tuple[str, str], str | None] = {}

    def exists(self, year: int) -> bool:
        """Whether the year has closed isolates at all (a listing: nothing is read)."""
        return bool(self._keys("isolates", year))

    def year(self, year: int) -> ClosedYear:
        self._unit_cache, self._lab_cache = {}, {}  # structure and laboratories as they are now
        keys = {name: self._keys(name, year) for name in ("isolates", "results", "beds", "patient_days")}
        rows: list[dict[str, Any]] = []
        closed = 0
        for key in keys["isolates"]:
            found = self._lake.rows(key)
            closed += len(found)
            rows.extend(row for row in found if row.get("kept") and self._candidate(row))
        wanted = {str(row["isolate_id"]) for row in rows}
        results: dict[str, dict[str, Sir]] = {}
        for key in keys["results"]:
            for result in self._lake.rows(key):
                identifier = str(result["isolate_id"])
                if identifier in wanted and result.get("sir"):
                    results.setdefault(identifier, {})[str(result["antibiotic"])] = Sir(str(result["sir"]))
        rows.sort(key=lambda r: (str(r["finess"]), r["specimen_date"], _row_number(str(r["isolate_id"]))))
        isolates = [self._export_isolate(row, results.get(str(row["isolate_id"]), {})) for row in rows]

        covered_finess = sorted({_finess_of(key) for key in keys["isolates"]})
        patient_days = _sum_by_finess(self._lake.rows(key) for key in keys["patient_days"])
        beds = _sum_by_finess([self._lake.rows(key) for key in keys["beds"]], column="beds")
        covered = [
            CoveredEstablishment(finess, beds.get(finess, self._structure_beds(finess, year)), patient_days.get(finess))
            for finess in covered_finess
        ]
        national = sum(patient_days.values()) if patient_days else None
        return ClosedYear(isolates, covered, national, closed, sum(len(found) for found in keys.values()))

    # ------------------------------------------------------------------------------------------

    def _keys(self, dataset: str, year: int) -> list[str]:
        return self._lake.closed_keys(dataset, year)

    def _candidate(self, row: dict[str, Any]) -> bool:
        """A species EARS-Net follows, from a specimen category it takes (the planner checks the panels)."""
        species = self._reference.species_by_code.get(str(row.get("species")))
        category = self._reference.specimen_categories_by_code.get(str(row.get("specimen")))
        return bool(species and species.ears_net_code and category and category.ears_net_specimen)

    def _export_isolate(self, row: dict[str, Any], results: dict[str, Sir]) -> ExportIsolate:
        finess = str(row["finess"])
        unit = self._unit(finess, str(row.get("code_uf") or ""))
        hints = {name: True for name, column in (("esbl", "eblse"), ("cpe", "epc")) if row.get(column) is True}
        isolate = Isolate(
            isolate_id=str(row["isolate_id"]),
            row=_row_number(str(row["isolate_id"])),
            uf=str(row.get("code_uf") or ""),
            pseudonym=str(row["pseudonym"]),
            age=None if row.get("age") is None else int(row["age"]),
            sex=row.get("sex"),
            specimen_date=_date(row["specimen_date"]),
            specimen=str(row["specimen"]),
            species=str(row["species"]),
            results=results,
            esbl=row.get("esbl"),
            carbapenemase=_carbapenemase(row.get("carbapenemase")),
            hints=hints,
        )
        return ExportIsolate(
            isolate=isolate,
            hospital_id=finess,
            laboratory_code=self._laboratory_code(finess, str(row.get("upload_id") or "")),
            sector=(unit[0] if unit else None) or row.get("sector"),
            specialty=unit[1] if unit else None,
        )

    def _unit(self, finess: str, code_uf: str) -> tuple[str | None, str | None] | None:
        cache = self._unit_cache
        if finess not in cache:
            cache[finess] = {u.code_uf: (u.sector, u.specialty) for u in self._units.units(Finess(finess))}
        return cache[finess].get(code_uf)

    def _laboratory_code(self, finess: str, upload_id: str) -> str | None:
        cache = self._lab_cache
        key = (finess, upload_id)
        if key not in cache:
            cache[key] = self._find_laboratory_code(finess, upload_id)
        return cache[key]

    def _find_laboratory_code(self, finess: str, upload_id: str) -> str | None:
        upload = self._uploads.get(Finess(finess), upload_id) if upload_id else None
        if upload is not None and upload.laboratory_id:
            laboratory = self._tenants.get_laboratory(upload.laboratory_id)
            if laboratory is not None and laboratory.ears_net_code:
                return laboratory.ears_net_code
        establishment = self._tenants.get_establishment(Finess(finess))
        codes = set()
        for lab_id in establishment.laboratories if establishment else ():
            laboratory = self._tenants.get_laboratory(lab_id)
            if laboratory is not None and laboratory.ears_net_code:
                codes.add(laboratory.ears_net_code)
        return codes.pop() if len(codes) == 1 else None

    def _structure_beds(self, finess: str, year: int) -> int | None:
        beds = self._units.beds(Finess(finess), year)
        return sum(beds.values()) if beds else None


def _finess_of(key: str) -> str:
    """``closed/<dataset>/year=…/region=…/es=<finess>/<upload>.parquet`` -> the FINESS."""
    found = LakeKey.parse(key)
    if found is None:
        raise ValueError(f"not a lake object: {key!r}")
    return found.es


def _sum_by_finess(files: Iterable[list[dict[str, Any]]], column: str = "patient_days") -> dict[str, int]:
    totals: dict[str, int] = {}
    for rows in files:
        for row in rows:
            if row.get(column) is not None:
                totals[str(row["finess"])] = totals.get(str(row["finess"]), 0) + int(row[column])
    return totals


def _row_number(isolate_id: str) -> int:
    tail = isolate_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _carbapenemase(value: Any) -> Carbapenemase | None:
    try:
        return Carbapenemase(str(value)) if value else None
    except ValueError:
        return None
