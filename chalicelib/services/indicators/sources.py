"""Which Parquet objects stand behind each table of an indicator query: an
establishment's current data (draft or closed), or closed partitions only."""

from __future__ import annotations

from chalicelib.domain.codes import Finess
from chalicelib.domain.lake import ISOLATES_YEAR, QUERIED, dataset_of
from chalicelib.domain.resistance.dedup_setting import DedupSetting
from chalicelib.services.ports import LakeStore, TableSource, UploadStore

#: The tables the queries read (the lake's datasets, ``domain/lake.py``) and their columns.
COLUMNS = {name: dataset.columns for name, dataset in QUERIED.items()}

Tables = dict[str, TableSource]


class LakeTables:
    def __init__(self, uploads: UploadStore, lake: LakeStore) -> None:
        self._uploads = uploads
        self._lake = lake

    def draft(self, finess: str, year: int, dedup: DedupSetting) -> Tables:
        """An establishment's current data of a year, closed or not."""
        keys: dict[str, list[str]] = {name: [] for name in COLUMNS}
        for current in self._uploads.current_for_year(Finess(finess), year):
            for key in current.lake_keys:
                dataset = dataset_of(key)
                if dataset in keys:
                    keys[dataset].append(key)
        return _under(dedup, {name: TableSource(tuple(sorted(found)), COLUMNS[name]) for name, found in keys.items()})

    def closed(self, year: int, dedup: DedupSetting, region: str | None = None, finess: str | None = None) -> Tables:
        """Closed partitions of a year: the nation's, a region's, or one establishment's (with its region)."""
        return _under(
            dedup,
            {name: TableSource(tuple(self._lake.closed_keys(name, year, region, finess)), COLUMNS[name]) for name in COLUMNS},
        )


def _under(dedup: DedupSetting, tables: Tables) -> Tables:
    """The tables as the national deduplication setting reads them: deduplicated per import period, the
    whole-year decisions stand behind no table, so every query falls back on each import's own decisions
    (``COALESCE(y.kept_year, i.kept)``). No query reads the setting itself."""
    if dedup.whole_year:
        return tables
    return {**tables, ISOLATES_YEAR.name: TableSource((), ISOLATES_YEAR.columns)}
