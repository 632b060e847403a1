"""Establishments compared in a synthesis (closed data only): for each indicator, how the scope's
establishments are distributed (their percentiles around the scope's value, and a histogram of
classes) and a sorted table bounded to the highest and lowest values: at national scale some 1,700
establishments, never one bar or one line each."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from chalicelib.domain.indicators import percentiles
from chalicelib.domain.reports import french, labels
from chalicelib.domain.reports.facts import Row
from chalicelib.domain.reports.model import Bars, Block, Heading, Paragraph, Placement, Positions, Table
from chalicelib.domain.reports.scope_facts import ScopeFacts

#: Below this many establishments with a value, no distribution is drawn (its percentiles would say little).
MIN_DISTRIBUTION = 5
#: The table lists every establishment up to this many; beyond, the highest and the lowest half of it each.
TABLE_ROWS = 30
#: How many classes the histogram has at most.
CLASSES = 12


@dataclass(frozen=True)
class Compared:
    """One indicator compared: its answers' keys (per establishment, the scope's total), its title, unit,
    and which count of each row the table shows."""

    key: str
    total_key: str
    title: str
    unit: str
    count: str  # the row's field
    count_label: str
    digits: int = 1
    #: The species group whose rows are the indicator's (% SARM: staphylococci), when rows name one.
    group: str | None = None
    #: The table's rows at most (half the highest, half the lowest), and whether the histogram is drawn.
    table_rows: int = TABLE_ROWS
    histogram: bool = True
    #: Compared in the national synthesis too (else in the regional ones only).
    national: bool = True


#: The scope's total is the ``aware`` answer's first row: the Access group (the indicator lists it first).
#: Regional syntheses only, shorter (no histogram, the 5 highest and 5 lowest): the national synthesis sets
#: the regions' Access shares side by side instead, and stays within 16 pages.
ACCESS = Compared("aware_by_es", "aware", "Part du groupe Accès (AWaRe de l'OMS)", "%", "denominator", "DDJ",
                  table_rows=10, histogram=False, national=False)  # fmt: skip

COMPARED = (
    Compared("ddj_by_es", "ddj", "Consommation d'antibiotiques", "DDJ/1000 JH", "denominator", "Journées"),
    Compared("broad_by_es", "broad", "Part des antibiotiques à large spectre", "%", "denominator", "DDJ"),
    ACCESS,
    Compared("sarm_by_es", "pct_sarm", "SARM parmi les S. aureus", "%", "n", "S. aureus testés", group="staphylococci"),
)


def compared(facts: ScopeFacts, indicator: Compared) -> list[Block]:
    rows = [r for r in in_group(facts.rows(indicator.key), indicator.group) if r.get("value") is not None]
    rows.sort(key=lambda r: (-float(r["value"]), str(r.get("establishment"))))
    blocks: list[Block] = [Heading(f"{indicator.title} ({indicator.unit})")]
    if "error" in facts.answer(indicator.key):
        return [*blocks, Paragraph(str(facts.answer(indicator.key)["error"]), "notice")]
    if not rows:
        return [*blocks, Paragraph("Aucun établissement n'a de valeur clôturée pour cet indicateur.", "notice")]
    values = [float(r["value"]) for r in rows]
    blocks.append(Paragraph(_summary(facts, indicator, values), "body"))
    if len(rows) >= MIN_DISTRIBUTION:
        blocks.append(_placement(facts, indicator, values))
        if indicator.histogram:
            blocks.append(_histogram(indicator, values))
    else:
        blocks.append(
            Paragraph(
                f"Distribution non tracée : {len(rows)} établissement(s) avec une valeur, {MIN_DISTRIBUTION} au moins "
                "sont nécessaires.",
                "notice",
            )
        )
    blocks.append(_table(facts, indicator, rows))
    return blocks


def _summary(facts: ScopeFacts, indicator: Compared, values: Sequence[float]) -> str:
    p = percentiles(list(values))
    return (
        f"{len(values)} établissement(s) avec une valeur clôturée en {facts.year} ; médiane "
        f"{french.decimal(p['p50'], indicator.digits)}, de {french.decimal(min(values), indicator.digits)} à "
        f"{french.decimal(max(values), indicator.digits)} {indicator.unit}."
    )


def _placement(facts: ScopeFacts, indicator: Compared, values: Sequence[float]) -> Positions:
    p = percentiles(list(values))
    five = (p["p10"] or 0.0, p["p25"] or 0.0, p["p50"] or 0.0, p["p75"] or 0.0, p["p90"] or 0.0)
    total = in_group(facts.rows(indicator.total_key), indicator.group)
    scope_value = total[0].get("value") if total else None
    return Positions(
        f"{indicator.title} : valeur de l'ensemble ({facts.subject.name}) parmi les établissements",
        indicator.unit,
        (Placement(facts.subject.name, scope_value, five),),
        point=f"la valeur de l'ensemble ({facts.subject.name})",
    )


def _histogram(indicator: Compared, values: Sequence[float]) -> Bars:
    width = nice_width((max(values) - min(values)) / CLASSES)
    start = math.floor(min(values) / width)
    count = max(1, math.floor(max(values) / width) - start + 1)
    counts = [0] * count
    for value in values:
        counts[min(math.floor(value / width) - start, count - 1)] += 1
    digits = 0 if width >= 1 else 1
    edges = [french.decimal((start + i) * width, digits) for i in range(count + 1)]
    return Bars(
        f"Nombre d'établissements par classe de valeur ({indicator.unit})",
        "établissements",
        tuple(f"{edges[i]} à < {edges[i + 1]}" for i in range(count)),
        tuple(float(c) for c in counts),
        digits=0,
    )


def in_group(rows: Sequence[Row], group: str | None) -> list[Row]:
    """The rows of species group ``group`` (rows naming none are kept); all rows when ``group`` is None."""
    return [r for r in rows if group is None or r.get("species_group", group) == group]


def nice_width(raw: float) -> float:
    """A class width of 1, 2, 2.5 or 5 times a power of ten, at least ``raw``."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return float(next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= raw))


