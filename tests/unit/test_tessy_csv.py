"""The TESSy CSV adapter: records written in the metadata's order, read back equal, nothing personal inside."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.adapters import tessy_csv
from chalicelib.domain.resistance.model import Carbapenemase
from chalicelib.domain.tessy.plan import CoverageSettings, CoveredEstablishment, plan_amrcover
from chalicelib.domain.tessy.records import AmrTestRecord
from chalicelib.domain.tessy.validate import validate
from chalicelib.domain.tessy.variables import default_metadata
from tests.unit.test_tessy_plan import iso, item, plan

PSEUDONYMS = ("9c2f" * 16, "e41b" * 16, "07aa" * 16)


def export() -> list[AmrTestRecord]:
    return plan(
        item(iso(1, "AMX=R CTX=SFP CIP=S", patient=PSEUDONYMS[0], esbl=True), admission_date=date(2025, 3, 2)),
        item(iso(2, "OXA=R VAN=S", patient=PSEUDONYMS[1], species="STAAUR", sex=None, age=None), sector="REA"),
        item(iso(3, "PEN=R", patient=PSEUDONYMS[2], species="STRPNE", specimen="LCR", carbapenemase=Carbapenemase.KPC)),
    )


def test_round_trip_records_csv_reread_validator_zero_errors() -> None:
    records = export()
    cover = plan_amrcover(
        2025, [CoveredEstablishment("750000001", 400, 120_000)], 400_000, CoverageSettings("HIGH", "LOW", "MEDIUM")
    )

    data = tessy_csv.write(records)
    again = tessy_csv.read_amrtest(data)
    assert again == records
    assert validate(again).findings == ()

    cover_again = tessy_csv.read_amrcover(tessy_csv.write(cover))
    assert cover_again == cover
    assert validate(cover_again).findings == ()


def test_the_csv_is_what_tessy_expects() -> None:
    data = tessy_csv.write(export())
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    lines = data.decode("utf-8").split("\r\n")
    assert lines[0].split(",") == list(default_metadata().fields("AMRTEST"))
    assert lines[0].startswith("RecordId,RecordType,RecordTypeVersion,Subject,Status,DataSource,")
    assert lines[1].startswith(
        "FR001-1-ESCCOL-20250310-AMX,AMRTEST,3,AMR,NEW/UPDATE,FR-Spares,FR,2025-03-10,70,AMX,2025-03-02,,POS,F,"
    )
    assert "NEW/UPDATE" in lines[1] and lines[-1] == ""
    assert tessy_csv.write([], record_type="AMRCOVER").decode().startswith("RecordType,RecordTypeVersion,Subject,DataSource,")


def test_the_adapter_refuses_what_is_not_one_record_type() -> None:
    cover = plan_amrcover(2025, [], None, CoverageSettings("HIGH", "LOW", "MEDIUM"))
    with pytest.raises(ValueError):
        tessy_csv.write([*export(), *cover])
    with pytest.raises(ValueError):
        tessy_csv.write([])
    with pytest.raises(ValueError, match="en-tête"):
        tessy_csv.read(b"RecordId,Foo\r\nx,y\r\n")
    with pytest.raises(ValueError, match="AMRCOVER"):
        tessy_csv.read_amrtest(tessy_csv.write(cover))
    with pytest.raises(ValueError, match="colonnes"):
        tessy_csv.read(tessy_csv.write(export()) + b"a,b\r\n")


def test_nothing_personal_leaves() -> None:
    data = tessy_csv.write(export()).decode("utf-8")
    for pseudonym in PSEUDONYMS:
        assert pseudonym not in data
        assert pseudonym[:8] not in data
    assert "u1:" not in data  # the platform's isolate ids (upload:row) stay inside
    header = data.split("\r\n", 1)[0].lower()
    for word in ("birth", "naissance", "ipp", "patient_id", "pseudonym", "name", "nom"):
        assert word not in header
    assert "1955" not in data  # ages in years only, never a date of birth
    rows = tessy_csv.read_amrtest(data.encode())
    assert {row.patient_counter for row in rows} == {"1", "2", "3"}
    assert {row.age for row in rows} == {"70", "UNK"}
