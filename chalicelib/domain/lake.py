"""The lake's schema: one declaration of each dataset (columns and their types), its partitions,
its key layout, and the phenotypes the isolates carry (ARCHITECTURE.md).

Everything else derives from here: the Parquet files the services write (``Dataset.row``,
``Dataset.ordered``), the tables the indicator queries read (``services/indicators/sources.py``,
the DuckDB views of ``adapters/duckdb_query_engine.py``, the Athena statement's partitions of
``adapters/athena_statement.py``), the Glue tables of the stack (``infra/cloud/lake_catalogue.py``)
and the test fixtures (``tests/support/lake_fixture.py``). Adding a column to a dataset is one line
below, plus the writer that fills it.

Column types are SQL type names as DuckDB writes the files (``VARCHAR``, ``DECIMAL(18,4)``…);
the adapters and the stack map them to Athena's and Glue's names.

Layout: ``<area>/<dataset>/year=<y>/region=<r>/es=<finess>/<source>.parquet``, ``lake/`` for every
upload's file (the draft data) and ``closed/`` for the copies a period's closure publishes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

#: The phenotypes of the lake's isolates, in the order of their columns (DOMAIN.md §7).
PHENOTYPES = ("sarm", "eblse", "epc", "erg", "c3g_r", "fq_r", "carba_r", "caz_r")

SQL_TYPE = re.compile(r"^(VARCHAR|INTEGER|BIGINT|BOOLEAN|DATE|DOUBLE|DECIMAL\(\d+,\s*\d+\))$")


class Column(NamedTuple):
    """A column of a dataset: its name and SQL type (a ``(name, type)`` pair, as the writers take them)."""

    name: str
    type: str


#: The media type of the lake's objects.
PARQUET = "application/vnd.apache.parquet"
#: Where a dataset's files are: every upload's (draft data), and the copies closure publishes.
LAKE = "lake"
CLOSED = "closed"
#: The closed area's state: a new token written after every change of it, outside every dataset's folder
#: (``adapters/s3_lake.py`` gives a listing again while it has not changed).
CLOSED_CHANGES = f"{CLOSED}/_changes"
#: Area -> the state its tables are named after (``draft_<dataset>``, ``closed_<dataset>``).
STATES = {LAKE: "draft", CLOSED: "closed"}
#: The Hive partition keys of the layout, in order; their values are text.
PARTITIONS = (Column("year", "VARCHAR"), Column("region", "VARCHAR"), Column("es", "VARCHAR"))


@dataclass(frozen=True)
class Dataset:
    name: str
    #: The upload type whose pointer names the dataset's files (``CurrentDataset.lake_keys``).
    file_type: str
    columns: tuple[Column, ...]
    #: Read by the indicator queries: a table of each state in the catalogue, a view in the engine.
    queried: bool = True

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a column is declared twice")
        wrong = [column for column in self.columns if not SQL_TYPE.match(column.type)]
        if wrong:
            raise ValueError(f"{self.name}: not a lake column type: {wrong}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def position(self, name: str) -> int:
        return self.names.index(name)

    def only(self, names: Sequence[str]) -> tuple[Column, ...]:
        """The declared columns named, in the order given."""
        by_name = {column.name: column for column in self.columns}
        return tuple(by_name[name] for name in names)

    def row(self, **values: Any) -> tuple[Any, ...]:
        """One row, given by column name, in the file's column order: every declared column, no other."""
        self._check(values)
        return tuple(values[name] for name in self.names)

    def ordered(self, data: Mapping[str, Sequence[Any]]) -> list[Sequence[Any]]:
        """Columns of values given by name, in the file's column order: every declared column, no other."""
        self._check(data)
        return [data[name] for name in self.names]

    def key(self, year: int | str, region: str, finess: object, source_id: str, area: str = LAKE) -> str:
        """The object of one source (an upload, a recomputation) for an establishment and year."""
        return lake_key(self.name, year, region, finess, source_id, area)

    def _check(self, given: Mapping[str, Any]) -> None:
        unknown, missing = set(given) - set(self.names), set(self.names) - set(given)
        if unknown or missing:
            raise ValueError(f"{self.name}: undeclared columns {sorted(unknown)}, columns missing {sorted(missing)}")


