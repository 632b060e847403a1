"""The EARS-Net export as the national team lives it: closed data only, validated before
anything leaves, DELETE for what a reopening withdrew, the same PatientCounter at every
export, and nothing personal in the files, the e-mail or the API's answers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.adapters import tessy_csv
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.domain.access import Profile, ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.lake import ISOLATES, PATIENT_DAYS, RESULTS
from chalicelib.domain.periods import Period
from chalicelib.domain.structure import Unit
from chalicelib.domain.tenants import Laboratory
from chalicelib.domain.uploads import Upload
from tests.fakes.wiring import FakeWorld, fake_world

ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("national@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REGIONAL = Principal(Email("ars@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, None)}))
CHU = Finess("440000990")
PSEUDO_A, PSEUDO_B = "a" * 64, "b" * 64
UPLOAD = "up1"


def isolate(row: int, pseudonym: str, species: str = "ESCCOL", specimen: str = "HEMOC", day: int = 10, kept: bool = True):
    values = {name: None for name, _ in ISOLATES.columns}
    values.update(
        finess=CHU.value, period="2025", upload_id=UPLOAD, isolate_id=f"{UPLOAD}:{row}", pseudonym=pseudonym, age=67,
        sex="F", code_uf="0412", sector="MED", specimen=specimen, species=species, specimen_date=date(2025, 3, day),
        kept=kept, dedup_rule="r", esbl=False,
    )  # fmt: skip
    return tuple(values[name] for name, _ in ISOLATES.columns)


def results(row: int, **sir: str):
    return [(CHU.value, "2025", UPLOAD, f"{UPLOAD}:{row}", code, value) for code, value in sir.items()]


@pytest.fixture
def world() -> FakeWorld:
    world = fake_world()
    world.clock.current = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    world.services.tenants.create_establishment(ADMIN, CHU.value, "CHU", "CHU", "52")
    world.tenants.create_laboratory(Laboratory("lab1", "Labo du CHU", "FR001"))
    world.units.replace_units(CHU, [Unit.create("0412", "Hématologie", "03", "38", specialty="hématologie")])
    world.uploads.create(
        Upload(UPLOAD, CHU, FileType.RESISTANCE, Period.parse("2025"), "a.csv", 1, UploadStatus.DEDUPLICATED,
               Email("r@chu.fr"), "t", "t", "raw/x", laboratory_id="lab1")
    )  # fmt: skip
    world.access.put_profile(Email("national@sante.fr"), Profile(ProfileType.NATIONAL))
    return world


def lake(world: FakeWorld, isolates, result_rows, area: str = "closed", patient_days: int = 12000) -> None:
    writer, bucket = DuckDbLakeWriter(), world.services.settings.buckets["lake"]
    where = f"year=2025/region=52/es={CHU}/{UPLOAD}.parquet"
    world.objects.put(bucket, f"{area}/isolates/{where}", writer.parquet(ISOLATES.columns, isolates), "x")
    world.objects.put(bucket, f"{area}/results/{where}", writer.parquet(RESULTS.columns, result_rows), "x")
    day_values = {"finess": CHU.value, "period": "2025", "code_uf": "0412", "sector": "MED", "patient_days": patient_days}
    days = [tuple(day_values.get(name) for name, _ in PATIENT_DAYS.columns)]
    world.objects.put(bucket, f"{area}/patient_days/year=2025/region=52/es={CHU}/pd1.parquet",
                      writer.parquet(PATIENT_DAYS.columns, days), "x")  # fmt: skip


def closed_year(world: FakeWorld) -> None:
    lake(
        world,
        [isolate(2, PSEUDO_A), isolate(3, PSEUDO_A, day=20), isolate(4, PSEUDO_B, species="STAAUR", day=5),
         isolate(5, PSEUDO_B, specimen="URINE"), isolate(6, PSEUDO_B, kept=False, species="KLEPNE")],
        results(2, CTX="R", AMX="R", GEN="SFP", VAN="S") + results(3, CTX="S") + results(4, OXA="R", VAN="S")
        + results(5, CTX="R") + results(6, CTX="R"),
    )  # fmt: skip


def files_of(world: FakeWorld, answer) -> dict[str, bytes]:
    bucket = world.services.settings.buckets["exports"]
    keys = world.objects.list_keys(bucket, f"ears-net/2025/{answer['export_id']}/")
    return {k.rsplit("/", 1)[-1]: world.objects.get(bucket, k) for k in keys}


def test_a_closed_year_is_exported_validated_published_and_told_to_the_national_team(world):
    closed_year(world)
    answer = world.services.ears_net.export(NATIONAL, 2025)
    assert answer["status"] == "published"
    assert answer["validation"]["errors"] == 0
    assert answer["counts"]["isolates"] == 2  # first E. coli blood isolate of the patient, the S. aureus; no urine, no duplicate
    amrtest = tessy_csv.read_amrtest(files_of(world, answer)["amrtest.csv"])
    assert {(r.pathogen, r.antibiotic, r.sir) for r in amrtest} == {
        ("ESCCOL", "AMX", "R"), ("ESCCOL", "CTX", "R"), ("ESCCOL", "GEN", "I"), ("STAAUR", "OXA", "R"), ("STAAUR", "VAN", "S"),
    }  # fmt: skip  # VAN is not in E. coli's panel; SFP -> I
    assert {r.laboratory_code for r in amrtest} == {"FR001"}
    assert {r.hospital_unit_type for r in amrtest} == {"ONCOL"}  # the UF's specialty
    cover = tessy_csv.read_amrcover(files_of(world, answer)["amrcover.csv"])
    assert (cover[0].num_pat_days_hosp_cov, cover[0].prop_population_lab_cov) == ("12000", "1")
    assert answer["files"]["amrtest"] and answer["files"]["amrcover"]
    mail = world.mailer.last_to("national@sante.fr")
    assert "EARS-Net 2025" in mail.subject and "Enregistrements AMRTEST : 5" in mail.body
    assert world.services.ears_net.get(ADMIN, answer["export_id"])["counts"] == answer["counts"]
    assert [e["export_id"] for e in world.services.ears_net.history(NATIONAL)] == [answer["export_id"]]


def test_a_draft_year_is_not_exported(world):
    lake(world, [isolate(2, PSEUDO_A)], results(2, CTX="R"), area="lake")  # current data, never closed
    with pytest.raises(Conflict) as refused:
        world.services.ears_net.export(NATIONAL, 2025)
    assert refused.value.code == "ERR_NO_CLOSED_DATA" and "clôturée" in refused.value.message
    assert world.services.ears_net.history(NATIONAL) == []


def test_only_the_national_team_and_administrators_export(world):
    closed_year(world)
    with pytest.raises(Forbidden):
        world.services.ears_net.export(REGIONAL, 2025)
    with pytest.raises(InvalidInput):
        world.services.ears_net.export(NATIONAL, 2031)


def test_a_re_export_after_a_reopening_updates_the_same_records_and_deletes_the_withdrawn_ones(world):
    closed_year(world)
    first = world.services.ears_net.export(NATIONAL, 2025)
    first_ids = {r.record_id for r in tessy_csv.read_amrtest(files_of(world, first)["amrtest.csv"])}
    # Reopened and closed again: the S. aureus isolate is gone, the E. coli's CTX is now S.
    lake(world, [isolate(2, PSEUDO_A)], results(2, CTX="S", AMX="R", GEN="SFP"))
    second = world.services.ears_net.export(NATIONAL, 2025)
    records = tessy_csv.read_amrtest(files_of(world, second)["amrtest.csv"])
    deleted = {r.record_id for r in records if r.status == "DELETE"}
    assert {r.record_id for r in records} == first_ids  # same RecordIds
    assert {r.pathogen for r in records if r.record_id in deleted} == {"STAAUR"} and len(deleted) == 2
    assert (second["counts"]["updated"], second["counts"]["unchanged"], second["counts"]["deleted"]) == (1, 2, 2)
    third = world.services.ears_net.export(NATIONAL, 2025)  # a DELETE is sent once
    assert third["counts"]["deleted"] == 0 and third["counts"]["amrtest_records"] == 3


def test_an_error_blocks_publishing_and_leaves_the_ledger_alone(world):
    world.tenants.laboratories["lab1"] = Laboratory("lab1", "Labo du CHU", "LABO-42")  # not an EARS-Net code
    closed_year(world)
    answer = world.services.ears_net.export(NATIONAL, 2025)
    assert answer["status"] == "rejected" and answer["validation"]["errors"] > 0
    assert answer["files"]["amrtest"] is None and answer["files"]["amrcover"] is None
    assert set(files_of(world, answer)) == {"validation.json"}
    assert answer["findings"][0]["field"] == "LaboratoryCode" and answer["findings"][0]["severity"] == "Error"
    bucket = world.services.settings.buckets["exports"]
    assert world.objects.head(bucket, "ears-net/2025/ledger.csv") is None
    assert "rejeté" in world.mailer.last_to("national@sante.fr").subject


def test_patient_counters_are_stable_across_exports_and_never_the_pseudonym(world):
    closed_year(world)
    first = tessy_csv.read_amrtest(files_of(world, world.services.ears_net.export(NATIONAL, 2025))["amrtest.csv"])
    # A new patient appears before the others in a later closure: the known patients keep their numbers.
    lake(world, [isolate(1, "c" * 64, day=1), isolate(2, PSEUDO_A), isolate(4, PSEUDO_B, species="STAAUR", day=5)],
         results(1, CTX="R") + results(2, CTX="R", AMX="R", GEN="SFP") + results(4, OXA="R", VAN="S"))  # fmt: skip
    second = tessy_csv.read_amrtest(files_of(world, world.services.ears_net.export(NATIONAL, 2025))["amrtest.csv"])
    before = {r.pathogen: r.patient_counter for r in first}
    after = {(r.pathogen, r.date_used_for_statistics): r.patient_counter for r in second}
    assert after[("ESCCOL", "2025-03-10")] == before["ESCCOL"] and after[("STAAUR", "2025-03-05")] == before["STAAUR"]
    assert after[("ESCCOL", "2025-03-01")] == "3"


def test_nothing_personal_leaves(world):
    closed_year(world)
    answer = world.services.ears_net.export(NATIONAL, 2025)
    leaving = [json.dumps(answer), json.dumps(world.services.ears_net.history(NATIONAL))]
    leaving += [body.decode() for body in files_of(world, answer).values()]
    leaving += [world.mailer.last_to("national@sante.fr").body]
    for text in leaving:
        assert PSEUDO_A not in text and PSEUDO_B not in text and PSEUDO_A[:16] not in text
        assert "date_of_birth" not in text.lower() and "naissance" not in text.lower() and "IPP" not in text


def test_the_yearly_job_exports_the_previous_year_once_from_the_export_date(world):
    closed_year(world)
    world.services.ears_net.put_settings(NATIONAL, {"export_date": "06-15", "hospital_representativeness": "medium"})
    assert world.services.jobs["export_ears_net"]() == {"exported": None}  # 1 May: not yet
    world.clock.current = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
    done = world.services.jobs["export_ears_net"]()
    assert done["year"] == 2025 and done["status"] == "published"
    assert world.services.jobs["export_ears_net"]() == {"exported": None}  # once a year
    cover = tessy_csv.read_amrcover(files_of(world, {"export_id": done["exported"]})["amrcover.csv"])
    assert cover[0].hospital_repr_cov == "MEDIUM"


def test_settings_are_checked_and_kept(world):
    with pytest.raises(InvalidInput):
        world.services.ears_net.put_settings(NATIONAL, {"export_date": "13-45", "isolate_representativeness": "SOMETIMES"})
    saved = world.services.ears_net.put_settings(ADMIN, {"export_date": "04-01", "culture_sets": {"2025": 3400}})
    assert world.services.ears_net.settings(NATIONAL) == saved and saved["culture_sets"] == {"2025": 3400}
    with pytest.raises(Forbidden):
        world.services.ears_net.settings(REGIONAL)


def test_an_export_answers_at_once_and_its_workflow_records_the_outcome(world):
    closed_year(world)
    world.workflows.export_runner = None  # the state machine has not run yet
    answer = world.services.ears_net.export(NATIONAL, 2025)
    assert answer["status"] == "running" and answer["files"] == {"amrtest": None, "amrcover": None, "report": None}
    [(_, payload)] = world.workflows.exports
    assert payload == {"export_id": answer["export_id"], "year": 2025, "by": "national@sante.fr"}  # ids, never data
    assert world.services.ears_net.task_run(payload) == {"export_id": answer["export_id"], "status": "published"}
    assert world.services.ears_net.task_run(payload)["status"] == "published"  # a retried task: nothing more
    assert [e["status"] for e in world.services.ears_net.history(NATIONAL)] == ["published"]
    assert world.services.ears_net.get(NATIONAL, answer["export_id"])["counts"]["isolates"] == 2


def test_a_failed_export_workflow_marks_the_export_failed_in_french_and_publishes_nothing(world):
    closed_year(world)
    world.workflows.export_runner = None
    answer = world.services.ears_net.export(NATIONAL, 2025)
    [(_, payload)] = world.workflows.exports
    world.services.ears_net.task_fail({**payload, "error": {"Error": "Lambda.Timeout"}})
    failed = world.services.ears_net.get(NATIONAL, answer["export_id"])
    assert failed["status"] == "failed" and "rien n'a été publié" in failed["failure"]
    assert files_of(world, answer) == {}


def test_a_second_export_of_a_year_waits_for_the_running_one(world):
    closed_year(world)
    world.workflows.export_runner = None
    world.services.ears_net.export(NATIONAL, 2025)
    with pytest.raises(Conflict) as refused:
        world.services.ears_net.export(NATIONAL, 2025)  # a double click: one ledger, one export at a time
    assert refused.value.code == "ERR_EXPORT_RUNNING" and "déjà en cours" in refused.value.message


def test_an_export_whose_workflow_died_unnoticed_no_longer_blocks_the_year(world):
    closed_year(world)
    world.workflows.export_runner = None
    world.services.ears_net.export(NATIONAL, 2025)
    world.clock.current = world.clock.current + timedelta(hours=3)
    assert world.services.ears_net.export(NATIONAL, 2025)["status"] == "running"


def test_the_national_team_reads_the_counts_the_french_way():
    from chalicelib.domain.letters import ears_net_export

    letter = ears_net_export(("n@sante.fr",), 2025, True, {"amrtest_records": 12060, "isolates": 140}, {"errors": 0}, "")
    assert "Enregistrements AMRTEST : 12\u202f060" in letter.body and "Souches (isolats) : 140" in letter.body
