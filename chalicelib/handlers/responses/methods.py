"""Answers of the indicators' methods: the deduplication setting (handlers/methods.py)."""

from __future__ import annotations

from chalicelib.domain.resistance.dedup import PeriodScope
from chalicelib.handlers.responses.base import Answer


class DedupVersion(Answer):
    version: int
    period: PeriodScope
    period_label: str
    rule: str
    rule_label: str
    blood_rule: str
    blood_rule_label: str
    #: null for the initial setting; « Équipe nationale » to anyone but the national team.
    set_by: str | None
    set_at: str | None
    reason: str


class DedupSettings(Answer):
    current: DedupVersion
    #: Newest first, the initial one last.
    versions: list[DedupVersion]
