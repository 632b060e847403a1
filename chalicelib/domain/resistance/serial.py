"""Isolates as compact bytes, for the S3 objects the workflow's states pass on.

Lists rather than dictionaries, antibiotic codes once per object, gzip at the
fastest level: 150,000 isolates stay a few megabytes and a fraction of a second.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir, VanGene

FORMAT = "consores-isolates-1"
_SIR = {Sir.S: 0, Sir.SFP: 1, Sir.R: 2}
_SIR_BACK = (Sir.S, Sir.SFP, Sir.R)


def dump(isolates: Sequence[Isolate], extra: dict[str, Any] | None = None) -> bytes:
    """``extra``: per-object facts (upload, rule, decisions...) carried beside the isolates."""
    antibiotics = sorted({code for i in isolates for code in i.results})
    index = {code: n for n, code in enumerate(antibiotics)}
    rows = [
        [
            i.isolate_id, i.row, i.uf, i.pseudonym, i.age, i.sex, i.specimen_date.toordinal(), i.specimen, i.species,
            [[index[code], _SIR[sir]] for code, sir in i.results.items()],
            i.esbl, i.carbapenemase.value if i.carbapenemase else None, i.van.value if i.van else None,
            sorted(k for k, v in i.hints.items() if v),
        ]
        for i in isolates
    ]  # fmt: skip
    document = {"format": FORMAT, "antibiotics": antibiotics, "isolates": rows, "extra": extra or {}}
    return gzip.compress(json.dumps(document, separators=(",", ":")).encode(), compresslevel=1)


def load(data: bytes) -> tuple[list[Isolate], dict[str, Any]]:
    document = json.loads(gzip.decompress(data))
    if document.get("format") != FORMAT:
        raise ValueError(f"unknown isolates format {document.get('format')!r}")
    antibiotics = document["antibiotics"]
    isolates = [
        Isolate(
            isolate_id=r[0],
            row=r[1],
            uf=r[2],
            pseudonym=r[3],
            age=r[4],
            sex=r[5],
            specimen_date=date.fromordinal(r[6]),
            specimen=r[7],
            species=r[8],
            results={antibiotics[a]: _SIR_BACK[s] for a, s in r[9]},
            esbl=r[10],
            carbapenemase=Carbapenemase(r[11]) if r[11] else None,
            van=VanGene(r[12]) if r[12] else None,
            hints=dict.fromkeys(r[13], True),
        )
        for r in document["isolates"]
    ]
    return isolates, document.get("extra", {})
