"""One request, one reading of the stores (``services/indicators/one_answer.py``): a national dashboard's
section comparing the regions lists the lake's closed keys once, and each region's answer is the one its
single route gives."""

from __future__ import annotations

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email
from chalicelib.domain.indicator_batch import parse_items
from chalicelib.services.indicators.batch import answer_batch
from chalicelib.services.indicators.sources import COLUMNS

NATIONAL = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))


def test_the_regions_compared_in_one_batch_list_the_closed_keys_once_and_answer_as_their_routes(world, monkeypatch):
    lake, listed = world.services.adapters.lake, []
    closed_keys = lake.closed_keys

    def counted(dataset, year, region=None, finess=None, version=None):
        listed.append((dataset, region))
        return closed_keys(dataset, year, region, finess, version)

    monkeypatch.setattr(lake, "closed_keys", counted)
    items = parse_items("ddj_1000jh,ddj_1000jh:scope=region:52,ddj_1000jh:scope=region:11,pct_r:scope=region:52")
    answers = answer_batch(world.services.indicators, NATIONAL, "national", "2024", items)
    assert sorted(listed) == sorted((dataset, None) for dataset in COLUMNS)  # the nation's listing, once
    singles = [
        world.services.indicators.compute(NATIONAL, item.indicator, item.get("scope") or "national", "2024", None, {})
        for item in items
    ]
    assert answers == singles
    assert answers[1]["rows"] != answers[2]["rows"]  # each region its own
