"""The resistance file's processor: validate, resolve the laboratory's labels,
then hand the isolates to the deduplication workflow (or wait for mappings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.files import resistance, resistance_columns
from chalicelib.domain.imports import Problem, Report
from chalicelib.domain.resistance import serial
from chalicelib.domain.resistance.model import Isolate, MappingKind, RawIsolate
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import Upload
from chalicelib.services.mappings import CONFIRMED, MappingService
from chalicelib.services.ports import LabelMapping, ObjectStore, SheetLike, UnitStore, Workflows
from chalicelib.services.uploads import Validation


def raw_work_key(upload: Upload) -> str:
    """In the raw bucket: the only object besides the file itself that holds patient identifiers."""
    return f"work/{upload.finess}/{upload.upload_id}/raw-isolates.json.gz"


@dataclass
class ResistanceProcessor:
    units: UnitStore
    mappings: MappingService
    objects: ObjectStore
    workflows: Workflows
    raw_bucket: str
    is_screening: Callable[[str], bool]
    #: The workflow finishes the import (DEDUPLICATED) after this processor has answered.
    asynchronous: bool = True

    def validate(self, upload: Upload, establishment: Establishment, sheet: SheetLike) -> Validation:
        if not upload.laboratory_id or upload.laboratory_id not in establishment.laboratories:
            report = Report()
            report.add(Problem("laboratory.missing", "Précisez le laboratoire de l'établissement qui a produit ce fichier."))
            return Validation(report)
        context = resistance.ResistanceContext(
            period=upload.period,
            units={u.code_uf: u for u in self.units.units(upload.finess)},
            date1904=sheet.date1904,
            is_screening=self.is_screening,
        )
        parsed = resistance.validate(sheet.rows, sheet.row_numbers, context)
        masked = _identifying_columns(sheet, parsed.header_row)
        if not parsed.accepted:
            return Validation(parsed.report, header_row=parsed.header_row, masked_columns=masked)
        labels = {
            MappingKind.SPECIES: sorted({i.species_label for i in parsed.isolates}),
            MappingKind.SPECIMEN: sorted({i.specimen_label for i in parsed.isolates}),
            MappingKind.ANTIBIOTIC: sorted({label for i in parsed.isolates for label in i.results}),
        }
        resolved = {kind: self.mappings.resolve(upload.laboratory_id, kind, found) for kind, found in labels.items()}
        waiting = {
            kind.value: [_waiting(m) for label, m in sorted(resolved[kind].items()) if m.state != CONFIRMED]
            for kind in MappingKind
        }
        parsed.report.summary["isolates_read"] = parsed.report.rows_read
        if any(waiting.values()):
            parsed.report.unmapped = waiting
            return Validation(parsed.report, header_row=parsed.header_row, needs_mapping=waiting, masked_columns=masked)
        isolates = [_coded(upload, raw, resolved) for raw in parsed.isolates]
        parsed.report.summary["excluded"] = parsed.excluded
        return Validation(parsed.report, payload=isolates, header_row=parsed.header_row, masked_columns=masked)

    def publish(self, upload: Upload, establishment: Establishment, validation: Validation) -> tuple[str, ...]:
        """Hand the isolates over: the raw work object, then the workflow (idempotent by name)."""
        key = raw_work_key(upload)
        self.objects.put(self.raw_bucket, key, serial.dump(validation.payload), "application/gzip")
        payload = {
            "finess": upload.finess.value,
            "upload_id": upload.upload_id,
            "period": str(upload.period),
            "raw_work_key": key,
        }
        self.workflows.start_deduplication(f"{upload.upload_id}-{upload.version_id or 'v'}"[:80], payload)
        return ()


def _identifying_columns(sheet: SheetLike, header_row: int | None) -> frozenset[int]:
    """The patient identifier and date of birth columns, and any header that looks like a name or a NIR."""
    if header_row is None or header_row not in sheet.row_numbers:
        return frozenset(range(max((len(r) for r in sheet.rows), default=0)))  # no header: mask everything
    header = sheet.rows[sheet.row_numbers.index(header_row)]
    found = resistance_columns.matcher().match(header).columns
    named = {found[name] for name in ("id_patient", "date_naissance") if name in found}
    personal = {index for index, text in enumerate(header) if resistance_columns.personal_header(text)}
    return frozenset(named | personal)


def _waiting(mapping: LabelMapping) -> dict[str, Any]:
    return {"label": mapping.label, "state": mapping.state, "proposed_code": mapping.proposed_code}


def _coded(upload: Upload, raw: RawIsolate, resolved: dict[MappingKind, dict[str, LabelMapping]]) -> Isolate:
    species = resolved[MappingKind.SPECIES][raw.species_label]
    antibiotics = resolved[MappingKind.ANTIBIOTIC]
    return Isolate(
        isolate_id=f"{upload.upload_id}:{raw.row}",
        row=raw.row,
        uf=raw.uf,
        pseudonym=raw.patient_id,  # the raw identifier, until the workflow's first task
        age=raw.age,
        sex=raw.sex,
        specimen_date=raw.specimen_date,
        specimen=str(resolved[MappingKind.SPECIMEN][raw.specimen_label].code),
        species=str(species.code),
        results={str(antibiotics[label].code): sir for label, sir in raw.results.items()},
        esbl=raw.esbl,
        carbapenemase=raw.carbapenemase,
        van=raw.van,
        hints=dict.fromkeys(species.hints, True),
    )
