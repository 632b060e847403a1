"""Which kept isolates raise an alert (DOMAIN.md §10.10), on hand-made cases, and the reference's integrity:
every alert is computable from the columns a resistance file carries."""

from __future__ import annotations

import pytest

from chalicelib.domain.alerts import (
    CANAUR,
    KIND_INPUTS,
    MAX_COMMENT,
    PAN_R_MIN_TESTED,
    AlertKind,
    AlertStatus,
    Finding,
    alert_id,
    comment_of,
    findings,
    listed_status_of,
    status_of,
)
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.files.resistance.column_specs import RESISTANCE
from chalicelib.domain.resistance.model import Carbapenemase, VanGene
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.services.resistance_rules import group_lookup
from tests.support.isolates import isolate

REFERENCE = default_reference()
GROUP_OF = group_lookup(REFERENCE)


def kinds(species: str, results: str = "", **facts) -> list[AlertKind]:
    return [found.kind for found in findings(isolate(2, results, species=species, **facts), GROUP_OF)]


def test_a_carbapenemase_producing_enterobacterales_raises_an_epc_alert_naming_its_type() -> None:
    found = findings(isolate(2, "IPM=R", species="KLEPNE", carbapenemase=Carbapenemase.OXA48), GROUP_OF)
    assert found == (Finding(AlertKind.EPC, "EPC OXA-48-like"),)
    assert kinds("KLEPNE", "IPM=R", carbapenemase=Carbapenemase.NEGATIVE) == []
    assert kinds("KLEPNE", "IPM=R") == []  # no flag: unknown, never an alert


def test_an_enterococcus_with_a_van_gene_or_r_to_vancomycin_raises_an_erg_alert() -> None:
    assert findings(isolate(2, "", species="ENCFAI", van=VanGene.VANA), GROUP_OF) == (Finding(AlertKind.ERG, "ERG vanA"),)
    assert findings(isolate(2, "VAN=R", species="ENCFAE"), GROUP_OF) == (Finding(AlertKind.ERG, "ERG"),)
    assert kinds("ENCFAE", "VAN=S") == []


def test_an_enterobacterales_r_to_colistin_raises_an_alert_other_species_do_not() -> None:
    assert kinds("ESCCOL", "COL=R") == [AlertKind.COLISTIN_R]
    assert kinds("ESCCOL", "COL=SFP") == []
    assert kinds("PSEAER", "COL=R") == []


def test_a_s_aureus_r_to_vancomycin_raises_a_vrsa_alert() -> None:
    assert kinds("STAAUR", "VAN=R OXA=S") == [AlertKind.VRSA]
    assert kinds("STAAUR", "VAN=S OXA=R") == []  # a MRSA is no alert


def test_every_candidozyma_auris_isolate_raises_an_alert_whatever_its_results() -> None:
    assert kinds(CANAUR) == [AlertKind.CANDIDA_AURIS]
    assert kinds("CANALB") == []


def test_an_isolate_r_to_every_antibiotic_tested_raises_an_alert_from_eight_tested() -> None:
    eight = " ".join(f"{code}=R" for code in ("AMX", "AMC", "TZP", "CTX", "CAZ", "GEN", "AMK", "CIP"))
    assert kinds("PSEAER", eight) == [AlertKind.PAN_R]
    assert findings(isolate(2, eight, species="PSEAER"), GROUP_OF)[0].phenotype == "R à tous les antibiotiques testés (8)"
    seven = " ".join(eight.split()[: PAN_R_MIN_TESTED - 1])
    assert kinds("PSEAER", seven) == []
    assert kinds("PSEAER", eight + " MEM=SFP") == []  # SFP is not R


def test_one_isolate_may_raise_several_kinds() -> None:
    assert kinds("KLEPNE", "COL=R", carbapenemase=Carbapenemase.NDM) == [AlertKind.EPC, AlertKind.COLISTIN_R]


def test_an_alert_id_names_one_isolate_and_kind_and_hides_the_pseudonym() -> None:
    first = alert_id("440000990", "pseudo", "KLEPNE", "URINE", "2025-03-01", AlertKind.EPC)
    assert first == alert_id("440000990", "pseudo", "KLEPNE", "URINE", "2025-03-01", AlertKind.EPC)
    others = {
        alert_id("440000991", "pseudo", "KLEPNE", "URINE", "2025-03-01", AlertKind.EPC),
        alert_id("440000990", "other", "KLEPNE", "URINE", "2025-03-01", AlertKind.EPC),
        alert_id("440000990", "pseudo", "KLEPNE", "URINE", "2025-03-02", AlertKind.EPC),
        alert_id("440000990", "pseudo", "KLEPNE", "URINE", "2025-03-01", AlertKind.COLISTIN_R),
    }
    assert first not in others and len(others) == 4
    assert "pseudo" not in first


def test_every_alert_is_computable_from_the_columns_a_resistance_file_carries() -> None:
    columns = {column.name for column in RESISTANCE}
    antibiotics = set(REFERENCE.antibiotics_by_code)
    assert set(KIND_INPUTS) == set(AlertKind)
    for kind, inputs in KIND_INPUTS.items():
        for needed in inputs:
            assert needed == "*" or needed in columns or needed in antibiotics, (kind, needed)
    assert CANAUR in REFERENCE.species_by_code
    assert {"KLEPNE", "ENCFAI", "ENCFAE", "STAAUR"} <= set(REFERENCE.species_by_code)


def test_a_person_sets_an_alert_seen_or_handled_never_new_again() -> None:
    assert status_of("vue") is AlertStatus.SEEN
    assert status_of("traitée") is AlertStatus.HANDLED
    for wrong in ("nouvelle", "traitee", "", None):
        with pytest.raises(InvalidInput, match="Statut inconnu"):
            status_of(wrong)
    assert listed_status_of(None) is None
    assert listed_status_of("nouvelle") is AlertStatus.NEW
    with pytest.raises(InvalidInput):
        listed_status_of("ouverte")


def test_a_comment_is_kept_as_typed_and_bounded() -> None:
    assert comment_of("  <b>Patient</b> isolé  ") == "<b>Patient</b> isolé"
    assert comment_of("   ") is None
    assert comment_of(None) is None
    assert comment_of("x" * MAX_COMMENT) == "x" * MAX_COMMENT
    with pytest.raises(InvalidInput, match="Commentaire trop long"):
        comment_of("x" * (MAX_COMMENT + 1))
