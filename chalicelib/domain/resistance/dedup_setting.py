"""The national setting of the deduplication for yearly indicators (DOMAIN.md §6: "Rule
and period are parameters; every result states which rule produced it").

The national team chooses the period over which a year's resistance indicators
deduplicate isolates:

* ``annee`` (the default, DOMAIN.md §6): the whole year, across the year's imports —
  an isolate kept in Q1 makes its Q2 repeat a duplicate for the year
  (``YEAR_RULE``; blood cultures ``BLOOD_YEAR_RULE``);
* ``periode-import``: each import period's own decisions, added up
  (``DEFAULT_RULE``; blood cultures ``BLOOD_RULE``) — how figures were counted
  before the whole-year rule, for comparisons with earlier publications.

The setting is versioned: each change is a new version (who, when, why), the
earlier ones kept, and every indicator answer names the rules and the version
in force. The rule itself (patient × species × antibiotype) is not a choice here:
each import's decisions are made under it when the file is imported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.resistance.dedup import (
    BLOOD_RULE,
    BLOOD_YEAR_RULE,
    DEFAULT_RULE,
    YEAR_RULE,
    DedupRule,
    PeriodScope,
)

__all__ = ["INITIAL", "PERIOD_LABELS", "DedupSetting", "current_of", "next_version"]

PERIOD_LABELS: Mapping[PeriodScope, str] = {
    PeriodScope.YEAR: "sur l'année entière (un isolat gardé au T1 rend son doublon du T2 doublon pour l'année)",
    PeriodScope.IMPORT_PERIOD: "par période d'import (les décisions de chaque trimestre, additionnées)",
}
_REASON_MAX = 500


@dataclass(frozen=True)
class DedupSetting:
    version: int
    period: PeriodScope
    set_by: str  # e-mail; empty for the platform's initial setting
    set_at: str  # ISO 8601; empty for the initial setting
    reason: str

    @property
    def whole_year(self) -> bool:
        return self.period is PeriodScope.YEAR

    @property
    def rule(self) -> DedupRule:
        """The rule a year's resistance indicators follow."""
        return YEAR_RULE if self.whole_year else DEFAULT_RULE

    @property
    def blood_rule(self) -> DedupRule:
        """The rule a year's blood-culture densities follow."""
        return BLOOD_YEAR_RULE if self.whole_year else BLOOD_RULE

    def names(self, rule: str) -> str:
        """``rule`` (an indicator's, written with the whole-year rules) as this setting applies it."""
        if self.whole_year:
            return rule
        return rule.replace(YEAR_RULE.id, DEFAULT_RULE.id).replace(BLOOD_YEAR_RULE.id, BLOOD_RULE.id)

    def document(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "period": self.period.value,
            "period_label": PERIOD_LABELS[self.period],
            "rule": self.rule.id,
            "rule_label": self.rule.label,
            "blood_rule": self.blood_rule.id,
            "blood_rule_label": self.blood_rule.label,
            "set_by": self.set_by or None,
            "set_at": self.set_at or None,
            "reason": self.reason,
        }


#: Version 1: the rule of DOMAIN.md §6, in force until the national team changes it.
INITIAL = DedupSetting(1, PeriodScope.YEAR, "", "", "Règle de la plateforme : dédoublonnage sur l'année entière")


def current_of(versions: Sequence[DedupSetting]) -> DedupSetting:
    """The setting in force: the latest version, else the initial one."""
    return max(versions, key=lambda s: s.version) if versions else INITIAL


def next_version(current: DedupSetting, period: object, reason: object, by: str, at: str) -> DedupSetting:
    """The setting the national team asks for, as the version after ``current``.

    Raises:
        InvalidInput: an unknown period, or no reason (a change of method is always explained).
        Conflict: the period asked for is already in force (a version that changes nothing).
    """
    problems = []
    chosen = next((p for p in PeriodScope if p.value == period), None)
    if chosen is None:
        known = ", ".join(f"« {p.value} »" for p in PeriodScope)
        problems.append({"field": "period", "message": f"Période de dédoublonnage inconnue : « {period} » ({known})."})
    text = reason.strip() if isinstance(reason, str) else ""
    if not text or len(text) > _REASON_MAX:
        problems.append({"field": "reason", "message": f"Motif du changement obligatoire ({_REASON_MAX} caractères au plus)."})
    if problems:
        raise InvalidInput("Réglage du dédoublonnage invalide.", details=problems)
    assert chosen is not None
    if chosen is current.period:
        raise Conflict(
            f"Le dédoublonnage est déjà {PERIOD_LABELS[chosen]} (version {current.version}) : rien à changer.",
            code="ERR_UNCHANGED",
        )
    return DedupSetting(current.version + 1, chosen, by, at, text)
