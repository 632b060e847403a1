"""The syntheses' content, pure (DOMAIN.md §10.8): at national scale (some 1,700 establishments) the
establishments are compared by a distribution and a sorted, bounded table, never one bar or line each;
a scope of fewer than 5 establishments draws no distribution and says why."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.reports.comparison import CLASSES, TABLE_ROWS, nice_width
from chalicelib.domain.reports.model import Bars, Paragraph, Positions, Table
from chalicelib.domain.reports.resistance import ANTIBIOTICS_PER_SPECIES
from chalicelib.domain.reports.scope_facts import Completeness, Member, ScopeSubject
from chalicelib.domain.reports.synthesis import report
from chalicelib.domain.reports.synthesis_questions import questions


def subject(count: int, scope: str = "national") -> ScopeSubject:
    members = tuple(Member(f"{index:09d}", f"CH numéro {index}", "52" if index % 2 else "11") for index in range(count))
    return ScopeSubject(scope, 2025, Completeness(count, count, count, count, 4 * count), members,
                        datetime(2026, 3, 1, tzinfo=UTC), 1, ("11", "52") if scope == "national" else ())  # fmt: skip


def answers(count: int) -> dict:
    rows = [{"establishment": f"{i:09d}", "value": 200 + (i * 37) % 600 + 0.25, "denominator": 10_000 + i} for i in range(count)]
    return {"ddj_by_es": {"rows": rows}, "ddj": {"rows": [{"value": 512.5, "numerator": 5.1e6, "denominator": 1e7}]}}


def compared_blocks(document) -> tuple:
    return next(s for s in document.sections if s.title == "Établissements comparés").blocks


def test_at_national_scale_the_establishments_are_a_distribution_and_a_bounded_sorted_table():
    blocks = compared_blocks(report(subject(1700), answers(1700)))
    histogram = next(b for b in blocks if isinstance(b, Bars))
    assert len(histogram.labels) <= CLASSES + 1 and sum(histogram.values) == 1700
    [placement] = next(b for b in blocks if isinstance(b, Positions)).placements
    assert placement.value == 512.5 and placement.percentiles[0] < placement.percentiles[2] < placement.percentiles[4]
    table = next(b for b in blocks if isinstance(b, Table))
    assert len(table.rows) == TABLE_ROWS and "sur 1700 établissements" in table.caption
    values = [float(row[4].replace("\u202f", "").replace(",", ".")) for row in table.rows]
    assert values == sorted(values, reverse=True) and table.rows[0][0] == "1" and table.rows[-1][0] == "1700"
    assert table.columns[3] == "Région"  # the national synthesis names each establishment's region


def test_a_scope_of_fewer_than_five_establishments_draws_no_distribution_and_says_why():
    blocks = compared_blocks(report(subject(3, "region:52"), answers(3)))
    assert not any(isinstance(b, (Bars, Positions)) for b in blocks)
    assert any(isinstance(b, Paragraph) and "Distribution non tracée : 3 établissement(s)" in b.text for b in blocks)
    table = next(b for b in blocks if isinstance(b, Table))
    assert len(table.rows) == 3 and "Région" not in table.columns


def test_the_cover_states_the_scope_and_its_completeness():
    cover = dict(report(subject(1700), answers(1700)).cover.facts)
    assert cover["Périmètre"] == "France entière (toutes régions)"
    assert cover["Établissements"] == "1700 dans le périmètre, 1700 ayant transmis des données"
    assert cover["Périodes clôturées"] == "6\u202f800"


def test_a_class_width_is_one_two_two_and_a_half_or_five_times_a_power_of_ten():
    assert [nice_width(w) for w in (0.7, 3, 24, 41, 90)] == [1.0, 5.0, 25.0, 50.0, 100.0]


def test_the_resistance_table_keeps_each_sentinel_species_most_tested_antibiotics():
    pct_r = [{"species": species, "antibiotic": f"AB{k:02d}", "n": 1000 - k, "value": 10.0, "ci_low": 8.0, "ci_high": 12.0}
             for species in ("ESCCOL", "STAAUR") for k in range(40)]  # fmt: skip
    document = report(subject(10, "region:52"), {**answers(10), "pct_r": {"rows": pct_r}})
    section = next(s for s in document.sections if s.title == "Résistance bactérienne")
    table = next(b for b in section.blocks if isinstance(b, Table) and b.columns[0] == "Espèce")
    assert len(table.rows) == 2 * ANTIBIOTICS_PER_SPECIES
    assert {row[1] for row in table.rows} == {f"AB{k:02d}" for k in range(ANTIBIOTICS_PER_SPECIES)}


def test_the_establishments_are_compared_on_their_access_share_of_the_who_aware_classification():
    rows = [{"establishment": f"{i:09d}", "aware": "access", "value": 50.0 + i, "denominator": 1000.0} for i in range(6)]
    document = report(subject(6, "region:52"), {**answers(6), "aware_by_es": {"rows": rows}})
    blocks = compared_blocks(document)
    start = next(i for i, b in enumerate(blocks) if getattr(b, "text", "") == "Part du groupe Accès (AWaRe de l'OMS) (%)")
    table = next(b for b in blocks[start:] if isinstance(b, Table))
    assert [row[3] for row in table.rows] == ["55,0", "54,0", "53,0", "52,0", "51,0", "50,0"]


def test_the_national_synthesis_compares_the_regions_access_shares_not_each_establishments():
    national = report(subject(6), {**answers(6)})
    assert not any(getattr(b, "text", "").startswith("Part du groupe Accès") for b in compared_blocks(national))
    assert "aware_by_es" in {q.key for q in questions()} and "aware_by_es" not in {q.key for q in questions(("52",))}


def test_the_national_synthesis_sets_each_regions_access_share_beside_its_other_key_values():
    access = {"rows": [{"aware": "access", "value": 61.5, "numerator": 615.0, "denominator": 1000.0}]}
    document = report(subject(10), {**answers(10), "region_52_aware": access})
    section = next(s for s in document.sections if s.title == "Les régions côte à côte")
    table = next(b for b in section.blocks if isinstance(b, Table))
    column = table.columns.index("Accès")
    assert {row[0]: row[column] for row in table.rows} == {"Île-de-France": "—", "Pays de la Loire": "61,5\u202f%"}


def test_the_synthesis_counts_the_scopes_alerts_by_phenotype_and_never_lists_them():
    alerts = {"rule": "alerts-v1", "total": 3, "acknowledged": 1, "to_handle": 2,
              "by_kind": [{"kind": "epc", "label": "EPC", "count": 2}, {"kind": "erg", "label": "ERG", "count": 1}],
              "by_carbapenemase": [{"type": "KPC", "count": 2}],
              "rows": [{"specimen_date": "2025-01-02", "species_name": "Klebsiella pneumoniae", "phenotype": "EPC KPC",
                        "specimen": "URINE", "acknowledged": False}]}  # fmt: skip
    document = report(subject(10, "region:52"), {**answers(10), "alerts": alerts})
    section = next(s for s in document.sections if s.title == "Alertes de l'année")
    assert [b.rows for b in section.blocks if isinstance(b, Table)] == [(("EPC", "2"), ("    dont KPC", "2"), ("ERG", "1"))]
    said = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "En 2025, 3 alerte(s) dans les établissements du périmètre (périodes clôturées) : 1 acquittée(s)" in said
