"""Phenotypes of one isolate (DOMAIN.md §7): True, False, or None when unknown.

A phenotype needs its test: a missing test is unknown (None), never negative. A
species outside a phenotype's scope is None too (``Basis.NOT_CONCERNED``). Each
phenotype comes with a ``Finding`` naming the basis of the call (the antibiotics R or
tested, the flag, the van gene, the species label's hint), and the whole result
carries the id of the rule set (``PHENOTYPES_RULE``).

=========  ===============================================  ==========================================
phenotype  species                                          positive when
=========  ===============================================  ==========================================
sarm       S. aureus (STAAUR)                               R to FOX or OXA
eblse      Enterobacterales                                 ESBL flag positive
epc        Enterobacterales                                 carbapenemase flag other than "négatif"
erg        E. faecium (ENCFAI), E. faecalis (ENCFAE)        van gene vanA/vanB, or R to VAN
c3g_r      Enterobacterales                                 R to CTX, CRO or CAZ
fq_r       every species (see below)                        R to CIP, OFX, LVX or MFX
carba_r    P. aeruginosa (PSEAER), A. baumannii (ACIBAU)    R to IPM or MEM
caz_r      P. aeruginosa (PSEAER)                           R to CAZ
=========  ===============================================  ==========================================

Choices made here:

* Antibiotic phenotypes: R to one of the antibiotics → True; at least one tested and
  none R → False (SFP counts as not R, as in % R); none tested → None.
* Flags: the flag decides (ESBL oui/non; carbapenemase type or "négatif"); no flag →
  None. ``carbapenemase_type`` is the type when positive (None otherwise, or when
  only the label says so).
* ERG: a vanA/vanB gene → True whatever VAN's result; else VAN R → True; VAN tested,
  not R → False; VAN not tested and gene "non" → False; neither → None.
* Hints of the species label (``mrsa``, ``esbl``, ``cpe``, ``vre``; e.g. "SARM",
  "E. coli BLSE") are positive evidence used only when the phenotype's own test or
  flag is missing; a test or flag always wins. A hint never makes a phenotype False.
* FQ-R has no species restriction (DOMAIN lists it without one, and EARS-Net asks
  for fluoroquinolones in E. coli, K. pneumoniae, P. aeruginosa, Acinetobacter,
  S. aureus and S. pneumoniae): the isolate's fact is computed for every species and
  the indicator chooses its population (FQ-R E. coli...).
* Enterobacterales membership comes from ``group_of(species)``; the group's name is
  compared case-insensitively with "Enterobacterales".
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir, VanGene

__all__ = [
    "ANTIBIOTIC_RULES",
    "COLISTIN_R",
    "ENTEROBACTERALES",
    "PHENOTYPES_RULE",
    "VRSA",
    "Basis",
    "Finding",
    "Phenotypes",
    "ResistanceRule",
    "by_antibiotics",
    "is_enterobacterales",
    "phenotypes",
]

PHENOTYPES_RULE = "phenotypes-v1"
ENTEROBACTERALES = "Enterobacterales"

STAAUR = "STAAUR"
ENCFAE = "ENCFAE"
ENCFAI = "ENCFAI"
PSEAER = "PSEAER"
ACIBAU = "ACIBAU"


class Basis(enum.StrEnum):
    """What a phenotype's call rests on."""

    NOT_CONCERNED = "espece-non-concernee"  # None: the species is outside the phenotype
    RESISTANT = "resistant"  # True: R to the antibiotics in ``evidence``
    NOT_RESISTANT = "non-resistant"  # False: ``evidence`` tested, none R
    NOT_TESTED = "non-teste"  # None: none of ``evidence`` tested, no flag, no hint
    FLAG_POSITIVE = "marqueur-positif"  # True: the flag column (``evidence``: its value)
    FLAG_NEGATIVE = "marqueur-negatif"  # False
    FLAG_MISSING = "marqueur-absent"  # None: no flag, no hint
    GENE_POSITIVE = "gene-van-positif"  # True: vanA / vanB
    GENE_NEGATIVE = "gene-van-negatif"  # False: gene "non" and VAN not tested
    LABEL_HINT = "libelle-espece"  # True: the species label's hint (``evidence``: the hint's name)


@dataclass(frozen=True)
class Finding:
    value: bool | None
    basis: Basis
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResistanceRule:
    """A phenotype read from antibiotic results: R to any of ``antibiotics``."""

    phenotype: str
    antibiotics: tuple[str, ...]
    species: frozenset[str] | None = None  # species codes concerned; None: every species
    enterobacterales: bool = False  # True: every species of the Enterobacterales group (``species`` unused)
    hint: str | None = None  # the species label's hint that stands for the test when missing

    def concerns(self, species: str, is_enterobacterales: bool) -> bool:
        if self.enterobacterales:
            return is_enterobacterales
        return self.species is None or species in self.species


