"""Automatic proposals for laboratories' labels: unambiguous labels get a code, the others wait for a person."""

from __future__ import annotations

import pytest

from chalicelib.domain.resistance.mapping import (
    HINT_CPE,
    HINT_ESBL,
    HINT_MRSA,
    HINT_VRE,
    Proposal,
    clean_label,
    is_screening,
    normalise_label,
    propose,
)
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.resistance.reference import ResistanceReference, default_reference

SPECIES, SPECIMEN, ANTIBIOTIC = MappingKind.SPECIES, MappingKind.SPECIMEN, MappingKind.ANTIBIOTIC


def code(kind: MappingKind, label: str) -> str | None:
    proposal = propose(kind, label)
    return proposal.code if proposal else None


# --------------------------------------------------------------------------- species


def test_e_coli_abbreviation_is_proposed_as_escherichia_coli() -> None:
    assert propose(SPECIES, "E. coli") == Proposal("ESCCOL", {})


@pytest.mark.parametrize(
    "label", ["Escherichia coli", "ESCHERICHIA COLI", " escherichia  coli ", "E.coli", "E coli", "Ecoli", "e. Coli", "ESCCOL"]
)
def test_case_spacing_and_punctuation_variants_of_e_coli_are_proposed(label: str) -> None:
    assert code(SPECIES, label) == "ESCCOL"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("S. aureus", "STAAUR"),
        ("Staph. aureus", "STAAUR"),
        ("Staphylocoque doré", "STAAUR"),
        ("K. pneumoniae", "KLEPNE"),
        ("K. pneumo", "KLEPNE"),
        ("Klebsiella pneumoniae ssp pneumoniae", "KLEPNE"),
        ("P. aeruginosa", "PSEAER"),
        ("Pyocyanique", "PSEAER"),
        ("S. pneumoniae", "STRPNE"),
        ("Pneumocoque", "STRPNE"),
        ("E. faecalis", "ENCFAE"),
        ("Entérocoque faecium", "ENCFAI"),
        ("A. baumannii", "ACIBAU"),
        ("Complexe Acinetobacter baumannii", "ACIBAU"),
        ("Enterobacter aerogenes", "KLEAER"),
        ("E. cloacae", "ENTCLO"),
        ("Candida glabrata", "CANGLA"),
        ("C. difficile", "CLODIF"),
        ("Clostridium difficile", "CLODIF"),
        ("Streptocoque du groupe A", "STRPYO"),
        ("Strepto B", "STRAGA"),
        ("Staphylocoque coag. nég.", "STACNS"),
        ("SCN", "STACNS"),
        ("Salmonella sp.", "SALSPP"),
        ("S. Typhi", "SALTYP"),
    ],
)
def test_common_species_labels_are_proposed(label: str, expected: str) -> None:
    assert code(SPECIES, label) == expected


def test_s_dot_alone_is_ambiguous_and_waits_for_a_person() -> None:
    assert propose(SPECIES, "S.") is None
    assert propose(SPECIES, "S") is None


@pytest.mark.parametrize(
    "label", ["Staphylococcus", "Streptocoque", "Klebsiella sp.", "E. fae", "Candida", "", "   ", "Bactérie"]
)
def test_a_genus_alone_or_an_unknown_label_waits_for_a_person(label: str) -> None:
    assert propose(SPECIES, label) is None


def test_the_species_part_disambiguates_the_genus_initial() -> None:
    assert code(SPECIES, "S. epidermidis") == "STAEPI"
    assert code(SPECIES, "S. agalactiae") == "STRAGA"
    assert code(SPECIES, "S. marcescens") == "SERMAR"
    assert code(SPECIES, "S. maltophilia") == "STEMAL"


def test_blse_suffix_proposes_the_species_and_an_esbl_hint() -> None:
    assert propose(SPECIES, "E. coli BLSE") == Proposal("ESCCOL", {HINT_ESBL: True})
    assert propose(SPECIES, "Klebsiella pneumoniae productrice de BLSE") == Proposal("KLEPNE", {HINT_ESBL: True})
    assert propose(SPECIES, "E. coli ESBL+") == Proposal("ESCCOL", {HINT_ESBL: True})


@pytest.mark.parametrize("label", ["E. coli non BLSE", "E. coli BLSE -", "E. coli BLSE nég", "E. coli BLSE négatif"])
def test_a_negated_blse_suffix_gives_a_false_hint(label: str) -> None:
    assert propose(SPECIES, label) == Proposal("ESCCOL", {HINT_ESBL: False})


def test_sarm_alone_is_staphylococcus_aureus_with_an_mrsa_hint() -> None:
    assert propose(SPECIES, "SARM") == Proposal("STAAUR", {HINT_MRSA: True})
    assert propose(SPECIES, "MRSA") == Proposal("STAAUR", {HINT_MRSA: True})
    assert propose(SPECIES, "SASM") == Proposal("STAAUR", {HINT_MRSA: False})


