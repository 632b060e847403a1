"""The cumulative antibiogram in the report (CLSI M39, DOMAIN.md §10.10): a printable table per Gram
class, one line per species with at least the minimum of first isolates (the answer holds no other),
one column per antibiotic among the most relevant (those tested on the most species, then on the most
isolates; headed by its code, named in the caption), each cell the % S with the isolates tested.
Read from the ``antibiogram`` answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from chalicelib.domain.reports import french, labels
from chalicelib.domain.reports.facts import Answers, Row
from chalicelib.domain.reports.model import Block, Heading, Paragraph, Table

#: Antibiotic columns per table, species lines per table, species named below the minimum: one page at most.
COLUMNS = 8
SPECIES = 12
NAMED_BELOW = 12
#: The tables, in order: (Gram class of the reference, title).
CLASSES = (
    ("negative", "Bactéries à Gram négatif"),
    ("positive", "Bactéries à Gram positif"),
    ("fungus", "Champignons"),
)


def antibiogram(facts: Answers) -> list[Block]:
    answer = facts.answer("antibiogram")
    minimum = answer.get("min_isolates", 30)
    blocks: list[Block] = [
        Heading("Antibiogramme cumulé (CLSI M39)"),
        Paragraph(
            f"Premier isolat par patient et par espèce sur l'année, tous prélèvements sauf dépistages ; une espèce est "
            f"présentée à partir de {minimum} isolats. Chaque case : pourcentage de souches sensibles (S) et, entre "
            "parenthèses, le nombre d'isolats testés ; « — » : antibiotique non testé."
        ),
    ]
    if "error" in answer:
        return [*blocks, Paragraph(str(answer["error"]), "notice")]
    rows = facts.rows("antibiogram")
    if not rows:
        blocks.append(Paragraph(f"Aucune espèce n'atteint {minimum} premiers isolats en {facts.year}.", "notice"))
    for gram, title in CLASSES:
        found = [r for r in rows if labels.gram(str(r["species"])) == gram]
        if found:
            blocks.extend(table(found, title))
    others = [r for r in rows if labels.gram(str(r["species"])) not in {g for g, _ in CLASSES}]
    if others:
        blocks.extend(table(others, "Autres espèces"))
    if any(r.get("flag") for r in rows):
        blocks.append(Paragraph("* Moins de 30 isolats testés pour cet antibiotique : à lire avec prudence.", "note"))
    below = answer.get("species_below_min") or []
    if below:
        named = ", ".join(f"{labels.species(str(b['species']))} ({french.count(b.get('isolates'))})" for b in below[:NAMED_BELOW])
        more = f" et {len(below) - NAMED_BELOW} autre(s)" if len(below) > NAMED_BELOW else ""
        blocks.append(Paragraph(f"Espèces sous le seuil de {minimum} isolats (non présentées) : {named}{more}.", "note"))
    return blocks


def columns(rows: Sequence[Row], wanted: int = COLUMNS) -> list[str]:
    """The antibiotics tested on the most species, then on the most isolates (then by code)."""
    species = Counter(str(r["antibiotic"]) for r in rows)
    tested = Counter[str]()
    for r in rows:
        tested[str(r["antibiotic"])] += int(r.get("n") or 0)
    return sorted(species, key=lambda code: (-species[code], -tested[code], code))[:wanted]


def table(rows: Sequence[Row], title: str) -> list[Block]:
    chosen = columns(rows)
    cells: dict[tuple[str, str], Row] = {(str(r["species"]), str(r["antibiotic"])): r for r in rows}
    isolates = {str(r["species"]): r.get("isolates") for r in rows}
    ordered = sorted(isolates, key=lambda s: (-(isolates[s] or 0), labels.species(s)))
    lines = tuple(
        (
            f"{labels.species(s)} ({french.count(isolates[s])})",
            *(_cell(cells.get((s, code))) for code in chosen),
        )
        for s in ordered[:SPECIES]
    )
    found: list[Block] = [
        Table(
            ("Espèce (isolats)", *chosen),
            lines,
            caption=f"{title} : % S (isolats testés). " + " ; ".join(f"{code} : {labels.antibiotic(code)}" for code in chosen),
            widths=(2.4, *(1.0 for _ in chosen)),
        )
    ]
    if len(ordered) > SPECIES:
        found.append(
            Paragraph(
                f"Les {SPECIES} espèces aux isolats les plus nombreux ; les {len(ordered) - SPECIES} autres sont dans "
                "l'indicateur « antibiogramme cumulé » du tableau de bord.",
                "note",
            )
        )
    return found


def _cell(row: Row | None) -> str:
    if row is None or row.get("pct_s") is None:
        return french.MISSING
    return f"{french.decimal(row['pct_s'], 0)} ({french.count(row.get('n'))})" + (" *" if row.get("flag") else "")