def _table(facts: ScopeFacts, indicator: Compared, rows: Sequence[Row]) -> Table:
    members = {m.finess: m for m in facts.subject.members}
    national = facts.subject.region is None
    shown: list[tuple[int, Row]] = list(enumerate(rows, 1))
    caption = f"Les {len(rows)} établissements, de la valeur la plus haute à la plus basse."
    if len(rows) > indicator.table_rows:
        half = indicator.table_rows // 2
        shown = shown[:half] + shown[-half:]
        caption = (
            f"Les {half} valeurs les plus hautes et les {half} plus basses, sur {len(rows)} établissements "
            f"({len(rows) - indicator.table_rows} autres entre les deux, dans la distribution ci-dessus)."
        )
    intervals = any(r.get("ci_low") is not None for _, r in shown)
    region = ("Région",) if national else ()
    columns = ("Rang", "Établissement", "FINESS", *region, indicator.unit, *(("IC 95 %",) if intervals else ()),
               indicator.count_label)  # fmt: skip
    table_rows = []
    for rank, row in shown:
        finess = str(row.get("establishment"))
        member = members.get(finess)
        interval = french.interval(row.get("ci_low"), row.get("ci_high"), indicator.digits)
        table_rows.append(
            (
                str(rank),
                member.name if member else finess,
                finess,
                *((labels.region(member.region) if member else "—",) if national else ()),
                french.decimal(row.get("value"), indicator.digits),
                *((interval,) if intervals else ()),
                french.count(row.get(indicator.count)),
            )
        )
    widths = (0.8, 3, 1.3, *((1.8,) if national else ()), 1.2, *((1.6,) if intervals else ()), 1.2)
    return Table(columns, tuple(table_rows), caption=caption, numeric_from=3, text_columns=(3,) if national else (),
                 widths=widths)  # fmt: skip
