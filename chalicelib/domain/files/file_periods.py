"""Which periods the rows of a patient-days or consumption file may carry (DOMAIN.md §3).

A file is declared for one period. A file declared for a **quarter** holds that
quarter only. A file declared for a **year** holds either the year (an establishment
that counts by year) or the quarters of that year (one that counts by quarter, or
that has not chosen yet): each quarter is then imported as its own period.

Rows of another year are row errors (``period.mismatch``). Rows of the declared
year that the file may not hold — other quarters in a quarterly file, quarters in a
yearly establishment's file, year rows in a quarterly one, years and quarters mixed —
are never reported row by row: one file-level error says what they are and exactly
what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.domain.files.parsed import Table
from chalicelib.domain.periods import Period, Periodicity, in_order

__all__ = ["STRAY", "FilePeriods"]

#: The verdict of a row whose period belongs to the declared year but not to this file.
STRAY = ("period.stray", "")


@dataclass
class FilePeriods:
    """The periods a file declared for ``declared`` may hold, given the establishment's periodicity."""

    declared: Period
    periodicity: Periodicity | None
    stray: dict[Period, int] = field(default_factory=dict)  # period -> rows

    def allows(self, period: Period) -> bool:
        if self.declared.quarter is not None:
            return period == self.declared
        if period == self.declared:
            return self.periodicity is not Periodicity.QUARTER
        return period.year == self.declared.year and self.periodicity is not Periodicity.YEAR

    def verdict(self, period: Period) -> tuple[str, str] | None:
        """None: a period this file holds; ``STRAY``: count it with ``note``; else a row problem."""
        if self.allows(period):
            return None
        if period.year == self.declared.year:
            return STRAY
        return ("period.mismatch", f"Période {period} différente de la période déclarée pour ce dépôt ({self.declared}).")

    def note(self, period: Period) -> None:
        """One more row of a period of the declared year that this file may not hold."""
        self.stray[period] = self.stray.get(period, 0) + 1

    def finish(self, table: Table, held: set[Period]) -> None:
        """The one file-level error about stray rows, or about years and quarters mixed."""
        year = self.declared.year
        if self.stray:
            rows = sum(self.stray.values())
            found = _listed(set(self.stray))
            if self.declared.quarter is not None:
                also = ", ".join(str(p) for p in in_order(self.stray))
                message = (
                    f"Ce fichier est déclaré pour {self.declared} mais {rows} ligne(s) portent une autre période de "
                    f"{year} ({also}). Pour importer plusieurs trimestres en un seul dépôt, déclarez le fichier pour "
                    f"l'année {year} : chaque trimestre sera importé comme sa propre période. Sinon, ne gardez que "
                    f"les lignes de {self.declared}."
                )
            elif self.periodicity is Periodicity.YEAR:
                message = (
                    f"Ce fichier contient {found} ({rows} ligne(s)) alors que la périodicité choisie pour {year} est "
                    f"annuelle : indiquez {year} comme période de chaque ligne (une seule ligne par UF, et par UCD pour "
                    f"les consommations, pour toute l'année), ou choisissez la périodicité trimestrielle dans les "
                    f"paramètres de l'année {year} puis déposez à nouveau ce fichier."
                )
            else:
                message = (
                    f"La périodicité choisie pour {year} est trimestrielle : {rows} ligne(s) indiquent l'année {year} "
                    f"au lieu d'un trimestre. Indiquez le trimestre de chaque ligne ({year}-T1 à {year}-T4), ou "
                    f"choisissez la périodicité annuelle dans les paramètres de l'année {year}."
                )
            table.problem("period.not_in_file", message, value=str(self.declared))
        elif self.declared in held and len(held) > 1:
            message = (
                f"Ce fichier mélange des lignes de l'année {year} et des lignes de {_listed(held - {self.declared})} : "
                f"une année se déclare soit en une fois ({year}), soit par trimestre ({year}-T1 à {year}-T4). "
                f"Indiquez la même périodicité sur toutes les lignes."
            )
            table.problem("period.mixed", message, value=str(self.declared))


def _listed(periods: set[Period]) -> str:
    """« le trimestre 2025-T2 », « les trimestres 2025-T1 à 2025-T4 », « les trimestres 2025-T1, 2025-T3 »."""
    ordered = in_order(periods)
    quarters = [p for p in ordered if p.quarter is not None]
    if len(ordered) == 1:
        return f"le trimestre {ordered[0]}" if quarters else f"l'année {ordered[0]}"
    if len(quarters) == len(ordered):
        numbers = [p.quarter or 0 for p in quarters]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return f"les trimestres {quarters[0]} à {quarters[-1]}"
        return "les trimestres " + ", ".join(str(p) for p in quarters)
    return "les périodes " + ", ".join(str(p) for p in ordered)
