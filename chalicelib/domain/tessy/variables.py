"""ECDC's TESSy metadata, typed: the variables of AMRTEST v3 and AMRCOVER v2, and the eight panels.

Read from ``chalicelib/reference/tessy_variables.csv`` and ``tessy_panels.csv``
(provenance and the file's syntax in ``PROVENANCE_TESSY.md``). The loader is
strict: a row it cannot read (an unknown type, a severity, a rule written in a
syntax it does not know) raises ``ValueError``, so that a new metadata set
cannot be half-understood silently.

Readings of the file (where it leaves room):

* The severity of ``required`` applies to a missing value and to an invalid one
  (the reference README: "severity when missing/invalid"). A value that is
  present but invalid in an optional variable (``required`` False) is an
  **Error**: nothing malformed leaves.
* ``allow_unk`` accepts ``UNK`` — unless the code list spells its unknown code
  otherwise (Gender and Serotype: ``Unk``): then only that spelling is accepted.
  Code lists are compared with their exact casing.
* ``NUM`` is an integer, ``FLOAT`` a decimal with a dot (no exponent).
* ``[Data sources]`` and ``[Countries]`` are lists the file does not hold:
  ``allowed`` is None, and the validator takes the values it is given.
  ``LaboratoryCodeAMR`` is given as ranges (``FR001..FR583``): ``code_ranges``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property

from chalicelib.reference import read_table

__all__ = [
    "AMRCOVER",
    "AMRTEST",
    "CodeRange",
    "Condition",
    "FieldType",
    "Metadata",
    "Operator",
    "Panel",
    "Panels",
    "Rule",
    "Severity",
    "Variable",
    "default_metadata",
    "default_panels",
    "load_metadata",
    "load_panels",
]

AMRTEST = "AMRTEST"
AMRCOVER = "AMRCOVER"
UNK = "UNK"


class Severity(enum.StrEnum):
    """What TESSy does with a finding: Error rejects the batch, Warning passes, Ignore drops the record."""

    ERROR = "Error"
    WARNING = "Warning"
    IGNORE = "Ignore"


class FieldType(enum.StrEnum):
    TEXT = "TEXT"
    CV = "CV"  # coded value
    NUM = "NUM"  # integer
    FLOAT = "FLOAT"
    DATE = "DATE"


class Operator(enum.StrEnum):
    REPORTED = "is reported"
    IS = "is"
    IS_NOT = "is not"
    NOT_MATCHES = "does not match"


@dataclass(frozen=True)
class Condition:
    """One clause of a rule: ``field`` is reported / is 'value' / is not 'value' / does not match the pattern."""

    field: str
    operator: Operator
    value: str | None = None  # the code, or the regular expression

    def holds(self, row: Mapping[str, str]) -> bool:
        found = row.get(self.field, "")
        if self.operator is Operator.REPORTED:
            return found != ""
        if self.operator is Operator.IS:
            return found == self.value
        if self.operator is Operator.IS_NOT:
            return found != self.value
        # a value that is not reported is not checked against the pattern
        return found != "" and re.search(self.value or "", found) is None


@dataclass(frozen=True)
class Rule:
    """A numbered validation rule of a variable: a finding of ``severity`` when every condition holds."""

    variable: str  # the variable whose row states the rule
    number: int
    severity: Severity
    conditions: tuple[Condition, ...]
    text: str  # as the file writes it, for messages

    @property
    def id(self) -> str:
        return f"{self.variable}.{self.number}"

    def fires(self, row: Mapping[str, str]) -> bool:
        return all(condition.holds(row) for condition in self.conditions)


@dataclass(frozen=True)
class CodeRange:
    """A range of codes such as ``FR001..FR583``: a prefix and numbers of a fixed width."""

    prefix: str
    first: int
    last: int
    width: int

    def contains(self, code: str) -> bool:
        if not code.startswith(self.prefix):
            return False
        digits = code[len(self.prefix) :]
        return len(digits) == self.width and digits.isdigit() and self.first <= int(digits) <= self.last


@dataclass(frozen=True)
class Variable:
    """One variable of a record type, as ECDC's metadata describes it."""

    record_type: str
    version: int
    name: str
    type: FieldType
    required: Severity | None  # None: optional
    allow_unk: bool
    code_list: str | None  # the list's name ("Gender", "PathogenAMR"...), or the literal for 'AMRTEST'
    allowed: tuple[str, ...] | None  # codes with their exact casing; None: no list in the file
    date_formats: tuple[str, ...]  # "yyyy-mm-dd", "yyyy"
    code_ranges: tuple[CodeRange, ...]
    minimum: Decimal | None
    maximum: Decimal | None
    rules: tuple[Rule, ...]
    panel_rule: bool  # the Pathogen-Specimen-Antibiotic combination must be requested (else IGNORED)
    description: str  # the file's allowed_values_or_format text

    @property
    def invalid_severity(self) -> Severity:
        """The severity of a present but invalid value: the required severity, else Error (see the module's readings)."""
        return self.required or Severity.ERROR

    @property
    def unknown(self) -> str | None:
        """The spelling of "unknown" this variable accepts, or None when it accepts none."""
        if not self.allow_unk:
            return None
        for code in self.allowed or ():
            if code.upper() == UNK:
                return code
        return UNK


