"""French labels of the codes an indicator answer carries (families, sectors, routes, species,
antibiotics, species groups), from the reference tables where they have one."""

from __future__ import annotations

from functools import cache

from chalicelib import reference
from chalicelib.domain.drugs.families import default_families
from chalicelib.domain.indicators import PHENOTYPE_LABELS
from chalicelib.domain.resistance.reference import default_reference

SECTORS = {
    "MED": "Médecine",
    "CHIR": "Chirurgie",
    "REA": "Réanimation",
    "GYNOBS": "Gynécologie-obstétrique",
    "PED": "Pédiatrie",
    "SMR": "Soins médicaux et de réadaptation",
    "SLD": "Soins de longue durée",
    "PSY": "Psychiatrie",
    "EHPAD": "EHPAD",
    "URG": "Urgences",
}
#: WHO administration routes (ATC/DDD index).
ROUTES = {
    "O": "Orale",
    "P": "Parentérale",
    "R": "Rectale",
    "N": "Nasale",
    "SL": "Sublinguale",
    "TD": "Transdermique",
    "V": "Vaginale",
    "INHAL": "Inhalée",
    "INHAL.SOLUTION": "Inhalée (solution)",
    "INHAL.POWDER": "Inhalée (poudre)",
}
SPECIES_GROUPS = {
    "enterobacterales": "Entérobactéries",
    "non_fermenters": "Bacilles non fermentants",
    "staphylococci": "Staphylocoques",
    "enterococci": "Entérocoques",
    "streptococci": "Streptocoques",
    "other_gram_negative": "Autres bacilles à Gram négatif",
    "other_gram_positive": "Autres cocci à Gram positif",
    "anaerobes": "Anaérobies",
    "fungi": "Champignons",
}
#: Short phenotype names for tables (the registry's labels are long).
PHENOTYPES = {
    "sarm": "SARM",
    "eblse": "EBLSE",
    "epc": "EPC",
    "erg": "ERG",
    "c3g_r": "Résistance aux C3G",
    "fq_r": "Résistance aux fluoroquinolones",
    "carba_r": "Résistance aux carbapénèmes (P. aeruginosa, A. baumannii)",
    "caz_r": "Résistance à la ceftazidime (P. aeruginosa)",
}


@cache
def _families() -> dict[str, str]:
    return {family.code: family.label for _, family in default_families().prefixes}


def family(code: str) -> str:
    return _families().get(code, code)


def sector(code: str) -> str:
    return SECTORS.get(code, code)


def route(code: str) -> str:
    return ROUTES.get(code.upper(), code)


def species(code: str) -> str:
    found = default_reference().species_by_code.get(code)
    return found.name if found else code


def specimen(code: str) -> str:
    """A specimen category's French label (``HEMOC`` -> ``Hémoculture``)."""
    found = next((c for c in default_reference().specimen_categories if c.code == code), None)
    return found.label if found else code


def gram(code: str) -> str:
    """A species' Gram class (``negative``, ``positive``, ``fungus``); ``""`` for a code the reference lacks."""
    found = default_reference().species_by_code.get(code)
    return found.gram.value if found else ""


def antibiotic(code: str) -> str:
    found = default_reference().antibiotics_by_code.get(code)
    return found.name_fr if found else code


def species_group(code: str) -> str:
    return SPECIES_GROUPS.get(code, code)


def phenotype(code: str) -> str:
    return PHENOTYPES.get(code, PHENOTYPE_LABELS.get(code, code))


def category(code: str) -> str:
    return reference.establishment_categories().get(code, code)


def region(code: str) -> str:
    return reference.regions().get(code, code)
