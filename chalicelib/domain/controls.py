"""Controls of one establishment's year over structure, beds, patient-days and consumption (DOMAIN.md §8).

Each control is a pure function of a ``YearData`` returning ``Control`` results —
one per period concerned (``period`` None when it concerns the year). A ``bloquant``
result prevents closing its period (or every period when ``period`` is None); an
``avertissement`` is shown and closes nothing. ``as_dict`` gives the API's
``{id, severity, message, period, count, rows}``; ``rows`` use the files' column
names (``code_uf``, ``periode``, ``journees``, ``lits``, ``code_ucd``...).

Controls here (ids are stable):

=====================================  ==============  ==========================================================
id                                     severity        what
=====================================  ==============  ==========================================================
``uf_absent``                          bloquant        UF of beds, patient-days or consumption not in the structure
``uf_not_eligible_patient_days``       bloquant        patient-days on a UF that carries none (theatres: below)
``uf_not_eligible_consumption``        avertissement   consumption on an excluded UF (not counted)
``theatre_patient_days``               bloquant        patient-days on an operating theatre (TA 08)
``consumption_without_patient_days``   avertissement   care UF with consumption, no patient-days (theatres excepted)
``patient_days_without_consumption``   avertissement   UF with patient-days, no consumption
``periods_differ``                     bloquant        consumption and patient-days not by the same periods
``periods_missing``                    bloquant        a period of the year without consumption or patient-days
``occupancy_above_100``                avertissement   patient-days above beds × days in the period
``ucd_unresolved``                     bloquant        UCDs of the year not found in the drug catalogue
=====================================  ==============  ==========================================================

The antibiograms' own controls are in ``resistance_controls.py``; the service runs both.

The two "without" controls only compare periods for which both files are present
(a missing file is ``periods_missing``); consumption lines outside the surveillance
(ATC out of scope, non-systemic route) are ignored by them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from chalicelib.domain.drugs import Route, Scope
from chalicelib.domain.errors import DomainError
from chalicelib.domain.files.consumption import ConsumptionLine
from chalicelib.domain.files.patient_days import PatientDaysRow
from chalicelib.domain.periods import Period, Periodicity
from chalicelib.domain.structure import Unit

__all__ = [
    "CONTROLS",
    "Control",
    "YearData",
    "consumption_without_patient_days",
    "occupancy_above_100",
    "patient_days_without_consumption",
    "periods_differ",
    "periods_missing",
    "run_controls",
    "theatre_patient_days",
    "ucd_unresolved",
    "uf_absent",
    "uf_not_eligible",
]

Severity = Literal["bloquant", "avertissement"]
BLOCKING: Severity = "bloquant"
WARNING: Severity = "avertissement"


@dataclass(frozen=True)
class Control:
    id: str
    severity: Severity
    message: str  # French
    period: str | None  # "2025-T1", "2025", or None for the whole year
    count: int
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "message": self.message,
            "period": self.period,
            "count": self.count,
            "rows": self.rows,
        }


@dataclass(frozen=True)
class YearData:
    """One establishment's data for one year, as typed rows.

    ``beds``: installed beds by UF; ``unknown_ucds``: UCDs not found in the
    catalogue, by period (from imports rejected for that reason);
    ``periodicity``: the establishment's choice for consumption and patient-days
    (None: taken from the data, quarters when they are mixed).
    """

    year: int
    units: Mapping[str, Unit]
    beds: Mapping[str, int] = field(default_factory=dict)
    patient_days: Sequence[PatientDaysRow] = ()
    consumption: Sequence[ConsumptionLine] = ()
    unknown_ucds: Mapping[Period, Collection[str]] = field(default_factory=dict)
    periodicity: Periodicity | None = None


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _by_period(
    control_id: str,
    severity: Severity,
    rows: Iterable[tuple[Period | None, dict[str, Any]]],
    message: Callable[[int], str],
) -> list[Control]:
    grouped: dict[Period | None, list[dict[str, Any]]] = {}
    for period, row in rows:
        grouped.setdefault(period, []).append(row)
    ordered = sorted(grouped.items(), key=lambda item: (item[0] is not None, item[0] or Period(0)))
    return [
        Control(control_id, severity, message(len(items)), None if period is None else str(period), len(items), items)
        for period, items in ordered
    ]


def _counts_in_surveillance(line: ConsumptionLine) -> bool:
    if line.scope == Scope.OUT_OF_SCOPE.value:
        return False
    try:
        return Route.parse(line.route).is_systemic
    except DomainError:  # pragma: no cover - routes come from the catalogue
        return False


def uf_absent(data: YearData) -> list[Control]:
    """UFs used in beds, patient-days or consumption but absent from the structure."""
    found: dict[tuple[Period | None, str, str], int] = {}
    for uf in data.beds:
        if uf not in data.units:
            found[(None, "lits", uf)] = 1
    for day_row in data.patient_days:
        if day_row.uf not in data.units:
            key = (day_row.period, "journees", day_row.uf)
            found[key] = found.get(key, 0) + 1
    for line in data.consumption:
        if line.uf not in data.units:
            key = (line.period, "consommation", line.uf)
            found[key] = found.get(key, 0) + line.rows
    rows = [
        (period, {"fichier": kind, "code_uf": uf, "periode": str(period) if period else str(data.year), "lignes": n})
        for (period, kind, uf), n in sorted(found.items(), key=lambda item: (str(item[0][0]), item[0][1], item[0][2]))
    ]
    return _by_period(
        "uf_absent",
        BLOCKING,
        rows,
        lambda n: (
            f"{n} {_plural(n, 'UF utilisée', 'UF utilisées')} dans les fichiers mais "
            f"{_plural(n, 'absente', 'absentes')} de la structure : ajoutez-les à la structure ou corrigez les fichiers."
        ),
    )


def uf_not_eligible(data: YearData) -> list[Control]:
    """Patient-days on a UF that carries none (bloquant); consumption on an excluded UF (avertissement).

    Theatres with patient-days are ``theatre_patient_days``.
    """
    days_rows = _patient_days_rows(data, lambda unit: not unit.carries_patient_days and not unit.is_theatre)

    def excluded(line: ConsumptionLine) -> bool:
        unit = data.units.get(line.uf)
        return unit is not None and not unit.carries_consumption

    consumption_rows = _lines_by_unit(data, excluded)
    return _by_period(
        "uf_not_eligible_patient_days",
        BLOCKING,
        days_rows,
        lambda n: (
            f"{n} {_plural(n, 'UF a', 'UF ont')} des journées d'hospitalisation alors que leur type d'activité "
            "ou leur secteur n'en compte pas (seules les UF TA 03, 20 et 97 des secteurs de soins en ont)."
        ),
    ) + _by_period(
        "uf_not_eligible_consumption",
        WARNING,
        consumption_rows,
        lambda n: (
            f"{n} {_plural(n, 'UF exclue', 'UF exclues')} de la surveillance "
            f"{_plural(n, 'a', 'ont')} une consommation, qui n'est pas comptée."
        ),
    )


def _unit_row(unit: Unit, period: Period, **values: Any) -> dict[str, Any]:
    return {
        "code_uf": unit.code_uf,
        "libelle_uf": unit.libelle,
        "code_ta": unit.code_ta,
        "secteur": unit.sector,
        "periode": str(period),
        **values,
    }


def _patient_days_rows(data: YearData, kept: Callable[[Unit], bool]) -> list[tuple[Period | None, dict[str, Any]]]:
    """The patient-days rows of a known UF ``kept``: a row each (``journees``), in the file's order."""
    return [
        (row.period, _unit_row(unit, row.period, journees=row.patient_days))
        for row in data.patient_days
        if (unit := data.units.get(row.uf)) is not None and kept(unit)
    ]