@pytest.mark.parametrize("label", ["S. aureus méti-R", "S. aureus meti R", "Staphylococcus aureus SARM", "S. aureus oxa-R"])
def test_methicillin_resistant_suffixes_give_an_mrsa_hint(label: str) -> None:
    assert propose(SPECIES, label) == Proposal("STAAUR", {HINT_MRSA: True})


def test_methicillin_susceptible_suffix_gives_a_false_mrsa_hint() -> None:
    assert propose(SPECIES, "S. aureus méti-S") == Proposal("STAAUR", {HINT_MRSA: False})


def test_sarm_with_another_species_is_contradictory_and_waits() -> None:
    assert propose(SPECIES, "S. epidermidis SARM") is None


def test_a_hint_outside_its_phenotype_is_dropped_but_the_species_is_proposed() -> None:
    assert propose(SPECIES, "S. epidermidis méti-R") == Proposal("STAEPI", {})
    assert propose(SPECIES, "P. aeruginosa BLSE") == Proposal("PSEAER", {})
    assert propose(SPECIES, "E. gallinarum ERV") == Proposal("ENCGAL", {})


def test_epc_suffixes_give_a_cpe_hint() -> None:
    assert propose(SPECIES, "K. pneumoniae EPC") == Proposal("KLEPNE", {HINT_CPE: True})
    assert propose(SPECIES, "K. pneumoniae OXA-48") == Proposal("KLEPNE", {HINT_CPE: True})
    assert propose(SPECIES, "E. coli NDM") == Proposal("ESCCOL", {HINT_CPE: True})
    assert propose(SPECIES, "K. pneumoniae BLSE + KPC") == Proposal("KLEPNE", {HINT_ESBL: True, HINT_CPE: True})


def test_erg_suffixes_give_a_vre_hint() -> None:
    assert propose(SPECIES, "E. faecium ERG") == Proposal("ENCFAI", {HINT_VRE: True})
    assert propose(SPECIES, "Enterococcus faecium vanA") == Proposal("ENCFAI", {HINT_VRE: True})
    assert propose(SPECIES, "E. faecalis ERV") == Proposal("ENCFAE", {HINT_VRE: True})


def test_bhre_means_epc_for_enterobacterales_and_erg_for_enterococci() -> None:
    assert propose(SPECIES, "E. cloacae BHRe") == Proposal("ENTCLO", {HINT_CPE: True})
    assert propose(SPECIES, "E. faecium BHRe") == Proposal("ENCFAI", {HINT_VRE: True})


@pytest.mark.parametrize("label", ["ERG", "ERV", "EBLSE", "BLSE", "EPC", "BHRe"])
def test_a_phenotype_alone_names_no_species_and_waits(label: str) -> None:
    assert propose(SPECIES, label) is None


def test_contradictory_suffixes_wait_for_a_person() -> None:
    assert propose(SPECIES, "E. coli BLSE non BLSE") is None


# --------------------------------------------------------------------------- antibiotics


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Amoxicilline + ac. clavulanique", "AMC"),
        ("Amoxicilline/Clavulanate", "AMC"),
        ("Augmentin", "AMC"),
        ("Amoxicilline", "AMX"),
        ("Amox", "AMX"),
        ("Pipé/tazo", "TZP"),
        ("Pipéracilline-tazobactam", "TZP"),
        ("Céfotaxime", "CTX"),
        ("CEFOTAXIME", "CTX"),
        ("Cefotaxime", "CTX"),
        ("Cefotaxim", "CTX"),
        ("ctx", "CTX"),
        ("Ceftazidime-avibactam", "CZA"),
        ("Ceftolozane/tazobactam", "CZT"),
        ("Gentamicine", "GEN"),
        ("Genta", "GEN"),
        ("Gentamicine haut niveau", "GEH"),
        ("Gentamicine 500 µg", "GEH"),
        ("Péni G", "PEN"),
        ("Ac. nalidixique", "NAL"),
        ("Acide fusidique", "FUS"),
        ("Cotrimoxazole", "SXT"),
        ("Sulfaméthoxazole + triméthoprime", "SXT"),
        ("Triméthoprime", "TMP"),
        ("Imipénème", "IPM"),
        ("Vanco", "VAN"),
        ("Colistine", "COL"),
        ("Ticar + ac. clav", "TCC"),
    ],
)
def test_antibiotic_labels_are_proposed(label: str, expected: str) -> None:
    assert propose(ANTIBIOTIC, label) == Proposal(expected, {})


def test_c3g_is_a_class_not_a_molecule_and_waits() -> None:
    assert propose(ANTIBIOTIC, "C3G") is None


@pytest.mark.parametrize("label", ["FQ", "Fluoroquinolones", "Aminosides", "Carbapénèmes", "Cef", "Céfo", "Ceftaz-avi-xyz"])
def test_ambiguous_or_unknown_antibiotic_labels_wait(label: str) -> None:
    assert propose(ANTIBIOTIC, label) is None


# --------------------------------------------------------------------------- specimens


