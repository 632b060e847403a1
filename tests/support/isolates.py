"""Isolates in reference codes, as the deduplication, phenotype and export rules receive them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir, VanGene


def results_of(text: str) -> dict[str, Sir]:
    """Results written as "AMX=R CTX=SFP"."""
    return {code: Sir(result) for code, result in (pair.split("=") for pair in text.split())}


def isolate(
    row: int,
    results: str = "",
    *,
    patient: str = "P1",
    species: str = "ESCCOL",
    when: date = date(2025, 1, 10),
    specimen: str = "URINE",
    sex: str | None = "F",
    age: int | None = 70,
    upload: str = "u1",
    esbl: bool | None = None,
    carbapenemase: Carbapenemase | None = None,
    van: VanGene | None = None,
    hints: Mapping[str, bool] | None = None,
) -> Isolate:
    """An isolate of UF 1204, row ``row`` of upload ``upload``; ``results`` as "AMX=R CTX=SFP"."""
    return Isolate(
        isolate_id=f"{upload}:{row}",
        row=row,
        uf="1204",
        pseudonym=patient,
        age=age,
        sex=sex,
        specimen_date=when,
        specimen=specimen,
        species=species,
        results=results_of(results),
        esbl=esbl,
        carbapenemase=carbapenemase,
        van=van,
        hints=hints or {},
    )
