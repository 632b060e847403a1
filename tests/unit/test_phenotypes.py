"""Phenotypes of one isolate (DOMAIN.md §7), on hand-made cases: one per phenotype and per branch."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, VanGene
from chalicelib.domain.resistance.phenotypes import PHENOTYPES_RULE, Basis, Finding, phenotypes
from tests.support.isolates import isolate

GROUPS = {
    "ESCCOL": "Enterobacterales",
    "KLEPNE": "Enterobacterales",
    "STAAUR": "Staphylocoques",
    "ENCFAE": "Entérocoques",
    "ENCFAI": "Entérocoques",
    "PSEAER": "Non fermentants",
    "ACIBAU": "Non fermentants",
}
NAMES = ("sarm", "eblse", "epc", "erg", "c3g_r", "fq_r", "carba_r", "caz_r")


def group_of(species: str) -> str | None:
    return GROUPS.get(species)


def iso(species: str, results: str = "", **facts: Any) -> Isolate:
    """A blood culture of a man, row 2 (``facts`` as ``isolate`` takes them); ``results`` as "FOX=R OXA=S"."""
    return isolate(2, results, species=species, sex="M", specimen="BLOOD", **facts)


def finding(isolate: Isolate, name: str) -> Finding:
    return phenotypes(isolate, group_of).findings[name]


# --- unknown is never negative ---


def test_missing_test_is_unknown_never_negative() -> None:
    for species in GROUPS:
        found = phenotypes(iso(species), group_of)
        assert [getattr(found, name) for name in NAMES] == [None] * len(NAMES), species
        assert found.carbapenemase_type is None
    assert finding(iso("STAAUR"), "sarm") == Finding(None, Basis.NOT_TESTED, ("FOX", "OXA"))
    assert finding(iso("ESCCOL"), "eblse") == Finding(None, Basis.FLAG_MISSING)
    assert finding(iso("ESCCOL", "AMX=R GEN=S"), "c3g_r") == Finding(None, Basis.NOT_TESTED, ("CTX", "CRO", "CAZ"))


def test_every_phenotype_states_its_basis_and_the_rule() -> None:
    found = phenotypes(iso("ESCCOL", "CTX=R CIP=S", esbl=True), group_of)

    assert found.rule == PHENOTYPES_RULE
    assert tuple(found.findings) == NAMES
    assert found.findings["c3g_r"] == Finding(True, Basis.RESISTANT, ("CTX",))
    assert found.findings["fq_r"] == Finding(False, Basis.NOT_RESISTANT, ("CIP",))
    assert found.findings["eblse"] == Finding(True, Basis.FLAG_POSITIVE, ("oui",))
    assert found.findings["sarm"] == Finding(None, Basis.NOT_CONCERNED)
    for name in NAMES:
        assert getattr(found, name) is found.findings[name].value


# --- SARM ---


@pytest.mark.parametrize(
    ("results", "evidence"), [("FOX=R", ("FOX",)), ("FOX=S OXA=R", ("OXA",)), ("FOX=R OXA=R", ("FOX", "OXA"))]
)
def test_mrsa_is_s_aureus_resistant_to_cefoxitin_or_oxacillin(results: str, evidence: tuple[str, ...]) -> None:
    assert finding(iso("STAAUR", results), "sarm") == Finding(True, Basis.RESISTANT, evidence)


@pytest.mark.parametrize("results", ["FOX=S", "OXA=S", "FOX=S OXA=SFP"])
def test_s_aureus_not_resistant_to_any_tested_of_cefoxitin_and_oxacillin_is_not_mrsa(results: str) -> None:
    assert phenotypes(iso("STAAUR", results), group_of).sarm is False


def test_the_mrsa_label_hint_stands_for_a_missing_test() -> None:
    assert finding(iso("STAAUR", "VAN=S", hints={"mrsa": True}), "sarm") == Finding(True, Basis.LABEL_HINT, ("mrsa",))


def test_a_cefoxitin_result_wins_over_the_mrsa_label_hint() -> None:
    assert phenotypes(iso("STAAUR", "FOX=S", hints={"mrsa": True}), group_of).sarm is False


def test_a_negative_label_hint_never_makes_a_phenotype_negative() -> None:
    assert phenotypes(iso("STAAUR", hints={"mrsa": False}), group_of).sarm is None


def test_mrsa_concerns_s_aureus_only() -> None:
    assert finding(iso("ESCCOL", "FOX=R OXA=R", hints={"mrsa": True}), "sarm") == Finding(None, Basis.NOT_CONCERNED)


# --- EBLSE ---


def test_esbl_flag_positive_is_eblse() -> None:
    assert phenotypes(iso("KLEPNE", esbl=True), group_of).eblse is True


def test_esbl_flag_negative_is_not_eblse() -> None:
    assert finding(iso("ESCCOL", "CTX=R", esbl=False), "eblse") == Finding(False, Basis.FLAG_NEGATIVE, ("non",))


def test_eblse_without_flag_is_unknown_unless_the_label_says_esbl() -> None:
    assert phenotypes(iso("ESCCOL", "CTX=R"), group_of).eblse is None
    assert finding(iso("ESCCOL", hints={"esbl": True}), "eblse") == Finding(True, Basis.LABEL_HINT, ("esbl",))


def test_the_esbl_flag_wins_over_the_label_hint() -> None:
    assert phenotypes(iso("ESCCOL", esbl=False, hints={"esbl": True}), group_of).eblse is False


def test_eblse_concerns_enterobacterales_only() -> None:
    assert finding(iso("PSEAER", esbl=True), "eblse") == Finding(None, Basis.NOT_CONCERNED)


def test_enterobacterales_membership_comes_from_the_group_whatever_its_case() -> None:
    assert phenotypes(iso("ENTCLO", esbl=True), lambda _: "ENTEROBACTERALES").eblse is True
    assert phenotypes(iso("ENTCLO", esbl=True), lambda _: None).eblse is None


# --- EPC ---


@pytest.mark.parametrize("kind", [c for c in Carbapenemase if c is not Carbapenemase.NEGATIVE])
def test_any_carbapenemase_type_is_epc(kind: Carbapenemase) -> None:
    found = phenotypes(iso("KLEPNE", carbapenemase=kind), group_of)

    assert found.epc is True
    assert found.findings["epc"] == Finding(True, Basis.FLAG_POSITIVE, (kind.value,))


def test_carbapenemase_type_is_kept() -> None:
    assert phenotypes(iso("KLEPNE", carbapenemase=Carbapenemase.OXA48), group_of).carbapenemase_type is Carbapenemase.OXA48
    assert phenotypes(iso("ESCCOL", carbapenemase=Carbapenemase.NDM), group_of).carbapenemase_type is Carbapenemase.NDM


def test_a_negative_carbapenemase_is_not_epc_and_has_no_type() -> None:
    found = phenotypes(iso("ESCCOL", "IPM=R", carbapenemase=Carbapenemase.NEGATIVE), group_of)

    assert (found.epc, found.carbapenemase_type) == (False, None)


def test_epc_without_flag_is_unknown_even_when_carbapenem_resistant() -> None:
    found = phenotypes(iso("KLEPNE", "IPM=R MEM=R"), group_of)

    assert (found.epc, found.carbapenemase_type) == (None, None)
    assert found.findings["epc"].basis is Basis.FLAG_MISSING


def test_the_cpe_label_hint_is_epc_of_unknown_type() -> None:
    found = phenotypes(iso("KLEPNE", hints={"cpe": True}), group_of)

    assert (found.epc, found.carbapenemase_type) == (True, None)
    assert found.findings["epc"].basis is Basis.LABEL_HINT
    assert phenotypes(iso("KLEPNE", carbapenemase=Carbapenemase.NEGATIVE, hints={"cpe": True}), group_of).epc is False


def test_epc_concerns_enterobacterales_only() -> None:
    found = phenotypes(iso("PSEAER", carbapenemase=Carbapenemase.VIM), group_of)

    assert (found.epc, found.carbapenemase_type) == (None, None)


# --- ERG ---


@pytest.mark.parametrize("species", ["ENCFAI", "ENCFAE"])
def test_vre_is_e_faecium_or_e_faecalis_resistant_to_vancomycin(species: str) -> None:
    assert finding(iso(species, "VAN=R"), "erg") == Finding(True, Basis.RESISTANT, ("VAN",))


@pytest.mark.parametrize("gene", [VanGene.VANA, VanGene.VANB])
def test_a_van_gene_is_vre_whatever_the_vancomycin_result(gene: VanGene) -> None:
    assert finding(iso("ENCFAI", "VAN=S", van=gene), "erg") == Finding(True, Basis.GENE_POSITIVE, (gene.value,))


@pytest.mark.parametrize("results", ["VAN=S", "VAN=SFP"])
def test_an_enterococcus_not_resistant_to_vancomycin_is_not_vre(results: str) -> None:
    assert phenotypes(iso("ENCFAE", results, van=VanGene.NONE), group_of).erg is False
    assert phenotypes(iso("ENCFAE", results), group_of).erg is False


def test_a_negative_van_gene_without_vancomycin_is_not_vre() -> None:
    assert finding(iso("ENCFAI", van=VanGene.NONE, hints={"vre": True}), "erg") == Finding(False, Basis.GENE_NEGATIVE, ("non",))


def test_the_vre_label_hint_stands_for_missing_tests() -> None:
    assert finding(iso("ENCFAI", hints={"vre": True}), "erg") == Finding(True, Basis.LABEL_HINT, ("vre",))
    assert phenotypes(iso("ENCFAI", "VAN=S", hints={"vre": True}), group_of).erg is False


def test_vre_concerns_e_faecium_and_e_faecalis_only() -> None:
    assert phenotypes(iso("STAAUR", "VAN=R", van=VanGene.VANA), group_of).erg is None


# --- C3G-R ---


@pytest.mark.parametrize("results", ["CTX=R", "CTX=S CRO=R", "CTX=S CRO=S CAZ=R"])
def test_c3g_r_is_enterobacterales_resistant_to_cefotaxime_ceftriaxone_or_ceftazidime(results: str) -> None:
    assert phenotypes(iso("ESCCOL", results), group_of).c3g_r is True


@pytest.mark.parametrize("results", ["CTX=S", "CTX=S CRO=SFP CAZ=S"])
def test_enterobacterales_not_resistant_to_any_tested_third_generation_cephalosporin_is_not_c3g_r(results: str) -> None:
    assert phenotypes(iso("KLEPNE", results), group_of).c3g_r is False


def test_c3g_r_without_a_third_generation_cephalosporin_is_unknown() -> None:
    assert phenotypes(iso("KLEPNE", "AMX=R AMC=R", esbl=True), group_of).c3g_r is None


def test_c3g_r_concerns_enterobacterales_only() -> None:
    assert phenotypes(iso("PSEAER", "CAZ=R"), group_of).c3g_r is None


# --- FQ-R ---


@pytest.mark.parametrize("antibiotic", ["CIP", "OFX", "LVX", "MFX"])
def test_fq_r_is_resistance_to_any_fluoroquinolone(antibiotic: str) -> None:
    assert finding(iso("ESCCOL", f"{antibiotic}=R NAL=R"), "fq_r") == Finding(True, Basis.RESISTANT, (antibiotic,))


def test_fq_r_is_computed_for_every_species() -> None:
    assert phenotypes(iso("PSEAER", "CIP=R"), group_of).fq_r is True
    assert phenotypes(iso("STAAUR", "LVX=R"), group_of).fq_r is True
    assert phenotypes(iso("STRPNE", "LVX=S"), group_of).fq_r is False


def test_not_resistant_to_any_tested_fluoroquinolone_is_not_fq_r() -> None:
    assert phenotypes(iso("ESCCOL", "CIP=S OFX=SFP"), group_of).fq_r is False


def test_fq_r_without_a_fluoroquinolone_is_unknown() -> None:
    assert phenotypes(iso("ESCCOL", "NAL=R"), group_of).fq_r is None


# --- carbapenem-R and ceftazidime-R non-fermenters ---


@pytest.mark.parametrize(("species", "results"), [("PSEAER", "IPM=R"), ("PSEAER", "IPM=S MEM=R"), ("ACIBAU", "MEM=R")])
def test_carba_r_is_p_aeruginosa_or_a_baumannii_resistant_to_imipenem_or_meropenem(species: str, results: str) -> None:
    assert phenotypes(iso(species, results), group_of).carba_r is True


def test_not_resistant_to_any_tested_carbapenem_is_not_carba_r() -> None:
    assert phenotypes(iso("ACIBAU", "IPM=S MEM=SFP"), group_of).carba_r is False


def test_carba_r_without_imipenem_or_meropenem_is_unknown() -> None:
    assert phenotypes(iso("PSEAER", "ETP=R"), group_of).carba_r is None


def test_carba_r_concerns_p_aeruginosa_and_a_baumannii_only() -> None:
    assert phenotypes(iso("KLEPNE", "IPM=R"), group_of).carba_r is None


def test_caz_r_is_p_aeruginosa_resistant_to_ceftazidime() -> None:
    assert phenotypes(iso("PSEAER", "CAZ=R"), group_of).caz_r is True
    assert phenotypes(iso("PSEAER", "CAZ=S"), group_of).caz_r is False
    assert phenotypes(iso("PSEAER", "CAZ=SFP"), group_of).caz_r is False


def test_caz_r_without_ceftazidime_is_unknown() -> None:
    assert phenotypes(iso("PSEAER", "FEP=R"), group_of).caz_r is None


def test_caz_r_concerns_p_aeruginosa_only() -> None:
    assert phenotypes(iso("ACIBAU", "CAZ=R"), group_of).caz_r is None
    assert phenotypes(iso("ESCCOL", "CAZ=R"), group_of).caz_r is None
