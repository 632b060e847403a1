"""Controls of the antibiograms before closure (DOMAIN.md §10.6)."""

from __future__ import annotations

from chalicelib.domain.periods import Period
from chalicelib.domain.resistance_controls import CurrentAntibiograms, ResistanceYear, resistance_controls

Q = Period(2025).quarters()


def ids(data: ResistanceYear) -> list[tuple[str, str, str | None]]:
    return [(c.id, c.severity, c.period) for c in resistance_controls(data)]


def test_an_upload_waiting_for_mappings_blocks_its_period():
    data = ResistanceYear(2025, Q, laboratory_linked=True, waiting=[Q[1]], current={q: CurrentAntibiograms(100) for q in Q})
    assert ids(data) == [("antibiograms_waiting", "bloquant", "2025-T2")]


def test_a_linked_laboratory_without_antibiograms_for_a_period_is_a_warning():
    data = ResistanceYear(2025, Q, laboratory_linked=True, current={Q[0]: CurrentAntibiograms(50)})
    assert ids(data) == [("antibiograms_missing", "avertissement", str(q)) for q in Q[1:]]
    assert ids(ResistanceYear(2025, Q, laboratory_linked=False)) == []  # no laboratory: no antibiograms expected


def test_more_than_a_fifth_of_isolates_excluded_is_a_warning_with_counts():
    current = {Period(2025): CurrentAntibiograms(100, {"screening": 15, "no_species": 6})}
    [control] = resistance_controls(ResistanceYear(2025, (Period(2025),), True, current=current))
    assert (control.id, control.severity, control.count) == ("isolates_excluded", "avertissement", 21)
    assert "21 isolats sur 100" in control.message and "dépistage : 15" in control.message
    assert control.rows == [{"motif": "espèce manquante", "isolats": 6}, {"motif": "dépistage", "isolats": 15}]
    current = {Period(2025): CurrentAntibiograms(100, {"screening": 20})}
    assert resistance_controls(ResistanceYear(2025, (Period(2025),), True, current=current)) == []  # 20 %: not above