def _lines_by_unit(data: YearData, kept: Callable[[ConsumptionLine], bool]) -> list[tuple[Period | None, dict[str, Any]]]:
    """The consumption lines ``kept``, counted by period and UF: a row each (``lignes``), in that order."""
    found: dict[tuple[Period, str], int] = {}
    for line in data.consumption:
        if kept(line):
            found[(line.period, line.uf)] = found.get((line.period, line.uf), 0) + line.rows
    return [(period, _unit_row(data.units[uf], period, lignes=n)) for (period, uf), n in sorted(found.items())]


def theatre_patient_days(data: YearData) -> list[Control]:
    """Operating theatres never have patient-days (empty, not 0)."""
    rows = _patient_days_rows(data, lambda unit: unit.is_theatre)
    return _by_period(
        "theatre_patient_days",
        BLOCKING,
        rows,
        lambda n: (
            f"{n} {_plural(n, 'bloc opératoire a', 'blocs opératoires ont')} des journées d'hospitalisation : "
            "un bloc (TA 08) n'en a jamais ; retirez ces lignes du fichier des journées."
        ),
    )


def _common_periods(data: YearData) -> set[Period]:
    return {r.period for r in data.patient_days} & {line.period for line in data.consumption}


def consumption_without_patient_days(data: YearData) -> list[Control]:
    """Care UFs with consumption in a period but no patient-days (no row or 0) in it; theatres excepted."""
    common = _common_periods(data)
    days: dict[tuple[Period, str], int] = {}
    for day_row in data.patient_days:
        days[(day_row.period, day_row.uf)] = days.get((day_row.period, day_row.uf), 0) + day_row.patient_days

    def without_days(line: ConsumptionLine) -> bool:
        if line.period not in common or not _counts_in_surveillance(line):
            return False
        unit = data.units.get(line.uf)
        if unit is None or unit.is_theatre or not unit.carries_patient_days:
            return False
        return days.get((line.period, line.uf), 0) == 0

    rows = _lines_by_unit(data, without_days)
    return _by_period(
        "consumption_without_patient_days",
        WARNING,
        rows,
        lambda n: (
            f"{n} {_plural(n, 'UF a', 'UF ont')} une consommation mais aucune journée d'hospitalisation "
            "sur la période : vérifiez le fichier des journées ou le code UF des dispensations."
        ),
    )


