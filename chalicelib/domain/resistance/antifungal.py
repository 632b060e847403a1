"""Antifungal resistance of the priority fungi (DOMAIN.md §10.10).

Each class is read per isolate: resistant when R to at least one of the class's agents
tested, not resistant when at least one was tested and none is R (I, read as SFP under
EUCAST, is not R), unknown otherwise, as the platform's phenotypes are. The agents come
from the reference table (``antibiotics.csv``, by family), the species from DOMAIN.md:

==============  ===============================================  ================================
class           agents                                           reported for
==============  ===============================================  ================================
fluconazole     fluconazole                                      the priority *Candida* species
echinocandines  every echinocandin of the table (CAS, MIF, ANI)  the priority *Candida* species
azoles          the mould-active triazoles (ITR, VOR, POS, ISV)  *Aspergillus fumigatus*
==============  ===============================================  ================================

*Candida* is meant in the clinical sense: the renamed species (*Nakaseomyces glabratus*,
*Pichia kudriavzevii*, *Candidozyma auris*) keep their place. Fluconazole is no
mould-active azole: it never counts for *A. fumigatus*.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.resistance.reference import ResistanceReference

#: DOMAIN.md §10.10's priority yeasts (species codes of ``species.csv``) and its mould.
PRIORITY_CANDIDA = ("CANALB", "CANGLA", "CANPAR", "CANTRO", "CANKRU", "CANAUR")
PRIORITY_MOULD = ("ASPFUM",)
FLUCONAZOLE = "FLU"
ECHINOCANDINS = "ECHINOCANDINS"  # the family code of atc_families.csv
TRIAZOLES = "TRIAZOLES"


@dataclass(frozen=True)
class AntifungalClass:
    id: str
    label: str  # French
    agents: tuple[str, ...]  # antibiotic codes of the reference table
    species: tuple[str, ...]  # the species it is reported for

    def concerns(self, species: str) -> bool:
        return species in self.species


def antifungal_classes(reference: ResistanceReference) -> tuple[AntifungalClass, ...]:
    """The classes, their agents read from the reference table (one owner: ``antibiotics.csv``)."""
    by_family: dict[str, list[str]] = {}
    for antibiotic in reference.antibiotics:
        by_family.setdefault(antibiotic.family, []).append(antibiotic.code)
    mould_azoles = tuple(code for code in by_family.get(TRIAZOLES, ()) if code != FLUCONAZOLE)
    return (
        AntifungalClass("fluconazole", "Fluconazole", (FLUCONAZOLE,), PRIORITY_CANDIDA),
        AntifungalClass("echinocandines", "Échinocandines", tuple(by_family.get(ECHINOCANDINS, ())), PRIORITY_CANDIDA),
        AntifungalClass("azoles", "Azolés (itraconazole, voriconazole, posaconazole, isavuconazole)", mould_azoles,
                        PRIORITY_MOULD),
    )  # fmt: skip


def class_resistant(results: dict[str, str], agents: tuple[str, ...]) -> bool | None:
    """One isolate's reading of a class from its results (antibiotic code -> S, SFP, I or R)."""
    tested = [results[code] for code in agents if code in results]
    if not tested:
        return None
    return any(sir == "R" for sir in tested)
