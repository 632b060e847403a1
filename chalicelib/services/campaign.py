"""The campaign of a year (DOMAIN.md §10.9, API.md "Follow-up"): the national team sets its deadline and
reminder days; a daily job e-mails the référents of every establishment whose year still has periods
to send or close, once per reminder day (the reminder is claimed before it is sent, then confirmed: a claim
whose run died before sending is taken over by a later run once ``CLAIM_LEASE`` has passed)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from chalicelib.domain import letters
from chalicelib.domain.access import Status
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.campaign import Campaign, campaign_of, campaign_year
from chalicelib.domain.completeness import YearStates, incomplete, what_is_left
from chalicelib.domain.tenants import Establishment
from chalicelib.services.completeness import CompletenessService
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import AccessStore, Mailer, TenantStore
from chalicelib.services.ports.campaigns import CampaignStore, ReminderSent
from chalicelib.services.standard_reports.generation import GenerationService

logger = logging.getLogger("consores.campaign")
#: Establishments reminded at once (each: its members read, a claim written, an e-mail sent).
REMINDERS_AT_ONCE = 8
#: A claim older than this and never confirmed was a run that died before sending (the job lasts minutes).
CLAIM_LEASE = timedelta(hours=1)


class CampaignService:
    def __init__(
        self,
        *,
        campaigns: CampaignStore,
        completeness: CompletenessService,
        tenants: TenantStore,
        access: AccessStore,
        mailer: Mailer,
        guard: Guard,
        context: Context,
        web_url: str = "",
        generation: GenerationService | None = None,
    ) -> None:
        self._campaigns = campaigns
        self._completeness = completeness
        self._tenants = tenants
        self._access = access
        self._mailer = mailer
        self._guard = guard
        self._ctx = context
        self._web_url = web_url
        self._generation = generation

    # Routes --------------------------------------------------------------------------------
    def get(self, caller: Principal, year: str) -> dict[str, Any]:
        """The year's campaign (``deadline`` None until set) and the reminders sent. Raises Forbidden, InvalidInput."""
        self._guard.require(caller, Action.ADMINISTER_CAMPAIGN)
        when = campaign_year(year)
        found = self._campaigns.get(when)
        document = found.document() if found else {"year": when, "deadline": None, "reminder_days": []}
        names = {e.finess.value: e.name for e in self._tenants.list_establishments()}
        sent = self._campaigns.reminders(when)
        document["reminders"] = [
            {"day": r.day, "finess": r.finess, "name": names.get(r.finess, r.finess), "sent_at": r.sent_at,
             "recipients": r.recipients}
            for r in sent
        ]  # fmt: skip
        return document

    def put(self, caller: Principal, year: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Set the year's deadline and reminder days (audited). Raises Forbidden, InvalidInput."""
        self._guard.require(caller, Action.ADMINISTER_CAMPAIGN)
        when = campaign_year(year)
        before = self._campaigns.get(when)
        changed = campaign_of(when, values, caller.email.value, self._ctx.now_iso())
        self._campaigns.put(changed)
        self._ctx.audit(
            caller.email.value, "campaign.set", f"campaign:{when}", before.document() if before else None, changed.document()
        )
        return self.get(caller, year)

    def after_deadlines(self) -> dict[str, Any]:
        """Once a campaign's deadline has passed, its year's reports and syntheses are made again, once
        (the closed data are then the campaign's): ``{year: started}``. Daily; idempotent."""
        if self._generation is None:
            return {}
        today = self._ctx.clock.now().date()
        return {
            str(c.year): self._generation.start_by_platform(c.year, f"deadline-{c.year}")
            for c in self._campaigns.all()
            if today > c.deadline
        }

    # The daily job -------------------------------------------------------------------------
    def remind(self) -> dict[str, Any]:
        """Send the reminders due today, for every campaign. ``{year: {day, reminded, complete}}``."""
        today = self._ctx.clock.now().date()
        done: dict[str, Any] = {}
        for campaign in self._campaigns.all():
            day = campaign.due_reminder(today)
            if day is None:
                continue
            everyone = self._completeness.states(campaign.year)
            with ThreadPoolExecutor(max_workers=REMINDERS_AT_ONCE, thread_name_prefix="reminders") as pool:
                outcomes = list(pool.map(lambda found, c=campaign, d=day: self._remind(c, d, *found), everyone))
            done[str(campaign.year)] = {
                "day": day,
                "reminded": outcomes.count("reminded"),
                "complete": outcomes.count("complete"),
                "already": outcomes.count("already"),
                "no_referent": outcomes.count("no_referent"),
                "failed": outcomes.count("failed"),
            }
            logger.info("campaign %s, reminder day %s: %s", campaign.year, day, done[str(campaign.year)])
        return done

    def _remind(self, campaign: Campaign, day: int, establishment: Establishment, states: YearStates) -> str:
        if not incomplete(states):
            return "complete"
        referents = tuple(m.email.value for m in self._access.list_members(establishment.finess) if m.status is Status.REFERENT)
        if not referents:
            return "no_referent"
        sent = ReminderSent(campaign.year, day, establishment.finess.value, self._ctx.now_iso(), len(referents))
        stale_before = (self._ctx.clock.now() - CLAIM_LEASE).isoformat(timespec="milliseconds")
        if not self._campaigns.claim_reminder(sent, stale_before):
            return "already"
        link = f"{self._web_url}/#/etablissements/{establishment.finess.value}/periodes?annee={campaign.year}"
        left = (campaign.deadline - self._ctx.clock.now().date()).days  # the wording's, not the reminder day's
        letter = letters.deadline_reminder(
            referents, establishment.name, campaign.year, _french_date(campaign), left, what_is_left(states), link
        )
        try:
            self._mailer.send(letter)
        except Exception:
            # Claimed but not sent: released, so that the next run sends it (never recorded as sent).
            logger.exception("reminder %s day %s to %s not sent", campaign.year, day, establishment.finess)
            self._campaigns.release_reminder(sent)
            return "failed"
        try:
            self._campaigns.confirm_reminder(sent)
        except Exception:  # sent all the same; left pending, a later run may send it once more
            logger.exception("reminder %s day %s to %s sent but not recorded", campaign.year, day, establishment.finess)
        return "reminded"


def _french_date(campaign: Campaign) -> str:
    return campaign.deadline.strftime("%d/%m/%Y")
