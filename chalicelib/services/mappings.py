"""A laboratory's labels and their reference codes, learnt once and reused (DOMAIN.md §4.5, §10.3).

New labels get an automatic proposal where it is unambiguous; a person
confirms. A laboratory serving several establishments has one set of mappings,
versioned: every confirmation that changes something takes the laboratory's
next version, and each import records the version it used. Changing a
*confirmed* mapping is for a référent of an establishment the laboratory serves
or for the national team; the référents of the other establishments served are
e-mailed. Changes apply to later imports only: an import already integrated
keeps its result until its establishment sends its file again, and closed
periods never change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from chalicelib.domain import letters
from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.resistance.labels import label_key
from chalicelib.domain.resistance.mapping import propose
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.resistance.reference import ResistanceReference
from chalicelib.domain.tenants import Establishment, Laboratory
from chalicelib.services.context import Context
from chalicelib.services.ports import AccessStore, LabelMapping, Mailer, MappingStore, TenantStore

logger = logging.getLogger(__name__)

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


CHANGE_REFUSED = (
    "Une correspondance confirmée ne peut être modifiée que par le référent d'un établissement servi par ce laboratoire "
    "ou par l'équipe nationale : elle vaut pour tous les établissements qu'il sert."
)


@dataclass(frozen=True)
class _Served:
    laboratory: Laboratory
    establishments: tuple[Establishment, ...]


class MappingService:
    def __init__(
        self,
        *,
        mappings: MappingStore,
        tenants: TenantStore,
        propose: Propose,
        known_codes: KnownCodes,
        context: Context,
        access: AccessStore,
        mailer: Mailer,
    ) -> None:
        self._mappings = mappings
        self._tenants = tenants
        self._propose = propose
        self._known = known_codes
        self._ctx = context
        self._access = access
        self._mailer = mailer

    # Rights: a laboratory is seen through the establishments it serves --------
    def _check(self, caller: Principal, lab_id: str, write: bool) -> _Served:
        laboratory = self._tenants.get_laboratory(lab_id)
        if laboratory is None:
            raise NotFound("Laboratoire introuvable.")
        served = _Served(laboratory, tuple(e for e in self._tenants.list_establishments() if lab_id in e.laboratories))
        if caller.has_profile(ProfileType.NATIONAL) or caller.has_profile(ProfileType.ADMIN):
            return served
        statuses = {caller.memberships.get(e.finess) for e in served.establishments} - {None}
        regional = any(e.region in caller.regions() for e in served.establishments)
        if not statuses and not regional:
            raise NotFound("Laboratoire introuvable.")
        if write and not statuses & {Status.REFERENT, Status.CONTRIBUTEUR}:
            raise Forbidden(
                "Seuls le référent et les contributeurs d'un établissement servi par ce laboratoire confirment ses libellés."
            )
        return served

    @staticmethod
    def _may_change_confirmed(caller: Principal, served: _Served) -> bool:
        return caller.has_profile(ProfileType.NATIONAL) or any(
            caller.memberships.get(e.finess) == Status.REFERENT for e in served.establishments
        )

    def version(self, lab_id: str) -> int:
        """The laboratory's mapping version, as an import records it."""
        return self._mappings.version(lab_id)

    def changes(self, caller: Principal, lab_id: str) -> tuple[int, list[LabelMapping]]:
        """The laboratory's version and its confirmed mappings, the latest change first (who, when, which code before)."""
        self._check(caller, lab_id, write=False)
        confirmed = self._mappings.list_mappings(lab_id, None, CONFIRMED)
        return self._mappings.version(lab_id), sorted(confirmed, key=lambda m: (-m.version, m.kind, m.label.casefold()))

    def list_labels(self, caller: Principal, lab_id: str, kind: str | None, state: str | None) -> list[LabelMapping]:
        self._check(caller, lab_id, write=False)
        wanted = _kind(kind).value if kind else None
        if state and state not in (UNMAPPED, PROPOSED, CONFIRMED):
            raise InvalidInput(f"État inconnu : « {state} » (unmapped, proposed, confirmed).", details=[{"field": "state"}])
        return self._mappings.list_mappings(lab_id, wanted, state)

    def confirm(self, caller: Principal, lab_id: str, kind: str, items: Sequence[tuple[str, str]]) -> list[LabelMapping]:
        """Confirm ``(label, code)`` pairs, all or nothing; unknown codes are listed in French.

        Pairs that change nothing are kept as they are; the others take the
        laboratory's next version together.
        """
        served = self._check(caller, lab_id, write=True)
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
        keys = [label_key(label) for label, _ in items]
        twice = sorted({label for (label, _), key in zip(items, keys, strict=True) if keys.count(key) > 1})
        if twice:
            raise InvalidInput(
                "Un même libellé figure plusieurs fois (à la casse ou aux espaces près) : envoyez-le une seule fois.",
                details=[{"label": label} for label in twice],
            )
        found = self._mappings.get_many(lab_id, mapping_kind.value, [label for label, _ in items])
        current = {label: found[given] for label, _ in items for given in found if label_key(given) == label_key(label)}
        unchanged = {label for label, code in items if _is_confirmed_as(current.get(label), code)}
        changed = [(label, code) for label, code in items if _is_confirmed(current.get(label)) and label not in unchanged]
        if changed and not self._may_change_confirmed(caller, served):
            raise Forbidden(CHANGE_REFUSED, details=[{"label": label, "code": code} for label, code in changed])
        if len(unchanged) == len(items):
            return [current[label] for label, _ in items]
        version = self._mappings.next_version(lab_id)
        now, who = self._ctx.now_iso(), caller.email.value
        confirmed, written = [], []
        for label, code in items:
            before = current.get(label)
            if label in unchanged and before is not None:
                confirmed.append(before)
                continue
            suggestion = self._propose(mapping_kind, label)
            hints = before.hints if before else (suggestion.hints if suggestion else ())
            proposed = before.proposed_code if before else None
            replaced = before.code if _is_confirmed(before) and before is not None else None
            after = LabelMapping(
                lab_id, mapping_kind.value, label.strip(), CONFIRMED, code, proposed, hints, now, who, version, replaced
            )
            confirmed.append(after)
            written.append((before, after))
        self._mappings.put_many([after for _, after in written])
        for before, after in written:
            self._ctx.audit(who, "mapping.change" if after.previous_code else "mapping.confirm",
                            f"laboratory:{lab_id}/{mapping_kind.value}:{after.label}",
                            _view(before) if before else None, _view(after))  # fmt: skip
        replaced_ones = tuple(
            letters.MappingChange(a.kind, a.label, a.previous_code or "", a.code or "") for _, a in written if a.previous_code
        )
        if replaced_ones:
            self._tell_the_others(caller, served, version, replaced_ones)
        return confirmed

    def _tell_the_others(
        self, caller: Principal, served: _Served, version: int, changes: tuple[letters.MappingChange, ...]
    ) -> None:
        """E-mail the référent of every other establishment the laboratory serves; a failed e-mail does not undo the change."""
        for establishment in served.establishments:
            referent = self._access.referent_of(establishment.finess)
            if referent is None or referent == caller.email:
                continue
            letter = letters.mapping_changed(
                (referent.value,), served.laboratory.name, establishment.name, version, caller.email.value, changes
            )
            try:
                self._mailer.send(letter)
            except Exception:  # the change is made and audited; the letter is best effort
                logger.exception("mapping change letter not sent", extra={"finess": establishment.finess.value})

    def resolve(self, lab_id: str, kind: MappingKind, labels: Sequence[str]) -> dict[str, LabelMapping]:
        """Every label's mapping; a label never seen is recorded, proposed where unambiguous."""
        known = self._mappings.get_many(lab_id, kind.value, labels)
        fresh, unseen = [], []
        now = self._ctx.now_iso()
        for label in labels:
            if label in known:
                continue
            unseen.append(label)
            suggestion = self._propose(kind, label)
            mapping = LabelMapping(
                lab_id, kind.value, label.strip(), PROPOSED if suggestion else UNMAPPED, None,
                suggestion.code if suggestion else None, suggestion.hints if suggestion else (), now, "system",
            )  # fmt: skip
            fresh.append(mapping)
            known[label] = mapping
        if fresh:
            self._mappings.put_new(fresh)  # a label a person confirmed meanwhile keeps its confirmation
            return {**known, **self._mappings.get_many(lab_id, kind.value, unseen)}
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
    view = {"state": mapping.state, "code": mapping.code, "proposed_code": mapping.proposed_code}
    return view | ({"version": mapping.version} if mapping.version else {})


def _is_confirmed(mapping: LabelMapping | None) -> bool:
    return mapping is not None and mapping.state == CONFIRMED


def _is_confirmed_as(mapping: LabelMapping | None, code: str) -> bool:
    return mapping is not None and mapping.state == CONFIRMED and mapping.code == code


def confirmed_only(mapping: LabelMapping) -> LabelMapping | None:
    return mapping if mapping.state == CONFIRMED else None


__all__ = ["CONFIRMED", "PROPOSED", "UNMAPPED", "MappingService", "Suggestion", "confirmed_only"]
