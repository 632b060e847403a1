"""The antifungal coverage rule (DOMAIN.md §10.5, ``chalicelib/domain/antifungal_coverage.py``)
applied where every indicator's rows are computed: an antifungal indicator's tables keep the
objects of the establishments it counts and nothing else, so its numerator (J02 DDD) and its
denominator (patient-days) are those of the same establishments on every path — an
establishment's own figures, a region's, the nation's, a benchmark's peers, a trend's years,
open data's cells."""

from __future__ import annotations

import re

from chalicelib.domain.antifungal_coverage import counted, follows_coverage
from chalicelib.domain.codes import Finess
from chalicelib.domain.indicators import Indicator
from chalicelib.services.indicators.one_answer import read_once
from chalicelib.services.ports import SettingsStore, TableSource

Tables = dict[str, TableSource]

#: The establishment a lake object belongs to: its ``es=`` partition (draft and closed keys alike).
_ESTABLISHMENT = re.compile(r"/es=([^/]+)/")


def establishment_of(key: str) -> str:
    found = _ESTABLISHMENT.search(key)
    if found is None:
        raise ValueError(f"lake key without an establishment partition: {key}")
    return found.group(1)


class AntifungalCoverage:
    def __init__(self, settings: SettingsStore) -> None:
        self._settings = settings

    def tables(self, indicator: Indicator, year: int, tables: Tables) -> Tables:
        """``tables`` as ``indicator`` of ``year`` may read them: unchanged unless it follows the coverage rule."""
        if not follows_coverage(indicator.id):
            return tables
        present = {establishment_of(key) for source in tables.values() for key in source.keys}
        if not present:
            return tables
        asked = tuple(sorted(present))
        statements = read_once(
            ("antifungal_statements", year, asked), lambda: self._settings.antifungal_statements(year, [Finess(e) for e in asked])
        )
        keep = counted(present, statements)
        return {
            name: TableSource(tuple(k for k in source.keys if establishment_of(k) in keep), source.columns)
            for name, source in tables.items()
        }
