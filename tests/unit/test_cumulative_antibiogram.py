"""The cumulative antibiogram (CLSI M39, DOMAIN.md §10.10): a laboratory file generated here goes through
the real import path on fakes (screening exclusion, mappings, pseudonyms, lake); the indicator's SQL
(DuckDB) must equal the plain-Python reference (tests/support/m39_reference.py) computed from the file's
own rows, for every filter, and each rule of M39 holds on its own case."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.structure import Unit
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import files
from tests.support.m39_reference import Specimen, antibiogram
from tests.support.workflow import runner

FINESS = "440000990"
YEAR = 2025
#: UF -> (SAE DE, sector it resolves to)
UFS = {"0412": ("38", "MED"), "2001": ("137", "CHIR")}
SPECIES = {"E. coli": "ESCCOL", "Klebsiella pneumoniae": "KLEPNE", "Staphylococcus aureus": "STAAUR"}
SPECIMENS = {"ECBU": "URINE", "Hémoculture": "HEMOC"}
SCREENING = "Écouvillon rectal de dépistage"
ANTIBIOTICS = {"Amoxicilline": "AMX", "Céfotaxime": "CTX", "Ciprofloxacine": "CIP", "Oxacilline": "OXA"}
HEADER = ["code_uf", "IPP", "age", "sexe", "date_prelevement", "nature_prelevement", "espece", *ANTIBIOTICS]
REFERENT = Principal(Email("r@chu.fr"), memberships={Finess(FINESS): Status.REFERENT})


def line(uf: str, patient: str, when: date, specimen: str, species: str, results: str) -> list[str]:
    """One isolate; ``results``: one character per antibiotic of the header (S, I, R, F for SFP, - not tested)."""
    cells = [{"S": "S", "I": "I", "R": "R", "F": "SFP", "-": ""}[c] for c in results]
    return [uf, patient, "70", "F", when.strftime("%d/%m/%Y"), specimen, species, *cells]


def generated_rows() -> list[list[str]]:
    """E. coli: 45 patients (urine or blood, two sectors), with the cases below; K. pneumoniae: 29 patients;
    S. aureus: exactly 30; random results with S, SFP, a legacy I and R."""
    draw = random.Random(19)
    rows = [HEADER]
    start = date(YEAR, 1, 1)

    def results(species: str) -> str:
        tested = "---F" if species == "Staphylococcus aureus" else "FFF-"
        return "".join(draw.choice("SSSSFIRR") if t == "F" else "-" for t in tested)

    for index in range(45):
        rows.append(line(draw.choice(tuple(UFS)), f"EC{index}", start + timedelta(days=draw.randrange(300)),
                         draw.choice(tuple(SPECIMENS)), "E. coli", results("E. coli")))  # fmt: skip
    for index in range(29):
        rows.append(line("0412", f"KP{index}", start + timedelta(days=index), "ECBU", "Klebsiella pneumoniae",
                         results("Klebsiella pneumoniae")))  # fmt: skip
    for index in range(30):
        rows.append(line("2001", f"SA{index}", start + timedelta(days=index), "Hémoculture", "Staphylococcus aureus",
                         results("Staphylococcus aureus")))  # fmt: skip
    # EC0 again, later, another antibiotype (R where it was S): a new isolate for % R, not for M39.
    first = rows[1]
    rows.append(line(first[0], "EC0", date(YEAR, 12, 1), first[5], "E. coli", "RRR-"))
    # EC1 screened before its first diagnostic isolate: the screening specimen never counts.
    rows.insert(2, line("0412", "EC1", date(YEAR, 1, 1) - timedelta(days=0), SCREENING, "E. coli", "RRR-"))
    # EC2 twice on one date: the most complete antibiogram is the first isolate.
    rows.append(line("0412", "EC2", date(YEAR, 6, 1), "ECBU", "E. coli", "R---"))
    rows.append(line("0412", "EC2", date(YEAR, 6, 1), "ECBU", "E. coli", "SSS-"))
    return rows


def reference_isolates(rows: list[list[str]]) -> list[Specimen]:
    """The file's rows as the reference reads them (its own maps of the labels and of the UFs' sectors)."""
    codes = list(ANTIBIOTICS.values())
    found = []
    for number, row in enumerate(rows[1:], start=2):
        day, month, year = row[4].split("/")
        results = {codes[k]: value for k, value in enumerate(row[7:]) if value}
        found.append(Specimen(FINESS, row[1], SPECIES[row[6]], date(int(year), int(month), int(day)),
                              SPECIMENS.get(row[5], "?"), UFS[row[0]][1], (number,), results,
                              screening="dépistage" in row[5]))  # fmt: skip
    return found


def a_world() -> tuple[FakeWorld, str]:
    world = fake_world()
    services = world.services
    admin = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    services.tenants.create_establishment(admin, FINESS, "CHU", "CHU", "52")
    lab = services.tenants.create_laboratory(admin, "Labo", None).lab_id
    services.tenants.link_laboratory(admin, FINESS, lab)
    world.units.replace_units(Finess(FINESS), [Unit.create(code, "UF", "03", de) for code, (de, _) in UFS.items()])
    world.access.put_membership(Membership(Finess(FINESS), Email("r@chu.fr"), Status.REFERENT, "t"))
    for kind, labels in ((MappingKind.SPECIES, list(SPECIES)), (MappingKind.SPECIMEN, list(SPECIMENS)),
                         (MappingKind.ANTIBIOTIC, list(ANTIBIOTICS))):  # fmt: skip
        services.mappings.resolve(lab, kind, labels)
        services.mappings.confirm_all_proposals(REFERENT, lab, kind.value)
    world.workflows.runner = runner(lambda: world.services.deduplication)
    return world, lab


@pytest.fixture(scope="module")
def imported() -> dict[str, Any]:
    world, lab = a_world()
    rows = generated_rows()
    content = files.csv(rows)
    upload, _, _ = world.services.uploads.create(REFERENT, FINESS, "resistance", str(YEAR), "a.csv", len(content), lab)
    raw = world.services.settings.buckets["raw"]
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    world.services.uploads.process_object(raw, upload.raw_key, "v1")
    final = world.uploads.get(Finess(FINESS), upload.upload_id)
    assert final is not None and final.status is UploadStatus.DEDUPLICATED, final
    report = json.loads(world.objects.get(world.services.settings.buckets["lake"], f"reports/{FINESS}/{upload.upload_id}.json"))
    return {"world": world, "rows": rows, "report": report}


def answer(imported: dict[str, Any], **options: str) -> dict[str, Any]:
    return imported["world"].services.indicators.compute(
        REFERENT, "cumulative_antibiogram", f"establishment:{FINESS}", str(YEAR), None, options
    )


def by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["species"], r["antibiotic"]): r for r in rows}


@pytest.mark.parametrize(
    "options", [{}, {"specimen": "URINE"}, {"specimen": "hemoc"}, {"sector": "MED"}, {"specimen": "URINE", "sector": "CHIR"}]
)
def test_the_sql_equals_the_plain_python_reference_for_every_filter(imported, options):
    found = answer(imported, **options)
    rows, below = antibiogram(reference_isolates(imported["rows"]), options.get("specimen", "").upper() or None,
                              options.get("sector"))  # fmt: skip
    assert found["rule"] == "premier-isolat-patient-espece-annee-m39"
    assert found["species_below_min"] == below
    want, got = by_key(rows), by_key(found["rows"])
    assert set(got) == set(want)
    for key, row in want.items():
        assert {k: got[key].get(k) for k in row} == row, key
        assert ("flag" in got[key]) == ("flag" in row), key


def test_only_the_first_isolate_of_a_patient_and_species_counts_whatever_its_antibiotype(imported):
    ecoli_patients = {r[1] for r in imported["rows"][1:] if r[6] == "E. coli" and "dépistage" not in r[5]}
    counted = by_key(answer(imported)["rows"])["ESCCOL", "AMX"]
    assert counted["isolates"] == len(ecoli_patients) == 45  # EC0's second antibiotype and EC2's twin left out
    pct_r = imported["world"].services.indicators.compute(
        REFERENT, "pct_r", f"establishment:{FINESS}", str(YEAR), None, {}
    )  # the platform's deduplication keeps EC0's new antibiotype: one more E. coli tested
    assert by_key(pct_r["rows"])["ESCCOL", "AMX"]["n"] > counted["n"]


def test_a_screening_specimen_is_never_counted(imported):
    assert imported["report"]["summary"]["excluded"]["screening"] == 1
    isolates = reference_isolates(imported["rows"])
    with_screening = [Specimen(**{**vars(i), "screening": False}) for i in isolates]
    counted = by_key(answer(imported)["rows"])["ESCCOL", "CTX"]
    if_counted = by_key(antibiogram(with_screening)[0])["ESCCOL", "CTX"]
    assert (counted["pct_r"], counted["n"]) == (by_key(antibiogram(isolates)[0])["ESCCOL", "CTX"]["pct_r"], 45)
    assert counted["pct_r"] != if_counted["pct_r"]  # EC1's screening swab (all R) would have been its first isolate


def test_a_species_with_29_isolates_is_left_out_and_named_and_one_with_30_is_shown(imported):
    found = answer(imported)
    assert {"species": "KLEPNE", "isolates": 29} in found["species_below_min"]
    assert not [r for r in found["rows"] if r["species"] == "KLEPNE"]
    assert by_key(found["rows"])["STAAUR", "OXA"]["isolates"] == 30


def test_sfp_and_a_legacy_i_are_counted_apart_from_s_and_r(imported):
    row = by_key(answer(imported)["rows"])["ESCCOL", "AMX"]
    firsts = {}
    for isolate in reference_isolates(imported["rows"]):
        held = firsts.get(isolate.patient)
        if isolate.species == "ESCCOL" and not isolate.screening and (held is None or (isolate.when, -len(isolate.results), isolate.order) < (held.when, -len(held.results), held.order)):  # noqa: E501
            firsts[isolate.patient] = isolate
    results = [i.results["AMX"] for i in firsts.values()]
    assert results.count("I") and results.count("SFP")
    assert row["pct_sfp"] == round((results.count("I") + results.count("SFP")) / len(results) * 100, 3)
    assert row["pct_s"] + row["pct_sfp"] + row["pct_r"] == pytest.approx(100, abs=0.01)
    assert row["ci_low"] <= row["pct_r"] <= row["ci_high"] and row["pct_s_ci"][0] <= row["pct_s"] <= row["pct_s_ci"][1]


def test_an_unknown_specimen_category_or_sector_is_refused_in_french(imported):
    with pytest.raises(InvalidInput, match="Catégorie de prélèvement inconnue"):
        answer(imported, specimen="sang")
    with pytest.raises(InvalidInput, match="Secteur d'activité inconnu"):
        answer(imported, sector="URG")


def test_open_data_show_the_three_percentages_of_a_cell_and_nothing_of_a_suppressed_one():
    from chalicelib.domain.antibiogram import antibiogram_row
    from chalicelib.domain.indicators import INDICATORS
    from chalicelib.services.indicators.open_data import open_cells

    big, small = antibiogram_row("ESCCOL", "AMX", 20, 5, 15, 40), antibiogram_row("ESCCOL", "CTX", 3, 1, 2, 40)
    per_es = [{**row, "establishment": es} for row in (big, small) for es in ("A", "B", "C")]
    shown, suppressed = open_cells([big, small], per_es, INDICATORS["cumulative_antibiogram"])
    assert (shown["pct_s"], shown["pct_sfp"], shown["pct_r"], shown["pct_s_ci"]) == (50.0, 12.5, 37.5, big["pct_s_ci"])
    assert "isolates" not in shown
    assert suppressed == {"species": "ESCCOL", "antibiotic": "CTX", "value": None, "suppressed": True}
