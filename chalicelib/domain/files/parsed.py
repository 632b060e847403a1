"""What a file validator returns, and the steps every validator shares.

``validate(rows, row_numbers, context)`` of each file type returns a ``Parsed``:
the typed rows and the ``Report`` of every problem. **``rows`` is empty unless the
report is accepted** (no blocking error): a rejected file hands nothing to write,
so accepted rows are never half-written. ``report.rows_read`` counts the non-blank
data rows under the header; ``report.rows_accepted`` equals it for an accepted file
and is 0 for a rejected one.

The shared steps: find the header (the first non-blank row, matched leniently with
the synonyms of ``columns.py``), report missing required columns (error), columns
found twice (error) and unknown columns (warning, ignored); then hand each data
row over with its spreadsheet row number. Problems name the file's own header text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Generic, TypeVar

from chalicelib.domain.cells import HeaderMatcher, find_header_row, parse_decimal, parse_int
from chalicelib.domain.errors import InvalidInput, Unprocessable
from chalicelib.domain.files.columns import COLUMNS, synonyms_spec
from chalicelib.domain.imports import FileType, Problem, Report, Severity
from chalicelib.domain.periods import Period, Periodicity
from chalicelib.domain.structure import Unit

T = TypeVar("T")

__all__ = [
    "Cached",
    "Issue",
    "Parsed",
    "Table",
    "UnitChecker",
    "check_periodicity",
    "closed_issue",
    "finish",
    "read_table_header",
]


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """The typed rows of a file (empty unless ``report.accepted``) and its report."""

    rows: list[T]
    report: Report
    header_row: int | None = None  # spreadsheet row number of the header, when found

    @property
    def accepted(self) -> bool:
        return self.report.accepted


@cache
def _matcher(file_type: FileType) -> HeaderMatcher:
    return HeaderMatcher(synonyms_spec(file_type), required=[c.name for c in COLUMNS[file_type] if c.required])


@dataclass
class Table:
    """A file's header and data rows, ready for a validator.

    ``columns`` maps canonical names to column indices; ``headers`` gives the file's
    own header text of each recognised column (for problems).
    """

    report: Report
    columns: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    data: list[tuple[int, Sequence[str]]] = field(default_factory=list)  # (row number, cells)
    header_row: int | None = None

    header_ok: bool = False

    @property
    def usable(self) -> bool:
        """False when the header itself is wrong (or the file empty): rows are not read then."""
        return self.header_ok

    def header(self, name: str) -> str:
        return self.headers.get(name, name)

    def getter(self, name: str) -> Callable[[Sequence[str]], str]:
        """A fast accessor: the stripped text of column ``name`` in a row ("" when absent)."""
        index = self.columns.get(name)
        if index is None:
            return lambda _row: ""

        def get(row: Sequence[str]) -> str:
            return row[index].strip() if index < len(row) else ""

        return get

    def problem(
        self,
        code: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        warning: bool = False,
    ) -> None:
        """Record a problem; ``column`` is a canonical name, reported as the file's header text."""
        self.report.add(
            Problem(
                code=code,
                message=message,
                severity=Severity.WARNING if warning else Severity.ERROR,
                row=row,
                column=self.header(column) if column else None,
                value=value,
            )
        )


