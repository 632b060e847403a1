"""The platform's resistance rules, composed from the domain for the workflow:
which deduplication rules apply to an import, and the phenotypes of its isolates.

Both answer with columns aligned with the import's isolate table, ready for the
workflow's S3 objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any

from chalicelib.domain.alerts import Finding as AlertFinding
from chalicelib.domain.alerts import findings as alert_findings
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.resistance.dedup import BLOOD_RULE, DEFAULT_RULE, deduplicate, deduplicate_blood
from chalicelib.domain.resistance.phenotypes import ANTIBIOTIC_RULES, COLISTIN_R, PHENOTYPES_RULE, VRSA, phenotypes
from chalicelib.domain.resistance.reference import ResistanceReference
from chalicelib.domain.resistance.table import NOT_TESTED, IsolateTable

BLOOD = "HEMOC"
#: The antibiotics the phenotypes read (their rules'); no other result changes an isolate's phenotypes.
PHENOTYPE_ANTIBIOTICS = tuple(sorted({code for rule in ANTIBIOTIC_RULES for code in rule.antibiotics}))


def group_lookup(reference: ResistanceReference) -> Callable[[str], str | None]:
    species = reference.species_by_code

    def group_of(code: str) -> str | None:
        found = species.get(code)
        return found.group.value if found else None

    return group_of


def decide(table: IsolateTable, upload_id: str, pseudonyms: Sequence[str], period: str) -> dict[str, Any]:
    """Both series of one import, as columns aligned with ``table``: the default rule, and blood cultures on their own.

    ``{"rule", "blood_rule", "kept": [bool], "duplicate_of": [isolate id or None],
    "blood_kept": [bool, or None for an isolate outside the blood series]}``.

    Groups never meet (``period|pseudonym|species``): an isolate alone in its group
    is kept without being built, and the domain's rules judge only the isolates
    that share a patient and a species with another (their relative order kept,
    so ties fall as they would over the whole table).
    """
    count = len(table)
    if len(pseudonyms) != count:
        raise ValueError(f"{len(pseudonyms)} pseudonyms for {count} isolates")
    kept: list[bool] = [True] * count
    duplicate_of: list[str | None] = [None] * count
    crowded = _crowded(range(count), pseudonyms, table.species)
    for position, decision in zip(
        crowded, deduplicate(table.isolates(upload_id, pseudonyms, crowded), DEFAULT_RULE, lambda _i: period), strict=True
    ):
        kept[position], duplicate_of[position] = decision.kept, decision.duplicate_of
    blood = [position for position, specimen in enumerate(table.specimen) if specimen == BLOOD]
    blood_kept: list[bool | None] = [None] * count
    for position in blood:
        blood_kept[position] = True
    crowded_blood = _crowded(blood, pseudonyms, table.species)
    blood_decisions = deduplicate_blood(table.isolates(upload_id, pseudonyms, crowded_blood), lambda _i: True, lambda _i: period)
    for position, decision in zip(crowded_blood, blood_decisions, strict=True):
        blood_kept[position] = decision.kept
    return {
        "rule": DEFAULT_RULE.id,
        "blood_rule": BLOOD_RULE.id,
        "kept": kept,
        "duplicate_of": duplicate_of,
        "blood_kept": blood_kept,
    }


def _crowded(positions: Iterable[int], pseudonyms: Sequence[str], species: Sequence[str]) -> list[int]:
    """The positions, in order, whose patient × species holds more than one of them."""
    chosen = list(positions)
    if len(chosen) == len(pseudonyms) and chosen == list(range(len(chosen))):  # the whole table: zipped in C
        keys = list(zip(pseudonyms, species, strict=True))
    else:
        keys = [(pseudonyms[n], species[n]) for n in chosen]
    sizes = Counter(keys)
    return [n for n, key in zip(chosen, keys, strict=True) if sizes[key] > 1]


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


#: What the alerts read of an isolate's results beyond the phenotypes' flags (their rules' antibiotics).
ALERT_ANTIBIOTICS = tuple(sorted({*COLISTIN_R.antibiotics, *VRSA.antibiotics}))
FindAlerts = Callable[[IsolateTable, Sequence[bool]], list[tuple[int, AlertFinding]]]


def alert_finder(reference: ResistanceReference) -> FindAlerts:
    """The rare phenotypes (DOMAIN.md §10.10) of a table's kept isolates: ``[(position, finding)]``.

    ``alerts.findings`` reads an isolate's species, flags, hints, the results of the alerts' antibiotics
    and, for "R to all tested", only how many were tested and how many are R: isolates equal on those
    raise the same alerts, so it runs once per distinct combination among the kept isolates.
    """
    group_of = group_lookup(reference)

    def find(table: IsolateTable, kept: Sequence[bool]) -> list[tuple[int, AlertFinding]]:
        if len(kept) != len(table):
            raise ValueError(f"{len(kept)} decisions for {len(table)} isolates")
        index = {code: position for position, code in enumerate(table.antibiotics)}
        positions = [index[code] for code in ALERT_ANTIBIOTICS if code in index]
        combination: dict[Any, int] = {}
        first: list[int] = []  # the first kept isolate of each combination
        codes: list[tuple[int, int]] = []  # (position, combination) of each kept isolate
        for n in compress(range(len(table)), kept):
            text = table.results[n]
            key = (
                table.species[n], table.carbapenemase[n], table.van[n], table.hints[n],
                tuple(text[p] for p in positions), len(text) - text.count(NOT_TESTED), text.count("R"),
            )  # fmt: skip
            code = combination.get(key)
            if code is None:
                code = combination[key] = len(first)
                first.append(n)
            codes.append((n, code))
        of_code = [alert_findings(isolate, group_of) for isolate in table.isolates("", None, first)]
        found = [(n, finding) for n, code in codes for finding in of_code[code]]
        return found

    return find
