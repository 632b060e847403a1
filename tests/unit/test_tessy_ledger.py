"""The ledger of what was sent to TESSy: re-exports update the same RecordIds and withdraw what disappeared."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.domain.resistance.model import Sir
from chalicelib.domain.tessy.ledger import Ledger, diff
from chalicelib.domain.tessy.records import STATUS_DELETE, STATUS_NEW_UPDATE
from chalicelib.domain.tessy.validate import validate
from tests.unit.test_tessy_plan import Counters, iso, plan


def test_reexport_after_reopening_sends_updates_and_deletes() -> None:
    counters = Counters()
    kept = iso(1, "CTX=R AMK=S", patient="p1")
    corrected = iso(2, "OXA=R VAN=S", patient="p2", species="STAAUR")
    withdrawn = iso(3, "CAZ=R", patient="p3", species="PSEAER")
    first = plan(kept, corrected, withdrawn, counters=counters)
    sent = diff(Ledger(), first)
    assert sent.new == tuple(r.record_id for r in first) and sent.deletes == ()
    ledger = Ledger().after(sent.records)

    # the year is reopened: p2's antibiogram is corrected, p3's isolate is removed, p4 arrives
    again = plan(
        kept,
        replace(corrected, results={"OXA": Sir.R, "VAN": Sir.R}),
        iso(4, "CTX=S", patient="p4", when=date(2025, 6, 1)),
        counters=counters,
    )
    second = diff(ledger, again)
    assert second.unchanged == ("FR001-1-ESCCOL-20250310-AMK", "FR001-1-ESCCOL-20250310-CTX", "FR001-2-STAAUR-20250310-OXA")
    assert second.updated == ("FR001-2-STAAUR-20250310-VAN",)
    assert second.new == ("FR001-4-ESCCOL-20250601-CTX",)
    assert second.deleted == ("FR001-3-PSEAER-20250310-CAZ",)
    assert [r.status for r in second.upserts] == [STATUS_NEW_UPDATE] * 5
    (delete,) = second.deletes
    assert delete.status == STATUS_DELETE
    assert replace(delete, status=STATUS_NEW_UPDATE) == first[-1]  # the last version sent, whole
    assert validate(second.records).publishable
    assert "1 retiré(s) (DELETE)" in second.summary()

    # sent again unchanged: nothing new, nothing withdrawn twice
    ledger = ledger.after(second.records)
    third = diff(ledger, again, only_changes=True)
    assert third.records == ()
    assert len(third.unchanged) == 5

    # the withdrawn isolate comes back: a new record with its old RecordId
    fourth = diff(ledger, first)
    assert "FR001-3-PSEAER-20250310-CAZ" in fourth.new


def test_previous_export_can_be_given_as_the_records_sent() -> None:
    records = plan(iso(1, "CTX=R AMK=S"))
    result = diff(records[:1], records[1:])
    assert result.new == (records[1].record_id,)
    assert result.deleted == (records[0].record_id,)


def test_a_record_id_twice_in_an_export_is_refused() -> None:
    records = plan(iso(1, "CTX=R"))
    with pytest.raises(ValueError, match="double"):
        diff(Ledger(), [records[0], records[0]])