def read_table_header(rows: Sequence[Sequence[str]], row_numbers: Sequence[int], file_type: FileType) -> Table:
    """Find and check the header of a file; the data rows follow it (blank rows skipped).

    An empty file gives a single ``file.empty`` error.
    """
    report = Report()
    table = Table(report)
    if len(row_numbers) != len(rows):
        raise ValueError("rows and row_numbers must have the same length")
    matcher = _matcher(file_type)
    try:
        found = find_header_row(rows, matcher, row_numbers)
    except Unprocessable as error:
        table.problem("file.empty", error.message)
        return table
    header_cells = rows[found.index]
    header_number = row_numbers[found.index]
    table.header_row = header_number
    table.columns = dict(found.match.columns)
    table.headers = {name: header_cells[index].strip() for name, index in table.columns.items()}
    specs = {column.name: column for column in COLUMNS[file_type]}
    for name in found.match.missing:
        accepted = ", ".join(f"« {label} »" for label in dict.fromkeys((specs[name].header, *specs[name].synonyms)))
        message = f"Colonne obligatoire absente : « {specs[name].header} » — {specs[name].help} En-têtes acceptés : {accepted}."
        if found.hint:
            message += " " + found.hint
        table.problem("column.missing", message, row=header_number, column=name)
    for name, indices in found.match.duplicates:
        texts = ", ".join(f"« {header_cells[index].strip()} »" for index in indices)
        table.problem(
            "column.duplicate",
            f"La colonne « {specs[name].header} » apparaît plusieurs fois ({texts}) : gardez-en une seule.",
            row=header_number,
            column=name,
        )
    for _, text in found.match.unknown:
        report.add(
            Problem(
                code="column.unknown",
                message=f"Colonne « {text.strip()} » non reconnue : elle est ignorée.",
                severity=Severity.WARNING,
                row=header_number,
                column=text.strip(),
                value=text.strip(),
            )
        )
    for position in range(found.index + 1, len(rows)):
        cells = rows[position]
        joined = "".join(cells)
        if joined and not joined.isspace():
            table.data.append((row_numbers[position], cells))
    report.rows_read = len(table.data)
    refuse_if_no_rows(table)
    table.header_ok = found.match.ok
    return table


def refuse_if_no_rows(table: Table) -> None:
    """A header with no data row under it is a blocking error: such a file never replaces data (DOMAIN.md §10.2)."""
    if not table.data:
        table.problem(
            "file.no_rows",
            f"Le fichier ne contient aucune ligne de données sous l'en-tête (ligne {table.header_row}) : rien n'a été "
            "importé et les données déjà déposées pour cette période sont conservées.",
            row=table.header_row,
        )


def finish(table: Table, rows: list[T], summary: Mapping[str, object]) -> Parsed[T]:
    """The final ``Parsed``: rows only when the report has no error."""
    report = table.report
    report.summary = dict(summary)
    if report.accepted:
        report.rows_accepted = report.rows_read
        return Parsed(rows, report, table.header_row)
    report.rows_accepted = 0
    return Parsed([], report, table.header_row)


# --------------------------------------------------------------------------- cached cell parsing


V = TypeVar("V")


class _ParsedTexts(Generic[V]):
    """Cell texts already read by ``parse``: each text is parsed once.

    Returns ``(value, None)`` or ``(None, (problem code, French message))``, the code being ``problem``'s.
    """

    def __init__(self, parse: Callable[[str], V | None], problem: Callable[[InvalidInput], str]) -> None:
        self._parse = parse
        self._problem = problem
        self._found: dict[str, tuple[V | None, tuple[str, str] | None]] = {}

    def __call__(self, text: str) -> tuple[V | None, tuple[str, str] | None]:
        found = self._found.get(text)
        if found is None:
            try:
                found = (self._parse(text), None)
            except InvalidInput as error:
                found = (None, (self._problem(error), error.message))
            self._found[text] = found
        return found


class Cached:
    """Per-file caches of cell texts already parsed: the same text is parsed once.

    Each ``*_of`` returns ``(value, None)`` or ``(None, (problem code, French message))``.
    """

    def __init__(self) -> None:
        self.decimal_of = _ParsedTexts[Decimal](parse_decimal, lambda error: _code(error, "number.format"))
        self.int_of = _ParsedTexts[int](parse_int, lambda error: _code(error, "number.format"))
        self.period_of = _ParsedTexts[Period](Period.parse, lambda _: "period.invalid")


def _code(error: InvalidInput, default: str) -> str:
    for detail in error.details:
        if isinstance(detail, dict) and isinstance(detail.get("problem"), str):
            return str(detail["problem"])
    return default


