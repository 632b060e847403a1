"""A molecule's name for people, by its ATC code: the French name of the reference antibiotic or antifungal
(``antibiotics.csv``; of two sharing a code, the first), else the WHO ATC/DDD index's substance (English), else
None. Indicator rows by molecule carry it beside the code (``services/indicators/computation.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from chalicelib.domain.drugs.ddd import default_ddd_table
from chalicelib.domain.resistance.reference import default_reference


@cache
def molecule_names() -> Mapping[str, str]:
    names: dict[str, str] = {}
    for antibiotic in default_reference().antibiotics:
        names.setdefault(antibiotic.atc, antibiotic.name_fr)
    for ddd in default_ddd_table().rows:
        names.setdefault(str(ddd.atc), ddd.substance)
    return names


def molecule_name(atc: str | None) -> str | None:
    return molecule_names().get(atc or "")
