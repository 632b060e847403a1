"""Integrity of the resistance reference tables: species, specimen categories, antibiotics, screening labels."""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from chalicelib.domain.drugs import default_families
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.resistance.reference import (
    Gram,
    ResistanceReference,
    SpeciesGroup,
    default_reference,
)
from chalicelib.reference import read_table

# The eight EARS-Net pathogens and the antibiotics ECDC accepts for each (TESSy AMRTEST v3,
# metadata set 57, 2025-03-13; shared/reference/tessy_amr_panels.csv).
EARS_NET_PANELS = {
    "ACISPP": "AMK CIP COL CZA CZT DOR FDC GEN IMR IPM LVX MEM MEV NET POL TOB",
    "ENCFAE": "AMP AMX GEH LNZ TEC VAN",
    "ENCFAI": "AMP AMX GEH LNZ TEC VAN",
    "ESCCOL": "AMC AMK AMP AMX CAZ CIP COL CRO CTX CZA CZT DOR ETP FDC FEP GEN IMR IPM LVX MEM MEV MFX NAL NET NOR OFX PIP POL"
    " TGC TOB TZP",
    "KLEPNE": "AMC AMK CAZ CIP COL CRO CTX CZA CZT DOR ETP FDC FEP GEN IMR IPM LVX MEM MEV MFX NAL NET NOR OFX PIP POL TGC TOB"
    " TZP",
    "PSEAER": "AMK CAZ CIP COL CZA CZT DOR ETP FDC FEP GEN IMR IPM LVX MEM MEV NET PIP POL TOB TZP",
    "STAAUR": "CIP CLO DAP DIC FLC FOX LNZ LVX MET NOR OFX OXA RIF TEC VAN",
    "STRPNE": "AZM CIP CLR CRO CTX ERY LVX MFX NOR OFX OXA PEN",
}
# Codes TESSy accepts that the platform does not carry because French laboratories do not test them.
# Empty: every requested code is in antibiotics.csv (even DIC, FLC, MET, DOR, rarely tested in France).
NOT_TESTED_IN_FRANCE: frozenset[str] = frozenset()
# Antibiotics without a systemic ATC family (topical only): their family is set by hand.
FAMILY_BY_HAND = {"MUP": "OTHER_ANTIBACTERIALS"}  # mupirocin D06AX09 (nasal decolonisation, tested on S. aureus)

SHARED_PANELS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "tessy_amr_panels.csv"
# The codes DOMAIN.md §4.5 names.
DOMAIN_CODES = (
    "AMX AMC TZP TEM FOX CTX CRO CAZ FEP ETP IPM MEM GEN AMK TOB CIP OFX LVX MFX SXT FOS NIT OXA VAN TEC LNZ DAP ERY CLI RIF COL"
)
SPECIMEN_CODES = {
    "HEMOC",
    "URINE",
    "RESP_PROT",
    "RESP_NONPROT",
    "PUS_PROF",
    "PUS_SUP",
    "CATHETER",
    "LCR",
    "ARTIC",
    "ASCITE",
    "GENITAL",
    "SELLES",
    "ORL_OCUL",
    "BIOPSIE",
    "AUTRE",
}


@pytest.fixture(scope="module")
def reference() -> ResistanceReference:
    return default_reference()


# --------------------------------------------------------------------------- columns and keys


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("species", ["code", "name", "group", "gram", "ears_net_code", "synonyms"]),
        ("specimen_categories", ["code", "label", "ears_net_specimen", "synonyms"]),
        ("antibiotics", ["code", "name_fr", "name_en", "atc", "family", "synonyms"]),
        ("screening_labels", ["fragment", "comment"]),
    ],
)
def test_tables_have_the_agreed_columns(table: str, columns: list[str]) -> None:
    assert list(read_table(table)[0]) == columns


@pytest.mark.parametrize("table", ["species", "specimen_categories", "antibiotics"])
def test_codes_are_unique_and_upper_case(table: str) -> None:
    codes = Counter(row["code"] for row in read_table(table))
    assert [code for code, count in codes.items() if count > 1] == []
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]+", code) for code in codes), codes


