"""The whole-year deduplication of an establishment's antibiograms (DOMAIN.md §6).

Each resistance upload is deduplicated within its own import period (the lake's
``isolates.kept``, the quarterly view). Yearly indicators apply the same rule over
the whole year: an isolate kept in Q1 makes its Q2 repeat a duplicate for the year.
Whenever the year's current antibiograms change (an upload made current, a
period's data removed), ``recompute`` decides the year again over all the
establishment's current isolates of that year and publishes the decisions as a
dataset of their own, ``isolates_year`` (one file per establishment and year:
isolate id, ``kept_year``, ``blood_kept_year``, the rules), made current through
the same pointer as any import (file type ``resistance_year``, period = the year):
readers see the previous decisions or the new ones, never a mix.

Only the isolates of a patient × species met in more than one import period can be
decided otherwise over the year: a group within one period holds the same isolates
in both views, so its yearly decisions are its period's. The file therefore holds
the isolates of the groups met in several periods only (rebuilt from the lake,
their results read for them only, judged by the domain's yearly rules), and the
yearly indicators read an isolate's yearly decision when the file has one, else its
period's (``COALESCE(kept_year, kept)``). An establishment sending one file for the
year has no such group: no file, and exactly its file's decisions.

Pseudonyms are keyed per establishment (``deduplication.pseudonym``: the
establishment's secret), so one patient has one pseudonym in every quarter of it.
The species label's hints are not in the lake: they are read back from the
``eblse``/``epc`` phenotypes (true with no flag only through a hint), which is the
hint itself for Enterobacterales, where the flags are given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict
from chalicelib.domain.imports import FileType
from chalicelib.domain.lake import ISOLATES, ISOLATES_YEAR, RESULTS, dataset_of
from chalicelib.domain.resistance.dedup import (
    BLOOD_YEAR_RULE,
    YEAR_RULE,
    deduplicate_blood,
    deduplicate_year,
)
from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir
from chalicelib.services.batch import collector_paused
from chalicelib.services.context import Context
from chalicelib.services.ports import ColumnarLakeWriter, LakeStore, TenantStore, UploadStore
from chalicelib.services.publisher import LakePublisher
from chalicelib.services.resistance_rules import BLOOD

logger = logging.getLogger(__name__)

#: The pointer's file type (period: the year) of the lake dataset it names.
YEAR_FILE_TYPE = ISOLATES_YEAR.file_type
#: What the decision reads of the lake's isolates files.
_READ = (
    "isolate_id", "period", "pseudonym", "species", "specimen", "specimen_date", "kept", "duplicate_of", "blood_kept",
    "esbl", "carbapenemase", "eblse", "epc", "code_uf",
)  # fmt: skip
_SIR = {sir.value: sir for sir in Sir}
ResultsOf = Callable[[Collection[str]], Sequence[tuple[Any, ...]]]


@dataclass(frozen=True)
class YearDecisions:
    isolate_id: list[str]
    kept_year: list[bool]
    duplicate_of_year: list[str | None]
    blood_kept_year: list[bool | None]  # None: not a blood culture

    def columns(self, finess: str) -> list[Sequence[Any]]:
        """The columns of the ``isolates_year`` file, in its order."""
        count = len(self.isolate_id)
        return ISOLATES_YEAR.ordered({
            "finess": [finess] * count,
            "isolate_id": self.isolate_id,
            "kept_year": self.kept_year,
            "duplicate_of_year": self.duplicate_of_year,
            "year_rule": [YEAR_RULE.id] * count,
            "blood_kept_year": self.blood_kept_year,
            "blood_year_rule": [None if kept is None else BLOOD_YEAR_RULE.id for kept in self.blood_kept_year],
        })  # fmt: skip


def year_decisions(rows: Sequence[tuple[Any, ...]], results_of: ResultsOf, year: int) -> YearDecisions:
    """The yearly decisions of one establishment's isolates of ``year`` (rows of ``_READ``): those of the
    patients × species seen in more than one period, the others being their period's (see the module)."""
    position = {name: index for index, name in enumerate(_READ)}
    i_id, i_period = position["isolate_id"], position["period"]
    ids = [str(row[i_id]) for row in rows]
    results: dict[str, dict[str, Sir]] = {}
    for identifier, antibiotic, sir in results_of(set(ids)) if rows else ():
        found = _SIR.get(sir)
        if found is not None:
            results.setdefault(identifier, {})[antibiotic] = found
    ordered = sorted(rows, key=lambda row: (str(row[i_period]), _row_number(str(row[i_id]))))  # periods, then file order
    isolates = [_isolate(row, position, results.get(str(row[i_id]), {})) for row in ordered]
    kept: dict[str, bool] = {}
    duplicate_of: dict[str, str | None] = {}
    for decision in deduplicate_year(isolates, year_of=lambda _isolate: year):
        kept[decision.isolate_id], duplicate_of[decision.isolate_id] = decision.kept, decision.duplicate_of
    year_key = str(year)
    blood: dict[str, bool | None] = {}
    for decision in deduplicate_blood(isolates, _is_blood, lambda _isolate: year_key, BLOOD_YEAR_RULE):
        blood[decision.isolate_id] = decision.kept
    return YearDecisions(ids, [kept[i] for i in ids], [duplicate_of[i] for i in ids], [blood.get(i) for i in ids])


