"""One request per dashboard section (issue #20): ``GET /api/indicator-batch`` answers each item
exactly as its single route would, and one item's refusal never fails the others."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, RegionCode
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.indicator_batch import MAX_ITEMS, BatchItem, parse_items
from chalicelib.services.indicators.batch import answer_batch
from tests.unit.test_indicators import CHU, REFERENT, world  # noqa: F401  (the fixture)

SCOPE = f"establishment:{CHU.value}"


def test_an_item_names_its_kind_its_indicator_and_its_options():
    assert parse_items("ddj_1000jh,trend/pct_phenotype:phenotype=sarm:from=2021,benchmark/ddj_1000jh:by=sector") == [
        BatchItem("values", "ddj_1000jh", {}),
        BatchItem("trend", "pct_phenotype", {"phenotype": "sarm", "from": "2021"}),
        BatchItem("benchmark", "ddj_1000jh", {"by": "sector"}),
    ]


def test_an_item_may_name_a_regional_or_an_establishments_scope_colon_included():
    assert parse_items("ddj_1000jh:scope=region:52:by=family,benchmark/ddj_1000jh:establishment=440000990:scope=national") == [
        BatchItem("values", "ddj_1000jh", {"scope": "region:52", "by": "family"}),
        BatchItem("benchmark", "ddj_1000jh", {"establishment": "440000990", "scope": "national"}),
    ]


@pytest.mark.parametrize(
    "items",
    ["", "other/ddj_1000jh", "ddj_1000jh:by=family:", "ddj_1000jh:by", "ddj_1000jh:colour=red", "ddj_1000jh:by=family:by=sector",
     "trend/"],
)
def test_a_malformed_batch_is_refused_in_french(items):
    with pytest.raises(InvalidInput) as refused:
        parse_items(items)
    assert "indicateur" in refused.value.message


def test_a_batch_is_a_sections_few_questions_not_a_whole_lake():
    parse_items(",".join(["ddj_1000jh"] * MAX_ITEMS))
    with pytest.raises(InvalidInput, match="Au plus"):
        parse_items(",".join(["ddj_1000jh"] * (MAX_ITEMS + 1)))


def test_each_item_is_answered_as_its_single_route_would(world):  # noqa: F811
    indicators = world.services.indicators
    items = parse_items("ddj_1000jh,ddj_1000jh:by=family,trend/ddj_1000jh:from=2023")
    answers = answer_batch(indicators, REFERENT, SCOPE, "2025", items)
    assert answers == [
        indicators.compute(REFERENT, "ddj_1000jh", SCOPE, "2025", None, {}),
        indicators.compute(REFERENT, "ddj_1000jh", SCOPE, "2025", "family", {}),
        indicators.trend(REFERENT, "ddj_1000jh", SCOPE, "2023", "2025", None, {}),
    ]


def test_a_benchmark_item_compares_the_establishment_of_the_scope(world):  # noqa: F811
    indicators = world.services.indicators
    [answer] = answer_batch(indicators, REFERENT, SCOPE, "2025", parse_items("benchmark/ddj_1000jh"))
    assert answer == indicators.benchmark(REFERENT, "ddj_1000jh", CHU.value, "2025", {})


def test_a_refused_item_is_its_error_and_the_others_are_answered(world):  # noqa: F811
    answers = answer_batch(
        world.services.indicators, REFERENT, SCOPE, "2025", parse_items("no_such_indicator,ddj_1000jh,ddj_1000jh:scope=national")
    )
    assert isinstance(answers[0], NotFound | InvalidInput)
    assert isinstance(answers[1], dict) and answers[1]["rows"]
    assert not isinstance(answers[2], dict), "a member of an establishment never reads the nation through a batch"


def test_a_regional_profile_reads_its_region_through_an_items_scope_and_never_another(world):  # noqa: F811
    regional = Principal(Email("a@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
    items = parse_items("ddj_1000jh:scope=region:52,ddj_1000jh:scope=region:53")
    own, other = answer_batch(world.services.indicators, regional, "national", "2025", items)
    assert own == world.services.indicators.compute(regional, "ddj_1000jh", "region:52", "2025", None, {})
    assert isinstance(other, NotFound | Forbidden)


def test_a_batch_reads_the_setting_the_directory_and_the_files_behind_its_tables_once(world, monkeypatch):  # noqa: F811
    adapters, asked = world.services.adapters, {"dedup": 0, "establishments": 0, "current": 0}

    def counting(name: str, read):
        def counted(*args, **kwargs):
            asked[name] += 1
            return read(*args, **kwargs)

        return counted

    monkeypatch.setattr(adapters.methods, "dedup_versions", counting("dedup", adapters.methods.dedup_versions))
    monkeypatch.setattr(adapters.tenants, "list_establishments", counting("establishments", adapters.tenants.list_establishments))
    monkeypatch.setattr(adapters.uploads, "current_for_year", counting("current", adapters.uploads.current_for_year))
    items = parse_items("ddj_1000jh,ddj_1000jh:by=family,ddj_1000jh:by=sector,pct_r,aware_share:by=aware")
    alone = [world.services.indicators.compute(REFERENT, i.indicator, SCOPE, "2025", i.get("by"), {}) for i in items]
    per_item = dict(asked)
    asked.update(dedup=0, establishments=0, current=0)
    assert answer_batch(world.services.indicators, REFERENT, SCOPE, "2025", items) == alone
    # No row of these names an establishment: the directory (who may read which establishment's rows) is not read.
    assert per_item["dedup"] == len(items) and asked == {"dedup": 1, "establishments": 0, "current": 1}


def test_a_batch_reads_the_directory_of_the_caller_s_regions_once_when_its_rows_name_establishments(world, monkeypatch):  # noqa: F811
    tenants, asked = world.services.adapters.tenants, []
    listing = tenants.list_establishments
    monkeypatch.setattr(tenants, "list_establishments", lambda region=None: asked.append(region) or listing(region))
    region = tenants.get_establishment(CHU).region
    member_and_regional = Principal(REFERENT.email, REFERENT.memberships, frozenset({(ProfileType.REGIONAL, region)}))
    items = parse_items("combined:pair=c3g:by=establishment,combined:pair=c3g,ddj_1000jh")
    indicators = world.services.indicators
    alone = [indicators.compute(member_and_regional, i.indicator, SCOPE, "2025", i.get("by"), {"pair": "c3g"}) for i in items[:2]]
    assert asked == [region, region]  # its region's establishments, never the nation's directory
    answers = answer_batch(world.services.indicators, member_and_regional, SCOPE, "2025", items)
    assert answers[:2] == alone and asked == [region] * 3
    asked.clear()
    assert answer_batch(world.services.indicators, REFERENT, SCOPE, "2025", items)[:2] == alone
    assert asked == []  # a member without a regional profile reads its memberships only


def test_a_batch_reads_its_establishment_once_and_still_refuses_it_to_whoever_may_not_analyse_it(world, monkeypatch):  # noqa: F811
    tenants, asked = world.services.adapters.tenants, []
    reading = tenants.get_establishment
    monkeypatch.setattr(tenants, "get_establishment", lambda finess: asked.append(finess) or reading(finess))
    items = parse_items("ddj_1000jh,ddj_1000jh:by=family,trend/ddj_1000jh:from=2023,benchmark/ddj_1000jh")
    answers = answer_batch(world.services.indicators, REFERENT, SCOPE, "2025", items)
    assert all(isinstance(a, dict) for a in answers) and len(asked) == 1
    stranger = Principal(Email("x@ailleurs.fr"))
    refused = answer_batch(world.services.indicators, stranger, SCOPE, "2025", items)
    assert all(isinstance(a, NotFound) for a in refused)
