"""The per-year statement that an establishment's consumption files cover antifungals (J02),
``antifungals_reported`` (DOMAIN.md §10.5; API.md second wave: a boolean, true by default)."""

from __future__ import annotations

import pytest

from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import InvalidInput, PeriodClosed
from chalicelib.handlers.schemas import SettingsPut
from tests.support.antifungal_world import ESTABLISHMENTS, SAYS_FALSE, YEAR, build_world, member
from tests.support.lake_fixture import Lake

CHU = ESTABLISHMENTS[0]
PERIODICITIES = {"consumption_periodicity": "year", "resistance_periodicity": "quarter"}
EMPTY = Lake({"consumption": [], "patient_days": [], "isolates": [], "results": []})


def test_the_settings_say_antifungals_are_covered_until_stated_otherwise():
    world = build_world(EMPTY)
    never = ESTABLISHMENTS[1]
    assert world.services.structure.settings(member(never), never.finess, "2024") == {"antifungals_reported": True}
    assert world.services.structure.settings(member(SAYS_FALSE), SAYS_FALSE.finess, str(YEAR))["antifungals_reported"] is False


def test_a_referent_states_that_the_year_s_files_do_not_cover_antifungals_and_it_is_audited():
    world = build_world(EMPTY)
    values = {**PERIODICITIES, "antifungals_reported": False}
    saved = world.services.structure.put_settings(member(CHU), CHU.finess, "2026", values)
    assert saved == {**PERIODICITIES, "antifungals_reported": False}
    assert world.settings.antifungals_reported(Finess(CHU.finess), 2026) is False
    assert world.services.structure.settings(member(CHU), CHU.finess, "2026") == saved
    [entry] = [e for e in world.audit.entries if e.action == "settings.put"]
    assert (entry.before, entry.after) == (None, saved)


def test_settings_put_without_the_statement_leave_it_as_stated():
    world = build_world(EMPTY)
    saved = world.services.structure.put_settings(member(SAYS_FALSE), SAYS_FALSE.finess, str(YEAR), dict(PERIODICITIES))
    assert saved == {**PERIODICITIES, "antifungals_reported": False}
    assert world.settings.antifungals_reported(Finess(SAYS_FALSE.finess), YEAR) is False


def test_the_statement_alone_leaves_the_periodicities_unchosen():
    """Unchecking the box in the web client must not fix the year's periodicities: the first file does."""
    world = build_world(EMPTY)
    saved = world.services.structure.put_settings(member(CHU), CHU.finess, "2026", {"antifungals_reported": False})
    assert saved == {"antifungals_reported": False}
    assert world.settings.periodicities(Finess(CHU.finess), 2026) is None


def test_a_put_with_nothing_to_set_is_refused_in_french():
    world = build_world(EMPTY)
    with pytest.raises(InvalidInput, match="Rien à enregistrer"):
        world.services.structure.put_settings(member(CHU), CHU.finess, "2026", {})


def test_a_statement_that_is_not_a_boolean_is_refused_in_french():
    world = build_world(EMPTY)
    with pytest.raises(InvalidInput, match="true ou false"):
        world.services.structure.put_settings(member(CHU), CHU.finess, "2026", {**PERIODICITIES, "antifungals_reported": "non"})
    for wrong in ("oui", 1, "true"):
        with pytest.raises(ValueError, match="antifungals_reported"):
            SettingsPut.model_validate({**PERIODICITIES, "antifungals_reported": wrong})
    assert SettingsPut.model_validate(PERIODICITIES).model_dump(exclude_none=True) == PERIODICITIES


def test_once_a_period_of_the_year_is_closed_the_statement_is_frozen_with_its_published_figures():
    world = build_world(EMPTY)
    world.periods.start_closing(Finess(CHU.finess), "2026-T1", "2027-04-01T10:00:00+00:00", "r@chu.fr")
    world.periods.finish_closing(Finess(CHU.finess), "2026-T1", "2027-04-01T10:01:00+00:00")
    with pytest.raises(PeriodClosed, match="2026-T1 est clôturée"):
        world.services.structure.put_settings(member(CHU), CHU.finess, "2026", {"antifungals_reported": False})
    assert world.settings.antifungals_reported(Finess(CHU.finess), 2026) is None
    unchanged = world.services.structure.put_settings(member(CHU), CHU.finess, "2026", {"antifungals_reported": True})
    assert unchanged["antifungals_reported"] is True  # stating what already holds changes no figure: accepted
