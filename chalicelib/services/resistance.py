"""The resistance file's processor: validate, resolve the laboratory's labels,
then hand the isolates to the deduplication workflow (or wait for mappings).

The hand-over writes two work objects to the raw bucket, straight from the
validated rows and the mappings (no ``Isolate`` is built here): the isolate
table (columns, no identifier) and, apart, the raw patient identifiers, which
the workflow's first task turns into pseudonyms and deletes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.files import resistance
from chalicelib.domain.files.resistance import column_specs
from chalicelib.domain.files.resistance.header import holds_results
from chalicelib.domain.imports import Problem, Report
from chalicelib.domain.resistance.model import MappingKind, RawColumns
from chalicelib.domain.resistance.table import IsolateTable
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import Upload
from chalicelib.services.batch import collector_paused
from chalicelib.services.deduplication import put_import
from chalicelib.services.deduplication_messages import Step
from chalicelib.services.file_processing import Validation
from chalicelib.services.mappings import CONFIRMED, MappingService
from chalicelib.services.ports import LabelMapping, SheetLike, UnitStore, Workflows, WorkObject, WorkObjects, work_key


@dataclass(frozen=True)
class Accepted:
    """A valid file's rows and the codes of their labels, for ``publish``."""

    raw: RawColumns
    codes: dict[MappingKind, dict[str, str]]  # kind -> laboratory label -> reference code
    hints: dict[str, tuple[str, ...]]  # species label -> positive phenotype hints


@dataclass(kw_only=True)
class ResistanceProcessor:
    units: UnitStore
    mappings: MappingService
    work: WorkObjects
    workflows: Workflows
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
            MappingKind.SPECIES: sorted(set(parsed.raw.species_label)),
            MappingKind.SPECIMEN: sorted(set(parsed.raw.specimen_label)),
            MappingKind.ANTIBIOTIC: sorted(parsed.tested_labels),
        }
        # The version before resolving (DOMAIN.md §10.3): a change made meanwhile shows as newer, never as used.
        parsed.report.summary["mapping_version"] = self.mappings.version(upload.laboratory_id)
        resolved = {kind: self.mappings.resolve(upload.laboratory_id, kind, found) for kind, found in labels.items()}
        waiting = {
            kind.value: [_waiting(m) for label, m in sorted(resolved[kind].items()) if m.state != CONFIRMED]
            for kind in MappingKind
        }
        parsed.report.summary["isolates_read"] = parsed.report.rows_read
        if any(waiting.values()):
            parsed.report.unmapped = waiting
            return Validation(parsed.report, header_row=parsed.header_row, needs_mapping=waiting, masked_columns=masked)
        accepted = Accepted(
            parsed.raw,
            {kind: {label: str(m.code) for label, m in found.items()} for kind, found in resolved.items()},
            {label: m.hints for label, m in resolved[MappingKind.SPECIES].items()},
        )
        parsed.report.summary["excluded"] = parsed.excluded
        return Validation(parsed.report, payload=accepted, header_row=parsed.header_row, masked_columns=masked)

    def publish(self, upload: Upload, establishment: Establishment, validation: Validation) -> tuple[str, ...]:
        """Hand the isolates over: the table and the identifiers (raw bucket), then the workflow (idempotent by name)."""
        accepted: Accepted = validation.payload
        with collector_paused():
            table = IsolateTable.from_raw(
                accepted.raw,
                specimens=accepted.codes[MappingKind.SPECIMEN],
                species=accepted.codes[MappingKind.SPECIES],
                hints=accepted.hints,
                antibiotics=accepted.codes[MappingKind.ANTIBIOTIC],
            )
            key = put_import(self.work, upload.finess.value, upload.upload_id, table, list(accepted.raw.patient_id))
        start = Step(
            finess=upload.finess.value,
            upload_id=upload.upload_id,
            period=str(upload.period),
            raw_work_key=key,
            work_key=work_key(upload.finess.value, upload.upload_id, WorkObject.TABLE),
        )
        self.workflows.start_deduplication(f"{upload.upload_id}-{upload.version_id or 'v'}"[:80], start.to_wire())
        return ()


def _identifying_columns(sheet: SheetLike, header_row: int | None) -> frozenset[int]:
    """The patient identifier and date of birth columns, and any header that looks like a name or a NIR."""
    if header_row is None or header_row not in sheet.row_numbers:
        return frozenset(range(max((len(r) for r in sheet.rows), default=0)))  # no header: mask everything
    header = sheet.rows[sheet.row_numbers.index(header_row)]
    match = column_specs.matcher().match(header)
    found = match.columns
    named = {found[name] for name in ("id_patient", "date_naissance") if name in found}
    personal = {index for index, text in enumerate(header) if column_specs.personal_header(text)}
    # A column that is neither known nor an antibiotic's (a stay number...) is never echoed either.
    data = [(number, row) for row, number in zip(sheet.rows, sheet.row_numbers, strict=True) if number > header_row]
    unknown = {index for index, _ in match.unknown if not holds_results(data, index)}
    return frozenset(named | personal | unknown)


def _waiting(mapping: LabelMapping) -> dict[str, Any]:
    return {"label": mapping.label, "state": mapping.state, "proposed_code": mapping.proposed_code}
