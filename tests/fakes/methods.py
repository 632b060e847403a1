"""In-memory MethodSettings (contract: tests/contract/test_method_settings_contract.py)."""

from __future__ import annotations

from chalicelib.domain.errors import Conflict
from chalicelib.domain.resistance.dedup_setting import DedupSetting


class FakeMethodSettings:
    def __init__(self) -> None:
        self.versions: dict[int, DedupSetting] = {}

    def dedup_versions(self) -> list[DedupSetting]:
        return [self.versions[v] for v in sorted(self.versions)]

    def add_dedup_version(self, setting: DedupSetting) -> None:
        if setting.version in self.versions:
            raise Conflict("Le réglage du dédoublonnage vient d'être changé par quelqu'un d'autre.", code="ERR_CHANGED_MEANWHILE")
        self.versions[setting.version] = setting
