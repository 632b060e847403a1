"""Alerts raised at import (DOMAIN.md §10.10), through the real import path on fakes: one per kept isolate
and rare phenotype, none for a duplicate, nothing new when the same isolates come again; e-mailed to the
référent once; listed for the establishment and its region's team; acknowledged by the establishment, audited."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.imports import UploadStatus
from infra.local.demo_antibiograms import ANTIBIOTICS, HEADER
from tests.fakes.wiring import FakeWorld
from tests.support import files
from tests.support.laboratory import a_world_with_a_laboratory
from tests.support.workflow import runner

FINESS = "440000990"
UFS = ["0412", "1204"]
LABEL_OF = {code: label for label, code in ANTIBIOTICS}
PAN_R = ("TZP", "CAZ", "IPM", "MEM", "GEN", "AMK", "CIP", "OFX")


def row(ipp: str, day: str, species: str, results: dict[str, str], carbapenemase: str = "") -> list[str]:
    return ["0412", ipp, "60", "F", day, "ECBU", species, *(results.get(code, "") for _, code in ANTIBIOTICS), "",
            carbapenemase]  # fmt: skip


ROWS = [
    [*HEADER, *(label for label, _ in ANTIBIOTICS), "BLSE", "Carbapénémase"],
    row("IPP-EPC", "03/02/2025", "Klebsiella pneumoniae", {"IPM": "R", "MEM": "S", "CTX": "R"}, "OXA-48"),
    row("IPP-EPC", "10/02/2025", "Klebsiella pneumoniae", {"IPM": "R", "MEM": "S", "CTX": "R"}, "OXA-48"),  # duplicate
    row("IPP-ERG", "04/02/2025", "Enterococcus faecium", {"AMX": "R", "VAN": "R"}),
    row("IPP-SARV", "05/02/2025", "Staphylococcus aureus", {"OXA": "S", "VAN": "R"}),
    row("IPP-PANR", "06/02/2025", "Pseudomonas aeruginosa", dict.fromkeys(PAN_R, "R")),
    row("IPP-EC", "07/02/2025", "E. coli", {"AMX": "R", "CTX": "S"}, "négatif"),
]


def send(world: FakeWorld, referent: Principal, lab: str, rows: list[list[str]], period: str = "2025") -> str:
    content = files.csv(rows)
    upload, _, _ = world.services.uploads.create(referent, FINESS, "resistance", period, "ab.csv", len(content), lab)
    raw = world.services.settings.buckets["raw"]
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    world.services.uploads.process_object(raw, upload.raw_key, "v1")
    final = world.uploads.get(Finess(FINESS), upload.upload_id)
    assert final is not None and final.status is UploadStatus.DEDUPLICATED, final
    return upload.upload_id


@pytest.fixture
def imported() -> dict[str, Any]:
    world, referent, lab = a_world_with_a_laboratory(FINESS, UFS)
    world.access.referents[Finess(FINESS)] = Email("r@chu.fr")  # as the first référent's registration leaves it
    world.workflows.runner = runner(lambda: world.services.deduplication)
    upload = send(world, referent, lab, ROWS)
    return {"world": world, "referent": referent, "lab": lab, "upload": upload}


def listed(world: FakeWorld, caller: Principal, scope: str = f"establishment:{FINESS}", **filters: str) -> list[dict[str, Any]]:
    return world.services.alerts.listing(caller, scope, filters.get("year"), filters.get("status"))


def a_member(status: Status) -> Principal:
    return Principal(Email(f"{status.value}@chu.fr"), memberships={Finess(FINESS): status})


def a_profile(kind: ProfileType, region: str | None = None) -> Principal:
    return Principal(Email("p@ars.fr"), profiles=frozenset({(kind, RegionCode(region) if region else None)}))


def test_each_kept_isolate_with_a_rare_phenotype_raises_one_alert_and_a_duplicate_none(imported) -> None:
    world, referent = imported["world"], imported["referent"]
    rows = listed(world, referent)
    assert sorted((r["kind"], r["phenotype"], r["species"], r["specimen_date"]) for r in rows) == [
        ("epc", "EPC OXA-48-like", "KLEPNE", "2025-02-03"),
        ("erg", "ERG", "ENCFAI", "2025-02-04"),
        ("pan_r", "R à tous les antibiotiques testés (8)", "PSEAER", "2025-02-06"),
        ("vrsa", "S. aureus R à la vancomycine (SARV)", "STAAUR", "2025-02-05"),
    ]
    assert {r["status"] for r in rows} == {"nouvelle"}
    assert all(r["finess"] == FINESS and r["year"] == 2025 for r in rows)
    summary = world.services.uploads.get(referent, FINESS, imported["upload"])[1]["summary"]
    assert summary["alerts"] == {"epc": 1, "erg": 1, "pan_r": 1, "vrsa": 1}


def test_an_alert_keeps_no_patient_identifier(imported) -> None:
    stored = repr(imported["world"].services.adapters.alerts.all())  # type: ignore[attr-defined]
    assert "IPP" not in stored
    assert "pseudonym" not in stored


def test_the_referent_is_e_mailed_once_per_alert_in_french_with_a_link_to_the_alert_screen(imported) -> None:
    world = imported["world"]
    mails = [m for m in world.mailer.sent if "alerte" in m.subject]
    assert len(mails) == 4
    assert all(m.to == ("r@chu.fr",) for m in mails)
    epc = next(m for m in mails if "EPC" in m.subject)
    assert epc.subject == "ConsoRes : alerte EPC OXA-48-like — CHU"
    assert "Date du prélèvement : 03/02/2025" in epc.body
    assert f"#/alertes?scope=establishment:{FINESS}&alerte=" in epc.body
    assert "IPP" not in epc.body


def test_the_same_isolates_sent_again_raise_nothing_new_and_keep_their_acknowledgement_and_mail(imported) -> None:
    world, referent = imported["world"], imported["referent"]
    first = listed(world, referent)
    epc = next(r for r in first if r["kind"] == "epc")
    world.services.alerts.acknowledge(referent, epc["alert_id"], "traitée", "Patient isolé")
    send(world, referent, imported["lab"], ROWS)
    again = listed(world, referent)
    assert sorted(r["alert_id"] for r in again) == sorted(r["alert_id"] for r in first)
    assert next(r for r in again if r["alert_id"] == epc["alert_id"])["status"] == "traitée"
    assert len([m for m in world.mailer.sent if "alerte" in m.subject]) == 4


def test_alerts_are_listed_for_the_establishment_its_region_and_the_nation_and_for_nobody_else(imported) -> None:
    world = imported["world"]
    assert len(listed(world, a_member(Status.OBSERVATEUR))) == 4
    assert len(listed(world, a_profile(ProfileType.REGIONAL, "52"), "region:52")) == 4
    assert len(listed(world, a_profile(ProfileType.REGIONAL, "52"))) == 4
    assert len(listed(world, a_profile(ProfileType.NATIONAL), "national")) == 4
    with pytest.raises(NotFound):
        listed(world, a_profile(ProfileType.REGIONAL, "53"))
    with pytest.raises(NotFound):
        listed(world, a_profile(ProfileType.REGIONAL, "53"), "region:52")
    with pytest.raises(Forbidden):
        listed(world, a_profile(ProfileType.REGIONAL, "52"), "national")
    with pytest.raises(NotFound):
        listed(world, Principal(Email("x@es35.fr"), memberships={Finess("350000998"): Status.REFERENT}))
    with pytest.raises(InvalidInput):
        listed(world, imported["referent"], "partout")


def test_alerts_are_filtered_by_year_and_status(imported) -> None:
    world, referent = imported["world"], imported["referent"]
    some = listed(world, referent)[0]
    world.services.alerts.acknowledge(referent, some["alert_id"], "vue", None)
    assert [r["alert_id"] for r in listed(world, referent, status="vue")] == [some["alert_id"]]
    assert len(listed(world, referent, status="nouvelle")) == 3
    assert listed(world, referent, year="2024") == []
    assert len(listed(world, referent, year="2025")) == 4
    with pytest.raises(InvalidInput):
        listed(world, referent, status="ouverte")


def test_the_establishment_acknowledges_an_alert_with_a_comment_kept_as_text_and_audited(imported) -> None:
    world = imported["world"]
    world.access.put_membership(Membership(Finess(FINESS), Email("contributeur@chu.fr"), Status.CONTRIBUTEUR, "t"))
    alert = listed(world, imported["referent"])[0]
    done = world.services.alerts.acknowledge(a_member(Status.CONTRIBUTEUR), alert["alert_id"], "traitée",
                                             " <script>alert(1)</script> dépistage des contacts ")  # fmt: skip
    assert done["status"] == "traitée"
    assert done["comment"] == "<script>alert(1)</script> dépistage des contacts"
    entry = world.audit.entries[-1]
    assert (entry.actor, entry.action) == ("contributeur@chu.fr", "alert.acknowledge")
    assert entry.target == f"establishment:{FINESS}/alert:{alert['alert_id']}"
    assert entry.before == {"status": "nouvelle", "comment": None}


def test_only_the_referent_and_contributeurs_acknowledge_others_are_told_why(imported) -> None:
    world = imported["world"]
    alert_id = listed(world, imported["referent"])[0]["alert_id"]
    for caller in (a_member(Status.OBSERVATEUR), a_profile(ProfileType.REGIONAL, "52"), a_profile(ProfileType.NATIONAL)):
        with pytest.raises(Forbidden):
            world.services.alerts.acknowledge(caller, alert_id, "vue", None)
    with pytest.raises(NotFound):
        world.services.alerts.acknowledge(a_profile(ProfileType.REGIONAL, "53"), alert_id, "vue", None)
    with pytest.raises(NotFound, match="Alerte introuvable"):
        world.services.alerts.acknowledge(imported["referent"], "absent", "vue", None)
    with pytest.raises(InvalidInput, match="Commentaire trop long"):
        world.services.alerts.acknowledge(imported["referent"], alert_id, "vue", "x" * 2_001)
    with pytest.raises(InvalidInput, match="Statut inconnu"):
        world.services.alerts.acknowledge(imported["referent"], alert_id, "nouvelle", None)
    assert listed(world, imported["referent"])[0]["status"] == "nouvelle"


def test_alerts_are_listed_the_last_raised_first_then_the_latest_specimen_first(imported) -> None:
    dates = [r["specimen_date"] for r in listed(imported["world"], imported["referent"])]
    assert dates == ["2025-02-06", "2025-02-05", "2025-02-04", "2025-02-03"]


def test_an_alert_mail_that_fails_never_fails_the_import_and_the_alert_is_listed() -> None:
    world, referent, lab = a_world_with_a_laboratory(FINESS, UFS)
    world.access.referents[Finess(FINESS)] = Email("r@chu.fr")
    world.workflows.runner = runner(lambda: world.services.deduplication)

    def refuse(_letter) -> None:
        raise ConnectionError("SES indisponible")

    world.mailer.send = refuse  # type: ignore[method-assign]
    send(world, referent, lab, ROWS)
    assert len(listed(world, referent)) == 4


def test_a_report_reads_the_years_alerts_counted_by_kind_and_carbapenemase_type_without_any_comment(imported) -> None:
    world, referent = imported["world"], imported["referent"]
    alert = next(r for r in listed(world, referent) if r["kind"] == "epc")
    world.services.alerts.acknowledge(referent, alert["alert_id"], "traitée", "patient IPP-EPC isolé en chambre seule")
    reader = a_member(Status.OBSERVATEUR)
    summary = world.services.alerts.year_summary(reader, f"establishment:{FINESS}", 2025)
    assert (summary["total"], summary["acknowledged"], summary["to_handle"]) == (4, 1, 3)
    assert {k["kind"]: k["count"] for k in summary["by_kind"]} == {
        "epc": 1, "erg": 1, "colistin_r": 0, "vrsa": 1, "candida_auris": 0, "pan_r": 1,
    }  # fmt: skip
    assert summary["by_carbapenemase"] == [{"type": "OXA-48-like", "count": 1}]
    assert [r["specimen_date"] for r in summary["rows"]] == ["2025-02-03", "2025-02-04", "2025-02-05", "2025-02-06"]
    assert [r["acknowledged"] for r in summary["rows"]] == [True, False, False, False]
    assert "isolé" not in repr(summary) and alert["alert_id"] not in repr(summary)
    assert world.services.alerts.year_summary(reader, f"establishment:{FINESS}", 2024)["total"] == 0


def test_the_establishment_report_prints_its_alerts_of_the_year_and_never_a_comment(imported) -> None:
    from datetime import UTC, datetime

    from chalicelib.domain.reports.model import Table

    world, referent = imported["world"], imported["referent"]
    alert = next(r for r in listed(world, referent) if r["kind"] == "erg")
    world.services.alerts.acknowledge(referent, alert["alert_id"], "vue", "appel du laboratoire")
    document = world.services.standard_reports.content(Finess(FINESS), 2025, 1, datetime(2026, 2, 1, tzinfo=UTC))
    section = next(s for s in document.sections if s.title == "Alertes de l'année")
    listing = next(b for b in section.blocks if isinstance(b, Table) and b.columns[0] == "Date du prélèvement")
    assert listing.rows[:2] == (
        ("03/02/2025", "Klebsiella pneumoniae", "EPC OXA-48-like", "Urine", "à traiter"),
        ("04/02/2025", "Enterococcus faecium", "ERG", "Urine", "acquittée"),
    )
    assert "appel du laboratoire" not in repr(document)


def test_a_synthesis_counts_only_the_alerts_of_closed_periods_never_a_draft(imported) -> None:
    regional = a_profile(ProfileType.REGIONAL, "52")
    summary = imported["world"].services.alerts.year_summary

    def total(closed: dict[str, set[str]]) -> int:
        return summary(regional, "region:52", 2025, closed)["total"]

    assert summary(regional, "region:52", 2025)["total"] == 4  # the region's team follows every alert
    assert total({}) == total({FINESS: {"2025-T2", "2025-T3"}}) == 0  # the specimens are of February
    assert total({FINESS: {"2025-T1"}}) == total({FINESS: {"2025"}}) == 4
