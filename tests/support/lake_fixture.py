"""A small synthetic lake (three establishments, two regions, two years) as
Python rows, written as Parquet under the lake's partition layout; the query
tests compare every query file's answer with a plain-Python one over the same rows.
Datasets, columns, phenotypes and keys are the lake's declaration (``chalicelib/domain/lake.py``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.domain.lake import PHENOTYPES, QUERIED
from tests.fakes.stores import FakeObjectStore

BUCKET = "lake"
ESTABLISHMENTS = (("440000990", "52"), ("490000999", "52"), ("750000002", "11"))
YEARS = (2024, 2025)
#: UF -> (sector, specialty); 8001 is a theatre reallocated to 1204, 8002 one reallocated to the surgery total.
UFS = {"0412": ("MED", None), "0413": ("MED", "hématologie"), "1204": ("CHIR", None), "2001": ("REA", None),
       "8001": ("CHIR", None), "8002": ("CHIR", None)}  # fmt: skip
CARE_UFS = ("0412", "0413", "1204", "2001")
ATCS = (("J01CR02", "AMOXICILLIN_CLAVULANATE", "antibiotic"), ("J01DD04", "C3G", "antibiotic"),
        ("J01DH02", "CARBAPENEMS", "antibiotic"), ("J01MA02", "FLUOROQUINOLONES", "antibiotic"),
        ("J01XA01", "GLYCOPEPTIDES", "antibiotic"), ("J01CA04", "PENICILLINS", "antibiotic"),
        ("J02AC01", "TRIAZOLES", "antifungal"), ("J02AX04", "ECHINOCANDINS", "antifungal"),
        ("J04AB01", "ANTITUBERCULOSIS", "antituberculosis"))  # fmt: skip
SPECIES = (("ESCCOL", "enterobacterales"), ("KLEPNE", "enterobacterales"), ("STAAUR", "staphylococci"),
           ("PSEAER", "non_fermenters"), ("ENCFAC", "enterococci"))  # fmt: skip
ANTIBIOTICS = ("CTX", "CIP", "IPM", "VAN", "FOX")
#: The carbapenemase flag of an EPC, in turn (None: an EPC known from the species label only, type unknown).
CARBAPENEMASES = ("OXA-48-like", "KPC", "NDM", "VIM", "IMP", "autre", None)


@dataclass
class Lake:
    """Rows by dataset, each a dict with some of the dataset's columns (the others are null) plus ``year``,
    ``region``, ``es``."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Parquet bytes by (dataset, year, region, es), made once: every test's world reuses them.
    _files: dict[tuple[Any, ...], bytes] = field(default_factory=dict, repr=False)

    def keys(
        self, objects: FakeObjectStore, bucket: str = BUCKET, prefix: str = "lake", only: set[tuple[str, int]] | None = None
    ) -> dict[str, tuple[str, ...]]:
        """Writes one Parquet object per dataset x partition (``only``: these (establishment, year)
        partitions); returns the keys by dataset."""
        writer, keys = DuckDbLakeWriter(), {}
        for dataset, rows in self.rows.items():
            parts: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
            for row in rows:
                parts.setdefault((row["year"], row["region"], row["es"]), []).append(row)
            found = []
            for (year, region, es), part in sorted(parts.items()):
                if only is not None and (es, int(year)) not in only:
                    continue
                declared = QUERIED[dataset]
                key = declared.key(year, region, es, "fixture", area=prefix)
                if (dataset, year, region, es) not in self._files:
                    data = [declared.row(**{name: row.get(name) for name in declared.names}) for row in part]
                    self._files[dataset, year, region, es] = writer.parquet(declared.columns, data)
                objects.put(bucket, key, self._files[dataset, year, region, es], "application/octet-stream")
                found.append(key)
            keys[dataset] = tuple(found)
        return keys


