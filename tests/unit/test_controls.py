"""Controls of an establishment's year before closure (DOMAIN.md §8)."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain.controls import (
    Control,
    YearData,
    consumption_without_patient_days,
    occupancy_above_100,
    patient_days_without_consumption,
    periods_differ,
    periods_missing,
    run_controls,
    theatre_patient_days,
    ucd_unresolved,
    uf_absent,
    uf_not_eligible,
)
from chalicelib.domain.files.consumption import ConsumptionLine
from chalicelib.domain.files.patient_days import PatientDaysRow
from chalicelib.domain.periods import Period, Periodicity
from tests.support.structure import CARDIOLOGY, CONSULTATIONS, THEATRE, VISCERAL_SURGERY, by_code

YEAR = 2025
Q = {q: Period(YEAR, q) for q in range(1, 5)}
UNITS = by_code(CARDIOLOGY, VISCERAL_SURGERY, THEATRE, CONSULTATIONS)


def days(uf: str, period: Period, n: int) -> PatientDaysRow:
    return PatientDaysRow(uf=uf, period=period, patient_days=n, admissions=None, row=2)


def line(uf: str, period: Period, scope: str = "antibiotic", route: str = "O") -> ConsumptionLine:
    return ConsumptionLine(
        uf=uf,
        ucd="0900001",
        atc="J01CA04" if scope != "out_of_scope" else "N02BE01",
        route=route,
        quantity=Decimal(3),
        ddd=Decimal(1),
        period=period,
        family="PENICILLINS",
        scope=scope,
        ddd_version=2024,
        label="Amoxicilline 500 mg, gélule",
        counted=True,
        row=2,
    )


def complete_year(**changes: object) -> YearData:
    """A clean quarterly year: both care UFs have patient-days and consumption, the theatre consumption only."""
    values: dict[str, object] = {
        "year": YEAR,
        "units": UNITS,
        "beds": {"0412": 10, "1204": 20},
        "patient_days": [days(uf, Q[q], 800) for q in Q for uf in ("0412", "1204")],
        "consumption": [line(uf, Q[q]) for q in Q for uf in ("0412", "1204", "0800")],
        "periodicity": Periodicity.QUARTER,
    }
    values.update(changes)
    return YearData(**values)  # type: ignore[arg-type]


def ids(controls: list[Control]) -> list[tuple[str, str | None]]:
    return [(c.id, c.period) for c in controls]


def test_a_complete_and_consistent_year_raises_no_control():
    assert run_controls(complete_year()) == []


def test_a_uf_absent_from_the_structure_is_blocking():
    data = complete_year(
        patient_days=[*complete_year().patient_days, days("9999", Q[2], 10)],
        consumption=[*complete_year().consumption, line("412", Q[2]), line("412", Q[2])],
        beds={"0412": 10, "1204": 20, "8888": 5},
    )
    found = uf_absent(data)
    assert ids(found) == [("uf_absent", None), ("uf_absent", "2025-T2")]
    year, q2 = found
    assert year.severity == "bloquant" and year.rows == [{"fichier": "lits", "code_uf": "8888", "periode": "2025", "lignes": 1}]
    assert q2.count == 2
    assert {(r["fichier"], r["code_uf"], r["lignes"]) for r in q2.rows} == {("consommation", "412", 2), ("journees", "9999", 1)}
    assert "absentes de la structure" in q2.message


def test_patient_days_of_a_non_eligible_uf_are_blocking_and_its_consumption_a_warning():
    data = complete_year(
        patient_days=[*complete_year().patient_days, days("0700", Q[1], 5)],
        consumption=[*complete_year().consumption, line("0700", Q[1])],
    )
    found = uf_not_eligible(data)
    assert [(c.id, c.severity, c.period) for c in found] == [
        ("uf_not_eligible_patient_days", "bloquant", "2025-T1"),
        ("uf_not_eligible_consumption", "avertissement", "2025-T1"),
    ]
    assert found[0].rows[0]["code_uf"] == "0700" and found[0].rows[0]["code_ta"] == "07"


def test_a_theatre_with_patient_days_is_blocking():
    data = complete_year(patient_days=[*complete_year().patient_days, days("0800", Q[3], 0)])
    [control] = theatre_patient_days(data)
    assert (control.id, control.severity, control.period, control.count) == ("theatre_patient_days", "bloquant", "2025-T3", 1)
    assert "bloc" in control.message
    assert uf_not_eligible(data) == []  # reported once, as a theatre


def test_a_uf_with_consumption_but_no_patient_days_is_a_warning_theatres_excepted():
    without = [r for r in complete_year().patient_days if not (r.uf == "1204" and r.period == Q[2])]
    [control] = consumption_without_patient_days(complete_year(patient_days=without))
    assert (control.severity, control.period) == ("avertissement", "2025-T2")
    assert [r["code_uf"] for r in control.rows] == ["1204"]


def test_zero_patient_days_count_as_none():
    zero = [days("1204", Q[2], 0) if (r.uf, r.period) == ("1204", Q[2]) else r for r in complete_year().patient_days]
    assert ids(consumption_without_patient_days(complete_year(patient_days=zero))) == [
        ("consumption_without_patient_days", "2025-T2")
    ]


def test_a_uf_with_patient_days_but_no_consumption_is_a_warning():
    kept = [c for c in complete_year().consumption if not (c.uf == "0412" and c.period == Q[4])]
    kept.append(line("0412", Q[4], scope="out_of_scope"))  # out-of-scope drugs are not a consumption
    [control] = patient_days_without_consumption(complete_year(consumption=kept))
    assert (control.severity, control.period, control.rows[0]["code_uf"]) == ("avertissement", "2025-T4", "0412")


def test_inhaled_forms_are_not_a_consumption_for_these_controls():
    kept = [c for c in complete_year().consumption if not (c.uf == "0412" and c.period == Q[4])]
    kept.append(line("0412", Q[4], route="Inhal.powder"))
    assert ids(patient_days_without_consumption(complete_year(consumption=kept))) == [
        ("patient_days_without_consumption", "2025-T4")
    ]


def test_a_missing_file_is_not_reported_uf_by_uf():
    no_q4_days = [r for r in complete_year().patient_days if r.period != Q[4]]
    data = complete_year(patient_days=no_q4_days)
    assert consumption_without_patient_days(data) == []
    assert ids(periods_missing(data)) == [("periods_missing", "2025-T4")]


def test_periods_missing_for_the_year_are_blocking():
    data = complete_year(
        patient_days=[r for r in complete_year().patient_days if r.period in (Q[1], Q[2])],
        consumption=[c for c in complete_year().consumption if c.period != Q[4]],
    )
    found = periods_missing(data)
    assert ids(found) == [("periods_missing", "2025-T3"), ("periods_missing", "2025-T4")]
    assert found[0].rows == [{"fichier": "journees", "periode": "2025-T3"}]
    assert found[1].count == 2 and all(c.severity == "bloquant" for c in found)


def test_a_yearly_establishment_expects_one_period():
    data = YearData(
        year=YEAR,
        units=UNITS,
        patient_days=[days("0412", Period(YEAR), 3000)],
        consumption=[],
        periodicity=Periodicity.YEAR,
    )
    [control] = periods_missing(data)
    assert control.period == "2025" and control.rows == [{"fichier": "consommation", "periode": "2025"}]


def test_consumption_and_patient_days_periods_that_differ_are_blocking():
    data = complete_year(patient_days=[days("0412", Period(YEAR), 3200), days("1204", Period(YEAR), 3200)], periodicity=None)
    [control] = periods_differ(data)
    assert control.severity == "bloquant" and control.period is None
    assert {"fichier": "journees", "periode": "2025"} in control.rows
    assert {"fichier": "consommation", "periode": "2025-T1"} in control.rows


def test_periods_that_do_not_follow_the_chosen_periodicity_are_blocking():
    data = complete_year(
        patient_days=[days("0412", Period(YEAR), 3200)],
        consumption=[line("0412", Period(YEAR))],
        periodicity=Periodicity.QUARTER,
    )
    [control] = periods_differ(data)
    assert "trimestre" in control.message


def test_occupancy_above_100_percent_is_a_warning():
    # 10 beds × 90 days in Q1 = 900
    data = complete_year(
        patient_days=[days("0412", Q[1], 901), days("0412", Q[2], 910), days("1204", Q[1], 5000)], beds={"0412": 10}
    )
    [control] = occupancy_above_100(data)
    assert (control.severity, control.period, control.count) == ("avertissement", "2025-T1", 1)
    assert control.rows == [
        {"code_uf": "0412", "periode": "2025-T1", "journees": 901, "lits": 10, "jours": 90, "taux_occupation": 100.1}
    ]
    assert "100 %" in control.message


def test_unresolved_ucds_are_blocking_per_period():
    data = complete_year(unknown_ucds={Q[2]: ["0912345", "0912345", "0000001"]})
    [control] = ucd_unresolved(data)
    assert (control.severity, control.period, control.count) == ("bloquant", "2025-T2", 2)
    assert [r["code_ucd"] for r in control.rows] == ["0000001", "0912345"]


def test_controls_match_the_api_shape_blocking_first():
    data = complete_year(
        unknown_ucds={Q[1]: ["0912345"]},
        patient_days=[*complete_year().patient_days, days("0412", Q[1], 5000)],
    )
    results = run_controls(data)
    assert [c.severity for c in results] == sorted((c.severity for c in results), key=lambda s: s != "bloquant")
    for control in results:
        assert set(control.as_dict()) == {"id", "severity", "message", "period", "count", "rows"}
        assert control.count == len(control.rows)
