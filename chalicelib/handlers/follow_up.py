"""Follow-up (API.md "Follow-up"): who has sent what, and each year's campaign with its reminders."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import Field

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.campaign import MAX_REMINDERS
from chalicelib.handlers import params as q
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import follow_up as r
from chalicelib.handlers.schemas import Body

bp = Blueprint(__name__)
CAMPAIGN = "/api/admin/campaign/{year}"


class CampaignBody(Body):
    deadline: str = Field(max_length=10)
    reminder_days: list[int] = Field(max_length=MAX_REMINDERS)


@endpoint(bp, "/api/completeness", summary="Complétude : établissement × type de fichier × période (?scope=&year=)",
          tag="follow-up", params=(q.SCOPE, q.YEAR_REQUIRED), response=list[r.CompletenessRow])  # fmt: skip
def completeness(caller: Principal) -> list[dict[str, Any]]:
    return services().completeness.table(caller, query(bp, "scope"), query(bp, "year"))


@endpoint(bp, CAMPAIGN, summary="Campagne d'une année : date limite, jours de relance, relances envoyées", tag="admin",
          action=Action.ADMINISTER_CAMPAIGN, response=r.Campaign)  # fmt: skip
def campaign(year: str, caller: Principal) -> dict[str, Any]:
    return services().campaign.get(caller, year)


@endpoint(bp, CAMPAIGN, "PUT", summary="Fixer la date limite et les jours de relance d'une campagne", body=CampaignBody,
          tag="admin", action=Action.ADMINISTER_CAMPAIGN, response=r.Campaign)  # fmt: skip
def set_campaign(year: str, body: CampaignBody, caller: Principal) -> dict[str, Any]:
    return services().campaign.put(caller, year, body.model_dump())