def build(seed: int = 7) -> Lake:
    rng = random.Random(seed)
    lake = Lake({name: [] for name in QUERIED})
    for year in YEARS:
        for finess, region in ESTABLISHMENTS:
            where = {"year": str(year), "region": region, "es": finess, "finess": finess}
            for uf in CARE_UFS:
                if finess == "750000002" and uf == "0413":
                    continue  # no haematology there
                sector, specialty = UFS[uf]
                lake.rows["patient_days"].append({**where, "period": str(year), "code_uf": uf, "sector": sector,
                                                  "specialty": specialty, "patient_days": rng.randint(500, 5000)})  # fmt: skip
            for index in range(40):
                uf = tuple(UFS)[index] if index < len(UFS) else rng.choice(tuple(UFS))  # every UF has lines
                atc, family, scope = ATCS[index % 2] if index < len(UFS) else rng.choice(ATCS)
                target = {"8001": "1204", "8002": "CHIR_TOTAL"}.get(uf)
                sector, specialty = UFS[uf]
                lake.rows["consumption"].append({
                    **where, "period": str(year), "code_uf": uf, "sector": sector, "specialty": specialty,
                    "reallocated_uf": target, "atc": atc, "route": rng.choice(("O", "P")), "family": family, "scope": scope,
                    "ddd": round(rng.uniform(1, 300), 4), "counted": index % 9 != 8, "ucd": "0900001", "ddd_version": 2024,
                })  # fmt: skip
            for index in range(60):
                species, group = rng.choice(SPECIES)
                isolate = f"{finess}-{year}-{index}"
                phenotypes = {name: rng.choice((True, False, None)) for name in PHENOTYPES}
                uf = rng.choice(CARE_UFS)
                lake.rows["isolates"].append({
                    **where, "period": str(year), "isolate_id": isolate, "code_uf": uf, "species": species,
                    "species_group": group, "kept": index % 5 != 0, "blood_kept": rng.choice((True, False, None)), **phenotypes,
                    **_sector_and_carbapenemase(index, uf, phenotypes["epc"]), **_patient_and_specimen(year, index),
                })  # fmt: skip
                for antibiotic in rng.sample(ANTIBIOTICS, 3):
                    lake.rows["results"].append({**where, "period": str(year), "isolate_id": isolate, "antibiotic": antibiotic,
                                                 "sir": rng.choice(("S", "I", "R", "SFP"))})  # fmt: skip
    for row in lake.rows["consumption"]:
        row["quantity"] = row["ddd"]  # one DDD per unit
    _fungi(lake, random.Random(seed + 1))
    return lake


#: Specimen categories of the isolates, in turn.
SPECIMENS = ("URINE", "HEMOC", "PUS_PROF", "RESP_PROT")


def _patient_and_specimen(year: int, index: int) -> dict[str, Any]:
    """Drawn from the index, not the random stream: isolates ``i`` and ``i + 50`` are of one patient,
    the second on the same date as the first when ``i + 50`` is a multiple of 3, a few days later otherwise."""
    days = (index % 50) * 7 + (0 if index < 50 or index % 3 == 0 else index % 3)
    return {"pseudonym": f"P{index % 50}", "specimen_date": date(year, 1, 1) + timedelta(days=days),
            "specimen": SPECIMENS[index % len(SPECIMENS)], "upload_id": "fixture"}  # fmt: skip


#: Fungi with antifungal results (their own random stream: the bacteria above keep their values).
FUNGI = ("CANALB", "CANGLA", "CANKRU", "CANAUR", "ASPFUM", "CRYNEO")
ANTIFUNGALS = ("FLU", "VOR", "POS", "CAS", "MIF", "AMB")


def _fungi(lake: Lake, rng: random.Random) -> None:
    for year in YEARS:
        for finess, region in ESTABLISHMENTS:
            where = {"year": str(year), "region": region, "es": finess, "finess": finess}
            for index in range(40):
                isolate = f"{finess}-{year}-{1000 + index}"  # after the bacteria in file order
                lake.rows["isolates"].append({
                    **where, "period": str(year), "isolate_id": isolate, "code_uf": rng.choice(CARE_UFS),
                    "species": rng.choice(FUNGI), "species_group": "fungi", "kept": index % 6 != 0, "blood_kept": None,
                    "sector": "REA", **dict.fromkeys(PHENOTYPES), **_patient_and_specimen(year, index),
                })  # fmt: skip
                for antifungal in rng.sample(ANTIFUNGALS, rng.randint(1, 4)):  # a laboratory reports what it tested
                    lake.rows["results"].append({**where, "period": str(year), "isolate_id": isolate, "antibiotic": antifungal,
                                                 "sir": rng.choice(("S", "I", "R", "SFP"))})  # fmt: skip


def _sector_and_carbapenemase(index: int, uf: str, epc: bool | None) -> dict[str, Any]:
    """Drawn from the index, not the random stream (the other columns keep their values): the UF's
    sector, but now and then none (a UF the structure lacks) or one without patient-days (URG);
    every carbapenemase type among EPC in turn, "négatif" for a negative flag."""
    sector = None if index % 13 == 0 else "URG" if index % 17 == 5 else UFS[uf][0]
    carbapenemase = CARBAPENEMASES[index % len(CARBAPENEMASES)] if epc else "négatif" if epc is False else None
    return {"sector": sector, "carbapenemase": carbapenemase}