def test_ecbu_is_a_urine_specimen() -> None:
    assert propose(SPECIMEN, "ECBU") == Proposal("URINE", {})


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Hémoculture aérobie", "HEMOC"),
        ("Hémoculture anaérobie", "HEMOC"),
        ("HEMOCULTURES", "HEMOC"),
        ("Hémoculture n°2", "HEMOC"),
        ("Urines", "URINE"),
        ("Urine sur sonde", "URINE"),
        ("LBA", "RESP_PROT"),
        ("Aspiration bronchique protégée", "RESP_PROT"),
        ("Aspiration trachéale", "RESP_NONPROT"),
        ("Expectorations", "RESP_NONPROT"),
        ("KT", "CATHETER"),
        ("Bout de cathéter", "CATHETER"),
        ("Cathéter distal protégé", "RESP_PROT"),
        ("Pus profond", "PUS_PROF"),
        ("Liquide pleural", "PUS_PROF"),
        ("Prélèvement de plaie", "PUS_SUP"),
        ("LCR", "LCR"),
        ("Ponction lombaire", "LCR"),
        ("Liquide articulaire", "ARTIC"),
        ("Biopsie osseuse", "ARTIC"),
        ("Liquide de dialyse péritonéale", "ASCITE"),
        ("Prélèvement vaginal", "GENITAL"),
        ("Coproculture", "SELLES"),
        ("Prélèvement de gorge", "ORL_OCUL"),
        ("Biopsie", "BIOPSIE"),
        ("Autre", "AUTRE"),
    ],
)
def test_specimen_labels_are_proposed(label: str, expected: str) -> None:
    assert code(SPECIMEN, label) == expected


@pytest.mark.parametrize("label", ["Pus", "Hémoculture sur KT", "Prélèvement", "Divers liquide"])
def test_a_specimen_label_naming_no_or_two_categories_waits(label: str) -> None:
    assert propose(SPECIMEN, label) is None


def test_rectal_screening_swab_is_screening() -> None:
    assert is_screening("Écouvillon rectal de dépistage")


@pytest.mark.parametrize(
    "label", ["Dépistage BHRe", "DEPISTAGE BMR", "Ecouvillon rectal", "Recherche de portage", "Nez - dépistage SARM"]
)
def test_screening_labels_are_recognised(label: str) -> None:
    assert is_screening(label)


@pytest.mark.parametrize("label", ["Hémoculture", "ECBU", "Pus profond", "LBA", "Selles"])
def test_diagnostic_specimens_are_not_screening(label: str) -> None:
    assert not is_screening(label)


def test_the_reference_answers_screening_too() -> None:
    assert default_reference().is_screening("Écouvillon rectal de dépistage")
    assert not default_reference().is_screening("Hémoculture")


# --------------------------------------------------------------------------- keys and other references


def test_a_label_is_stored_as_written_and_keyed_case_insensitively() -> None:
    assert clean_label("  E. Coli\u00a0 BLSE ") == "E. Coli BLSE"
    assert normalise_label(" E. Coli ") == normalise_label("e. coli") == "e. coli"
    assert normalise_label("E.coli") != normalise_label("E. coli")  # two stored labels, same proposal
    assert normalise_label("BLSE+") != normalise_label("BLSE-")
    assert normalise_label("Céfotaxime") != normalise_label("Cefotaxime")  # accents kept in the key


def test_proposals_use_the_reference_they_are_given() -> None:
    reference = ResistanceReference.from_rows(
        [
            {"code": "STAAUR", "name": "Staphylococcus aureus", "group": "staphylococci", "gram": "positive"},
            {"code": "STRAUR", "name": "Streptococcus aureus", "group": "streptococci", "gram": "positive"},
        ],
        [{"code": "URINE", "label": "Urine", "synonyms": "ECBU"}],
        [],
        [{"fragment": "portage"}],
    )
    assert propose(SPECIES, "Staphylococcus aureus", reference) == Proposal("STAAUR", {})
    assert propose(SPECIES, "S. aureus", reference) is None  # two entries would fit
    assert propose(SPECIMEN, "ECBU", reference) == Proposal("URINE", {})
    assert propose(ANTIBIOTIC, "Céfotaxime", reference) is None
    assert is_screening("Portage", reference)
    assert not is_screening("Dépistage", reference)


def test_no_two_reference_entries_share_a_name_or_synonym() -> None:
    # A label that is a name or synonym of two entries could never be proposed.
    reference = default_reference()
    for kind in MappingKind:
        entries: list[tuple[str, str]] = []
        if kind is SPECIES:
            entries = [(s.code, text) for s in reference.species for text in (s.code, s.name, *s.synonyms)]
        elif kind is SPECIMEN:
            entries = [(c.code, text) for c in reference.specimen_categories for text in (c.code, c.label, *c.synonyms)]
        else:
            entries = [(a.code, text) for a in reference.antibiotics for text in (a.code, a.name_fr, a.name_en, *a.synonyms)]
        wrong = [(entry_code, text) for entry_code, text in entries if code(kind, text) != entry_code]
        assert wrong == [], kind