#: The antimicrobials each unit used in a period, in DDD (DOMAIN.md §7).
CONSUMPTION = Dataset(
    "consumption",
    "consumption",
    (
        Column("finess", "VARCHAR"),
        Column("period", "VARCHAR"),
        Column("code_uf", "VARCHAR"),
        Column("sector", "VARCHAR"),
        Column("specialty", "VARCHAR"),
        Column("reallocated_uf", "VARCHAR"),  # a theatre's consumption goes to this care UF (or CHIR_TOTAL)
        Column("ucd", "VARCHAR"),
        Column("atc", "VARCHAR"),
        Column("route", "VARCHAR"),
        Column("family", "VARCHAR"),
        Column("scope", "VARCHAR"),
        Column("quantity", "DECIMAL(18,4)"),
        Column("ddd", "DECIMAL(18,6)"),
        Column("ddd_version", "INTEGER"),  # the WHO ATC/DDD table's version (year)
        Column("catalogue_version", "VARCHAR"),  # which copy of the drug catalogue resolved the UCDs
        Column("counted", "BOOLEAN"),
        Column("upload_id", "VARCHAR"),
    ),
)
#: The patient-days and admissions of each unit in a period: the densities' denominators.
PATIENT_DAYS = Dataset(
    "patient_days",
    "patient_days",
    (
        Column("finess", "VARCHAR"),
        Column("period", "VARCHAR"),
        Column("code_uf", "VARCHAR"),
        Column("sector", "VARCHAR"),
        Column("patient_days", "BIGINT"),
        Column("admissions", "BIGINT"),
        Column("upload_id", "VARCHAR"),
        Column("specialty", "VARCHAR"),  # of the UF (hématologie...): antifungal and specialty views
    ),
)
#: The isolates of an antibiogram file, with their deduplication decisions and phenotypes.
ISOLATES = Dataset(
    "isolates",
    "resistance",
    (
        Column("finess", "VARCHAR"),
        Column("period", "VARCHAR"),
        Column("upload_id", "VARCHAR"),
        Column("isolate_id", "VARCHAR"),
        Column("pseudonym", "VARCHAR"),
        Column("age", "INTEGER"),
        Column("sex", "VARCHAR"),
        Column("code_uf", "VARCHAR"),
        Column("sector", "VARCHAR"),
        Column("specimen", "VARCHAR"),
        Column("species", "VARCHAR"),
        Column("species_group", "VARCHAR"),
        Column("specimen_date", "DATE"),
        Column("kept", "BOOLEAN"),
        Column("duplicate_of", "VARCHAR"),
        Column("dedup_rule", "VARCHAR"),
        Column("blood_kept", "BOOLEAN"),
        Column("blood_rule", "VARCHAR"),
        Column("esbl", "BOOLEAN"),
        Column("carbapenemase", "VARCHAR"),
        Column("van", "VARCHAR"),
        *(Column(name, "BOOLEAN") for name in PHENOTYPES),
    ),
)
#: Their results, one row per isolate × antibiotic tested.
RESULTS = Dataset(
    "results",
    "resistance",
    (
        Column("finess", "VARCHAR"),
        Column("period", "VARCHAR"),
        Column("upload_id", "VARCHAR"),
        Column("isolate_id", "VARCHAR"),
        Column("antibiotic", "VARCHAR"),
        Column("sir", "VARCHAR"),
    ),
)
#: The whole-year decisions of the isolates (``services/year_dedup.py``; period of its pointer: the year).
ISOLATES_YEAR = Dataset(
    "isolates_year",
    "resistance_year",
    (
        Column("finess", "VARCHAR"),
        Column("isolate_id", "VARCHAR"),
        Column("kept_year", "BOOLEAN"),
        Column("duplicate_of_year", "VARCHAR"),
        Column("year_rule", "VARCHAR"),
        Column("blood_kept_year", "BOOLEAN"),
        Column("blood_year_rule", "VARCHAR"),
    ),
)

