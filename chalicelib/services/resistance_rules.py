"""The platform's resistance rules, composed from the domain for the workflow:
which deduplication rules apply to an import, and the phenotypes of its isolates.

Both answer with columns aligned with the import's isolate table, ready for the
workflow's S3 objects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from chalicelib.domain.resistance.dedup import BLOOD_RULE, DEFAULT_RULE, deduplicate, deduplicate_blood
from chalicelib.domain.resistance.model import Isolate
from chalicelib.domain.resistance.phenotypes import ANTIBIOTIC_RULES, PHENOTYPES_RULE, phenotypes
from chalicelib.domain.resistance.reference import ResistanceReference
from chalicelib.domain.resistance.table import IsolateTable

BLOOD = "HEMOC"
#: The phenotypes the lake's isolates carry, in the order of their columns.
PHENOTYPES = ("sarm", "eblse", "epc", "erg", "c3g_r", "fq_r", "carba_r", "caz_r")
#: The antibiotics the phenotypes read (their rules'); no other result changes an isolate's phenotypes.
PHENOTYPE_ANTIBIOTICS = tuple(sorted({code for rule in ANTIBIOTIC_RULES for code in rule.antibiotics}))


def group_lookup(reference: ResistanceReference) -> Callable[[str], str | None]:
    species = reference.species_by_code

    def group_of(code: str) -> str | None:
        found = species.get(code)
        return found.group.value if found else None

    return group_of


def decide(isolates: Sequence[Isolate], period: str) -> dict[str, Any]:
    """Both series of one import, as columns aligned with ``isolates``: the default rule, and blood cultures on their own.

    ``{"rule", "blood_rule", "kept": [bool], "duplicate_of": [isolate id or None],
    "blood_kept": [bool, or None for an isolate outside the blood series]}``.
    """
    main = deduplicate(isolates, DEFAULT_RULE, lambda _isolate: period)
    blood = deduplicate_blood(isolates, lambda i: i.specimen == BLOOD, lambda _isolate: period)
    if [d.isolate_id for d in main] != [i.isolate_id for i in isolates]:
        raise AssertionError("the deduplication answered out of order")
    blood_kept = {d.isolate_id: d.kept for d in blood}
    return {
        "rule": DEFAULT_RULE.id,
        "blood_rule": BLOOD_RULE.id,
        "kept": [d.kept for d in main],
        "duplicate_of": [d.duplicate_of for d in main],
        "blood_kept": [blood_kept.get(i.isolate_id) for i in isolates],
    }


def classifier(reference: ResistanceReference) -> Callable[[IsolateTable], dict[str, Any]]:
    """The phenotypes of a table's isolates (DOMAIN.md §7), dictionary-encoded.

    ``phenotypes()`` reads an isolate's species, ESBL, carbapenemase and van flags,
    species-label hints and the results of its rules' antibiotics, nothing else:
    isolates equal on those have the same phenotypes, so it runs once per distinct
    combination (a few thousand for a year of a university hospital) rather than
    once per isolate. Answer: ``{"rule", "names": PHENOTYPES, "values": [one list
    of flags (True, False, None) per combination], "codes": [one index into
    values per isolate]}``.
    """
    group_of = group_lookup(reference)

    def classify(table: IsolateTable) -> dict[str, Any]:
        index = {code: position for position, code in enumerate(table.antibiotics)}
        positions = [index[code] for code in PHENOTYPE_ANTIBIOTICS if code in index]
        project: Callable[[str], Any] = itemgetter(*positions) if positions else (lambda _text: "")
        keys = zip(
            table.species, table.esbl, table.carbapenemase, table.van, table.hints, map(project, table.results), strict=True
        )
        combination: dict[Any, int] = {}
        first: list[int] = []  # the first isolate of each combination
        codes: list[int] = []
        for n, key in enumerate(keys):
            code = combination.get(key)
            if code is None:
                code = combination[key] = len(first)
                first.append(n)
            codes.append(code)
        values = []
        for isolate in table.isolates("", None, first):
            found = phenotypes(isolate, group_of)
            values.append([getattr(found, name) for name in PHENOTYPES])
        return {"rule": PHENOTYPES_RULE, "names": list(PHENOTYPES), "values": values, "codes": codes}

    return classify
