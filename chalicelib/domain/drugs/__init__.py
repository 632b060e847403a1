"""Drugs: UCD and ATC codes, WHO defined daily doses (DDD, "DDJ") and families.

A consumption line names a product by its UCD code and a quantity of dispensed
units. The drug catalogue gives, per UCD, the ATC code, the route and the amount
of the reference substance of the WHO DDD per unit; the versioned WHO ATC/DDD
table gives the DDD. ``ddd_of_line`` multiplies and divides, with explicit unit
checks: a missing DDD or an incompatible unit is an error, never a guess.

The reference data (``who_atc_ddd``, ``atc_families``, ``broad_spectrum``,
``who_aware_2023``, ``drug_catalogue_demo``) lives in ``chalicelib/reference`` with its provenance
(``PROVENANCE_DRUGS.md``); every table here can also be built from other rows.
"""

from __future__ import annotations

from chalicelib.domain.drugs.aware import ACCESS_GOAL_PERCENT, AwareCategory, AwareTable, default_aware
from chalicelib.domain.drugs.catalogue import Catalogue, CatalogueEntry, demo_catalogue
from chalicelib.domain.drugs.codes import UCD13_PREFIX, AtcCode, Route, Ucd, Unit, convert, ean13_check_digit
from chalicelib.domain.drugs.ddd import Ddd, DddResult, DddTable, ddd_of_line, default_ddd_table
from chalicelib.domain.drugs.families import (
    BroadSpectrumList,
    Family,
    FamilyTable,
    Scope,
    default_broad_spectrum,
    default_families,
    family_of,
    is_broad_spectrum,
    scope_of,
)

__all__ = [
    "ACCESS_GOAL_PERCENT",
    "UCD13_PREFIX",
    "AtcCode",
    "AwareCategory",
    "AwareTable",
    "BroadSpectrumList",
    "Catalogue",
    "CatalogueEntry",
    "Ddd",
    "DddResult",
    "DddTable",
    "Family",
    "FamilyTable",
    "Route",
    "Scope",
    "Ucd",
    "Unit",
    "convert",
    "ddd_of_line",
    "default_aware",
    "default_broad_spectrum",
    "default_ddd_table",
    "default_families",
    "demo_catalogue",
    "ean13_check_digit",
    "family_of",
    "is_broad_spectrum",
    "scope_of",
]
