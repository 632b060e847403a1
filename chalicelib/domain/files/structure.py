"""Validation of a structure file: one row per functional unit (DOMAIN.md §4.1).

Checks, every row: code and label present, TA in the reference, sector from the DE
or the référent's override (an unknown DE, an ambiguous DE without sector, or a
sector outside the list are errors), specialty in the list, dates readable and in
order, and each UF code once (a second row with the same code is an error naming
the first). UF codes keep their leading zeros.

Summary: ``{units, by_sector: {sector: n}, excluded: [code_uf...], theatres:
{theatre code_uf: target code_uf or "CHIR_TOTAL"}}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.cells import parse_date
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.files.parsed import Parsed, finish, read_table_header
from chalicelib.domain.imports import FileType
from chalicelib.domain.structure import (
    SPECIALTIES,
    Unit,
    activity_types,
    normalise_de,
    normalise_specialty,
    normalise_ta,
    resolve_sector,
    theatre_reallocation,
)

__all__ = ["StructureContext", "validate"]


@dataclass(frozen=True)
class StructureContext:
    """What a structure file is checked against.

    ``date1904``: the workbook's date system (from the reader); ``de_sectors``:
    the DE → sector table (None: the shipped reference).
    """

    date1904: bool = False
    de_sectors: Mapping[str, str] | None = None


def validate(rows: Sequence[Sequence[str]], row_numbers: Sequence[int], context: StructureContext | None = None) -> Parsed[Unit]:
    """Typed units of a structure file and the report of every problem."""
    ctx = context or StructureContext()
    table = read_table_header(rows, row_numbers, FileType.STRUCTURE)
    if not table.usable:
        return finish(table, [], {})
    get = {
        name: table.getter(name)
        for name in (
            "code_uf",
            "libelle_uf",
            "code_pole",
            "libelle_pole",
            "code_service",
            "libelle_service",
            "code_ta",
            "code_de",
            "secteur",
            "specialite",
            "date_debut",
            "date_fin",
        )
    }
    types = activity_types()
    units: list[Unit] = []
    first_row: dict[str, int] = {}
    for number, cells in table.data:
        text = {name: getter(cells) for name, getter in get.items()}
        ok = True
        code = text["code_uf"]
        if not code:
            table.problem("uf.missing", "Code UF manquant.", row=number, column="code_uf", value="")
            ok = False
        elif code in first_row:
            table.problem(
                "uf.duplicate",
                f"L'UF « {code} » est déjà décrite ligne {first_row[code]} : une UF ne figure qu'une fois dans la structure.",
                row=number,
                column="code_uf",
                value=code,
            )
            ok = False
        else:
            first_row[code] = number
        if not text["libelle_uf"]:
            table.problem("libelle.missing", f"Libellé manquant pour l'UF « {code} ».", row=number, column="libelle_uf", value="")
            ok = False
        ta = normalise_ta(text["code_ta"])
        if not ta:
            table.problem("ta.missing", "Type d'activité (TA) manquant.", row=number, column="code_ta", value="")
            ok = False
        elif ta not in types:
            known = ", ".join(types)
            table.problem(
                "ta.unknown",
                f"Type d'activité (TA) inconnu : « {text['code_ta']} » (codes possibles : {known}).",
                row=number,
                column="code_ta",
                value=text["code_ta"],
            )
            ok = False
        sector: str | None = None
        if not text["code_de"]:
            table.problem("de.missing", "Discipline d'équipement (DE) manquante.", row=number, column="code_de", value="")
            ok = False
        else:
            resolved = resolve_sector(text["code_de"], text["secteur"], ctx.de_sectors)
            sector = resolved.sector
            if resolved.problem is not None:
                column = "code_de" if resolved.problem == "de.unknown" else "secteur"
                table.problem(resolved.problem, resolved.message or "", row=number, column=column, value=text[column])
                ok = False
        specialty: str | None = None
        if text["specialite"]:
            specialty = normalise_specialty(text["specialite"])
            if specialty is None:
                table.problem(
                    "specialty.invalid",
                    f"Spécialité inconnue : « {text['specialite']} » (valeurs possibles : {', '.join(SPECIALTIES)}).",
                    row=number,
                    column="specialite",
                    value=text["specialite"],
                )
                ok = False
        dates: dict[str, date | None] = {}
        for name in ("date_debut", "date_fin"):
            try:
                dates[name] = parse_date(text[name], ctx.date1904)
            except InvalidInput as error:
                problem = next((d["problem"] for d in error.details if isinstance(d, dict) and "problem" in d), "date.format")
                table.problem(str(problem), error.message, row=number, column=name, value=text[name])
                dates[name] = None
                ok = False
        start, end = dates["date_debut"], dates["date_fin"]
        if start and end and end < start:
            table.problem(
                "dates.order",
                f"La date de fin ({end:%d/%m/%Y}) précède la date de début ({start:%d/%m/%Y}).",
                row=number,
                column="date_fin",
                value=text["date_fin"],
            )
            ok = False
        if ok and sector is not None:
            units.append(
                Unit(
                    code_uf=code,
                    libelle=text["libelle_uf"],
                    code_ta=ta,
                    code_de=normalise_de(text["code_de"]),
                    sector=sector,
                    sector_override=sector if text["secteur"] else None,
                    code_pole=text["code_pole"] or None,
                    libelle_pole=text["libelle_pole"] or None,
                    code_service=text["code_service"] or None,
                    libelle_service=text["libelle_service"] or None,
                    specialty=specialty,
                    start=start,
                    end=end,
                )
            )
    by_sector: dict[str, int] = {}
    for unit in units:
        if not unit.excluded:
            by_sector[unit.sector] = by_sector.get(unit.sector, 0) + 1
    summary = {
        "units": len(units),
        "by_sector": dict(sorted(by_sector.items())),
        "excluded": [unit.code_uf for unit in units if unit.excluded],
        "theatres": theatre_reallocation(units),
    }
    return finish(table, units, summary)
