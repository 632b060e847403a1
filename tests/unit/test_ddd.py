"""Defined daily doses of a consumption line: quantity x strength / WHO DDD."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chalicelib.domain.drugs import (
    AtcCode,
    CatalogueEntry,
    DddTable,
    Route,
    Ucd,
    Unit,
    ddd_of_line,
    default_ddd_table,
    demo_catalogue,
)
from chalicelib.domain.errors import InvalidInput, Unprocessable

YEAR = 2024


def entry(
    atc: str,
    route: str,
    strength: str,
    unit: str = "g",
    substance: str = "substance",
    label: str = "Produit de test",
) -> CatalogueEntry:
    return CatalogueEntry(
        ucd=Ucd.parse("0999999"),
        label=label,
        substance=substance,
        atc=AtcCode.parse(atc),
        route=Route.parse(route),
        strength=Decimal(strength),
        strength_unit=Unit.parse(unit),
        form="comprimé",
    )


def demo(label_start: str) -> CatalogueEntry:
    matches = [e for e in demo_catalogue().entries if e.label.startswith(label_start)]
    assert len(matches) == 1, label_start
    return matches[0]


def who_row(version: str, atc: str, route: str, value: str, unit: str = "g", substance: str = "x") -> dict[str, str]:
    return {
        "version": version,
        "atc_code": atc,
        "substance": substance,
        "route": route,
        "ddd_value": value,
        "ddd_unit": unit,
        "refers_to": "",
        "note": "",
    }


def test_amoxicillin_clavulanate_counts_amoxicillin_ddd() -> None:
    tablet = demo("Amoxicilline/acide clavulanique 1 g/125 mg, comprimé")
    result = ddd_of_line(3, tablet, default_ddd_table(), YEAR)
    assert result.who_ddd.refers_to == "amoxicillin"
    assert result.amount == Decimal(3)
    assert result.ddd == Decimal(2)  # 3 g amoxicillin / 1.5 g oral DDD


def test_piperacillin_tazobactam_counts_piperacillin_ddd() -> None:
    vial = demo("Pipéracilline/tazobactam 4 g/500 mg")
    result = ddd_of_line(7, vial, default_ddd_table(), YEAR)
    assert result.who_ddd.refers_to == "piperacillin"
    assert result.ddd == Decimal(2)  # 28 g / 14 g


def test_imipenem_cilastatin_counts_imipenem_ddd() -> None:
    vial = demo("Imipénem/cilastatine 500 mg/500 mg")
    assert ddd_of_line(4, vial, default_ddd_table(), YEAR).ddd == Decimal(1)  # 2 g imipenem / 2 g


def test_same_substance_uses_the_ddd_of_its_route() -> None:
    oral = ddd_of_line(3, demo("Amoxicilline 1 g, comprimé pelliculé"), default_ddd_table(), YEAR)
    injectable = ddd_of_line(3, demo("Amoxicilline 1 g, poudre"), default_ddd_table(), YEAR)
    assert (oral.ddd, injectable.ddd) == (Decimal(2), Decimal(1))  # 1.5 g oral, 3 g parenteral


def test_paediatric_suspension_counts_the_whole_bottle() -> None:
    bottle = demo("Amoxicilline 250 mg/5 mL, poudre pour suspension buvable, flacon de 60 mL")
    assert ddd_of_line(1, bottle, default_ddd_table(), YEAR).ddd == Decimal(2)  # 3 g / 1.5 g


def test_cotrimoxazole_uses_its_explicit_unit_dose_row() -> None:
    forte = demo("Sulfaméthoxazole/triméthoprime 800 mg/160 mg (forte)")
    result = ddd_of_line(2, forte, default_ddd_table(), YEAR)
    assert result.unit is Unit.UD
    assert "1 UD = 400 mg sulfamethoxazole + 80 mg trimethoprim" in result.who_ddd.note
    assert result.ddd == Decimal(1)  # two forte tablets = 4 UD = 1 DDD


def test_cotrimoxazole_single_strength_tablets_and_ampoules_count_four_per_ddd() -> None:
    table = default_ddd_table()
    tablet = demo("Sulfaméthoxazole/triméthoprime 400 mg/80 mg, comprimé")
    ampoule = demo("Sulfaméthoxazole/triméthoprime 400 mg/80 mg par 5 mL")
    assert ddd_of_line(4, tablet, table, YEAR).ddd == Decimal(1)
    assert ddd_of_line(8, ampoule, table, YEAR).ddd == Decimal(2)


@pytest.mark.parametrize(
    ("strength", "unit", "substance"),
    [
        ("0.96", "g", "sulfamethoxazole and trimethoprim"),  # 800/160 mg as the combination
        ("960", "mg", "sulfaméthoxazole + triméthoprime"),
        ("0.8", "g", "sulfamethoxazole"),  # as its sulfamethoxazole
        ("800", "mg", "sulfamethoxazole"),
    ],
)
def test_cotrimoxazole_from_a_catalogue_in_grams_or_milligrams_counts_in_unit_doses(strength, unit, substance) -> None:
    forte = entry("J01EE01", "O", strength, unit=unit, substance=substance)
    result = ddd_of_line(2, forte, default_ddd_table(), YEAR)
    assert (result.unit, result.ddd) == (Unit.UD, Decimal(1))  # two forte tablets = 4 UD = 1 DDD


def test_colistimethate_counts_in_million_units() -> None:
    vial = demo("Colistiméthate sodique 1 000 000 UI, poudre pour solution injectable")
    result = ddd_of_line(9, vial, default_ddd_table(), YEAR)
    assert result.unit is Unit.MU
    assert result.ddd == Decimal(1)


def test_antifungal_ddd_in_milligrams_is_used_as_is() -> None:
    vial = demo("Caspofungine 50 mg")
    assert ddd_of_line(10, vial, default_ddd_table(), YEAR).ddd == Decimal(10)


def test_strength_in_milligrams_is_converted_to_a_ddd_in_grams() -> None:
    capsule = entry("J01CA04", "O", "500", unit="mg", substance="amoxicillin")
    result = ddd_of_line(3, capsule, default_ddd_table(), YEAR)
    assert result.amount == Decimal("1.5") and result.unit is Unit.G
    assert result.ddd == Decimal(1)


def test_strength_in_grams_is_converted_to_a_ddd_in_milligrams() -> None:
    vial = entry("J02AX04", "P", "0.05", substance="caspofungin")
    assert ddd_of_line(2, vial, default_ddd_table(), YEAR).ddd == Decimal(2)


def test_lipid_amphotericin_b_uses_its_own_who_ddd() -> None:
    ambisome = demo("AmBisome 50 mg")
    result = ddd_of_line(42, ambisome, default_ddd_table(), YEAR)
    assert result.who_ddd.value == Decimal(210)
    assert result.ddd == Decimal(10)


def test_conventional_amphotericin_b_uses_the_plain_who_ddd() -> None:
    conventional = demo("Amphotéricine B (désoxycholate) 50 mg")
    result = ddd_of_line(7, conventional, default_ddd_table(), YEAR)
    assert result.who_ddd.value == Decimal(35) and result.who_ddd.qualifier == ""
    assert result.ddd == Decimal(10)


def test_erythromycin_ethylsuccinate_tablets_use_their_variant_ddd() -> None:
    table = default_ddd_table()
    tablets = demo("Érythromycine (éthylsuccinate) 500 mg, comprimé")
    sachets = demo("Érythromycine (éthylsuccinate) 500 mg, granulés")
    assert ddd_of_line(4, tablets, table, YEAR).ddd == Decimal(1)  # 2 g DDD
    assert ddd_of_line(4, sachets, table, YEAR).ddd == Decimal(2)  # 1 g DDD


def test_variants_without_a_plain_row_need_the_catalogue_to_name_one() -> None:
    table = default_ddd_table()
    atc = AtcCode.parse("J01XX05")
    assert table.ddd(atc, Route.ORAL, YEAR) is None
    hippurate = table.ddd(atc, Route.ORAL, YEAR, substance="methenamine (hippurate)")
    assert hippurate is not None and hippurate.value == Decimal(2)
    with pytest.raises(Unprocessable, match="methenamine \\(mandelate\\)"):
        ddd_of_line(1, entry("J01XX05", "O", "1", substance="methenamine"), table, YEAR)


def test_missing_who_ddd_is_an_error_not_a_guess() -> None:
    rectal_amoxicillin = entry("J01CA04", "R", "1", label="Amoxicilline suppositoire")
    with pytest.raises(Unprocessable, match="Aucune DDJ de l'OMS pour J01CA04 par voie R") as caught:
        ddd_of_line(1, rectal_amoxicillin, default_ddd_table(), YEAR)
    assert caught.value.code == "ERR_DDD_MISSING"
    assert caught.value.details[0]["ucd"] == "0999999"


def test_incompatible_units_are_refused_in_french() -> None:
    colistin_in_grams = entry("J01XB01", "P", "0.08", substance="colistin")
    with pytest.raises(Unprocessable, match="Unités incompatibles") as caught:
        ddd_of_line(1, colistin_in_grams, default_ddd_table(), YEAR)
    assert caught.value.code == "ERR_DDD_UNIT"


def test_a_cotrimoxazole_mass_that_is_no_whole_unit_dose_is_refused_not_guessed() -> None:
    odd = entry("J01EE01", "O", "0.7", substance="sulfamethoxazole and trimethoprim")
    with pytest.raises(Unprocessable, match="Unités incompatibles"):
        ddd_of_line(1, odd, default_ddd_table(), YEAR)


def test_decimal_and_negative_quantities_are_computed_exactly() -> None:
    tablet = demo("Amoxicilline/acide clavulanique 1 g/125 mg, comprimé")
    table = default_ddd_table()
    assert ddd_of_line("4,5", tablet, table, YEAR).ddd == Decimal(3)
    assert ddd_of_line(-3, tablet, table, YEAR).ddd == Decimal(-2)


def test_quantity_that_is_not_a_number_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="Quantité invalide"):
        ddd_of_line("beaucoup", demo("Amoxicilline 500 mg, gélule"), default_ddd_table(), YEAR)


def test_data_year_picks_latest_table_version_not_after_it() -> None:
    table = DddTable.from_rows(
        [
            who_row("2024", "J01CA04", "O", "1.5"),
            who_row("2026", "J01CA04", "O", "2"),
        ]
    )
    assert table.versions == (2024, 2026)
    assert [table.version_for(year) for year in (2024, 2025, 2026, 2030)] == [2024, 2024, 2026, 2026]
    capsule = entry("J01CA04", "O", "1")
    assert ddd_of_line(3, capsule, table, 2025).ddd == Decimal(2)
    result = ddd_of_line(3, capsule, table, 2026)
    assert result.version == 2026 and result.ddd == Decimal("1.5")


def test_year_before_every_version_uses_the_oldest_version_and_says_so() -> None:
    table = DddTable.from_rows([who_row("2024", "J01CA04", "O", "1.5"), who_row("2026", "J01CA04", "O", "2")])
    assert ddd_of_line(3, entry("J01CA04", "O", "1"), table, 2019).version == 2024


def test_a_code_dropped_from_a_later_version_has_no_ddd_for_later_years() -> None:
    table = DddTable.from_rows([who_row("2024", "J01CA04", "O", "1.5"), who_row("2026", "J01CE02", "O", "2")])
    assert table.ddd("J01CA04", Route.ORAL, 2024) is not None
    assert table.ddd("J01CA04", Route.ORAL, 2026) is None


def test_duplicate_who_rows_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="ligne en double"):
        DddTable.from_rows([who_row("2024", "J01CA04", "O", "1.5"), who_row("2024", "J01CA04", "O", "2")])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("version", "24", "Version de table"),
        ("ddd_value", "0", "Valeur de DDJ"),
        ("ddd_unit", "kg", "Unité inconnue"),
        ("route", "Z", "Voie d'administration inconnue"),
        ("atc_code", "J01", "Code ATC invalide"),
    ],
)
def test_malformed_who_rows_are_rejected_in_french(column: str, value: str, message: str) -> None:
    row = who_row("2024", "J01CA04", "O", "1.5")
    row[column] = value
    with pytest.raises(InvalidInput, match=message):
        DddTable.from_rows([row])


def test_catalogue_entry_parses_a_catalogue_row() -> None:
    parsed = CatalogueEntry.parse(
        {
            "ucd": "0900001",
            "label": "Amoxicilline 500 mg, gélule",
            "substance": "amoxicillin",
            "atc": "j01ca04",
            "route": "o",
            "strength": "0,5",
            "strength_unit": "G",
            "form": "gélule",
        }
    )
    assert parsed.atc == AtcCode("J01CA04") and parsed.route is Route.ORAL
    assert parsed.strength == Decimal("0.5") and parsed.strength_unit is Unit.G


def test_catalogue_entry_rejects_a_non_positive_strength() -> None:
    row = {"ucd": "0900001", "label": "x", "substance": "y", "atc": "J01CA04", "route": "O", "strength": "0"}
    row["strength_unit"] = "g"
    with pytest.raises(InvalidInput, match="Dosage invalide"):
        CatalogueEntry.parse(row)


def test_catalogue_finds_a_product_by_either_ucd_form() -> None:
    catalogue = demo_catalogue()
    product = catalogue.entries[0]
    assert catalogue.get(product.ucd.ucd13) == product
    assert catalogue.get(str(product.ucd)) == product
    assert catalogue.get("0000000") is None


def test_inhaled_routes_are_not_systemic_by_default() -> None:
    assert Route.ORAL.is_systemic and Route.PARENTERAL.is_systemic and Route.RECTAL.is_systemic
    assert not Route.INHALED_SOLUTION.is_systemic and not Route.INHALED_POWDER.is_systemic
