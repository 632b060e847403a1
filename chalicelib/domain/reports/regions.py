"""The regions side by side (the national synthesis): each region's key values, asked of the
indicator service at the region's scope (closed data), and its establishments with closed data."""

from __future__ import annotations

from chalicelib.domain.reports import french, labels
from chalicelib.domain.reports.comparison import in_group
from chalicelib.domain.reports.facts import LOW_N
from chalicelib.domain.reports.model import Bars, Block, Paragraph, Section, Table
from chalicelib.domain.reports.scope_facts import ScopeFacts
from chalicelib.domain.reports.synthesis_questions import region_key


def regions(facts: ScopeFacts) -> Section:
    codes = facts.subject.regions
    with_data = {str(r.get("establishment")) for r in facts.rows("ddj_by_es") if r.get("value") is not None}
    counted = {code: sum(1 for m in facts.subject.members if m.region == code and m.finess in with_data) for code in codes}
    rows = []
    for code in codes:
        ddj, broad = facts.total(region_key(code, "ddj")) or {}, facts.total(region_key(code, "broad")) or {}
        access = facts.total(region_key(code, "aware")) or {}
        sarm = next(iter(in_group(facts.rows(region_key(code, "sarm")), "staphylococci")), {})
        eblse = facts.total(region_key(code, "eblse")) or {}
        rows.append(
            (
                labels.region(code),
                french.count(counted[code]),
                french.decimal(ddj.get("value")),
                french.percent(broad.get("value")),
                french.percent(access.get("value")),
                french.percent(sarm.get("value")) + (" *" if sarm.get("flag") else ""),
                french.interval(sarm.get("ci_low"), sarm.get("ci_high")),
                french.decimal(eblse.get("value"), 2),
                french.interval(eblse.get("ci_low"), eblse.get("ci_high"), 2),
            )
        )
    blocks: list[Block] = [
        Paragraph(
            "Les chiffres clés de chaque région, sur les données clôturées de ses établissements. Établissements : ceux "
            "dont la consommation de l'année est clôturée."
        ),
        Table(
            ("Région", "Établ.", "DDJ/1000 JH", "Large spectre", "Accès", "% SARM", "IC 95 %", "EBLSE /1000 JH", "IC 95 %"),
            tuple(rows),
            widths=(1.9, 0.9, 1.2, 1.0, 0.9, 1.1, 1.35, 1.1, 1.35),
        ),
        Paragraph(
            "Accès : part des DDJ du groupe Accès de la classification AWaRe de l'OMS (objectif : au moins 60 %). "
            f"* {LOW_N} (moins de 30 S. aureus testés).",
            "note",
        ),
    ]
    values = {code: (facts.total(region_key(code, "ddj")) or {}).get("value") for code in codes}
    shown = sorted(((labels.region(code), float(v)) for code, v in values.items() if v is not None), key=lambda i: -i[1])
    if shown:
        blocks.append(
            Bars(
                "Consommation d'antibiotiques par région (DDJ/1000 JH)",
                "DDJ/1000 JH",
                tuple(name for name, _ in shown),
                tuple(value for _, value in shown),
            )
        )
    return Section("Les régions côte à côte", tuple(blocks))
