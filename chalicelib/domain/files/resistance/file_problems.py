"""What a resistance file's rows leave to be told once per file: identifiers like a NIR, legacy I results,
missing ages, unknown sexes, ineligible UFs, columns that are not antibiotics, unnamed columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.domain.cells import column_letter
from chalicelib.domain.files.parsed import Table
from chalicelib.domain.files.resistance.header import Layout
from chalicelib.domain.files.resistance.model import MASKED
from chalicelib.domain.files.resistance.results import VALID
from chalicelib.domain.files.resistance.rows import Rows, lines, not_eligible_message
from chalicelib.domain.structure import Unit


@dataclass
class Aggregates:
    """What the rows gather for the file-level problems."""

    legacy: dict[str, list[int]] = field(default_factory=dict)  # antibiotic label -> rows of a legacy I
    bad_columns: dict[str, int] = field(default_factory=dict)  # antibiotic label -> cells in error
    nir: Rows = field(default_factory=Rows)
    no_age: Rows = field(default_factory=Rows)
    sexes: dict[str, Rows] = field(default_factory=dict)  # unknown value (masked if need be) -> rows
    not_eligible: dict[str, Rows] = field(default_factory=dict)  # UF -> rows


def report_file_problems(
    table: Table, layout: Layout, units: Mapping[str, Unit], seen: Aggregates, characters: Mapping[str, str]
) -> None:
    """The problems told once per file, after the rows: counts and first rows of what repeats."""
    if seen.nir.count:
        plural = "s" if seen.nir.count > 1 else ""
        table.problem(
            "patient.nir",
            f"{seen.nir.count} identifiant{plural} patient ressemble{'nt' if plural else ''} à un NIR (numéro de "
            f"sécurité sociale), {seen.nir.listed()} : le fichier est refusé. Le NIR ne doit jamais être envoyé ; "
            "utilisez l'IPP de l'établissement (valeurs non reproduites ici).",
            row=seen.nir.rows[0],
            column="id_patient",
            value=MASKED,
        )
    for label, legacy_rows in seen.legacy.items():
        count = len(legacy_rows)
        table.problem(
            "result.legacy_i",
            f"Résultat « I » lu comme SFP (sensible à forte posologie, l'ancien « I » depuis 2019) dans la colonne "
            f"« {label} » : {count} cellule{'s' if count > 1 else ''}, {lines(legacy_rows, count)}. "
            "Vérifiez que ces résultats suivent le CA-SFM ≥ 2020.",
            row=legacy_rows[0],
            column=label,
            value="I",
            warning=True,
        )
    if seen.no_age.count:
        table.problem(
            "age.missing",
            f"Ni âge ni date de naissance pour {seen.no_age.count} isolat{'s' if seen.no_age.count > 1 else ''} "
            f"({seen.no_age.listed()}) : l'âge reste inconnu.",
            row=seen.no_age.rows[0],
            column="age" if "age" in table.columns else "date_naissance",
            value="",
            warning=True,
        )
    for value, rows in seen.sexes.items():
        table.problem(
            "sex.invalid",
            f"Sexe « {value} » non reconnu (F ou M attendu) pour {rows.count} isolat{'s' if rows.count > 1 else ''} "
            f"({rows.listed()}) : le sexe reste inconnu.",
            row=rows.rows[0],
            column="sexe",
            value=value,
            warning=True,
        )
    for uf, rows in seen.not_eligible.items():
        unit = units[uf]
        table.problem(
            "uf.not_eligible",
            not_eligible_message(unit, rows.count) + f" ({rows.listed()}).",
            row=rows.rows[0],
            column="code_uf",
            value=uf,
            warning=True,
        )
    _not_antibiotic_columns(table, layout, seen, characters)
    _unnamed_columns(table, layout)


def _not_antibiotic_columns(table: Table, layout: Layout, seen: Aggregates, characters: Mapping[str, str]) -> None:
    """A column with errors and no valid result at all is probably not an antibiotic."""
    for label, errors in seen.bad_columns.items():
        position = layout.positions[layout.labels.index(label)]
        valid = False
        for _, cells in table.data:
            text = cells[position] if position < len(cells) else ""
            if text and characters.get(text, "?") in VALID:
                valid = True
                break
        if not valid:
            table.problem(
                "column.not_antibiotic",
                f"La colonne « {label} » ne contient aucun résultat S, SFP ou R ({errors} valeur{'s' if errors > 1 else ''} "
                f"non reconnue{'s' if errors > 1 else ''}) : toute colonne qui n'est pas une colonne d'identification "
                "reconnue est lue comme un antibiotique. Si ce n'en est pas un, supprimez-la.",
                row=table.header_row,
                column=label,
                value=label,
            )


def _unnamed_columns(table: Table, layout: Layout) -> None:
    for position in layout.unnamed:
        filled = sum(1 for _, cells in table.data if position < len(cells) and cells[position].strip())
        if filled:
            letter = column_letter(position)
            table.problem(
                "column.no_header",
                f"La colonne {letter} n'a pas d'en-tête mais contient {filled} valeur{'s' if filled > 1 else ''} : "
                "elle est ignorée. Si ce sont des résultats, écrivez le libellé de l'antibiotique dans l'en-tête.",
                row=table.header_row,
                column=letter,
                warning=True,
            )