class YearDeduplication:
    def __init__(
        self,
        *,
        uploads: UploadStore,
        tenants: TenantStore,
        lake: LakeStore,
        publisher: LakePublisher,
        context: Context,
        columnar: ColumnarLakeWriter,
    ) -> None:
        self._uploads = uploads
        self._tenants = tenants
        self._lake = lake
        self._publisher = publisher
        self._ctx = context
        self._columnar = columnar

    def recompute(self, finess: Finess, year: int) -> dict[str, Any]:
        """Decide the year again over the establishment's current antibiograms and make the decisions current.

        All or nothing: the new file becomes current with the pointer, the one it replaces goes. When a
        recomputation started later became current first, this one's file goes (it read older data).
        No patient × species in several periods (one file for the year, or none): the yearly decisions
        go, every isolate's being its period's. Returns counts for the report: the isolates decided
        (those of a patient × species in several periods) and how many of them the year keeps."""
        started = self._ctx.now_iso()
        establishment = self._tenants.get_establishment(finess)
        if establishment is None:
            return {}
        current = [c for c in self._uploads.current_for_year(finess, year) if c.file_type == FileType.RESISTANCE.value]
        if not current:
            self._forget(finess, year)
            return {"rule": YEAR_RULE.id, "isolates": 0, "kept_year": 0}
        isolates = [key for c in current for key in c.lake_keys if dataset_of(key) == ISOLATES.name]
        results = [key for c in current for key in c.lake_keys if dataset_of(key) == RESULTS.name]
        if len(current) == 1:  # one period: every patient × species within it, nothing decided otherwise
            self._forget(finess, year)
            return {"rule": YEAR_RULE.id, "isolates": 0, "kept_year": 0}
        with collector_paused():
            rows = self._lake.select(isolates, _READ, spread=(("pseudonym", "species"), "period"))
            decided = year_decisions(
                rows,
                lambda wanted: self._lake.select(results, ("isolate_id", "antibiotic", "sir"), ("isolate_id", wanted)),
                year,
            )
            if not rows:
                self._forget(finess, year)
                return {"rule": YEAR_RULE.id, "isolates": 0, "kept_year": 0}
            source_id = f"annee-{self._ctx.ids.new_id()}"
            body = self._columnar.columns_parquet(ISOLATES_YEAR.columns, decided.columns(finess.value))
            key = self._lake.write_parquet(ISOLATES_YEAR, year, establishment, source_id, body)
        try:
            self._publisher.make_current(finess, YEAR_FILE_TYPE, str(year), source_id, (key,), started)
        except Conflict:  # Superseded (a later recomputation is current), or the year closed meanwhile: files gone
            logger.warning("yearly decisions of %s %s not made current", finess, year, exc_info=True)
        return {"rule": YEAR_RULE.id, "isolates": len(decided.isolate_id), "kept_year": decided.kept_year.count(True)}

    def recompute_quietly(self, finess: Finess, year: int) -> dict[str, Any]:
        """``recompute`` after the year's data changed, for a caller whose own change is done: a failure is
        logged (the yearly decisions stay those of before, recomputed at the year's next change), never raised."""
        try:
            return self.recompute(finess, year)
        except Exception:
            logger.exception("yearly decisions of %s %s not recomputed", finess, year)
            return {"failure": "recalcul annuel non effectué"}

    def _forget(self, finess: Finess, year: int) -> None:
        previous = self._uploads.current(finess, YEAR_FILE_TYPE, str(year))
        if previous is None:
            return
        self._uploads.remove_current(previous)
        for key in previous.lake_keys:
            self._lake.remove(key)


def _is_blood(isolate: Isolate) -> bool:
    return isolate.specimen == BLOOD


def _isolate(row: tuple[Any, ...], position: dict[str, int], results: dict[str, Sir]) -> Isolate:
    def value(name: str) -> Any:
        return row[position[name]]

    hints = {name: True for name, column in (("esbl", "eblse"), ("cpe", "epc")) if value(column) is True}
    carbapenemase = value("carbapenemase")
    return Isolate(
        isolate_id=str(value("isolate_id")),
        row=_row_number(str(value("isolate_id"))),
        uf=str(value("code_uf") or ""),
        pseudonym=str(value("pseudonym")),
        age=None,
        sex=None,
        specimen_date=_date(value("specimen_date")),
        specimen=str(value("specimen")),
        species=str(value("species")),
        results=results,
        esbl=value("esbl"),
        carbapenemase=Carbapenemase(carbapenemase) if carbapenemase else None,
        hints=hints,
    )


def _row_number(isolate_id: str) -> int:
    tail = isolate_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
