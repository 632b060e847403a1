"""A laboratory's labels and their reference codes, learnt once and reused (DOMAIN.md §4.5).

New labels get an automatic proposal where it is unambiguous; a person
confirms. Changes are audited and apply to later imports only (an import in
progress has already resolved its labels when it resumes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.resistance.mapping import propose
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.resistance.reference import ResistanceReference
from chalicelib.services.context import Context
from chalicelib.services.ports import LabelMapping, MappingStore, TenantStore

UNMAPPED, PROPOSED, CONFIRMED = "unmapped", "proposed", "confirmed"


@dataclass(frozen=True)
class Suggestion:
    code: str
    hints: tuple[str, ...] = ()


Propose = Callable[[MappingKind, str], Suggestion | None]
KnownCodes = Callable[[MappingKind], AbstractSet[str]]


def proposer(reference: ResistanceReference) -> Propose:
    """The domain's proposals, keeping the positive phenotype hints of a label ("E. coli BLSE")."""

    def suggest(kind: MappingKind, label: str) -> Suggestion | None:
        found = propose(kind, label, reference)
        if found is None:
            return None
        return Suggestion(found.code, tuple(sorted(name for name, positive in found.hints.items() if positive)))

    return suggest


class MappingService:
    def __init__(
        self, mappings: MappingStore, tenants: TenantStore, propose: Propose, known_codes: KnownCodes, context: Context
    ) -> None:
        self._mappings = mappings
        self._tenants = tenants
        self._propose = propose
        self._known = known_codes
        self._ctx = context

    # Rights: a laboratory is seen through the establishments it serves --------
    def _check(self, caller: Principal, lab_id: str, write: bool) -> None:
        if self._tenants.get_laboratory(lab_id) is None:
            raise NotFound("Laboratoire introuvable.")
        if caller.has_profile(ProfileType.NATIONAL) or caller.has_profile(ProfileType.ADMIN):
            return
        served = [e for e in self._tenants.list_establishments() if lab_id in e.laboratories]
        statuses = {caller.memberships.get(e.finess) for e in served} - {None}
        regional = any(e.region in caller.regions() for e in served)
        if not statuses and not regional:
            raise NotFound("Laboratoire introuvable.")
        if write and not statuses & {Status.REFERENT, Status.CONTRIBUTEUR}:
            raise Forbidden(
                "Seuls le référent et les contributeurs d'un établissement servi par ce laboratoire confirment ses libellés."
            )

    def list_labels(self, caller: Principal, lab_id: str, kind: str | None, state: str | None) -> list[LabelMapping]:
        self._check(caller, lab_id, write=False)
        wanted = _kind(kind).value if kind else None
        if state and state not in (UNMAPPED, PROPOSED, CONFIRMED):
            raise InvalidInput(f"État inconnu : « {state} » (unmapped, proposed, confirmed).", details=[{"field": "state"}])
        return self._mappings.list_mappings(lab_id, wanted, state)

    def confirm(self, caller: Principal, lab_id: str, kind: str, items: Sequence[tuple[str, str]]) -> list[LabelMapping]:
        """Confirm ``(label, code)`` pairs, all or nothing; unknown codes are listed in French."""
        self._check(caller, lab_id, write=True)
        mapping_kind = _kind(kind)
        known = self._known(mapping_kind)
        problems = [
            {"index": n, "label": label, "code": code, "message": f"Code inconnu de la liste de référence : « {code} »."}
            for n, (label, code) in enumerate(items)
            if code not in known
        ]
        problems += [
            {"index": n, "label": label, "message": "Libellé vide."} for n, (label, _) in enumerate(items) if not label.strip()
        ]
        if problems:
            raise InvalidInput("Certaines correspondances sont invalides.", details=problems)
        current = self._mappings.get_many(lab_id, mapping_kind.value, [label for label, _ in items])
        now, who = self._ctx.now_iso(), caller.email.value
        confirmed = []
        for label, code in items:
            before = current.get(label)
            suggestion = self._propose(mapping_kind, label)
            hints = before.hints if before else (suggestion.hints if suggestion else ())
            proposed = before.proposed_code if before else None
            after = LabelMapping(lab_id, mapping_kind.value, label.strip(), CONFIRMED, code, proposed, hints, now, who)
            confirmed.append(after)
            self._ctx.audit(who, "mapping.confirm", f"laboratory:{lab_id}/{mapping_kind.value}:{label.strip()}",
                            _view(before) if before else None, _view(after))  # fmt: skip
        self._mappings.put_many(confirmed)
        return confirmed

    def resolve(self, lab_id: str, kind: MappingKind, labels: Sequence[str]) -> dict[str, LabelMapping]:
        """Every label's mapping; a label never seen is recorded, proposed where unambiguous."""
        known = self._mappings.get_many(lab_id, kind.value, labels)
        fresh = []
        now = self._ctx.now_iso()
        for label in labels:
            if label in known:
                continue
            suggestion = self._propose(kind, label)
            mapping = LabelMapping(
                lab_id, kind.value, label.strip(), PROPOSED if suggestion else UNMAPPED, None,
                suggestion.code if suggestion else None, suggestion.hints if suggestion else (), now, "system",
            )  # fmt: skip
            fresh.append(mapping)
            known[label] = mapping
        if fresh:
            self._mappings.put_many(fresh)
        return known

    def confirm_all_proposals(self, caller: Principal, lab_id: str, kind: str) -> list[LabelMapping]:
        """One click for the person who checked the proposals."""
        proposed = self.list_labels(caller, lab_id, kind, PROPOSED)
        return self.confirm(caller, lab_id, kind, [(m.label, m.proposed_code or "") for m in proposed])


def _kind(raw: str) -> MappingKind:
    try:
        return MappingKind(raw)
    except ValueError as exc:
        raise InvalidInput(
            f"Type de correspondance inconnu : « {raw} » (species, specimen, antibiotic).", details=[{"field": "kind"}]
        ) from exc


def _view(mapping: LabelMapping) -> dict[str, Any]:
    return {"state": mapping.state, "code": mapping.code, "proposed_code": mapping.proposed_code}


def confirmed_only(mapping: LabelMapping) -> LabelMapping | None:
    return mapping if mapping.state == CONFIRMED else None


__all__ = ["CONFIRMED", "PROPOSED", "UNMAPPED", "MappingService", "Suggestion", "confirmed_only"]