def patient_days_without_consumption(data: YearData) -> list[Control]:
    """UFs with patient-days (> 0) in a period but no consumption line in it."""
    common = _common_periods(data)
    consumed = {(line.period, line.uf) for line in data.consumption if _counts_in_surveillance(line)}
    rows: list[tuple[Period | None, dict[str, Any]]] = []
    for day_row in sorted(data.patient_days, key=lambda r: (r.period, r.uf)):
        if day_row.period not in common or day_row.patient_days <= 0 or (day_row.period, day_row.uf) in consumed:
            continue
        unit = data.units.get(day_row.uf)
        if unit is None or not unit.carries_patient_days:
            continue
        rows.append((day_row.period, _unit_row(unit, day_row.period, journees=day_row.patient_days)))
    return _by_period(
        "patient_days_without_consumption",
        WARNING,
        rows,
        lambda n: (
            f"{n} {_plural(n, 'UF a', 'UF ont')} des journées d'hospitalisation mais aucune consommation "
            "d'antibiotique ou d'antifongique sur la période : vérifiez le fichier de consommation."
        ),
    )


def periods_differ(data: YearData) -> list[Control]:
    """Consumption and patient-days must use the same periodicity (and the establishment's)."""
    consumption = sorted({line.period for line in data.consumption if line.period.year == data.year})
    days = sorted({r.period for r in data.patient_days if r.period.year == data.year})
    kinds = {p.periodicity for p in consumption} | {p.periodicity for p in days}
    rows: list[tuple[Period | None, dict[str, Any]]] = []
    mixed = bool(consumption and days) and {p.periodicity for p in consumption} != {p.periodicity for p in days}
    wrong = data.periodicity is not None and any(kind is not data.periodicity for kind in kinds)
    if mixed or wrong or len(kinds) > 1:
        for period in consumption:
            rows.append((None, {"fichier": "consommation", "periode": str(period)}))
        for period in days:
            rows.append((None, {"fichier": "journees", "periode": str(period)}))
    expected = ""
    if data.periodicity is not None:
        expected = " (périodicité choisie : " + ("trimestre" if data.periodicity is Periodicity.QUARTER else "année") + ")"
    return _by_period(
        "periods_differ",
        BLOCKING,
        rows,
        lambda _n: (
            "Les périodes de la consommation et des journées d'hospitalisation ne concordent pas"
            f"{expected} : consommation et journées se déposent par les mêmes périodes, toutes trimestrielles "
            "ou toutes annuelles."
        ),
    )


