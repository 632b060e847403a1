"""The establishment report's content (DOMAIN.md §10.8) from the indicator service's answers:
positions, suppressed comparisons, trends, the methods annex, the sections in order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.reports import model
from chalicelib.domain.reports.establishment import Subject, report
from chalicelib.domain.reports.questions import QUESTIONS

NNBSP = "\u202f"
QUARTERS = (("2025-T1", "closed"), ("2025-T2", "closed"), ("2025-T3", "closed"), ("2025-T4", "closed"))
SUBJECT = Subject("440000990", "CHU de démonstration", "CHU", "52", 2025, QUARTERS, datetime(2026, 2, 1, tzinfo=UTC), 2)
PERCENTILES = {"p10": 300.0, "p25": 400.0, "p50": 500.0, "p75": 600.0, "p90": 700.0}
SUPPRESSED = "Comparaison masquée : elle ne compterait que 2 autres établissements de la catégorie."


def _row(value: float | None, **extra: Any) -> dict[str, Any]:
    return {"value": value, "numerator": 1234.5, "denominator": 9516.0, "n": 24, **extra}


def answers(**overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {q.key: {"rows": []} for q in QUESTIONS}
    found["ddj"] = {"rule": "DDJ OMS (table ATC/DDD de l'année des données)", "rows": [_row(1234.56)]}
    found["ddj_trend"] = {"rows": [{"year": y, "value": v} for y, v in ((2021, None), (2022, None), (2023, None),
                                                                         (2024, 1000.0), (2025, 1234.56))]}  # fmt: skip
    found["ddj_benchmark"] = {"value": 1234.56, "percentiles": {**PERCENTILES, "p90": 1500.0}, "n_establishments": 7,
                              "rows": [{"sector": "REA", "value": 800.0, "percentiles": None, "n_establishments": 2,
                                        "suppressed": SUPPRESSED}]}  # fmt: skip
    found["broad_benchmark"] = {"value": 42.0, "percentiles": None, "n_establishments": 2, "suppressed": SUPPRESSED}
    found["pct_r"] = {
        "rule": "patient-espece-antibiotype-annee-v1",
        "dedup_setting": {"version": 3, "period": "annee"},
        "rows": [_row(12.5, species="ESCCOL", antibiotic="CTX", ci_low=8.26, ci_high=17.5, n=220)],
    }
    found.update(overrides)
    return found


def texts(document: model.Report) -> str:
    """Every text the report prints, one per line."""
    lines = [document.cover.title, document.cover.subtitle, *(f"{k} {v}" for k, v in document.cover.facts)]
    for section in document.sections:
        lines.append(section.title)
        for block in section.blocks:
            if isinstance(block, model.Paragraph | model.Heading):
                lines.append(block.text)
            elif isinstance(block, model.Table):
                lines += [" | ".join(row) for row in block.rows]
            elif isinstance(block, model.KeyFigures):
                lines += [f"{f.label} | {f.value} | {f.position} | {f.trend}" for f in block.items]
    return "\n".join(lines)


def key_figure(document: model.Report, label: str) -> model.KeyFigure:
    figures = next(b for b in document.sections[0].blocks if isinstance(b, model.KeyFigures))
    return next(f for f in figures.items if f.label == label)


def test_the_report_has_the_sections_of_the_standard_report_in_order():
    document = report(SUBJECT, answers())
    assert [s.title for s in document.sections] == [
        "Chiffres clés", "Consommation d'antibiotiques", "Résistance bactérienne", "Consommation et résistance",
        "Stratégie nationale 2022-2025", "Alertes de l'année", "Annexe : méthodes",
    ]  # fmt: skip
    assert document.language == "fr-FR" and "2025" in document.title and "CHU de démonstration" in document.title


def test_the_cover_names_the_establishment_its_category_region_and_the_periods_closed():
    facts = dict(report(SUBJECT, answers()).cover.facts)
    assert facts["Catégorie"] == "Centre hospitalier universitaire (CHU)"
    assert facts["Région"] == "Pays de la Loire"
    assert facts["Statut des données"] == "Données clôturées (définitives)"
    assert facts["Périodes clôturées"] == "T1, T2, T3, T4 2025"
    assert facts["Version du rapport"] == "2, produite le 01/02/2026"


def test_a_year_with_open_periods_is_said_provisional():
    subject = Subject(**{**SUBJECT.__dict__, "periods": (("2025-T1", "closed"), ("2025-T2", "open"))})
    facts = dict(report(subject, answers()).cover.facts)
    assert facts["Statut des données"] == "Données provisoires : 1 période(s) non clôturée(s) (2025-T2)"


def test_a_value_is_placed_among_the_percentiles_of_its_category_with_the_median():
    figure = key_figure(report(SUBJECT, answers()), "Consommation d'antibiotiques")
    assert figure.value == f"1{NNBSP}234,6 DDJ/1000 JH"
    assert figure.position == "Entre P75 et P90 (médiane 500,0)"


def test_a_comparison_the_confidentiality_rule_suppresses_says_so_instead_of_a_position():
    document = report(SUBJECT, answers())
    assert key_figure(document, "Part des antibiotiques à large spectre").position == (
        "Masquée : 2 autre(s) établissement(s) comparable(s) sur 5 requis"
    )
    assert f"Comparaison non montrée pour : Réanimation. {SUPPRESSED}" in texts(document)


def test_the_trend_compares_the_year_with_the_previous_one():
    assert key_figure(report(SUBJECT, answers()), "Consommation d'antibiotiques").trend == (
        f"En hausse : +23,5{NNBSP}% par rapport à 2024 (1{NNBSP}000,0)"
    )


def test_resistance_rows_carry_n_and_their_95_percent_interval():
    assert f"Escherichia coli | Céfotaxime | 220 | 12,5{NNBSP}% | [8,3 ; 17,5]" in texts(report(SUBJECT, answers()))


def test_a_question_the_indicator_service_refused_reads_as_unavailable():
    document = report(SUBJECT, answers(ddj_benchmark={"error": "Établissement introuvable."}))
    assert key_figure(document, "Consommation d'antibiotiques").position == "Position indisponible"
    assert "Établissement introuvable." in texts(document)


def test_the_methods_annex_names_the_ddd_table_version_and_the_deduplication_rule_and_setting():
    annex = texts(report(SUBJECT, answers())).split("Annexe : méthodes", 1)[1]
    assert "Table ATC/DDD de l'OMS, version 2024 (DDJ OMS (table ATC/DDD de l'année des données))" in annex
    assert "Règle « patient-espece-antibiotype-annee-v1 », paramètre national version 3 (période : annee)" in annex
    assert "CA-SFM" in annex
    assert "4 période(s) clôturée(s) sur 4" in annex


def test_the_resistance_table_keeps_each_sentinel_species_eight_most_tested_antibiotics():
    codes = ("AMX", "AMC", "CTX", "CAZ", "FEP", "IPM", "MEM", "GEN", "AMK", "CIP", "LVX", "SXT")  # most tested first
    tested = [_row(10.0, species=species, antibiotic=code, n=500 - k, ci_low=8.0, ci_high=12.0)
              for species in ("ESCCOL", "STAAUR") for k, code in enumerate(codes)]  # fmt: skip
    document = report(SUBJECT, answers(pct_r={"rule": "r", "rows": tested}))
    section = next(s for s in document.sections if s.title == "Résistance bactérienne")
    table = next(b for b in section.blocks if isinstance(b, model.Table) and b.columns[0] == "Espèce")
    assert len(table.rows) == 2 * 8
    assert {row[1] for row in table.rows} == {"Amoxicilline", "Amoxicilline-acide clavulanique", "Céfotaxime",
                                               "Ceftazidime", "Céfépime", "Imipénème", "Méropénème", "Gentamicine"}  # fmt: skip