@pytest.mark.parametrize("table", ["species", "specimen_categories", "antibiotics", "screening_labels"])
def test_tables_have_no_stray_spaces_or_empty_synonyms(table: str) -> None:
    for row in read_table(table):
        for key, value in row.items():
            assert value == value.strip(), (table, key, value)
        synonyms = row.get("synonyms", "")
        if synonyms:
            assert all(part.strip() == part and part for part in synonyms.split("|")), row


def test_the_tables_load_into_the_reference(reference: ResistanceReference) -> None:
    assert len(reference.species) == len(read_table("species"))
    assert len(reference.specimen_categories) == len(read_table("specimen_categories"))
    assert len(reference.antibiotics) == len(read_table("antibiotics"))
    assert reference.codes(MappingKind.SPECIMEN) == SPECIMEN_CODES
    assert reference.species_by_code["ESCCOL"].name == "Escherichia coli"
    assert reference.antibiotics_by_code["CTX"].name_fr == "Céfotaxime"


def test_a_duplicate_code_is_refused() -> None:
    row = {"code": "ESCCOL", "name": "Escherichia coli", "group": "enterobacterales", "gram": "negative"}
    with pytest.raises(ValueError, match="ESCCOL"):
        ResistanceReference.from_rows([row, row], [], [])


def test_a_malformed_atc_code_is_refused() -> None:
    row = {"code": "CTX", "name_fr": "Céfotaxime", "name_en": "Cefotaxime", "atc": "J01DD1", "family": "C3G"}
    with pytest.raises(ValueError, match="J01DD1"):
        ResistanceReference.from_rows([], [], [row])


# --------------------------------------------------------------------------- species


def test_there_are_at_least_sixty_species(reference: ResistanceReference) -> None:
    assert len(reference.species) >= 60


def test_every_species_has_a_known_group_and_gram(reference: ResistanceReference) -> None:
    for species in reference.species:
        assert isinstance(species.group, SpeciesGroup)
        assert (species.gram is Gram.FUNGUS) == (species.group is SpeciesGroup.FUNGI), species


def test_every_group_has_species(reference: ResistanceReference) -> None:
    assert {species.group for species in reference.species} == set(SpeciesGroup)


def test_the_eight_ears_net_pathogens_have_their_tessy_code(reference: ResistanceReference) -> None:
    for pathogen in EARS_NET_PANELS:
        assert reference.ears_net_species(pathogen), pathogen
    assert reference.species_by_code["ACIBAU"].ears_net_code == "ACISPP"
    for code in ("ESCCOL", "KLEPNE", "PSEAER", "STAAUR", "STRPNE", "ENCFAE", "ENCFAI"):
        assert reference.species_by_code[code].ears_net_code == code


def test_only_ears_net_pathogen_codes_are_used(reference: ResistanceReference) -> None:
    used = {species.ears_net_code for species in reference.species if species.ears_net_code}
    assert used <= set(EARS_NET_PANELS)


def test_the_species_the_phenotypes_need_are_there(reference: ResistanceReference) -> None:
    by_code = reference.species_by_code
    assert by_code["STAAUR"].group is SpeciesGroup.STAPHYLOCOCCI
    assert by_code["ENCFAE"].group is by_code["ENCFAI"].group is SpeciesGroup.ENTEROCOCCI
    assert by_code["KLEAER"].group is SpeciesGroup.ENTEROBACTERALES
    assert "Enterobacter aerogenes" in by_code["KLEAER"].synonyms
    assert by_code["ACIBAU"].group is by_code["PSEAER"].group is SpeciesGroup.NON_FERMENTERS
    assert "Candida glabrata" in by_code["CANGLA"].synonyms


# --------------------------------------------------------------------------- specimens and screening


def test_there_are_exactly_the_fifteen_specimen_categories(reference: ResistanceReference) -> None:
    assert len(reference.specimen_categories) == 15
    assert {category.code for category in reference.specimen_categories} == SPECIMEN_CODES


