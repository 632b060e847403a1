"""The stores that follow an import's lake files: the structure and the beds (DOMAIN.md §10.2).

An import writes them once its files are current (``LakePublisher.make_current(then=…)``).
If the process dies between the pointer and that write, the upload is settled later as
done (its data is current), and these stores are written again from the current files,
so that what is current and what the stores hold agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.imports import FileType
from chalicelib.domain.structure import Unit
from chalicelib.domain.uploads import Upload
from chalicelib.services.ports import CurrentDataset, LakeStore, UnitStore


@dataclass(frozen=True)
class FollowingStores:
    units: UnitStore
    lake: LakeStore

    def restore(self, upload: Upload, current: CurrentDataset) -> None:
        """Write the structure or the beds again from the files ``current`` names (idempotent)."""
        if upload.file_type not in (FileType.STRUCTURE, FileType.BEDS):
            return
        rows = [row for key in current.lake_keys for row in self.lake.rows(key)]
        if upload.file_type is FileType.STRUCTURE:
            self.units.replace_units(upload.finess, [unit_of(row) for row in rows])
        else:
            self.units.replace_beds(upload.finess, upload.period.year, {str(r["code_uf"]): int(r["beds"]) for r in rows})


def unit_of(row: dict[str, Any]) -> Unit:
    """A unit from a row of the lake's structure file (the sector as resolved when imported)."""

    def day(value: Any) -> date | None:
        return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))

    return Unit(
        code_uf=str(row["code_uf"]),
        libelle=str(row["libelle_uf"]),
        code_ta=str(row["code_ta"]),
        code_de=str(row["code_de"]),
        sector=str(row["sector"]),
        code_pole=row.get("code_pole"),
        libelle_pole=row.get("libelle_pole"),
        code_service=row.get("code_service"),
        libelle_service=row.get("libelle_service"),
        specialty=row.get("specialty"),
        start=day(row.get("date_debut")),
        end=day(row.get("date_fin")),
    )
