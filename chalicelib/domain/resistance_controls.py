"""Controls of one establishment's antibiograms for a year, before closure (DOMAIN.md §10.6).

=================================  ==============  ==============================================================
id                                 severity        what
=================================  ==============  ==============================================================
``antibiograms_waiting``           bloquant        the period's latest antibiogram upload waits for label mappings
``antibiograms_missing``           avertissement   a laboratory is linked to the establishment, no antibiogram file
``isolates_excluded``              avertissement   more than 20 % of the isolates read were excluded (with counts)
=================================  ==============  ==============================================================

A refused upload never blocks a period whose accepted file is current: only a waiting one does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from chalicelib.domain.controls import BLOCKING, WARNING, Control
from chalicelib.domain.periods import Period

#: Above this share of excluded isolates, a warning (default; DOMAIN.md §10.6).
EXCLUDED_SHARE = 0.2
_EXCLUSIONS = {
    "screening": "dépistage",
    "no_species": "espèce manquante",
    "uf_not_eligible": "UF sans journées",
    "no_result": "aucun résultat",
}


@dataclass(frozen=True)
class CurrentAntibiograms:
    """The accepted antibiogram file of a period: isolates read and excluded, by reason."""

    isolates_read: int
    excluded: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ResistanceYear:
    year: int
    periods: Sequence[Period]  # the year's resistance periods, by the establishment's periodicity
    laboratory_linked: bool
    waiting: Collection[Period] = ()  # periods whose latest upload waits for mappings
    current: Mapping[Period, CurrentAntibiograms] = field(default_factory=dict)


def resistance_controls(data: ResistanceYear) -> list[Control]:
    found: list[Control] = []
    for period in sorted(data.waiting):
        found.append(
            Control(
                "antibiograms_waiting",
                BLOCKING,
                f"L'import des antibiogrammes de {period} attend des correspondances de libellés : terminez-les "
                "(Laboratoire › Correspondances) pour qu'il aboutisse avant de clôturer.",
                str(period),
                1,
            )
        )
    if data.laboratory_linked:
        for period in data.periods:
            if period not in data.current and period not in data.waiting:
                found.append(
                    Control(
                        "antibiograms_missing",
                        WARNING,
                        f"Un laboratoire est rattaché à l'établissement mais aucun fichier d'antibiogrammes n'a été "
                        f"importé pour {period}.",
                        str(period),
                        0,
                    )
                )
    for period, current in sorted(data.current.items()):
        reasons = [(_EXCLUSIONS.get(reason, reason), n) for reason, n in sorted(current.excluded.items()) if n]
        excluded = sum(current.excluded.values())
        if current.isolates_read and excluded > EXCLUDED_SHARE * current.isolates_read:
            detail = ", ".join(f"{reason} : {n}" for reason, n in reasons)
            found.append(
                Control(
                    "isolates_excluded",
                    WARNING,
                    f"{excluded} isolats sur {current.isolates_read} exclus en {period} ({detail}) : vérifiez les libellés "
                    "de prélèvement et d'espèce.",
                    str(period),
                    excluded,
                    [
                        {"motif": _EXCLUSIONS.get(reason, reason), "isolats": n}
                        for reason, n in sorted(current.excluded.items())
                        if n
                    ],
                )
            )
    return found