def test_only_blood_cultures_and_csf_go_to_ears_net(reference: ResistanceReference) -> None:
    specimens = {category.code: category.ears_net_specimen for category in reference.specimen_categories}
    assert {code: value for code, value in specimens.items() if value} == {"HEMOC": "BLOOD", "LCR": "CSF"}


def test_specimen_labels_are_french(reference: ResistanceReference) -> None:
    labels = {category.code: category.label for category in reference.specimen_categories}
    assert labels["HEMOC"] == "Hémoculture"
    assert labels["LCR"] == "Liquide céphalo-rachidien"


def test_screening_labels_include_the_domain_examples(reference: ResistanceReference) -> None:
    assert {"dépistage", "écouvillon rectal de dépistage", "portage", "BMR", "BHRe dépistage"} <= set(
        reference.screening_fragments
    )


# --------------------------------------------------------------------------- antibiotics


def test_every_antibiotic_has_a_well_formed_atc_code_and_a_known_family(reference: ResistanceReference) -> None:
    families = default_families()
    known = {family.code for _, family in families.prefixes}
    for antibiotic in reference.antibiotics:
        assert re.fullmatch(r"[A-Z]\d{2}[A-Z]{2}\d{2}", antibiotic.atc), antibiotic
        assert antibiotic.family in known, antibiotic
        family = families.family_of(antibiotic.atc)
        expected = family.code if family else FAMILY_BY_HAND.get(antibiotic.code)
        assert antibiotic.family == expected, antibiotic


def test_every_antibiotic_code_is_three_letters(reference: ResistanceReference) -> None:
    assert all(re.fullmatch(r"[A-Z]{3}", antibiotic.code) for antibiotic in reference.antibiotics)


def test_every_code_the_ears_net_panels_request_exists_or_is_not_tested_in_france(reference: ResistanceReference) -> None:
    requested = {code for codes in EARS_NET_PANELS.values() for code in codes.split()}
    missing = requested - set(reference.antibiotics_by_code) - NOT_TESTED_IN_FRANCE
    assert missing == set()
    assert not NOT_TESTED_IN_FRANCE & set(reference.antibiotics_by_code)


def test_the_codes_named_in_the_domain_exist(reference: ResistanceReference) -> None:
    assert set(DOMAIN_CODES.split()) <= set(reference.antibiotics_by_code)


def test_the_families_the_indicators_compare_are_right(reference: ResistanceReference) -> None:
    by_code = reference.antibiotics_by_code
    assert {by_code[code].family for code in ("CTX", "CRO", "CAZ")} == {"C3G"}
    assert {by_code[code].family for code in ("CIP", "OFX", "LVX", "MFX")} == {"FLUOROQUINOLONES"}
    assert {by_code[code].family for code in ("ETP", "IPM", "MEM")} == {"CARBAPENEMS"}
    assert by_code["AMC"].family == "AMOXICILLIN_CLAVULANATE"
    assert by_code["TZP"].family == "PIPERACILLIN_TAZOBACTAM"
    assert by_code["GEH"].atc == by_code["GEN"].atc


@pytest.mark.skipif(not SHARED_PANELS.exists(), reason="shared/reference is not next to the repository")
def test_the_panels_copied_here_are_those_of_the_shared_file() -> None:
    with SHARED_PANELS.open(encoding="utf-8") as handle:
        shared = {row["pathogen"]: row["requested_antibiotics"] for row in csv.DictReader(handle)}
    assert shared == EARS_NET_PANELS


# --------------------------------------------------------------------------- provenance


def test_every_table_has_a_provenance_line() -> None:
    provenance = resources.files("chalicelib.reference").joinpath("PROVENANCE_RESISTANCE.md").read_text(encoding="utf-8")
    for name in ("species.csv", "specimen_categories.csv", "antibiotics.csv", "screening_labels.csv"):
        assert f"`{name}`" in provenance
