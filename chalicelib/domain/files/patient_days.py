"""Validation of a patient-days file: JH per UF for one period (DOMAIN.md §4.3).

File level: the declared period must follow the establishment's periodicity for
the year (error). Every row: UF present and in the structure (error); UF that
carries patient-days — TA 03, 20, 97 of a care sector — (error otherwise; a row of
a non-eligible UF whose ``journees`` cell is empty is only a warning and is
ignored, since "theatres never have patient-days: empty, not 0"); UF not open
during the period (warning); ``periode`` one of the periods the file may hold
(``file_periods``: the declared period, or the quarters of a declared year; another
year is a row error, another period of the year one file-level error);
``journees`` and ``entrees`` whole numbers ≥ 0 (error); JH above beds × days in
the period × 1.1 (warning; no check without beds for the UF); one row per UF and
period (a second row is an error naming the first: patient-days are never summed).

Summary: ``{patient_days_total, by_uf: {code_uf: n}, periods: [period...]}`` (the
periods the accepted rows carry).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from chalicelib.domain.files.bounds import ADMISSIONS, PATIENT_DAYS
from chalicelib.domain.files.file_periods import STRAY, FilePeriods
from chalicelib.domain.files.parsed import (
    Cached,
    Issue,
    Parsed,
    UnitChecker,
    check_periodicity,
    eligible_during,
    finish,
    no_patient_days_reason,
    read_table_header,
)
from chalicelib.domain.imports import FileType
from chalicelib.domain.periods import Period, Periodicity, in_order
from chalicelib.domain.structure import Unit

__all__ = ["OCCUPANCY_TOLERANCE", "PatientDaysContext", "PatientDaysRow", "validate"]

OCCUPANCY_TOLERANCE = Decimal("1.1")


@dataclass(frozen=True)
class PatientDaysContext:
    """What a patient-days file is checked against.

    ``periodicity``: the establishment's choice for the year (None: not chosen yet,
    no file-level check). ``beds``: installed beds by UF for the period's year.
    """

    period: Period
    units: Mapping[str, Unit]
    beds: Mapping[str, int] = field(default_factory=dict)
    periodicity: Periodicity | None = None
    occupancy_tolerance: Decimal = OCCUPANCY_TOLERANCE


@dataclass(frozen=True)
class PatientDaysRow:
    uf: str
    period: Period
    patient_days: int
    admissions: int | None
    row: int  # spreadsheet row number


def _without_patient_days(unit: Unit) -> Issue | None:
    if unit.carries_patient_days:
        return None
    why = no_patient_days_reason(
        unit, theatre="est un bloc opératoire (TA 08) : un bloc n'a jamais de journées d'hospitalisation"
    )
    return ("uf.not_eligible", f"L'UF « {unit.code_uf} » {why}.", False)


def validate(rows: Sequence[Sequence[str]], row_numbers: Sequence[int], context: PatientDaysContext) -> Parsed[PatientDaysRow]:
    """Typed patient-days rows and the report of every problem."""
    table = read_table_header(rows, row_numbers, FileType.PATIENT_DAYS)
    check_periodicity(table, context.period, context.periodicity)
    if not table.usable:
        return finish(table, [], {})
    get_uf, get_period = table.getter("code_uf"), table.getter("periode")
    get_days, get_admissions = table.getter("journees"), table.getter("entrees")
    cached = Cached()
    units = UnitChecker(context.units, eligible_during(context.period, _without_patient_days))
    declared = context.period
    periods = FilePeriods(declared, context.periodicity)
    result: list[PatientDaysRow] = []
    first_row: dict[tuple[str, Period], int] = {}
    for number, cells in table.data:
        uf, period_text, days_text, admissions_text = get_uf(cells), get_period(cells), get_days(cells), get_admissions(cells)
        ok, ignored = True, False
        if not uf:
            table.problem("uf.missing", "Code UF manquant.", row=number, column="code_uf", value="")
            ok = False
        else:
            for code, message, warning in units.check(uf)[1]:
                if code == "uf.not_eligible" and not days_text:
                    table.problem(code, message + " Ligne ignorée.", row=number, column="code_uf", value=uf, warning=True)
                    ignored = True  # an empty cell for a UF without patient-days: nothing to keep
                else:
                    table.problem(code, message, row=number, column="code_uf", value=uf, warning=warning)
                    ok = ok and warning
        if ignored:
            continue
        period: Period | None = None
        if not period_text:
            table.problem("period.missing", "Période manquante.", row=number, column="periode", value="")
            ok = False
        else:
            period, issue = cached.period_of(period_text)
            if issue is not None or period is None:
                table.problem(*(issue or ("period.invalid", "")), row=number, column="periode", value=period_text)
                ok = False
            elif (verdict := periods.verdict(period)) is not None:
                if verdict is STRAY:
                    periods.note(period)  # one file-level error for them all
                else:
                    table.problem(verdict[0], verdict[1], row=number, column="periode", value=period_text)
                ok = False
        days, issue = cached.int_of(days_text)
        if issue is not None:
            table.problem(
                "patient_days.invalid",
                f"{issue[1]} Journées : nombre entier ≥ 0 attendu.",
                row=number,
                column="journees",
                value=days_text,
            )
            ok = False
        elif days is None:
            table.problem(
                "patient_days.missing",
                f"Journées d'hospitalisation manquantes pour l'UF « {uf} ».",
                row=number,
                column="journees",
                value="",
            )
            ok = False
        elif days < 0:
            table.problem(
                "patient_days.negative",
                f"Nombre de journées négatif : {days_text}.",
                row=number,
                column="journees",
                value=days_text,
            )
            ok = False
        elif (refusal := PATIENT_DAYS.refusal(days, days_text)) is not None:
            table.problem(PATIENT_DAYS.problem, refusal, row=number, column="journees", value=days_text)
            ok = False
        admissions, issue = cached.int_of(admissions_text)
        if issue is not None:
            table.problem(
                "admissions.invalid",
                f"{issue[1]} Entrées : nombre entier ≥ 0 attendu.",
                row=number,
                column="entrees",
                value=admissions_text,
            )
            ok = False
        elif admissions is not None and admissions < 0:
            table.problem(
                "admissions.negative",
                f"Nombre d'entrées négatif : {admissions_text}.",
                row=number,
                column="entrees",
                value=admissions_text,
            )
            ok = False
        elif admissions is not None and (refusal := ADMISSIONS.refusal(admissions, admissions_text)) is not None:
            table.problem(ADMISSIONS.problem, refusal, row=number, column="entrees", value=admissions_text)
            ok = False
        if uf and period is not None:
            key = (uf, period)
            if key in first_row:
                table.problem(
                    "uf.duplicate",
                    f"L'UF « {uf} » a déjà des journées pour la période {period} ligne {first_row[key]} : "
                    "une seule ligne par UF et par période.",
                    row=number,
                    column="code_uf",
                    value=uf,
                )
                ok = False
            else:
                first_row[key] = number
        if days is not None and days >= 0 and uf:
            beds = context.beds.get(uf)
            span = (period or declared).days
            if beds is not None and days > beds * span * context.occupancy_tolerance:
                shown = f" (taux d'occupation {round(100 * days / (beds * span))} %)" if beds else ""
                table.problem(
                    "patient_days.above_beds",
                    f"{days} journées pour {beds} lits sur {span} jours{shown} : plus de "
                    f"{round(100 * context.occupancy_tolerance)} % de la capacité ; vérifiez les journées ou les lits.",
                    row=number,
                    column="journees",
                    value=days_text,
                    warning=True,
                )
        if ok and period is not None and days is not None:
            result.append(PatientDaysRow(uf=uf, period=period, patient_days=days, admissions=admissions, row=number))
    by_uf: dict[str, int] = {}
    for item in result:
        by_uf[item.uf] = by_uf.get(item.uf, 0) + item.patient_days
    held = {item.period for item in result}
    periods.finish(table, held)
    summary = {"patient_days_total": sum(by_uf.values()), "by_uf": by_uf, "periods": [str(p) for p in in_order(held)]}
    return finish(table, result, summary)