# --------------------------------------------------------------------------- shared checks


def check_periodicity(table: Table, declared: Period, periodicity: Periodicity | None) -> None:
    """File level: a quarter declared by an establishment that counts by year is refused.

    A year declared by one that counts by quarter is a file holding several quarters
    (``file_periods``): its rows say which.
    """
    if periodicity is not Periodicity.YEAR or declared.quarter is None:
        return
    table.problem(
        "period.periodicity",
        f"La période déclarée {declared} ne correspond pas à la périodicité annuelle ({declared.year}) choisie par "
        f"l'établissement pour {declared.year} : déclarez le fichier pour l'année {declared.year}, ou choisissez la "
        "périodicité trimestrielle dans les paramètres de l'année.",
        value=str(declared),
    )


Issue = tuple[str, str, bool]  # (problem code, French message, is a warning)


class UnitChecker:
    """UF checks against the structure, computed once per UF code of a file.

    ``eligibility(unit)`` returns the issues of a known unit for this file type
    (not eligible, closed during the period...); an unknown UF is a ``uf.unknown``
    error whose message suggests the code with its leading zeros when a spreadsheet
    dropped them.
    """

    def __init__(self, units: Mapping[str, Unit], eligibility: Callable[[Unit], list[Issue]]) -> None:
        self._units = units
        self._eligibility = eligibility
        self._cache: dict[str, tuple[Unit | None, tuple[Issue, ...]]] = {}
        self._without_zeros: dict[str, list[str]] | None = None

    def check(self, code: str) -> tuple[Unit | None, tuple[Issue, ...]]:
        found = self._cache.get(code)
        if found is None:
            unit = self._units.get(code)
            if unit is None:
                found = (None, (("uf.unknown", self._unknown_message(code), False),))
            else:
                found = (unit, tuple(self._eligibility(unit)))
            self._cache[code] = found
        return found

    def _unknown_message(self, code: str) -> str:
        if self._without_zeros is None:
            self._without_zeros = {}
            for known in self._units:
                self._without_zeros.setdefault(known.lstrip("0"), []).append(known)
        message = f"UF « {code} » absente de la structure de l'établissement."
        near = [known for known in self._without_zeros.get(code.lstrip("0"), []) if known != code]
        if near:
            return message + f" Vouliez-vous dire « {near[0]} » (zéros en tête perdus par le tableur) ?"
        return message + " Ajoutez-la à la structure ou corrigez le code."


def no_patient_days_reason(unit: Unit, theatre: str = "est un bloc opératoire (TA 08)") -> str:
    """Why a UF carries no patient-days, in French, after « L'UF « code » »: theatre, excluded sector or activity."""
    if unit.is_theatre:
        return theatre
    if unit.excluded and unit.activity is not None and unit.activity.counts_patient_days:
        return f"appartient au secteur {unit.sector}, exclu de la surveillance"
    label = unit.activity.label if unit.activity else "inconnu"
    return f"a le type d'activité TA {unit.code_ta} ({label}), qui ne compte pas de journées d'hospitalisation"


def eligible_during(period: Period, not_eligible: Callable[[Unit], Issue | None]) -> Callable[[Unit], list[Issue]]:
    """A file's check of a known UF: the issue ``not_eligible`` finds, then the warning if it was closed in ``period``."""

    def check(unit: Unit) -> list[Issue]:
        return [issue for issue in (not_eligible(unit), closed_issue(unit, period)) if issue is not None]

    return check


def closed_issue(unit: Unit, period: Period) -> Issue | None:
    """A warning when the UF's dates do not cover the period."""
    if unit.open_during(period):
        return None
    dates = []
    if unit.start:
        dates.append(f"ouverte le {unit.start:%d/%m/%Y}")
    if unit.end:
        dates.append(f"fermée le {unit.end:%d/%m/%Y}")
    return ("uf.closed", f"L'UF « {unit.code_uf} » n'est pas ouverte pendant la période {period} ({', '.join(dates)}).", True)
