"""The report's resistance sections: % R of the sentinel species, phenotypes as % and per 1000 JH (all
specimens and blood cultures) with their trend, consumption × resistance, the national strategy panel."""

from __future__ import annotations

from chalicelib.domain.combined import PAIRS
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.reports import cumulative, french, labels
from chalicelib.domain.reports.facts import LOW_N, Answers, Facts, Row, unit
from chalicelib.domain.reports.model import Block, Heading, Lines, Paragraph, Section, Series, Table
from chalicelib.domain.reports.questions import TREND_PHENOTYPES

SENTINEL_SPECIES = ("ESCCOL", "KLEPNE", "ENTCLO", "PSEAER", "ACIBAU", "STAAUR", "ENCFAE", "ENCFAI")
"""The species whose % R the report tables (sentinel species of French surveillance)."""

#: The % R table keeps each sentinel species' antibiotics most tested: the report stays within 16 pages
#: (DOMAIN.md §10.8), an establishment's as a synthesis.
ANTIBIOTICS_PER_SPECIES = 8


def resistance(facts: Facts) -> Section:
    blocks: list[Block] = [
        *measured(facts, ANTIBIOTICS_PER_SPECIES),
        *phenotypes(facts),
        Heading("Évolution"),
        *phenotype_trends(facts, "% SARM"),
        *cumulative.antibiogram(facts),
    ]
    return Section("Résistance bactérienne", tuple(blocks))


def measured(facts: Answers, per_species: int | None = None) -> list[Block]:
    """How the isolates are counted, then the % R of the sentinel species (``per_species``: see below)."""
    intro = Paragraph(
        "Les isolats cliniques (dépistages exclus) sont dédoublonnés selon la règle nationale "
        f"« {facts.answer('pct_r').get('rule', '—')} » : un isolat par patient, espèce et antibiotype sur l'année."
    )
    return [intro, *sentinel_resistance(facts, per_species)]


def phenotypes(facts: Answers) -> list[Block]:
    """The phenotypes as % (with n and intervals) and per 1000 JH, all specimens and blood cultures."""
    return [
        Heading("Phénotypes de résistance"),
        Table(
            ("Phénotype", "Parmi", "n", "%", "IC 95 %"),
            tuple(
                (
                    labels.phenotype(p),
                    labels.species_group(str(r.get("species_group", ""))),
                    french.count(r.get("n")),
                    french.percent(r.get("value")) + (" *" if r.get("flag") else ""),
                    french.interval(r.get("ci_low"), r.get("ci_high")),
                )
                for p in PHENOTYPES
                for r in facts.rows(f"pct_{p}")
            ),
            numeric_from=2,
            widths=(2.6, 2, 0.8, 1, 1.6),
        ),
        Table(
            ("Phénotype", "Cas (tous prél.)", "Densité /1000 JH", "IC 95 %", "Cas (hémoc.)", "Densité /1000 JH", "IC 95 %"),
            tuple(_densities(facts, p) for p in PHENOTYPES),
            caption="Densité d'incidence pour 1000 journées d'hospitalisation, tous prélèvements et hémocultures",
            widths=(2.6, 1, 1.1, 1.4, 1, 1.1, 1.4),
        ),
    ]


def phenotype_trends(facts: Answers, name: str) -> list[Block]:
    """% SARM and the densities followed year by year; ``name`` names the % SARM series."""
    return [
        Lines("SARM parmi les S. aureus (%)", "%", facts.years, (Series(name, facts.trend_values("pct_sarm_trend")),)),
        Lines(
            "Densité d'incidence pour 1000 JH (tous prélèvements)",
            "/1000 JH",
            facts.years,
            tuple(Series(labels.phenotype(p), facts.trend_values(f"density_{p}_all_trend")) for p in TREND_PHENOTYPES),
        ),
    ]


