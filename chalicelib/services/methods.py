"""The national settings of the indicators' methods: read by anyone signed in (every
figure names the rule behind it), changed by the national team, each change a new
version, audited (DOMAIN.md §6; ``chalicelib/domain/resistance/dedup_setting.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.resistance.dedup_setting import INITIAL, DedupSetting, current_of, next_version
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import MethodSettings

AUDIT_TARGET = "methods:deduplication"


class MethodsService:
    def __init__(self, methods: MethodSettings, guard: Guard, context: Context) -> None:
        self._methods = methods
        self._guard = guard
        self._ctx = context

    def dedup_setting(self) -> DedupSetting:
        """The deduplication setting in force."""
        return current_of(self._methods.dedup_versions())

    def deduplication(self, caller: Principal) -> dict[str, Any]:
        """``{current, versions}``: the setting in force and every version, newest first (the initial one last)."""
        del caller  # every signed-in user may read how the figures are made
        versions = [INITIAL, *self._methods.dedup_versions()]
        return {"current": current_of(versions).document(), "versions": [v.document() for v in reversed(versions)]}

    def change_deduplication(self, caller: Principal, values: Mapping[str, Any]) -> dict[str, Any]:
        """A new version of the setting. Raises Forbidden (not national), InvalidInput, Conflict (unchanged, or
        another change came first)."""
        self._guard.require(caller, Action.SET_METHODS)
        current = self.dedup_setting()
        changed = next_version(current, values.get("period"), values.get("reason"), caller.email.value, self._ctx.now_iso())
        self._methods.add_dedup_version(changed)
        self._ctx.audit(caller.email.value, "methods.deduplication", AUDIT_TARGET, current.document(), changed.document())
        return changed.document()