SARM = ResistanceRule("sarm", ("FOX", "OXA"), species=frozenset({STAAUR}), hint="mrsa")
VAN = ResistanceRule("erg", ("VAN",), species=frozenset({ENCFAE, ENCFAI}), hint="vre")
C3G_R = ResistanceRule("c3g_r", ("CTX", "CRO", "CAZ"), enterobacterales=True)
FQ_R = ResistanceRule("fq_r", ("CIP", "OFX", "LVX", "MFX"))
CARBA_R = ResistanceRule("carba_r", ("IPM", "MEM"), species=frozenset({PSEAER, ACIBAU}))
CAZ_R = ResistanceRule("caz_r", ("CAZ",), species=frozenset({PSEAER}))
ANTIBIOTIC_RULES = (SARM, VAN, C3G_R, FQ_R, CARBA_R, CAZ_R)
#: Rare phenotypes that are not indicators of §7 but raise alerts (§10.10): read like the others.
COLISTIN_R = ResistanceRule("colistin_r", ("COL",), enterobacterales=True)
VRSA = ResistanceRule("vrsa", ("VAN",), species=frozenset({STAAUR}))

_NOT_CONCERNED = Finding(None, Basis.NOT_CONCERNED)


@dataclass(frozen=True)
class Phenotypes:
    sarm: bool | None
    eblse: bool | None
    epc: bool | None
    carbapenemase_type: Carbapenemase | None  # the type when epc is positive from the flag
    erg: bool | None
    c3g_r: bool | None
    fq_r: bool | None
    carba_r: bool | None
    caz_r: bool | None
    findings: Mapping[str, Finding]  # phenotype name -> its finding
    rule: str = PHENOTYPES_RULE


def phenotypes(isolate: Isolate, group_of: Callable[[str], str | None]) -> Phenotypes:
    entero = is_enterobacterales(isolate.species, group_of)
    findings: dict[str, Finding] = {
        "sarm": _by_antibiotics(isolate, SARM, entero),
        "eblse": _by_flag(isolate.esbl, isolate, "esbl") if entero else _NOT_CONCERNED,
        "epc": _carbapenemase(isolate) if entero else _NOT_CONCERNED,
        "erg": _erg(isolate) if VAN.concerns(isolate.species, entero) else _NOT_CONCERNED,
        "c3g_r": _by_antibiotics(isolate, C3G_R, entero),
        "fq_r": _by_antibiotics(isolate, FQ_R, entero),
        "carba_r": _by_antibiotics(isolate, CARBA_R, entero),
        "caz_r": _by_antibiotics(isolate, CAZ_R, entero),
    }
    positive_type = isolate.carbapenemase if findings["epc"].basis is Basis.FLAG_POSITIVE else None
    return Phenotypes(
        sarm=findings["sarm"].value,
        eblse=findings["eblse"].value,
        epc=findings["epc"].value,
        carbapenemase_type=positive_type,
        erg=findings["erg"].value,
        c3g_r=findings["c3g_r"].value,
        fq_r=findings["fq_r"].value,
        carba_r=findings["carba_r"].value,
        caz_r=findings["caz_r"].value,
        findings=findings,
    )


def is_enterobacterales(species: str, group_of: Callable[[str], str | None]) -> bool:
    group = group_of(species)
    return group is not None and group.casefold() == ENTEROBACTERALES.casefold()


def by_antibiotics(isolate: Isolate, rule: ResistanceRule, group_of: Callable[[str], str | None]) -> Finding:
    """One antibiotic rule's finding for ``isolate`` (the same reading as every phenotype of the table above)."""
    return _by_antibiotics(isolate, rule, is_enterobacterales(isolate.species, group_of))


def _by_antibiotics(isolate: Isolate, rule: ResistanceRule, entero: bool) -> Finding:
    if not rule.concerns(isolate.species, entero):
        return _NOT_CONCERNED
    tested = tuple(code for code in rule.antibiotics if code in isolate.results)
    resistant = tuple(code for code in tested if isolate.results[code] == Sir.R)
    if resistant:
        return Finding(True, Basis.RESISTANT, resistant)
    if tested:
        return Finding(False, Basis.NOT_RESISTANT, tested)
    return _hint(isolate, rule.hint) or Finding(None, Basis.NOT_TESTED, rule.antibiotics)


def _by_flag(flag: bool | None, isolate: Isolate, hint: str) -> Finding:
    if flag is True:
        return Finding(True, Basis.FLAG_POSITIVE, ("oui",))
    if flag is False:
        return Finding(False, Basis.FLAG_NEGATIVE, ("non",))
    return _hint(isolate, hint) or Finding(None, Basis.FLAG_MISSING)


def _carbapenemase(isolate: Isolate) -> Finding:
    found = isolate.carbapenemase
    if found is None:
        return _hint(isolate, "cpe") or Finding(None, Basis.FLAG_MISSING)
    if found == Carbapenemase.NEGATIVE:
        return Finding(False, Basis.FLAG_NEGATIVE, (found.value,))
    return Finding(True, Basis.FLAG_POSITIVE, (found.value,))


def _erg(isolate: Isolate) -> Finding:
    gene = isolate.van
    if gene is not None and gene != VanGene.NONE:
        return Finding(True, Basis.GENE_POSITIVE, (gene.value,))
    if gene == VanGene.NONE and not any(code in isolate.results for code in VAN.antibiotics):
        return Finding(False, Basis.GENE_NEGATIVE, (gene.value,))
    return _by_antibiotics(isolate, VAN, False)


def _hint(isolate: Isolate, hint: str | None) -> Finding | None:
    if hint is not None and isolate.hints.get(hint) is True:
        return Finding(True, Basis.LABEL_HINT, (hint,))
    return None