def sentinel_resistance(facts: Answers, per_species: int | None = None) -> list[Block]:
    """The % R of the sentinel species × antibiotics (the ``pct_r`` answer), with n and intervals; with
    ``per_species``, only each species' antibiotics most tested (a region or the nation tests many)."""
    blocks: list[Block] = [Heading("Pourcentage de résistance des espèces sentinelles")]
    rows = [r for r in facts.rows("pct_r") if r.get("species") in SENTINEL_SPECIES]
    if per_species is not None:
        rows = most_tested(rows, per_species)
        blocks.append(
            Paragraph(
                f"Pour chaque espèce, les {per_species} antibiotiques les plus testés ; les autres sont dans "
                "l'indicateur « pourcentage de souches résistantes » du tableau de bord.",
                "note",
            )
        )
    rows.sort(key=lambda r: (SENTINEL_SPECIES.index(r["species"]), labels.antibiotic(r["antibiotic"])))
    if rows:
        blocks.append(
            Table(
                ("Espèce", "Antibiotique", "n testés", "% R", "IC 95 %"),
                tuple(
                    (
                        labels.species(r["species"]),
                        labels.antibiotic(r["antibiotic"]),
                        french.count(r.get("n")),
                        french.percent(r.get("value")) + (" *" if r.get("flag") else ""),
                        french.interval(r.get("ci_low"), r.get("ci_high")),
                    )
                    for r in rows
                ),
                numeric_from=2,
                widths=(2.4, 2.2, 1, 1, 1.6),
            )
        )
        if any(r.get("flag") for r in rows):
            blocks.append(Paragraph(f"* {LOW_N} (moins de 30 isolats testés).", "note"))
    else:
        blocks.append(Paragraph("Aucun antibiogramme d'espèce sentinelle n'est disponible pour l'année.", "notice"))
    return blocks


def most_tested(rows: list[Row], per_species: int) -> list[Row]:
    """Each species' ``per_species`` rows of most isolates tested."""
    kept: list[Row] = []
    for species in {r["species"] for r in rows}:
        found = sorted((r for r in rows if r["species"] == species), key=lambda r: (-(r.get("n") or 0), r["antibiotic"]))
        kept.extend(found[:per_species])
    return kept


def _densities(facts: Answers, phenotype: str) -> tuple[str, ...]:
    cells = [labels.phenotype(phenotype)]
    for specimen in ("all", "blood"):
        row = facts.total(f"density_{phenotype}_{specimen}") or {}
        cells += [
            french.count(row.get("numerator")),
            french.decimal(row.get("value"), 2),
            french.interval(row.get("ci_low"), row.get("ci_high"), 2),
        ]
    return tuple(cells)


def combined(facts: Facts) -> Section:
    rows = []
    for key, pair in PAIRS.items():
        row = facts.total(f"combined_{key}") or {}
        rows.append(
            (
                pair.consumption_label,
                french.decimal(row.get("consumption")),
                pair.resistance_label,
                french.count(row.get("n")),
                french.percent(row.get("resistance")) + (" *" if row.get("flag") else ""),
                french.interval(row.get("ci_low"), row.get("ci_high")),
            )
        )
    return Section(
        "Consommation et résistance",
        (
            Paragraph(
                "La consommation d'une famille d'antibiotiques (DDJ/1000 JH) face à la résistance qu'elle sélectionne "
                "(isolats résistants ou porteurs du phénotype parmi les isolats testés)."
            ),
            Table(
                ("Famille consommée", "DDJ/1000 JH", "Résistance associée", "n", "%", "IC 95 %"),
                tuple(rows),
                text_columns=(2,),
                widths=(2.4, 1, 2.8, 0.7, 1, 1.5),
            ),
            Paragraph(f"* {LOW_N}", "note"),
        ),
    )


def strategy(facts: Facts) -> Section:
    rows = []
    for row in facts.rows("strategy_panel"):
        shown_in = row.get("unit") or ""
        digits = 2 if shown_in == "/1000 JH" else 1
        value = french.percent(row.get("value")) if shown_in == "%" else unit(row.get("value"), shown_in, digits)
        rows.append(
            (
                str(row.get("label", "")),
                value,
                french.interval(row.get("ci_low"), row.get("ci_high"), digits),
                french.count(row.get("n")),
            )
        )
    return Section(
        "Stratégie nationale 2022-2025",
        (
            Paragraph(
                "Les indicateurs du tableau de bord de la stratégie nationale de prévention des infections et de "
                "l'antibiorésistance 2022-2025, pour l'établissement."
            ),
            Table(("Indicateur", "Valeur", "IC 95 %", "n"), tuple(rows), widths=(3.4, 1.6, 1.6, 0.8)),
        ),
        new_page=False,
    )
