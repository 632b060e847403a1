"""The report's consumption section: overall, by family, sector and route, antifungals, broad-spectrum
share, five-year trend and the position among the category (by sector where confidentiality allows)."""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.reports import aware, french, labels
from chalicelib.domain.reports.facts import Answers, Facts, position
from chalicelib.domain.reports.model import Bars, Block, Heading, Lines, Paragraph, Placement, Positions, Section, Series, Table


def consumption(facts: Facts) -> Section:
    subject = facts.subject
    blocks: list[Block] = [overall(facts, "la consommation d'antibiotiques à visée systémique est de")]
    blocks.extend(by_family(facts))
    blocks.extend(_by_sector(facts))
    routes = facts.rows("ddj_route")
    if routes:
        blocks.append(Heading("Par voie d'administration"))
        blocks.append(
            Table(
                ("Voie", "DDJ/1000 JH", "DDJ"),
                tuple(
                    (labels.route(r["route"]), french.decimal(r.get("value")), french.count(r.get("numerator"))) for r in routes
                ),
            )
        )
    blocks.extend(_antifungals(facts))
    blocks.extend(_broad_spectrum(facts))
    blocks.extend(aware.shares(facts))
    blocks.append(Heading("Évolution sur cinq ans"))
    blocks.extend(trends(facts, subject.name))
    blocks.extend(_positions(facts))
    return Section("Consommation d'antibiotiques", tuple(blocks))


def overall(facts: Answers, said: str) -> Paragraph:
    """The year's consumption in one sentence: ``En 2025, <said> 412,3 DDJ pour 1000 journées…``."""
    total = facts.total("ddj")
    if total is None or total.get("value") is None:
        return Paragraph(f"Aucune consommation d'antibiotiques n'est disponible pour {facts.year}.", "notice")
    return Paragraph(
        f"En {facts.year}, {said} {french.decimal(total['value'])} DDJ pour 1000 journées d'hospitalisation "
        f"({french.count(total.get('numerator'))} DDJ pour {french.count(total.get('denominator'))} journées)."
    )


def trends(facts: Answers, name: str) -> list[Block]:
    """The consumption and the broad-spectrum share year by year (series named ``name``)."""
    return [
        Lines("Consommation d'antibiotiques (DDJ/1000 JH)", "DDJ/1000 JH", facts.years,
              (Series(name, facts.trend_values("ddj_trend")),)),
        Lines("Part des antibiotiques à large spectre (%)", "%", facts.years, (Series(name, facts.trend_values("broad_trend")),)),
    ]  # fmt: skip


def by_family(facts: Answers) -> list[Block]:
    """DDJ/1000 JH by family (``ddj_family``), as bars and a table with each family's share of the DDJ."""
    families = sorted(facts.rows("ddj_family"), key=lambda r: -(r.get("value") or 0))
    if not families:
        return []
    doses = (facts.total("ddj") or {}).get("numerator") or 0
    names = tuple(labels.family(r["family"]) for r in families)
    cells = tuple(
        (name, french.decimal(r.get("value")), french.count(r.get("numerator")),
         french.percent(100 * (r.get("numerator") or 0) / doses if doses else None))
        for name, r in zip(names, families, strict=True)
    )  # fmt: skip
    return [
        Heading("Par famille d'antibiotiques"),
        Bars("DDJ pour 1000 JH par famille", "DDJ/1000 JH", names, tuple(float(r.get("value") or 0) for r in families)),
        Table(("Famille", "DDJ/1000 JH", "DDJ", "Part de la consommation"), cells, widths=(3, 1.2, 1.2, 1.6)),
    ]


def _by_sector(facts: Facts) -> list[Block]:
    sectors = sorted(facts.rows("ddj_sector"), key=lambda r: -(r.get("value") or 0))
    if not sectors:
        return []
    benchmark = {r.get("sector"): r for r in facts.answer("ddj_benchmark").get("rows") or []}
    medians = tuple(((benchmark.get(r["sector"]) or {}).get("percentiles") or {}).get("p50") for r in sectors)
    return [
        Heading("Par secteur d'activité"),
        Bars(
            "DDJ pour 1000 JH par secteur",
            "DDJ/1000 JH",
            tuple(labels.sector(r["sector"]) for r in sectors),
            tuple(float(r.get("value") or 0) for r in sectors),
            medians,
            "Médiane de la catégorie",
        ),
        Table(
            ("Secteur", "DDJ/1000 JH", "DDJ", "Journées"),
            tuple(
                (
                    labels.sector(r["sector"]),
                    french.decimal(r.get("value")),
                    french.count(r.get("numerator")),
                    french.count(r.get("denominator")),
                )
                for r in sectors
            ),
        ),
    ]


