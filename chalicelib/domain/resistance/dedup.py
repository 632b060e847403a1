"""Deduplication of isolates (DOMAIN.md §6): which isolates count, and why.

A rule is data (``DedupRule``); one engine applies it. Each isolate of a series gets
one ``Decision``: kept, or a duplicate of a named kept isolate, with the id of the
rule and the group (``period|pseudonym|species``) it was judged in.

Rules here (ids are stable; a change of meaning takes a new id):

=========================================  ===========================================================================
id                                         what
=========================================  ===========================================================================
``patient-espece-antibiotype-v1``          default: one isolate per patient × species × antibiotype, per import period
``patient-espece-antibiotype-annee-v1``    the same over a whole year (yearly indicators over quarterly imports)
``hemoculture-patient-espece-v1``          blood cultures: first blood isolate per patient × species × period
``hemoculture-patient-espece-annee-v1``    the same over a whole year (yearly blood-culture densities)
``ears-net-patient-pathogene-annee-v1``    ECDC EARS-Net: first blood or CSF isolate per patient × pathogen × year
``premier-isolat-patient-espece-annee-m39`` CLSI M39 (cumulative antibiogram): first isolate per patient × species × year
=========================================  ===========================================================================

The M39 rule is applied by its indicator's query (``queries/cumulative_antibiogram.sql``) over every
isolate of the lake, whatever the default rule decided: one isolate per patient × species × year,
antibiotype ignored (a second antibiotype of the year is *not* a new isolate for M39).

The default rule. Within one period, the isolates of one patient (pseudonym) and one
species are taken in order of specimen date; on the same date the most complete
antibiogram first (most antibiotics tested), then file order (row, then position in
the input). Two isolates *disagree* when one is S and the other R on an antibiotic
tested in both (SFP is uninformative), or when one is positive and the other negative
for ESBL or for a carbapenemase; positive against unknown is no disagreement. An
isolate is a duplicate when it does not disagree with at least one isolate already
*kept* — it names the first such kept isolate — otherwise it is kept, a new
antibiotype. Duplicates are never compared against: only kept isolates count.

Choices made here:

* "Within one establishment": pseudonyms are keyed per establishment (§5), so the
  groups of two establishments never meet; callers pass one establishment's isolates.
* A carbapenemase is positive whatever its type (KPC against NDM is no disagreement,
  as the rule reads); "négatif" is negative; no value is unknown.
* The species label's hints (``hints["esbl"]``, ``hints["cpe"]``, e.g. "E. coli BLSE")
  count as a positive flag when the flag itself is missing — the same evidence the
  phenotypes honour. A flag always wins over a hint.
* Same-date order: blood cultures follow the default (most complete antibiogram
  first, then row), so a bacteraemia's kept isolate carries the most results;
  EARS-Net follows ECDC (earliest date, then row).
* The period is whatever ``period_key`` says: the import period (quarterly view) or
  the year (yearly view) — the rule's ``scope`` records which, and the decisions of
  one view never change the other's.

Cost: isolates are grouped by (period, pseudonym, species) first and compared only
within a group (an isolate alone in its group is kept without further work); a
comparison walks one antibiogram against the other's mapping and stops at the first
conflict. Measured on 150,000 isolates × 25 antibiotics, this beats precomputing S
and R frozensets per isolate: building the sets costs more than all the walks.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir
from chalicelib.domain.resistance.table import Results

__all__ = [
    "BLOOD_RULE",
    "BLOOD_YEAR_RULE",
    "DEFAULT_RULE",
    "EARS_NET_RULE",
    "M39_RULE",
    "RULES",
    "YEAR_RULE",
    "Decision",
    "DedupRule",
    "PeriodScope",
    "deduplicate",
    "deduplicate_blood",
    "deduplicate_ears_net",
    "deduplicate_year",
    "specimen_year",
]


class PeriodScope(enum.StrEnum):
    """The period a rule's groups span; ``period_key`` gives each isolate's."""

    IMPORT_PERIOD = "periode-import"  # the resistance import's period (a quarter or a year)
    YEAR = "annee"  # the calendar year, across the year's imports


@dataclass(frozen=True)
class DedupRule:
    id: str  # stable; every decision carries it
    label: str  # French, for reports
    scope: PeriodScope
    #: Compare antibiotypes (the default rule); False: the first isolate of each group only.
    compares_antibiotypes: bool = True
    #: Results that never make two isolates disagree; the others disagree when they differ.
    uninformative: frozenset[Sir] = frozenset({Sir.SFP})
    esbl_counts: bool = True  # ESBL positive against negative is a new antibiotype
    carbapenemase_counts: bool = True  # carbapenemase positive against negative is a new antibiotype
    #: Same date: the most complete antibiogram first (then file order); False: file order only.
    most_complete_first: bool = True


DEFAULT_RULE = DedupRule(
    id="patient-espece-antibiotype-v1",
    label="Premier isolat par patient × espèce × antibiotype, par période d'import",
    scope=PeriodScope.IMPORT_PERIOD,
)
YEAR_RULE = DedupRule(
    id="patient-espece-antibiotype-annee-v1",
    label="Premier isolat par patient × espèce × antibiotype, sur l'année",
    scope=PeriodScope.YEAR,
)
BLOOD_RULE = DedupRule(
    id="hemoculture-patient-espece-v1",
    label="Première hémoculture positive par patient × espèce × période (antibiotype ignoré)",
    scope=PeriodScope.IMPORT_PERIOD,
    compares_antibiotypes=False,
)
BLOOD_YEAR_RULE = DedupRule(
    id="hemoculture-patient-espece-annee-v1",
    label="Première hémoculture positive par patient × espèce sur l'année (antibiotype ignoré)",
    scope=PeriodScope.YEAR,
    compares_antibiotypes=False,
)
EARS_NET_RULE = DedupRule(
    id="ears-net-patient-pathogene-annee-v1",
    label="EARS-Net (ECDC) : premier isolat de sang ou de LCR par patient × pathogène × année",
    scope=PeriodScope.YEAR,
    compares_antibiotypes=False,
    most_complete_first=False,
)
M39_RULE = DedupRule(
    id="premier-isolat-patient-espece-annee-m39",
    label="CLSI M39 : premier isolat par patient × espèce sur l'année (antibiotype ignoré, dépistages exclus)",
    scope=PeriodScope.YEAR,
    compares_antibiotypes=False,
)
RULES = {rule.id: rule for rule in (DEFAULT_RULE, YEAR_RULE, BLOOD_RULE, BLOOD_YEAR_RULE, EARS_NET_RULE, M39_RULE)}


def rule_label(rule: str) -> str:
    """What a user reads of an indicator's rule (parts joined by " ; "): each deduplication rule's
    French name for its id; any other part (already French, e.g. the DDD table's) as it is."""
    return " ; ".join(RULES[part].label if part in RULES else part for part in rule.split(" ; "))


@dataclass(frozen=True, slots=True)
class Decision:
    isolate_id: str
    kept: bool
    duplicate_of: str | None  # the kept isolate this one repeats; None when kept
    rule: str  # the rule's id
    group: str  # "period|pseudonym|species" (or pathogen) the isolate was judged in


def deduplicate(isolates: Sequence[Isolate], rule: DedupRule, period_key: Callable[[Isolate], str]) -> list[Decision]:
    """One decision per isolate, in the input's order, under ``rule`` within the periods ``period_key`` gives."""
    return _decide(isolates, rule, period_key, _species)


def deduplicate_year(
    isolates: Sequence[Isolate],
    rule: DedupRule = YEAR_RULE,
    year_of: Callable[[Isolate], int] | None = None,
) -> list[Decision]:
    """The yearly view: the same rule over a year's isolates from all its imports (default: year of the specimen date).

    Pseudonyms are stable within an establishment, so an isolate kept in Q1 makes its
    Q2 repeat a duplicate here, while each quarter's own decisions (``deduplicate``
    with the import period as key) are unchanged.
    """
    year = year_of or specimen_year
    return deduplicate(isolates, rule, lambda isolate: str(year(isolate)))


def deduplicate_blood(
    isolates: Sequence[Isolate],
    is_blood: Callable[[Isolate], bool],
    period_key: Callable[[Isolate], str],
    rule: DedupRule = BLOOD_RULE,
) -> list[Decision]:
    """The blood-culture series: decisions for blood isolates only (others are not in it), in the input's order."""
    return _decide([isolate for isolate in isolates if is_blood(isolate)], rule, period_key, _species)


def deduplicate_ears_net(
    isolates: Sequence[Isolate],
    is_invasive: Callable[[Isolate], bool],
    pathogen_of: Callable[[Isolate], str | None],
    year_of: Callable[[Isolate], int] | None = None,
    rule: DedupRule = EARS_NET_RULE,
) -> list[Decision]:
    """ECDC's series: blood or CSF isolates (``is_invasive``) of an EARS-Net pathogen (``pathogen_of`` not None).

    First isolate per patient × pathogen × year (default: year of the specimen date):
    earliest specimen date, then row. ``pathogen_of`` gives the TESSy pathogen code
    (ESCCOL, KLEPNE, PSEAER, ACISPP, STAAUR, STRPNE, ENCFAE, ENCFAI), so that e.g. two
    Acinetobacter species of one patient make one ACISPP group.
    """
    year = year_of or specimen_year
    chosen = [isolate for isolate in isolates if is_invasive(isolate) and pathogen_of(isolate) is not None]
    return _decide(chosen, rule, lambda isolate: str(year(isolate)), lambda isolate: pathogen_of(isolate) or "")


def specimen_year(isolate: Isolate) -> int:
    return isolate.specimen_date.year


# --- the engine ---


def _species(isolate: Isolate) -> str:
    return isolate.species


def _decide(
    isolates: Sequence[Isolate],
    rule: DedupRule,
    period_key: Callable[[Isolate], str],
    subject_key: Callable[[Isolate], str],
) -> list[Decision]:
    groups: dict[str, list[int]] = {}
    for index, isolate in enumerate(isolates):
        groups.setdefault(f"{period_key(isolate)}|{isolate.pseudonym}|{subject_key(isolate)}", []).append(index)

    decisions: list[Decision | None] = [None] * len(isolates)
    order = _order(isolates, rule)
    for group, members in groups.items():
        if len(members) == 1:
            decisions[members[0]] = Decision(isolates[members[0]].isolate_id, True, None, rule.id, group)
            continue
        members.sort(key=order)
        if not rule.compares_antibiotypes:
            first = isolates[members[0]].isolate_id
            decisions[members[0]] = Decision(first, True, None, rule.id, group)
            for index in members[1:]:
                decisions[index] = Decision(isolates[index].isolate_id, False, first, rule.id, group)
            continue
        kept: list[tuple[Isolate, tuple[bool | None, bool | None]]] = []
        for index in members:
            isolate = isolates[index]
            flags = _flags(isolate, rule)
            repeated = None
            for other, other_flags in kept:
                if not _disagree(isolate, flags, other, other_flags, rule.uninformative):
                    repeated = other.isolate_id
                    break
            if repeated is None:
                kept.append((isolate, flags))
                decisions[index] = Decision(isolate.isolate_id, True, None, rule.id, group)
            else:
                decisions[index] = Decision(isolate.isolate_id, False, repeated, rule.id, group)

    assert all(decision is not None for decision in decisions)
    return [decision for decision in decisions if decision is not None]


def _order(isolates: Sequence[Isolate], rule: DedupRule) -> Callable[[int], tuple[object, ...]]:
    """The sort key of an isolate's index: earliest first, then (if the rule says so) the most complete, then row."""
    keys: list[tuple[object, ...]]
    if rule.most_complete_first:
        keys = [(isolate.specimen_date, -len(isolate.results), isolate.row, index) for index, isolate in enumerate(isolates)]
    else:
        keys = [(isolate.specimen_date, isolate.row, index) for index, isolate in enumerate(isolates)]
    return keys.__getitem__


def _flags(isolate: Isolate, rule: DedupRule) -> tuple[bool | None, bool | None]:
    """ESBL and carbapenemase as the rule counts them: True, False, or None (unknown or not counted)."""
    esbl = _flag(isolate.esbl, isolate.hints.get("esbl")) if rule.esbl_counts else None
    carbapenemase = None
    if rule.carbapenemase_counts:
        found = None if isolate.carbapenemase is None else isolate.carbapenemase != Carbapenemase.NEGATIVE
        carbapenemase = _flag(found, isolate.hints.get("cpe"))
    return esbl, carbapenemase


def _flag(flag: bool | None, hint: bool | None) -> bool | None:
    """The flag when given; else a positive hint of the species label; else unknown."""
    if flag is not None:
        return flag
    return True if hint else None


def _disagree(
    a: Isolate,
    a_flags: tuple[bool | None, bool | None],
    b: Isolate,
    b_flags: tuple[bool | None, bool | None],
    uninformative: frozenset[Sir],
) -> bool:
    """A flag positive against negative, or an antibiotic with two different informative results (S against R)."""
    for mine, theirs in zip(a_flags, b_flags, strict=True):
        if mine is not None and theirs is not None and mine != theirs:
            return True
    a_results, b_results = a.results, b.results
    if a_results.__class__ is Results and b_results.__class__ is Results and a_results.panel is b_results.panel:
        return _masks_disagree(a_results.masks(), b_results.masks(), uninformative)
    others = b.results
    for code, result in a.results.items():
        other = others.get(code)
        if other is not None and other != result and result not in uninformative and other not in uninformative:
            return True
    return False


def _masks_disagree(a: Mapping[Sir, int], b: Mapping[Sir, int], uninformative: frozenset[Sir]) -> bool:
    """The same test over two result strings of one panel, as bit masks: an informative result against another."""
    pairs = _CONFLICTS.get(uninformative)
    if pairs is None:
        informative = [sir for sir in Sir if sir not in uninformative]
        pairs = _CONFLICTS[uninformative] = tuple(
            (mine, theirs) for mine in informative for theirs in informative if mine is not theirs
        )
    for mine, theirs in pairs:  # noqa: SIM110  (any() over a generator costs more on this hot path)
        if a[mine] & b[theirs]:
            return True
    return False


#: The pairs of different informative results, per set of uninformative ones (a handful of rules).
_CONFLICTS: dict[frozenset[Sir], tuple[tuple[Sir, Sir], ...]] = {}
