"""Validation of a beds file: installed beds per UF for one year (DOMAIN.md §4.2).

Checks, every row: UF present and in the structure (error), UF that carries no
patient-days (warning: its beds serve no indicator), ``annee`` equal to the upload's
year (error), ``lits`` a whole number ≥ 0 (error), each UF once (a second row is an
error naming the first).

Summary: ``{beds_total, units}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chalicelib.domain.files.bounds import BEDS
from chalicelib.domain.files.parsed import Cached, Issue, Parsed, UnitChecker, finish, read_table_header
from chalicelib.domain.imports import FileType
from chalicelib.domain.structure import Unit

__all__ = ["BedsContext", "BedsRow", "validate"]


@dataclass(frozen=True)
class BedsContext:
    """The upload's year and the establishment's current structure."""

    year: int
    units: Mapping[str, Unit]


@dataclass(frozen=True)
class BedsRow:
    uf: str
    year: int
    beds: int
    row: int  # spreadsheet row number


def _eligibility(unit: Unit) -> list[Issue]:
    if unit.carries_patient_days:
        return []
    what = "un bloc opératoire" if unit.is_theatre else "une UF sans journées d'hospitalisation"
    return [("uf.not_eligible", f"L'UF « {unit.code_uf} » est {what} (TA {unit.code_ta}) : ses lits ne sont pas utilisés.", True)]


def validate(rows: Sequence[Sequence[str]], row_numbers: Sequence[int], context: BedsContext) -> Parsed[BedsRow]:
    """Typed beds rows and the report of every problem."""
    table = read_table_header(rows, row_numbers, FileType.BEDS)
    if not table.usable:
        return finish(table, [], {})
    get_uf, get_year, get_beds = table.getter("code_uf"), table.getter("annee"), table.getter("lits")
    cached = Cached()
    units = UnitChecker(context.units, _eligibility)
    result: list[BedsRow] = []
    first_row: dict[str, int] = {}
    for number, cells in table.data:
        uf, year_text, beds_text = get_uf(cells), get_year(cells), get_beds(cells)
        ok = True
        if not uf:
            table.problem("uf.missing", "Code UF manquant.", row=number, column="code_uf", value="")
            ok = False
        else:
            for code, message, warning in units.check(uf)[1]:
                table.problem(code, message, row=number, column="code_uf", value=uf, warning=warning)
                ok = ok and warning
            if uf in first_row:
                table.problem(
                    "uf.duplicate",
                    f"Les lits de l'UF « {uf} » figurent déjà ligne {first_row[uf]}.",
                    row=number,
                    column="code_uf",
                    value=uf,
                )
                ok = False
            else:
                first_row[uf] = number
        year, issue = cached.int_of(year_text)
        if issue is not None:
            table.problem(
                "year.invalid", f"Année invalide : « {year_text} » (AAAA attendu).", row=number, column="annee", value=year_text
            )
            ok = False
        elif year is None:
            table.problem("year.missing", "Année manquante.", row=number, column="annee", value="")
            ok = False
        elif year != context.year:
            table.problem(
                "year.mismatch",
                f"Année {year} différente de celle du dépôt ({context.year}).",
                row=number,
                column="annee",
                value=year_text,
            )
            ok = False
        beds, issue = cached.int_of(beds_text)
        if issue is not None:
            table.problem(
                "beds.invalid",
                f"Nombre de lits invalide : « {beds_text} » (entier ≥ 0 attendu).",
                row=number,
                column="lits",
                value=beds_text,
            )
            ok = False
        elif beds is None:
            table.problem("beds.missing", "Nombre de lits manquant.", row=number, column="lits", value="")
            ok = False
        elif beds < 0:
            table.problem("beds.negative", f"Nombre de lits négatif : {beds_text}.", row=number, column="lits", value=beds_text)
            ok = False
        elif (refusal := BEDS.refusal(beds, beds_text)) is not None:
            table.problem(BEDS.problem, refusal, row=number, column="lits", value=beds_text)
            ok = False
        if ok and beds is not None:
            result.append(BedsRow(uf=uf, year=context.year, beds=beds, row=number))
    summary = {"beds_total": sum(r.beds for r in result), "units": len(result)}
    return finish(table, result, summary)