#: The units of an establishment (its structure file, or its edits in the application).
STRUCTURE = Dataset(
    "structure",
    "structure",
    (
        Column("finess", "VARCHAR"),
        Column("code_uf", "VARCHAR"),
        Column("libelle_uf", "VARCHAR"),
        Column("code_pole", "VARCHAR"),
        Column("libelle_pole", "VARCHAR"),
        Column("code_service", "VARCHAR"),
        Column("libelle_service", "VARCHAR"),
        Column("code_ta", "VARCHAR"),
        Column("code_de", "VARCHAR"),
        Column("sector", "VARCHAR"),
        Column("specialty", "VARCHAR"),
        Column("date_debut", "DATE"),
        Column("date_fin", "DATE"),
        Column("upload_id", "VARCHAR"),
    ),
    queried=False,
)
#: The beds of each unit for a year.
BEDS = Dataset(
    "beds",
    "beds",
    (
        Column("finess", "VARCHAR"),
        Column("year", "INTEGER"),
        Column("code_uf", "VARCHAR"),
        Column("beds", "INTEGER"),
        Column("upload_id", "VARCHAR"),
    ),
    queried=False,
)
DATASETS: dict[str, Dataset] = {d.name: d for d in (STRUCTURE, BEDS, CONSUMPTION, PATIENT_DAYS, ISOLATES, RESULTS, ISOLATES_YEAR)}
#: The datasets the indicator queries read, by name.
QUERIED: dict[str, Dataset] = {name: d for name, d in DATASETS.items() if d.queried}


def partition_prefix(
    area: str, dataset: str, year: int | str | None = None, region: str | None = None, finess: object | None = None
) -> str:
    """``<area>/<dataset>/``, then as many of ``year=…/region=…/es=…/`` as given (each needs the one before)."""
    prefix = f"{area}/{dataset}/"
    for name, value in zip((p.name for p in PARTITIONS), (year, region, finess), strict=True):
        if value is None or value == "":
            break
        prefix += f"{name}={value}/"
    return prefix


def table_name(area: str, dataset: str) -> str:
    """The catalogue's table of a dataset's files in an area: ``draft_<dataset>``, ``closed_<dataset>``."""
    return f"{STATES[area]}_{dataset}"


def lake_key(dataset: str, year: int | str, region: str, finess: object, source_id: str, area: str = LAKE) -> str:
    """``<area>/<dataset>/year=<y>/region=<r>/es=<finess>/<source>.parquet`` (ARCHITECTURE.md)."""
    return f"{partition_prefix(area, dataset, year, region, finess)}{source_id}.parquet"


def location_template(area: str, dataset: str) -> str:
    """The layout of a dataset's partitions with placeholders (``${year}``…), for partition projection."""
    return f"{area}/{dataset}/" + "".join(f"{p.name}=${{{p.name}}}/" for p in PARTITIONS)


_KEY = re.compile(
    r"^(?P<area>lake|closed)/(?P<dataset>[a-z_]+)/year=(?P<year>\d{4})/region=(?P<region>[0-9A-Za-z]+)/"
    r"es=(?P<es>[0-9A-Za-z]+)/(?P<source>[^/]+)\.parquet$"
)


@dataclass(frozen=True)
class LakeKey:
    """Where an object of the lake is: area, dataset and partition (``year``, ``region``, ``es``: text)."""

    key: str
    area: str
    dataset: str
    year: str
    region: str
    es: str

    @classmethod
    def parse(cls, key: str) -> LakeKey | None:
        found = _KEY.match(key)
        if not found:
            return None
        return cls(key, found["area"], found["dataset"], found["year"], found["region"], found["es"])


def dataset_of(key: str) -> str:
    """``<area>/<dataset>/…`` -> the dataset."""
    return key.split("/")[1]


def closed_key(lake_key: str) -> str:
    """``lake/<dataset>/year=…/region=…/es=…/<upload>.parquet`` -> the same under ``closed/``."""
    return f"{CLOSED}/" + lake_key.removeprefix(f"{LAKE}/")


def closed_year_key(lake_key: str) -> str:
    """The whole-year decisions' closed copy: one per establishment and year, named after the file it copies
    (``lake/isolates_year/year=…/region=…/es=…/<source>.parquet`` -> ``closed/…/es=…/<source>.parquet``); the
    copy closed before is removed (``LakeStore.copy_closed_year``). Each closure of a period copies the year's
    current decisions: the closed isolates join the decisions made with every period the establishment had
    sent by then. An isolate's yearly decision depends only on the isolates before it (same patient and
    species, earlier specimen date), so those of a closed period stand while later periods come in.

    A new name for new content: a lake object's key names its content (the embedded engine caches files by
    key), never rewritten in place."""
    return closed_key(lake_key)
