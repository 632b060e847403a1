"""A regional or national synthesis (DOMAIN.md §10.8), in the establishment report's style, built from
the indicator service's answers for the scope (closed data only: it is asked as the regional or
national profile). ``report(subject, answers)`` is pure; every number printed comes from an answer,
formatted the French way (the distributions' percentiles are those the benchmark computes)."""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.reports import alerts, annex, aware, comparison, consumption, french, regions, resistance
from chalicelib.domain.reports.establishment import AUTHOR
from chalicelib.domain.reports.facts import Answer, Row, trend, unit
from chalicelib.domain.reports.model import Block, Cover, Heading, Paragraph, Report, Section, Table
from chalicelib.domain.reports.scope_facts import ScopeFacts, ScopeSubject

__all__ = ["report"]

COMPARISONS = (
    "Établissements du périmètre comparés sur leurs données clôturées : percentiles (P10 à P90) et classes de "
    "valeurs à partir de 5 établissements ; tableau limité aux valeurs les plus hautes et les plus basses"
)


def report(subject: ScopeSubject, answers: Mapping[str, Answer]) -> Report:
    facts = ScopeFacts(subject, answers)
    sections = [
        _key_figures(facts),
        _consumption(facts),
        Section("Établissements comparés", tuple(_compared(facts))),
        *((regions.regions(facts),) if subject.regions else ()),
        Section(
            "Résistance bactérienne",
            (
                *resistance.measured(facts, resistance.ANTIBIOTICS_PER_SPECIES),
                *resistance.phenotypes(facts),
                Heading("Évolution"),
                *resistance.phenotype_trends(facts, subject.name),
            ),
        ),
        alerts.alerts(facts, "dans les établissements du périmètre (périodes clôturées)", listing=False),
        annex.annex(facts, COMPARISONS, subject.completeness.text()),
    ]
    return Report(
        title=f"{subject.title} — {subject.name}",
        subject=(
            f"Consommation d'antibiotiques et résistance bactérienne en {subject.year} : {subject.name}, "
            "données clôturées des établissements, comparés entre eux"
        ),
        author=AUTHOR,
        cover=_cover(subject),
        sections=tuple(sections),
        footer=f"{subject.title} — {subject.name}, version {subject.version}",
    )


def _cover(subject: ScopeSubject) -> Cover:
    done = subject.completeness
    return Cover(
        title=subject.title,
        subtitle=subject.name,
        facts=(
            ("Périmètre", f"Région {subject.name} ({subject.region})" if subject.region else "France entière (toutes régions)"),
            ("Année des données", str(subject.year)),
            ("Établissements", f"{done.establishments} dans le périmètre, {done.sent} ayant transmis des données"),
            ("Données clôturées", f"{done.with_closed} établissement(s), dont {done.year_closed} pour l'année entière"),
            ("Périodes clôturées", french.count(done.periods_closed)),
            ("Version du rapport", f"{subject.version}, produite le {french.date(subject.generated_at)}"),
        ),
        note=(
            "Consommation d'antibiotiques et d'antifongiques, résistance bactérienne aux antibiotiques, et comparaison "
            "des établissements du périmètre. Données clôturées uniquement : une période non clôturée n'est jamais comptée."
        ),
    )


def _key_figures(facts: ScopeFacts) -> Section:
    year = facts.year
    sarm = next(iter(comparison.in_group(facts.rows("pct_sarm"), "staphylococci")), None)
    access = aware.access_row(facts.answer("aware"))
    figures = (  # label, row, value, digits, the count shown, trend key
        ("Consommation d'antibiotiques", facts.total("ddj"), unit(facts.value("ddj"), "DDJ/1000 JH"), 1, "denominator",
         "ddj_trend"),
        ("Part des antibiotiques à large spectre", facts.total("broad"), french.percent(facts.value("broad")), 1,
         "denominator", "broad_trend"),
        ("Part du groupe Accès (AWaRe de l'OMS)", access, french.percent((access or {}).get("value")), 1, "denominator",
         "aware_trend"),
        ("Consommation d'antifongiques", facts.total("antifungal"), unit(facts.value("antifungal"), "DDJ/1000 JH"), 1,
         "denominator", ""),
        ("SARM parmi les S. aureus", sarm, french.percent((sarm or {}).get("value")), 1, "n", "pct_sarm_trend"),
        ("Densité d'incidence des EBLSE", facts.total("density_eblse_all"),
         unit(facts.value("density_eblse_all"), "/1000 JH", 2), 2, "numerator", "density_eblse_all_trend"),
    )  # fmt: skip
    rows = tuple(
        (label, value, _interval(row, digits), french.count((row or {}).get(count)), trend(facts.rows(key), year) if key else "—")
        for label, row, value, digits, count, key in figures
    )
    return Section(
        "Chiffres clés",
        (
            Paragraph(
                f"Les chiffres de {year} de l'ensemble des établissements du périmètre ({facts.subject.name}), sur leurs "
                f"données clôturées, avec leur intervalle de confiance à 95 % et leur évolution depuis {year - 1}."
            ),
            Table(
                ("Indicateur", "Valeur", "IC 95 %", "Effectif", "Évolution"),
                rows,
                widths=(2.3, 1.9, 1.5, 1.1, 2.4),
                numeric_from=1,
                text_columns=(4,),
            ),
            Paragraph(
                "Effectif : journées d'hospitalisation pour une consommation, DDJ pour les parts (large spectre, Accès), "
                "S. aureus testés pour le SARM, cas pour une densité d'incidence.",
                "note",
            ),
        ),
    )


def _interval(row: Row | None, digits: int) -> str:
    return french.interval((row or {}).get("ci_low"), (row or {}).get("ci_high"), digits)


def _consumption(facts: ScopeFacts) -> Section:
    blocks: list[Block] = [
        consumption.overall(facts, "les établissements du périmètre ont consommé"),
        *consumption.by_family(facts),
        *aware.shares(facts),
        Heading("Évolution sur cinq ans"),
        *consumption.trends(facts, facts.subject.name),
    ]
    return Section("Consommation d'antibiotiques", tuple(blocks), new_page=False)


def _compared(facts: ScopeFacts) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(
            "Chaque établissement du périmètre sur ses données clôturées de l'année : la distribution de ses valeurs "
            "(percentiles autour de la valeur de l'ensemble, et nombre d'établissements par classe), puis le tableau trié."
        )
    ]
    national = facts.subject.region is None
    for indicator in comparison.COMPARED:
        if indicator.national or not national:
            blocks.extend(comparison.compared(facts, indicator))
    return blocks
