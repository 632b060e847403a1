"""Which Parquet objects stand behind each table of an indicator query: an
establishment's current data (draft or closed), or closed partitions only."""

from __future__ import annotations

from chalicelib.domain.codes import Finess
from chalicelib.domain.lake import CLOSED, ISOLATES_YEAR, QUERIED, dataset_of, partition_prefix
from chalicelib.domain.resistance.dedup_setting import DedupSetting
from chalicelib.services.indicators.one_answer import already_read, read_once
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
        return dict(read_once(("draft", finess, year, dedup), lambda: self._draft(finess, year, dedup)))

    def _draft(self, finess: str, year: int, dedup: DedupSetting) -> Tables:
        keys: dict[str, list[str]] = {name: [] for name in COLUMNS}
        for current in self._uploads.current_for_year(Finess(finess), year):
            for key in current.lake_keys:
                dataset = dataset_of(key)
                if dataset in keys:
                    keys[dataset].append(key)
        return _under(dedup, {name: TableSource(tuple(sorted(found)), COLUMNS[name]) for name, found in keys.items()})

    def closed(self, year: int, dedup: DedupSetting, region: str | None = None, finess: str | None = None) -> Tables:
        """Closed partitions of a year: the nation's, a region's, or one establishment's (with its region)."""
        nation: Tables | None = already_read(("closed", year, dedup, None, None))
        if nation is not None and region:  # the nation's listing, read for this answer already, holds the region's
            return {name: _within(source, CLOSED, name, year, region, finess) for name, source in nation.items()}
        return dict(read_once(("closed", year, dedup, region, finess), lambda: self._closed(year, dedup, region, finess)))

    def _closed(self, year: int, dedup: DedupSetting, region: str | None, finess: str | None) -> Tables:
        # One state of the closed area for the whole answer: the listings made in that state may be given again.
        version = read_once("closed_version", self._lake.closed_version)
        return _under(
            dedup,
            {name: TableSource(tuple(self._lake.closed_keys(name, year, region, finess, version)), COLUMNS[name])
             for name in COLUMNS},
        )  # fmt: skip


def _within(source: TableSource, area: str, dataset: str, year: int, region: str, finess: str | None) -> TableSource:
    prefix = partition_prefix(area, dataset, year, region, finess)
    return TableSource(tuple(key for key in source.keys if key.startswith(prefix)), source.columns)


def _under(dedup: DedupSetting, tables: Tables) -> Tables:
    """The tables as the national deduplication setting reads them: deduplicated per import period, the
    whole-year decisions stand behind no table, so every query falls back on each import's own decisions
    (``COALESCE(y.kept_year, i.kept)``). No query reads the setting itself."""
    if dedup.whole_year:
        return tables
    return {**tables, ISOLATES_YEAR.name: TableSource((), ISOLATES_YEAR.columns)}
