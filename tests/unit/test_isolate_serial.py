from datetime import date

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir, VanGene
from chalicelib.domain.resistance.serial import dump, load


def an_isolate(n: int) -> Isolate:
    return Isolate(
        isolate_id=f"u1:{n}", row=n, uf="0412", pseudonym="p" * 64, age=71, sex="F", specimen_date=date(2025, 2, 3),
        specimen="HEMOC", species="ESCCOL", results={"AMX": Sir.R, "CTX": Sir.SFP, "CIP": Sir.S}, esbl=True,
        carbapenemase=Carbapenemase.OXA48, van=VanGene.NONE, hints={"esbl": True},
    )  # fmt: skip


def test_isolates_survive_the_round_trip_between_workflow_states():
    isolates = [an_isolate(n) for n in range(3)]
    back, extra = load(dump(isolates, {"upload_id": "u1"}))
    assert back == isolates and extra == {"upload_id": "u1"}
