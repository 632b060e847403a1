"""The establishment report's content (DOMAIN.md §10.8), built from the indicator service's answers.

``report(subject, answers)`` is pure: ``answers`` holds, for each key of ``questions.QUESTIONS``,
the answer the indicator service gave (the same dictionaries the API returns) or
``{"error": <French message>}`` when it refused. Every number printed comes from an answer,
formatted the French way; nothing is recomputed here, except a relative change between two
years and where a value falls among percentiles the answer gives.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.reports import alerts, annex, aware, consumption, french, labels, resistance
from chalicelib.domain.reports.facts import Answer, Facts, Subject, closed_periods, position, trend, unit
from chalicelib.domain.reports.model import Cover, KeyFigure, KeyFigures, Paragraph, Report, Section

__all__ = ["Subject", "report"]

AUTHOR = "ConsoRes — surveillance de la consommation des antibiotiques et de la résistance bactérienne"


def report(subject: Subject, answers: Mapping[str, Answer]) -> Report:
    """The report's document: cover, key figures, consumption, resistance, consumption × resistance,
    the national strategy panel, the year's alerts and the methods annex."""
    facts = Facts(subject, answers)
    return Report(
        title=f"Rapport annuel {subject.year} — {subject.name}",
        subject=(
            f"Consommation d'antibiotiques et résistance bactérienne en {subject.year} : {subject.name} "
            f"(FINESS {subject.finess}), comparée aux établissements de sa catégorie"
        ),
        author=AUTHOR,
        cover=_cover(subject),
        sections=(
            _key_figures(facts),
            consumption.consumption(facts),
            resistance.resistance(facts),
            resistance.combined(facts),
            resistance.strategy(facts),
            alerts.alerts(facts, "dans l'établissement"),
            annex.methods(facts),
        ),
        footer=f"{subject.name} — rapport {subject.year}, version {subject.version}",
    )


def _cover(subject: Subject) -> Cover:
    closed = [p for p, status in subject.periods if status == "closed"]
    still = [p for p, status in subject.periods if status != "closed"]
    status = (
        "Données clôturées (définitives)"
        if closed and not still
        else f"Données provisoires : {len(still)} période(s) non clôturée(s) ({', '.join(still)})"
    )
    return Cover(
        title=f"Rapport annuel {subject.year}",
        subtitle=subject.name,
        facts=(
            ("Établissement", subject.name),
            ("FINESS", subject.finess),
            ("Catégorie", f"{labels.category(subject.category)} ({subject.category})"),
            ("Région", labels.region(subject.region)),
            ("Année des données", str(subject.year)),
            ("Statut des données", status),
            ("Périodes clôturées", closed_periods(closed, subject.year)),
            ("Version du rapport", f"{subject.version}, produite le {french.date(subject.generated_at)}"),
        ),
        note=(
            "Consommation d'antibiotiques et d'antifongiques, résistance bactérienne aux antibiotiques et "
            "positionnement de l'établissement parmi les établissements de sa catégorie (données clôturées)."
        ),
    )


def _key_figures(facts: Facts) -> Section:
    year = facts.subject.year
    sarm = facts.answer("pct_sarm_benchmark")
    eblse = facts.answer("density_eblse_all_benchmark")
    items = (
        KeyFigure(
            "Consommation d'antibiotiques",
            unit(facts.value("ddj"), "DDJ/1000 JH"),
            position(facts.answer("ddj_benchmark")),
            trend(facts.rows("ddj_trend"), year),
        ),
        KeyFigure(
            "Part des antibiotiques à large spectre",
            french.percent(facts.value("broad")),
            position(facts.answer("broad_benchmark")),
            trend(facts.rows("broad_trend"), year),
        ),
        KeyFigure(
            "Part du groupe Accès (AWaRe de l'OMS)",
            french.percent((aware.access_row(facts.answer("aware")) or {}).get("value")),
            aware.goal_status(facts.answer("aware")),
            trend(facts.rows("aware_trend"), year),
        ),
        KeyFigure(
            "Consommation d'antifongiques",
            unit(facts.value("antifungal"), "DDJ/1000 JH"),
            position(facts.answer("antifungal_benchmark")),
            "—",
        ),
        KeyFigure(
            "SARM parmi les S. aureus",
            french.percent(sarm.get("value")),
            position(sarm),
            trend(facts.rows("pct_sarm_trend"), year),
        ),
        KeyFigure(
            "Densité d'incidence des EBLSE",
            unit(eblse.get("value"), "/1000 JH", 2),
            position(eblse, 2),
            trend(facts.rows("density_eblse_all_trend"), year),
        ),
    )
    return Section(
        "Chiffres clés",
        (
            Paragraph(
                f"Les chiffres de {year} de {facts.subject.name}, leur position parmi les établissements de la "
                f"catégorie « {labels.category(facts.subject.category)} » (données clôturées) et leur évolution "
                f"depuis {year - 1}."
            ),
            KeyFigures(items),
            Paragraph(
                "Position : la valeur de l'établissement est située par rapport aux percentiles (P10, P25, médiane, "
                "P75, P90) des établissements de la même catégorie. Une comparaison n'est montrée que si au moins "
                "5 autres établissements la composent (confidentialité statistique).",
                "note",
            ),
        ),
    )
