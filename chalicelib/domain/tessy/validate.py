"""The validator: every rule of ECDC's metadata, applied to the records before anything leaves.

Each finding carries the record's index, the variable, the value, the rule and
the severity TESSy would give it: **Error** rejects the whole batch (an export
with one is not published), **Warning** passes, **Ignore** drops the record
(``ValidationReport.kept``). Messages are in French, for the national team.

Checks, per record and variable (``variables.py`` for how the file is read):

* ``required``: a missing value, with the variable's required severity;
* ``unknown``: ``UNK`` where the variable accepts none, or misspelt (Gender's ``Unk``);
* ``type``: date format, integer (NUM), decimal with a dot (FLOAT);
* ``code_list``: the code list, with its exact casing; DataSource and
  ReportingCountry, whose lists the file does not hold, against ``code_lists``
  (default: FR-Spares, FR);
* ``code_range``: LaboratoryCode against the ranges of MDS57 — a code of another
  form is invalid, a code of the right form outside the ranges a Warning (the
  helpdesk may have added it since);
* ``min`` / ``max``;
* the numbered rules (``ESBL.1``, ``ResultMICValue.1``...), with their own severity;
* ``panel``: the Pathogen–Specimen–Antibiotic combination must be requested (Ignore);
* ``duplicate_record_id``: a RecordId twice in the batch (Error; the platform's
  own check, TESSy could not tell which one to keep).

A present but invalid value takes the variable's required severity, or Error
when the variable is optional.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Protocol, TypeVar

from chalicelib.domain.tessy.plan import DATA_SOURCE, REPORTING_COUNTRY
from chalicelib.domain.tessy.records import AmrCoverRecord, AmrTestRecord
from chalicelib.domain.tessy.variables import (
    Condition,
    FieldType,
    Metadata,
    Operator,
    Panels,
    Rule,
    Severity,
    Variable,
    default_metadata,
    default_panels,
)

__all__ = ["DEFAULT_CODE_LISTS", "Finding", "ValidationReport", "validate"]

#: Values accepted for the variables whose code list the metadata file does not hold.
DEFAULT_CODE_LISTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {"DataSource": frozenset({DATA_SOURCE}), "ReportingCountry": frozenset({REPORTING_COUNTRY})}
)

_DATE_PATTERNS = {"yyyy-mm-dd": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "yyyy": re.compile(r"^\d{4}$")}
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)$")
_SHOWN_CODES = 15  # a longer code list is cut in messages

R = TypeVar("R", AmrTestRecord, AmrCoverRecord)


class _FindingMaker(Protocol):
    def __call__(self, rule: str, message: str, severity: Severity | None = None, /) -> Finding: ...


@dataclass(frozen=True)
class Finding:
    """One broken rule: where, what, and what TESSy would do."""

    record: int  # index of the record in the validated sequence
    record_type: str
    field: str
    value: str
    rule: str  # required, unknown, type, code_list, code_range, min, max, <Variable>.<n>, panel, duplicate_record_id
    severity: Severity
    message: str  # French

    def as_dict(self) -> dict[str, object]:
        return {
            "record": self.record,
            "record_type": self.record_type,
            "field": self.field,
            "value": self.value,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class ValidationReport:
    records: int  # how many records were checked
    findings: tuple[Finding, ...]

    @property
    def counts(self) -> dict[Severity, int]:
        """Findings per severity (every severity present, 0 when none)."""
        found = Counter(finding.severity for finding in self.findings)
        return {severity: found.get(severity, 0) for severity in Severity}

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity is Severity.WARNING)

    @property
    def dropped(self) -> frozenset[int]:
        """Indexes of the records TESSy ignores (a finding of severity Ignore)."""
        return frozenset(finding.record for finding in self.findings if finding.severity is Severity.IGNORE)

    @property
    def publishable(self) -> bool:
        """False when one Error would make TESSy reject the batch."""
        return not self.errors

    def kept(self, records: Sequence[R]) -> list[R]:
        """The records TESSy keeps: those without an Ignore finding, in order."""
        dropped = self.dropped
        return [record for index, record in enumerate(records) if index not in dropped]

    def summary(self) -> str:
        counts = self.counts
        verdict = "publiable" if self.publishable else "rejeté par l'ECDC (erreurs bloquantes) : non publié"
        return (
            f"{self.records} enregistrement(s) contrôlé(s) : {counts[Severity.ERROR]} erreur(s), "
            f"{counts[Severity.WARNING]} avertissement(s), {len(self.dropped)} enregistrement(s) ignoré(s) ; lot {verdict}."
        )


def validate(
    records: Sequence[AmrTestRecord | AmrCoverRecord],
    metadata: Metadata | None = None,
    panels: Panels | None = None,
    code_lists: Mapping[str, frozenset[str]] = DEFAULT_CODE_LISTS,
) -> ValidationReport:
    """Check every record against the metadata of its record type; findings in record order."""
    metadata = metadata or default_metadata()
    panels = panels or default_panels()
    findings: list[Finding] = []
    record_ids = Counter(record.record_id for record in records if isinstance(record, AmrTestRecord) and record.record_id)
    for index, record in enumerate(records):
        record_type = record.RECORD_TYPE
        row = record.row()
        for variable in metadata.of(record_type):
            findings.extend(_check(index, variable, row.get(variable.name, ""), code_lists))
        for rule in metadata.rules(record_type):
            if rule.fires(row):
                findings.append(_rule_finding(index, record_type, rule, row))
        if any(variable.panel_rule for variable in metadata.of(record_type)):
            pathogen, specimen, antibiotic = row.get("Pathogen", ""), row.get("Specimen", ""), row.get("Antibiotic", "")
            if not panels.requested(pathogen, specimen, antibiotic):
                findings.append(
                    Finding(
                        index,
                        record_type,
                        "Antibiotic",
                        antibiotic,
                        "panel",
                        Severity.IGNORE,
                        f"Combinaison non demandée par l'ECDC (pathogène {pathogen or '?'} × prélèvement {specimen or '?'} "
                        f"× antibiotique {antibiotic or '?'}) : enregistrement ignoré.",
                    )
                )
        if isinstance(record, AmrTestRecord) and record_ids.get(record.record_id, 0) > 1:
            findings.append(
                Finding(
                    index,
                    record_type,
                    "RecordId",
                    record.record_id,
                    "duplicate_record_id",
                    Severity.ERROR,
                    f"RecordId « {record.record_id} » présent {record_ids[record.record_id]} fois dans le lot.",
                )
            )
    return ValidationReport(len(records), tuple(findings))


# --------------------------------------------------------------------------- one variable


def _check(index: int, variable: Variable, value: str, code_lists: Mapping[str, frozenset[str]]) -> list[Finding]:
    def finding(rule: str, message: str, severity: Severity | None = None, /) -> Finding:
        return Finding(index, variable.record_type, variable.name, value, rule, severity or variable.invalid_severity, message)

    name = variable.name
    if value == "":
        if variable.required is None:
            return []
        return [finding("required", f"{name} : valeur obligatoire absente.", variable.required)]
    unknown = variable.unknown
    if unknown is not None and value == unknown:
        return []
    if value.upper() == "UNK" and variable.type is not FieldType.TEXT:
        if unknown is None:
            return [finding("unknown", f"{name} : la valeur inconnue « {value} » n'est pas acceptée pour cette variable.")]
        if variable.type is not FieldType.CV or value not in (variable.allowed or ()):
            return [finding("unknown", f"{name} : « {value} » mal orthographié, l'ECDC attend « {unknown} » (la casse compte).")]

    if variable.type is FieldType.DATE:
        return _check_date(variable, value, finding)
    if variable.type in (FieldType.NUM, FieldType.FLOAT):
        return _check_number(variable, value, finding)
    if variable.type is FieldType.CV:
        return _check_code(variable, value, code_lists, finding)
    return []


def _check_date(variable: Variable, value: str, finding: _FindingMaker) -> list[Finding]:
    for fmt in variable.date_formats or ("yyyy-mm-dd",):
        pattern = _DATE_PATTERNS.get(fmt)
        if pattern is not None and pattern.match(value):
            if fmt == "yyyy":
                return []
            try:
                date.fromisoformat(value)
            except ValueError:
                break
            return []
    formats = " ou ".join(variable.date_formats or ("yyyy-mm-dd",))
    return [finding("type", f"{variable.name} : « {value} » n'est pas une date valide au format {formats}.")]


def _check_number(variable: Variable, value: str, finding: _FindingMaker) -> list[Finding]:
    integer = variable.type is FieldType.NUM
    if not (_INTEGER if integer else _DECIMAL).match(value):
        kind = "un nombre entier" if integer else "un nombre décimal (point comme séparateur)"
        return [finding("type", f"{variable.name} : « {value} » n'est pas {kind}.")]
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the patterns above only let numbers through
        return [finding("type", f"{variable.name} : « {value} » n'est pas un nombre.")]
    if variable.minimum is not None and number < variable.minimum:
        return [finding("min", f"{variable.name} : {value} est inférieur au minimum {variable.minimum}.")]
    if variable.maximum is not None and number > variable.maximum:
        return [finding("max", f"{variable.name} : {value} dépasse le maximum {variable.maximum}.")]
    return []


def _check_code(
    variable: Variable, value: str, code_lists: Mapping[str, frozenset[str]], finding: _FindingMaker
) -> list[Finding]:
    name = variable.name
    if variable.allowed is not None:
        if value in variable.allowed:
            return []
        return [finding("code_list", _not_in_list(name, value, variable.code_list or name, sorted(variable.allowed)))]
    if name in code_lists:
        if value in code_lists[name]:
            return []
        return [finding("code_list", _not_in_list(name, value, variable.code_list or name, sorted(code_lists[name])))]
    if variable.code_ranges:
        if any(code_range.contains(value) for code_range in variable.code_ranges):
            return []
        forms = [code_range for code_range in variable.code_ranges if _same_form(code_range.prefix, code_range.width, value)]
        ranges = ", ".join(f"{r.prefix}{r.first:0{r.width}d}..{r.prefix}{r.last:0{r.width}d}" for r in variable.code_ranges)
        if forms:
            return [
                finding(
                    "code_range",
                    f"{name} : « {value} » hors des codes connus de la liste {variable.code_list} ({ranges}) ; "
                    "vérifier auprès du helpdesk TESSy.",
                    Severity.WARNING,
                )
            ]
        return [finding("code_range", f"{name} : « {value} » n'est pas un code de la liste {variable.code_list} ({ranges}).")]
    return []


def _same_form(prefix: str, width: int, value: str) -> bool:
    digits = value[len(prefix) :]
    return value.startswith(prefix) and len(digits) == width and digits.isdigit()


def _not_in_list(name: str, value: str, code_list: str, allowed: list[str]) -> str:
    shown = ", ".join(allowed[:_SHOWN_CODES]) + (", …" if len(allowed) > _SHOWN_CODES else "")
    message = f"{name} : « {value} » n'est pas dans la liste {code_list} ({shown})."
    other_case = [code for code in allowed if code.casefold() == value.casefold()]
    if other_case:
        message += f" La casse compte : écrire « {other_case[0]} »."
    return message


# --------------------------------------------------------------------------- numbered rules


_OPERATORS_FR = {
    Operator.REPORTED: "est renseigné",
    Operator.IS: "vaut",
    Operator.IS_NOT: "ne vaut pas",
    Operator.NOT_MATCHES: "ne respecte pas le motif",
}


def _condition_fr(condition: Condition) -> str:
    text = f"{condition.field} {_OPERATORS_FR[condition.operator]}"
    return f"{text} « {condition.value} »" if condition.value is not None else text


def _rule_finding(index: int, record_type: str, rule: Rule, row: Mapping[str, str]) -> Finding:
    conditions = " et ".join(_condition_fr(condition) for condition in rule.conditions)
    return Finding(
        index,
        record_type,
        rule.variable,
        row.get(rule.variable, ""),
        rule.id,
        rule.severity,
        f"Règle ECDC {rule.id} non respectée : {conditions}.",
    )
