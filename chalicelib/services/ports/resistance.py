"""Ports of the resistance import: laboratory mappings, pseudonymisation keys, workflows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.codes import Finess


@dataclass(frozen=True)
class LabelMapping:
    """One laboratory label and where it stands: unmapped, proposed (automatic) or confirmed (a person)."""

    lab_id: str
    kind: str  # species | specimen | antibiotic
    label: str  # as the laboratory writes it (trimmed)
    state: str  # unmapped | proposed | confirmed
    code: str | None = None  # confirmed reference code
    proposed_code: str | None = None
    hints: tuple[str, ...] = ()  # phenotype hints carried by the label ("esbl", "mrsa"...)
    updated_at: str = ""
    updated_by: str = ""
    #: The laboratory's mapping version this confirmation made (0: never confirmed by a person).
    version: int = 0
    #: The confirmed code this one replaced, when a person changed a confirmed mapping.
    previous_code: str | None = None


class MappingStore(Protocol):
    def get_many(self, lab_id: str, kind: str, labels: Sequence[str]) -> dict[str, LabelMapping]:
        """The known mappings among ``labels`` (matched case-insensitively), by label as given."""
        ...

    def put_many(self, mappings: Sequence[LabelMapping]) -> None: ...

    def put_new(self, mappings: Sequence[LabelMapping]) -> None:
        """Write each mapping only if its label is not known yet (a label confirmed meanwhile stays)."""
        ...

    def list_mappings(self, lab_id: str, kind: str | None = None, state: str | None = None) -> list[LabelMapping]: ...

    def version(self, lab_id: str) -> int:
        """The laboratory's mapping version: 0 until a person confirms a first mapping (DOMAIN.md §10.3)."""
        ...

    def next_version(self, lab_id: str) -> int:
        """Take the laboratory's next mapping version, atomically: two writers never get the same one."""
        ...


class PseudonymKeys(Protocol):
    def secret_for(self, finess: Finess) -> bytes:
        """The establishment's HMAC secret, created on first use.

        Held by the key service (KMS: only its encrypted form is stored); the
        clear secret lives in memory for one task. Idempotent.
        """
        ...


class Workflows(Protocol):
    def start_deduplication(self, name: str, payload: dict[str, Any]) -> str:
        """Start the deduplication state machine; ``name`` makes a retried start idempotent.

        Returns the execution id.
        """
        ...

    def start_closure(self, name: str, payload: dict[str, Any]) -> str:
        """Start the closure state machine (same contract)."""
        ...

    def start_ears_net_export(self, name: str, payload: dict[str, Any]) -> str:
        """Start the EARS-Net export state machine (same contract)."""
        ...

    def start_annotated_report(self, name: str, payload: dict[str, Any]) -> str:
        """Start the workflow that writes an upload's annotated report (same contract)."""
        ...

    def start_report_generation(self, name: str, payload: dict[str, Any]) -> str:
        """Start the workflow that remakes a year's standard reports and syntheses (same contract)."""
        ...