@dataclass(frozen=True)
class Metadata:
    """The variables of every record type, in the file's order (which is the record's order)."""

    variables: tuple[Variable, ...]

    @cached_property
    def _by_type(self) -> Mapping[str, tuple[Variable, ...]]:
        grouped: dict[str, list[Variable]] = {}
        for variable in self.variables:
            grouped.setdefault(variable.record_type, []).append(variable)
        return {record_type: tuple(found) for record_type, found in grouped.items()}

    def record_types(self) -> tuple[str, ...]:
        return tuple(self._by_type)

    def of(self, record_type: str) -> tuple[Variable, ...]:
        """The variables of a record type, in order; KeyError for an unknown type."""
        return self._by_type[record_type]

    def fields(self, record_type: str) -> tuple[str, ...]:
        return tuple(variable.name for variable in self.of(record_type))

    def variable(self, record_type: str, name: str) -> Variable:
        for variable in self.of(record_type):
            if variable.name == name:
                return variable
        raise KeyError(f"{record_type}.{name}")

    def version(self, record_type: str) -> int:
        return self.of(record_type)[0].version

    def rules(self, record_type: str) -> tuple[Rule, ...]:
        """The rules of a record type, once each (a rule stated on two variables' rows counts once)."""
        seen: set[tuple[int, str]] = set()
        found: list[Rule] = []
        for variable in self.of(record_type):
            for rule in variable.rules:
                key = (rule.number, rule.text)
                if key not in seen:
                    seen.add(key)
                    found.append(rule)
        return tuple(found)


@dataclass(frozen=True)
class Panel:
    """What ECDC requests for one pathogen: antibiotics and specimens."""

    pathogen: str
    antibiotics: tuple[str, ...]
    specimens: tuple[str, ...]

    def requests(self, specimen: str, antibiotic: str) -> bool:
        return specimen in self.specimens and antibiotic in self.antibiotics


@dataclass(frozen=True)
class Panels:
    panels: tuple[Panel, ...]

    @cached_property
    def by_pathogen(self) -> Mapping[str, Panel]:
        return {panel.pathogen: panel for panel in self.panels}

    def requested(self, pathogen: str, specimen: str, antibiotic: str) -> bool:
        """Whether TESSy accepts this Pathogen–Specimen–Antibiotic combination."""
        panel = self.by_pathogen.get(pathogen)
        return panel is not None and panel.requests(specimen, antibiotic)


# --------------------------------------------------------------------------- parsing

_REQUIRED = re.compile(r"^True \((Error|Warning|Ignore)\)$")
_ITEM = re.compile(r"^(\S+)\s+[=:]\s+\S.*$")  # "AMC = Amoxicillin...", "<= : Less than or equal", "= : Equal"
_RANGE = re.compile(r"\b([A-Za-z]+?)(\d+)\.\.([A-Za-z]+?)(\d+)\b")
_NUMBERED = re.compile(r"(\d+)\.\s*\((Error|Warning|Ignore)\)\s*If\s+(.+?)(?=\s+\d+\.\s*\((?:Error|Warning|Ignore)\)|$)")
_PANEL = "Pathogen-Specimen-Antibiotic combination not requested"
_REPORTED = re.compile(r"^(\w+) is reported$")
_IS_NOT = re.compile(r"^(\w+) is not '([^']*)'$")
_IS = re.compile(r"^(\w+) is '([^']*)'$")
_NOT_MATCHES = re.compile(r"^(\w+) does not match RegExp\((.+)\)$")


def _required(text: str, where: str) -> Severity | None:
    if text.strip() == "False":
        return None
    found = _REQUIRED.match(text.strip())
    if found is None:
        raise ValueError(f"{where}: required illisible « {text} »")
    return Severity(found.group(1))


def _yes_no(text: str, where: str) -> bool:
    if text.strip() not in ("Yes", "No"):
        raise ValueError(f"{where}: allow_unk illisible « {text} »")
    return text.strip() == "Yes"


