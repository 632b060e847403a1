"""The drug catalogue (DOMAIN.md §4.4): lookups, the national team's edits, the
daily sync from the commercial catalogue and the demo catalogue.

The platform keeps its own copy (``DrugCatalogue``) with, per entry, its source
and resolution date. The daily sync asks the commercial catalogue
(``CatalogueSource``) for what changed since the last successful sync; when it
fails, the copy is left as it was (the last good copy keeps serving imports),
the failure is recorded and the national team is told by e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.drugs import AtcCode, CatalogueEntry, Route, Ucd, Unit, default_ddd_table, demo_catalogue
from chalicelib.domain.drugs.codes import positive_decimal_field
from chalicelib.domain.errors import DomainError, InvalidInput, NotFound, TooLarge
from chalicelib.domain.letters import PLATFORM, SIGNATURE, Letter
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import Mailer
from chalicelib.services.ports.catalogue import (
    SOURCE_DEMO,
    SOURCE_MANUAL,
    SOURCE_REFERENCE,
    CatalogueRecord,
    CatalogueSource,
    CatalogueUnavailable,
    DrugCatalogue,
    SyncState,
)

logger = logging.getLogger("consores.catalogue")

#: At most this many entries per ``put_entries`` call (API.md).
MAX_ENTRIES_PER_CALL = 1000
#: The sync asks for changes since the last success minus this margin: the
#: vendor's clock and ours may differ, and re-reading a few products is harmless
#: (writes are idempotent) whereas missing one is not.
SYNC_OVERLAP = timedelta(hours=1)
#: Problems listed in the alert e-mail (all of them are in the sync's answer).
_ALERT_DETAILS = 20


# --------------------------------------------------------------------------- views


def entry_view(entry: CatalogueEntry) -> dict[str, Any]:
    """JSON shape of an entry; the strength is decimal text, kept exact."""
    return {
        "ucd": entry.ucd.value,
        "ucd13": entry.ucd.ucd13,
        "label": entry.label,
        "substance": entry.substance,
        "atc": entry.atc.value,
        "route": entry.route.value,
        "strength": str(entry.strength),
        "strength_unit": entry.strength_unit.value,
        "form": entry.form,
    }


def record_view(record: CatalogueRecord) -> dict[str, Any]:
    return {
        **entry_view(record.entry),
        "source": record.source,
        "resolved_at": record.resolved_at.isoformat(timespec="seconds"),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


@dataclass(frozen=True)
class PutOutcome:
    """What one ``put_entries`` call changed."""

    received: int
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {"received": self.received, "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class SyncOutcome:
    """The result of one sync attempt."""

    #: "ok", "failed" (the copy is unchanged) or "skipped" (no source configured).
    status: str
    message: str
    since: datetime | None = None
    received: int = 0
    written: int = 0
    total: int = 0
    last_success_at: datetime | None = None
    alert_sent: bool = False
    details: tuple[Any, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "since": _iso(self.since),
            "received": self.received,
            "written": self.written,
            "total": self.total,
            "last_success_at": _iso(self.last_success_at),
            "alert_sent": self.alert_sent,
            "details": list(self.details),
        }


# --------------------------------------------------------------------------- letters


def _french_moment(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y à %H:%M UTC")


def catalogue_sync_failed(
    to: tuple[str, ...], failed_at: datetime, message: str, details: Sequence[Any], last_success_at: datetime | None
) -> Letter:
    """The alert sent to the national team when the daily sync fails."""
    copy = (
        f"La copie du catalogue synchronisée le {_french_moment(last_success_at)} reste utilisée pour les imports."
        if last_success_at
        else "Aucune synchronisation n'a encore réussi : seules les entrées déjà présentes (démonstration ou saisies "
        "par l'équipe nationale) sont utilisées pour les imports."
    )
    listed = "".join(
        f"\n- {problem.get('message', problem) if isinstance(problem, Mapping) else problem}"
        for problem in details[:_ALERT_DETAILS]
    )
    more = f"\n… et {len(details) - _ALERT_DETAILS} autre(s) problème(s)." if len(details) > _ALERT_DETAILS else ""
    return Letter(
        to,
        f"{PLATFORM} : échec de la synchronisation du catalogue des médicaments",
        "Bonjour,\n\n"
        f"La synchronisation quotidienne du catalogue des médicaments a échoué le {_french_moment(failed_at)}.\n\n"
        f"Motif : {message}" + (f"\n\nProblèmes relevés :{listed}{more}" if listed else "") + f"\n\n{copy}\n\n"
        "La synchronisation sera retentée automatiquement demain ; vous pouvez aussi la relancer depuis "
        f"l'administration de {PLATFORM} une fois le problème corrigé." + SIGNATURE,
    )


# --------------------------------------------------------------------------- validation


def _problem(index: int, field_name: str, value: object, message: str) -> dict[str, Any]:
    # ``index`` is the position in the list sent (from 0, as in the JSON array);
    # the French message counts from 1, as a person reads it.
    return {
        "index": index,
        "field": field_name,
        "value": "" if value is None else str(value),
        "message": f"Entrée n° {index + 1} : {message}",
    }


def _text(raw: Mapping[str, object], key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value).strip()


def _strength(value: object) -> Decimal:
    try:
        return positive_decimal_field(value, "strength", "Dosage")
    except InvalidInput:  # one message for the manual entry, whatever is wrong with the value
        raise InvalidInput(f"Dosage invalide : « {value} » (nombre positif attendu).") from None


def default_substance(atc: AtcCode, route: Route, label: str) -> str:
    """The WHO substance name of ``atc`` (plain DDD row, same route first), else the label.

    The substance only matters when WHO gives several DDDs for one code and
    route; a body that must pick a variant names the substance explicitly.
    """
    rows = [row for row in default_ddd_table().rows if row.atc == atc and not row.qualifier]
    rows.sort(key=lambda row: (row.route is route, row.version), reverse=True)
    return rows[0].substance if rows else label


def parse_entry(raw: Mapping[str, object], index: int) -> tuple[CatalogueEntry | None, list[dict[str, Any]]]:
    """One entry sent by the national team, or every problem found in it."""
    problems: list[dict[str, Any]] = []

    def check(field_name: str, parse: Any) -> Any:
        value = raw.get(field_name)
        try:
            return parse(value)
        except InvalidInput as error:
            problems.append(_problem(index, field_name, value, error.message))
            return None

    ucd = check("ucd", Ucd.parse)
    atc = check("atc", AtcCode.parse)
    route = check("route", Route.parse)
    strength = check("strength", _strength)
    unit = check("strength_unit", Unit.parse)
    label = _text(raw, "label")
    if not label:
        problems.append(_problem(index, "label", "", "le libellé est obligatoire."))
    if problems:
        return None, problems
    substance = _text(raw, "substance") or default_substance(atc, route, label)
    entry = CatalogueEntry(
        ucd=ucd,
        label=label,
        substance=substance,
        atc=atc,
        route=route,
        strength=strength,
        strength_unit=unit,
        form=_text(raw, "form"),
    )
    return entry, []


# --------------------------------------------------------------------------- service


class CatalogueService:
    def __init__(
        self,
        *,
        catalogue: DrugCatalogue,
        source: CatalogueSource | None,
        mailer: Mailer,
        guard: Guard,
        context: Context,
        alert_to: Sequence[str] = (),
        on_grown: Callable[[], object] | None = None,
    ) -> None:
        """``source`` is None when no commercial catalogue is configured (demo,
        embedded runtime): the sync is then skipped. ``alert_to``: the national
        team's addresses, told when the sync fails. ``on_grown``: called once new
        UCDs are written (the files waiting on them are processed again, DOMAIN.md §10.4)."""
        self._on_grown = on_grown
        self._catalogue = catalogue
        self._source = source
        self._mailer = mailer
        self._guard = guard
        self._ctx = context
        self._alert_to = tuple(address for address in alert_to if address)

    # Reading -----------------------------------------------------------
    def lookup(self, ucd: str) -> CatalogueRecord:
        """The entry of a UCD in either form (7 or 13 digits).

        Raises InvalidInput (malformed code) or NotFound (unknown code).
        """
        code = Ucd.parse(ucd)
        found = self._catalogue.record(code)
        if found is None:
            raise NotFound(
                f"Code UCD inconnu du catalogue des médicaments : {code}. L'équipe nationale peut l'ajouter.",
                details=[{"ucd": code.value}],
                code="ERR_UCD_UNKNOWN",
            )
        return found

    def version(self) -> str:
        """Which copy of the catalogue resolves UCDs now, recorded with each import:
        the start of its last successful sync, or "local" (demo and manual entries only)."""
        synced = self._catalogue.sync_state().last_success_at
        return f"sync-{synced.isoformat(timespec='seconds')}" if synced else "local"

    def resolve(self, ucds: Iterable[Ucd]) -> dict[Ucd, CatalogueEntry]:
        """The known entries among ``ucds`` (for imports: absent codes are unknown)."""
        return self._catalogue.get_many(ucds)

    # The national team's edits -----------------------------------------
    def put_entries(self, caller: Principal, entries: Sequence[Mapping[str, object]]) -> PutOutcome:
        """Create or correct entries (national team or admin), all or nothing.

        Raises:
            Forbidden: the caller is neither national team nor admin.
            TooLarge: more than ``MAX_ENTRIES_PER_CALL`` entries.
            InvalidInput: any entry is invalid or a UCD is repeated; every
                problem is listed with its index and nothing is written.
        """
        self._guard.require(caller, Action.ADMINISTER_CATALOGUE)
        if len(entries) > MAX_ENTRIES_PER_CALL:
            raise TooLarge(
                f"Trop d'entrées : {len(entries)} envoyées, {MAX_ENTRIES_PER_CALL} au plus par appel. "
                "Découpez l'envoi en plusieurs appels.",
                details=[{"received": len(entries), "max": MAX_ENTRIES_PER_CALL}],
            )
        parsed: list[CatalogueEntry] = []
        problems: list[dict[str, Any]] = []
        first_index: dict[Ucd, int] = {}
        for index, raw in enumerate(entries):
            entry, found = parse_entry(raw, index)
            problems.extend(found)
            if entry is None:
                continue
            if entry.ucd in first_index:
                problems.append(
                    _problem(
                        index,
                        "ucd",
                        raw.get("ucd"),
                        f"le code UCD {entry.ucd} figure déjà à l'entrée n° {first_index[entry.ucd] + 1}.",
                    )
                )
                continue
            first_index[entry.ucd] = index
            parsed.append(entry)
        if problems:
            raise InvalidInput(
                f"Le catalogue n'a pas été modifié : {len(problems)} problème(s) dans les entrées envoyées.",
                details=problems,
                code="ERR_CATALOGUE_INVALID",
            )
        before = self._catalogue.get_many(entry.ucd for entry in parsed)
        changed = [entry for entry in parsed if before.get(entry.ucd) != entry]
        if changed:
            self._catalogue.put_many(changed, SOURCE_MANUAL, self._ctx.clock.now())
        for entry in changed:
            previous = before.get(entry.ucd)
            self._ctx.audit(
                caller.email.value,
                "catalogue.put",
                f"ucd:{entry.ucd}",
                entry_view(previous) if previous else None,
                entry_view(entry),
            )
        created = sum(1 for entry in changed if entry.ucd not in before)
        if created:
            self._grown()
        return PutOutcome(
            received=len(entries), created=created, updated=len(changed) - created, unchanged=len(parsed) - len(changed)
        )

    # The daily sync ----------------------------------------------------
    def sync(self, now: datetime | None = None, actor: str = "system") -> SyncOutcome:
        """Fetch what changed in the commercial catalogue since the last success and upsert it.

        Never raises for a sync failure: the copy is left unchanged, the failure
        is recorded in the sync state and the national team is e-mailed; the
        outcome says "failed". Idempotent: running it again fetches an
        overlapping window and rewrites the same entries.
        """
        moment = now or self._ctx.clock.now()
        state = self._catalogue.sync_state()
        if self._source is None:
            return SyncOutcome(
                status="skipped",
                message="Aucun catalogue de référence n'est configuré : la copie actuelle du catalogue est conservée.",
                total=self._catalogue.count(),
                last_success_at=state.last_success_at,
            )
        since = state.last_success_at - SYNC_OVERLAP if state.last_success_at else None
        try:
            entries = self._source.fetch_since(since)
            written = self._catalogue.put_many(entries, SOURCE_REFERENCE, moment) if entries else 0
        except CatalogueUnavailable as error:
            return self._failed(moment, state, since, error, actor)
        except Exception as error:  # a bug or a store outage must still reach the national team
            logger.exception("catalogue sync failed unexpectedly")
            unexpected = DomainError(
                f"Erreur inattendue pendant la synchronisation ({type(error).__name__}) : "
                "la copie du catalogue n'a peut-être été mise à jour qu'en partie, elle le sera à la prochaine "
                "synchronisation réussie."
            )
            return self._failed(moment, state, since, unexpected, actor)
        self._catalogue.save_sync_state(
            SyncState(last_success_at=moment, last_attempt_at=moment, last_error=None, last_received=len(entries))
        )
        total = self._catalogue.count()
        if written:
            self._grown()
        self._ctx.audit(
            actor,
            "catalogue.sync",
            "catalogue",
            {"last_success_at": _iso(state.last_success_at)},
            {"status": "ok", "since": _iso(since), "received": len(entries), "written": written, "total": total},
        )
        return SyncOutcome(
            status="ok",
            message=f"Catalogue synchronisé : {len(entries)} produit(s) reçu(s), {total} produit(s) dans le catalogue.",
            since=since,
            received=len(entries),
            written=written,
            total=total,
            last_success_at=moment,
        )

    def _grown(self) -> None:
        """Tell whoever waits on new UCDs; the entries are written whatever happens there (the daily
        run of the waiting files catches up)."""
        if self._on_grown is None:
            return
        try:
            self._on_grown()
        except Exception:
            logger.exception("files waiting on the catalogue not processed again after it grew")

    def sync_now(self, caller: Principal) -> SyncOutcome:
        """Run the sync on demand (national team or admin). Raises Forbidden."""
        self._guard.require(caller, Action.ADMINISTER_CATALOGUE)
        return self.sync(actor=caller.email.value)

    def sync_job(self) -> dict[str, Any]:
        """The scheduled daily job (``jobs["sync_catalogue"]``): a JSON-ready outcome."""
        return self.sync().as_dict()

    def _failed(self, moment: datetime, state: SyncState, since: datetime | None, error: DomainError, actor: str) -> SyncOutcome:
        logger.warning("catalogue sync failed: %s", error.message)
        self._catalogue.save_sync_state(
            SyncState(
                last_success_at=state.last_success_at,
                last_attempt_at=moment,
                last_error=error.message,
                last_received=state.last_received,
            )
        )
        alert_sent = False
        if self._alert_to:
            try:
                self._mailer.send(
                    catalogue_sync_failed(self._alert_to, moment, error.message, error.details, state.last_success_at)
                )
                alert_sent = True
            except Exception:  # the failure is recorded; a mail outage must not hide it
                logger.exception("could not e-mail the catalogue sync alert")
        else:
            logger.error("catalogue sync failed and no national team address is configured")
        self._ctx.audit(
            actor,
            "catalogue.sync",
            "catalogue",
            {"last_success_at": _iso(state.last_success_at)},
            {"status": "failed", "since": _iso(since), "error": error.message},
        )
        return SyncOutcome(
            status="failed",
            message=f"La synchronisation du catalogue a échoué : {error.message} La copie précédente est conservée.",
            since=since,
            total=self._catalogue.count(),
            last_success_at=state.last_success_at,
            alert_sent=alert_sent,
            details=tuple(error.details),
        )

    # Demo --------------------------------------------------------------
    def load_demo_if_empty(self) -> int:
        """Load the shipped demo catalogue into an empty copy; returns how many entries (0 if not empty)."""
        if self._catalogue.count() > 0:
            return 0
        entries = demo_catalogue().entries
        written = self._catalogue.put_many(entries, SOURCE_DEMO, self._ctx.clock.now())
        self._ctx.audit("system", "catalogue.load_demo", "catalogue", None, {"entries": written})
        return written