def _expected_periods(data: YearData) -> tuple[Period, ...]:
    periodicity = data.periodicity
    if periodicity is None:
        present = {r.period for r in data.patient_days} | {line.period for line in data.consumption}
        kinds = {p.periodicity for p in present if p.year == data.year}
        periodicity = Periodicity.YEAR if kinds == {Periodicity.YEAR} else Periodicity.QUARTER
    whole = Period(data.year)
    return (whole,) if periodicity is Periodicity.YEAR else whole.quarters()


def periods_missing(data: YearData) -> list[Control]:
    """Each period of the year (per the periodicity) needs consumption and patient-days."""
    consumption = {line.period for line in data.consumption}
    days = {r.period for r in data.patient_days}
    rows: list[tuple[Period | None, dict[str, Any]]] = []
    for period in _expected_periods(data):
        if period not in consumption:
            rows.append((period, {"fichier": "consommation", "periode": str(period)}))
        if period not in days:
            rows.append((period, {"fichier": "journees", "periode": str(period)}))
    return _by_period(
        "periods_missing",
        BLOCKING,
        rows,
        lambda n: (
            f"{_plural(n, 'Un fichier manque', f'{n} fichiers manquent')} pour la période "
            "(consommation ou journées d'hospitalisation) : déposez-les avant de clôturer."
        ),
    )


def occupancy_above_100(data: YearData) -> list[Control]:
    """Patient-days above installed beds × days in the period (occupancy over 100 %)."""
    rows: list[tuple[Period | None, dict[str, Any]]] = []
    for day_row in sorted(data.patient_days, key=lambda r: (r.period, r.uf)):
        beds = data.beds.get(day_row.uf)
        if beds is None:
            continue
        capacity = beds * day_row.period.days
        if day_row.patient_days > capacity:
            rate = round(100 * day_row.patient_days / capacity, 1) if capacity else None
            rows.append(
                (
                    day_row.period,
                    {
                        "code_uf": day_row.uf,
                        "periode": str(day_row.period),
                        "journees": day_row.patient_days,
                        "lits": beds,
                        "jours": day_row.period.days,
                        "taux_occupation": rate,
                    },
                )
            )
    return _by_period(
        "occupancy_above_100",
        WARNING,
        rows,
        lambda n: (
            f"{n} {_plural(n, 'UF a', 'UF ont')} plus de journées d'hospitalisation que de lits × jours "
            "(taux d'occupation supérieur à 100 %) : vérifiez les journées ou le nombre de lits."
        ),
    )


def ucd_unresolved(data: YearData) -> list[Control]:
    """UCDs of the year's consumption files not found in the drug catalogue."""
    rows = [
        (period, {"code_ucd": ucd, "periode": str(period)})
        for period in sorted(data.unknown_ucds)
        for ucd in sorted(set(data.unknown_ucds[period]))
    ]
    return _by_period(
        "ucd_unresolved",
        BLOCKING,
        rows,
        lambda n: (
            f"{n} {_plural(n, 'code UCD inconnu', 'codes UCD inconnus')} du référentiel des médicaments : "
            "l'équipe nationale doit les ajouter, puis le fichier de consommation sera traité à nouveau."
        ),
    )


CONTROLS: tuple[Callable[[YearData], list[Control]], ...] = (
    uf_absent,
    uf_not_eligible,
    theatre_patient_days,
    consumption_without_patient_days,
    patient_days_without_consumption,
    periods_differ,
    periods_missing,
    occupancy_above_100,
    ucd_unresolved,
)


def run_controls(data: YearData) -> list[Control]:
    """Every control of this module; blocking results first, then by id and period."""
    results = [control for check in CONTROLS for control in check(data)]
    return sorted(results, key=lambda c: (not c.blocking, c.id, c.period or ""))
