"""Applies the authorization table to a caller and an establishment."""

from __future__ import annotations

from chalicelib.domain.authorization import Action, Outcome, Principal, decide
from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.tenants import Establishment
from chalicelib.services.ports import TenantStore


class Guard:
    def __init__(self, tenants: TenantStore) -> None:
        self._tenants = tenants

    def establishment(self, caller: Principal, action: Action, finess: object) -> Establishment:
        """Return the establishment if ``caller`` may do ``action`` on it.

        Raises:
            NotFound: absent, malformed, or not visible to the caller (never 403,
                so that another tenant's existence does not leak).
            Forbidden: visible, but the caller's status lacks the right.
        """
        return self.decide_on(caller, action, self.existing(finess))

    def decide_on(self, caller: Principal, action: Action, found: Establishment) -> Establishment:
        """``establishment`` for an establishment read already (``existing``): the same refusals."""
        outcome = decide(caller, action, (found.finess, found.region))
        if outcome is Outcome.NOT_FOUND:
            raise NotFound("Établissement introuvable.")
        if outcome is Outcome.FORBIDDEN:
            raise Forbidden()
        return found

    def existing(self, finess: object) -> Establishment:
        """The establishment, whoever asks (public routes, administration after ``require``). Raises NotFound
        (absent or malformed)."""
        try:
            code = Finess.parse(finess)
        except Exception as exc:
            raise NotFound("Établissement introuvable.") from exc
        found = self._tenants.get_establishment(code)
        if found is None:
            raise NotFound("Établissement introuvable.")
        return found

    def require(self, caller: Principal, action: Action) -> None:
        """Check a global action (administration, exports). Raises Forbidden."""
        if decide(caller, action) is not Outcome.ALLOW:
            raise Forbidden()