def _antifungals(facts: Facts) -> list[Block]:
    total = facts.total("antifungal")
    if "error" in facts.answer("antifungal"):
        return [Heading("Antifongiques"), Paragraph(str(facts.answer("antifungal")["error"]), "notice")]
    if total is None or total.get("value") is None:
        text = (
            "Aucune consommation d'antifongiques n'est comptée : l'établissement n'a pas déclaré couvrir les "
            "antifongiques (J02) dans ses fichiers de l'année, ou n'en a pas consommé."
        )
        return [Heading("Antifongiques"), Paragraph(text, "notice")]
    icu = next((r for r in facts.rows("antifungal_sector") if r.get("sector") == "REA"), None)
    haem = next((r for r in facts.rows("antifungal_specialty") if r.get("specialty") == "hématologie"), None)
    rows = [("Ensemble de l'établissement", french.decimal(total.get("value")), french.count(total.get("numerator")))]
    for label, row in (("Réanimation", icu), ("Hématologie", haem)):
        rows.append(
            (
                label,
                french.decimal(row.get("value")) if row else french.MISSING,
                french.count(row.get("numerator")) if row else french.MISSING,
            )
        )
    return [
        Heading("Antifongiques"),
        Table(("Périmètre", "DDJ/1000 JH", "DDJ"), tuple(rows)),
        Paragraph(f"Position dans la catégorie : {position(facts.answer('antifungal_benchmark'))}.", "note"),
    ]


def _broad_spectrum(facts: Facts) -> list[Block]:
    share = facts.total("broad")
    if share is None or share.get("value") is None:
        return []
    return [
        Heading("Antibiotiques à large spectre"),
        Paragraph(
            f"Les antibiotiques à large spectre (amoxicilline-acide clavulanique, pipéracilline-tazobactam, C3G, C4G, "
            f"carbapénèmes, fluoroquinolones, témocilline) représentent {french.percent(share['value'])} des DDJ "
            f"({french.count(share.get('numerator'))} DDJ sur {french.count(share.get('denominator'))}). "
            f"Position dans la catégorie : {position(facts.answer('broad_benchmark'))}."
        ),
    ]


def _positions(facts: Facts) -> list[Block]:
    benchmark = facts.answer("ddj_benchmark")
    blocks: list[Block] = [Heading("Position dans la catégorie")]
    if "error" in benchmark:
        return [*blocks, Paragraph(str(benchmark["error"]), "notice")]
    scopes = [("Ensemble", benchmark), *((labels.sector(r["sector"]), r) for r in benchmark.get("rows") or [])]
    shown = tuple(
        Placement(label, row.get("value"), _five(row["percentiles"]))
        for label, row in scopes
        if row.get("percentiles") and row["percentiles"].get("p50") is not None
    )
    hidden = [label for label, row in scopes if not row.get("percentiles")]
    if shown:
        blocks.append(
            Positions(
                f"DDJ/1000 JH de l'établissement parmi les établissements « {labels.category(facts.subject.category)} »",
                "DDJ/1000 JH",
                shown,
            )
        )
    if hidden:
        reason = next((str(row["suppressed"]) for _, row in scopes if row.get("suppressed")), "")
        blocks.append(
            Paragraph(
                f"Comparaison non montrée pour : {', '.join(hidden)}. "
                + (reason or "Moins de 5 autres établissements de la catégorie ont des données clôturées."),
                "notice",
            )
        )
    return blocks


def _five(percentiles: Mapping[str, float | None]) -> tuple[float, float, float, float, float]:
    p = [float(percentiles.get(k) or 0) for k in ("p10", "p25", "p50", "p75", "p90")]
    return p[0], p[1], p[2], p[3], p[4]