def _number(text: str, where: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation as error:
        raise ValueError(f"{where}: borne illisible « {text} »") from error


def _codes(text: str) -> tuple[str | None, tuple[str, ...] | None, tuple[str, ...], tuple[CodeRange, ...]]:
    """(list name, codes or None, date formats, code ranges) of an allowed_values_or_format text."""
    text = text.strip()
    if not text:
        return None, None, (), ()
    if text.startswith("date formats:"):
        formats = tuple(part.strip() for part in text.removeprefix("date formats:").split(",") if part.strip())
        return None, None, tuple(fmt for fmt in formats if fmt != UNK), ()
    if len(text) > 2 and text[0] == text[-1] == "'":
        return text, (text[1:-1],), (), ()
    ranges = tuple(
        CodeRange(prefix, int(first), int(last), len(first))
        for prefix, first, other_prefix, last in _RANGE.findall(text)
        if prefix == other_prefix
    )
    if ranges:
        return text.split(" ", 1)[0], None, (), ranges
    if ": " not in text and not text.endswith(":"):
        return text.split(" ; ", 1)[0].strip().strip("[]"), None, (), ()  # "[Data sources] ; (see the coded values list)"
    header, _, body = text.partition(":")
    name = header.split(" (", 1)[0].strip().strip("[]")
    items = [item.strip() for item in body.split(" ; ") if item.strip() and item.strip() != ";"]
    if items and all(_ITEM.match(item) for item in items):
        return name, tuple(item.split()[0] for item in items), (), ()
    if len(items) == 1 and " = " not in items[0]:
        return name, tuple(items[0].split()), (), ()  # the Serotype list: space-separated codes
    raise ValueError(f"liste de codes illisible « {text[:80]} »")


def _condition(text: str, where: str) -> Condition:
    text = text.strip()
    if found := _NOT_MATCHES.match(text):
        return Condition(found.group(1), Operator.NOT_MATCHES, found.group(2))
    if found := _REPORTED.match(text):
        return Condition(found.group(1), Operator.REPORTED)
    if found := _IS_NOT.match(text):
        return Condition(found.group(1), Operator.IS_NOT, found.group(2))
    if found := _IS.match(text):
        return Condition(found.group(1), Operator.IS, found.group(2))
    raise ValueError(f"{where}: condition illisible « {text} »")


def _rules(text: str, variable: str, where: str) -> tuple[tuple[Rule, ...], bool]:
    """The numbered rules of a validation_rules text, and whether it points at the panels."""
    text = text.strip()
    if not text:
        return (), False
    if _PANEL in text:
        return (), True
    rules = tuple(
        Rule(
            variable=variable,
            number=int(number),
            severity=Severity(severity),
            conditions=tuple(_condition(part, where) for part in body.strip().split(" and ")),
            text=f"{number}. ({severity}) If {body.strip()}",
        )
        for number, severity, body in _NUMBERED.findall(text)
    )
    if not rules:
        raise ValueError(f"{where}: règle illisible « {text} »")
    return rules, False


def _variable(row: Mapping[str, str]) -> Variable:
    record_type = (row.get("record_type") or "").strip()
    name = (row.get("field") or "").strip()
    where = f"tessy_variables {record_type}.{name}"
    if not record_type or not name:
        raise ValueError(f"{where}: record_type et field sont obligatoires")
    try:
        kind = FieldType((row.get("type") or "").strip())
    except ValueError as error:
        raise ValueError(f"{where}: type inconnu « {row.get('type')} »") from error
    allowed_text = row.get("allowed_values_or_format") or ""
    try:
        code_list, allowed, formats, ranges = _codes(allowed_text)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from error
    rules, panel_rule = _rules(row.get("validation_rules") or "", name, where)
    return Variable(
        record_type=record_type,
        version=int((row.get("record_type_version") or "").strip()),
        name=name,
        type=kind,
        required=_required(row.get("required") or "", where),
        allow_unk=_yes_no(row.get("allow_unk") or "", where),
        code_list=code_list,
        allowed=allowed,
        date_formats=formats,
        code_ranges=ranges,
        minimum=_number(row.get("min") or "", where),
        maximum=_number(row.get("max") or "", where),
        rules=rules,
        panel_rule=panel_rule,
        description=allowed_text,
    )


def load_metadata(rows: Iterable[Mapping[str, str]]) -> Metadata:
    """The metadata from rows of the variables file; ValueError on anything it cannot read or a repeated variable."""
    variables = tuple(_variable(row) for row in rows)
    seen: set[tuple[str, str]] = set()
    for variable in variables:
        key = (variable.record_type, variable.name)
        if key in seen:
            raise ValueError(f"tessy_variables: variable en double {variable.record_type}.{variable.name}")
        seen.add(key)
    return Metadata(variables)


def load_panels(rows: Iterable[Mapping[str, str]]) -> Panels:
    panels = tuple(
        Panel(
            pathogen=(row.get("pathogen") or "").strip(),
            antibiotics=tuple((row.get("requested_antibiotics") or "").split()),
            specimens=tuple((row.get("specimens") or "").split()),
        )
        for row in rows
    )
    if len({panel.pathogen for panel in panels}) != len(panels) or any(not panel.pathogen for panel in panels):
        raise ValueError("tessy_panels: pathogène vide ou en double")
    return Panels(panels)


@cache
def default_metadata() -> Metadata:
    """The metadata shipped with the code (MDS57)."""
    return load_metadata(read_table("tessy_variables"))


@cache
def default_panels() -> Panels:
    """The eight panels shipped with the code (MDS57)."""
    return load_panels(read_table("tessy_panels"))
