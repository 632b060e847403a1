"""The platform's resistance rules, composed from the domain for the workflow:
which deduplication rules apply to an import, and the phenotypes of an isolate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.domain.resistance.dedup import BLOOD_RULE, DEFAULT_RULE, deduplicate, deduplicate_blood
from chalicelib.domain.resistance.model import Isolate
from chalicelib.domain.resistance.phenotypes import phenotypes
from chalicelib.domain.resistance.reference import ResistanceReference

BLOOD = "HEMOC"


def group_lookup(reference: ResistanceReference) -> Callable[[str], str | None]:
    species = reference.species_by_code

    def group_of(code: str) -> str | None:
        found = species.get(code)
        return found.group.value if found else None

    return group_of


def decide(isolates: list[Isolate], period: str) -> dict[str, Any]:
    """Both series of one import: the default rule, and blood cultures on their own."""
    main = deduplicate(isolates, DEFAULT_RULE, lambda _isolate: period)
    blood = deduplicate_blood(isolates, lambda i: i.specimen == BLOOD, lambda _isolate: period)
    return {
        "rule": DEFAULT_RULE.id,
        "blood_rule": BLOOD_RULE.id,
        "main": {d.isolate_id: {"kept": d.kept, "duplicate_of": d.duplicate_of, "rule": d.rule} for d in main},
        "blood": {d.isolate_id: {"kept": d.kept, "duplicate_of": d.duplicate_of, "rule": d.rule} for d in blood},
    }


def classifier(reference: ResistanceReference) -> Callable[[Isolate], dict[str, Any]]:
    group_of = group_lookup(reference)

    def classify(isolate: Isolate) -> dict[str, Any]:
        found = phenotypes(isolate, group_of)
        return {
            "sarm": found.sarm,
            "eblse": found.eblse,
            "epc": found.epc,
            "carbapenemase_type": found.carbapenemase_type.value if found.carbapenemase_type else None,
            "erg": found.erg,
            "c3g_r": found.c3g_r,
            "fq_r": found.fq_r,
            "carba_r": found.carba_r,
            "caz_r": found.caz_r,
            "rule": found.rule,
        }

    return classify
