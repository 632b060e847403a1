"""The national settings of the indicators' methods: read by anyone signed in (every
figure names the rule behind it), changed by the national team, each change a new
version, audited (DOMAIN.md §6; ``chalicelib/domain/resistance/dedup_setting.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.authorization import Action, Outcome, Principal, decide
from chalicelib.domain.resistance.dedup_setting import INITIAL, DedupSetting, current_of, next_version
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import MethodSettings

AUDIT_TARGET = "methods:deduplication"
NATIONAL_TEAM = "Équipe nationale"


class MethodsService:
    def __init__(self, methods: MethodSettings, guard: Guard, context: Context) -> None:
        self._methods = methods
        self._guard = guard
        self._ctx = context

    def dedup_setting(self) -> DedupSetting:
        """The deduplication setting in force."""
        return current_of(self._methods.dedup_versions())

    def deduplication(self, caller: Principal) -> dict[str, Any]:
        """``{current, versions}``: the setting in force and every version, newest first (the initial one last).

        Every signed-in user may read how the figures are made; who changed it is named to the national
        team only (to the others: « Équipe nationale », never a colleague's e-mail address)."""
        versions = [INITIAL, *self._methods.dedup_versions()]
        national = decide(caller, Action.SET_METHODS) is Outcome.ALLOW

        def shown(setting: DedupSetting) -> dict[str, Any]:
            document = setting.document()
            if document["set_by"] and not national:
                document["set_by"] = NATIONAL_TEAM
            return document

        return {"current": shown(current_of(versions)), "versions": [shown(v) for v in reversed(versions)]}

    def change_deduplication(self, caller: Principal, values: Mapping[str, Any]) -> dict[str, Any]:
        """A new version of the setting. Raises Forbidden (not national), InvalidInput, Conflict (unchanged, or
        another change came first)."""
        self._guard.require(caller, Action.SET_METHODS)
        current = self.dedup_setting()
        changed = next_version(current, values.get("period"), values.get("reason"), caller.email.value, self._ctx.now_iso())
        self._methods.add_dedup_version(changed)
        self._ctx.audit(caller.email.value, "methods.deduplication", AUDIT_TARGET, current.document(), changed.document())
        return changed.document()
