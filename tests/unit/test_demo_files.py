"""The demo establishments' files (``make run``): a structure a hospital could have
(pôles, services, DE codes and specialties that match the UFs' names) and a year of
patient-days and consumption that fills every view by UF, service, pôle and specialty."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from chalicelib.domain.drugs import Scope, Ucd, ddd_of_line, default_ddd_table, demo_catalogue
from chalicelib.domain.drugs.families import scope_of
from chalicelib.domain.files.structure import validate
from chalicelib.domain.periods import Period
from infra.local import demo_files

SEED = 440000990


def demo_year(category: str, seed: int) -> tuple[dict[str, int], dict[tuple[str, Scope], float]]:
    """Patient-days by UF and DDD by (UF, scope) of the demo year, as the platform computes them."""
    units = demo_files.layout(category)
    catalogue, table = demo_catalogue(), default_ddd_table()
    days: dict[str, int] = defaultdict(int)
    ddd: dict[tuple[str, Scope], float] = defaultdict(float)
    for quarter in Period(2025).quarters():
        for code, n in demo_files.patient_days(units, quarter, seed).items():
            days[code] += n
        for code, ucd, _label, quantity, _period in demo_files.consumption_rows(units, quarter, seed)[1:]:
            entry = catalogue.get(Ucd.parse(ucd))
            assert entry is not None
            ddd[(code, scope_of(entry.atc))] += float(ddd_of_line(Decimal(quantity), entry, table, 2025).ddd)
    return days, ddd


@pytest.mark.parametrize("category", ["CHU", "CH"])
def test_the_demo_structure_is_clean_and_every_uf_has_a_service_and_a_pole(category: str) -> None:
    rows = demo_files.structure_rows(demo_files.layout(category))
    parsed = validate(rows, list(range(1, len(rows) + 1)))
    assert parsed.accepted and parsed.report.problems == []
    for unit in parsed.rows:
        assert unit.code_pole and unit.libelle_pole and unit.libelle_pole.startswith("Pôle "), unit
        assert unit.code_service and unit.libelle_service, unit
    # Theatres serve one surgical UF each, so that no consumption lands outside every service.
    assert "CHIR_TOTAL" not in parsed.report.summary["theatres"].values()
    assert [u.libelle for u in parsed.rows if u.excluded] == ["Accueil des urgences"]


def test_the_demo_chu_has_the_des_and_specialties_of_its_units() -> None:
    units = demo_files.units_of(demo_files.layout("CHU"))
    by_label = {u.libelle: u for u in units.values()}
    expected = {
        "Hématologie clinique": ("MED", "hématologie"),
        "Oncologie médicale": ("MED", "oncologie"),
        "Maladies infectieuses et tropicales": ("MED", "maladies infectieuses"),
        "Cardiologie": ("MED", None),
        "Réanimation médicale": ("REA", None),
        "Chirurgie viscérale et digestive": ("CHIR", None),
        "Pédiatrie générale": ("PED", None),
        "Maternité": ("GYNOBS", None),
        "SMR polyvalent": ("SMR", None),
    }
    assert {label: (by_label[label].sector, by_label[label].specialty) for label in expected} == expected
    poles = {u.libelle_pole for u in units.values()}
    assert {"Pôle Médecine", "Pôle Chirurgie", "Pôle Femme-Enfant", "Pôle Réanimation-Urgences"} <= poles
    assert by_label["Hématologie clinique"].libelle_service == "Hématologie clinique"


def test_the_demo_year_fills_every_care_uf_and_haematology_uses_antifungals() -> None:
    days, ddd = demo_year("CHU", SEED)
    units = demo_files.units_of(demo_files.layout("CHU"))
    care = [u for u in units.values() if u.carries_patient_days]
    assert {u.code_uf for u in care} == set(days)
    assert all(ddd[(u.code_uf, Scope.ANTIBIOTIC)] > 0 for u in care)
    haematology = next(u.code_uf for u in units.values() if u.specialty == "hématologie")
    antifungal = ddd[(haematology, Scope.ANTIFUNGAL)] / days[haematology] * 1000
    assert 250 < antifungal < 500  # DDJ/1000 JH, haematology's order of magnitude
    overall = sum(v for (_, scope), v in ddd.items() if scope is Scope.ANTIBIOTIC) / sum(days.values()) * 1000
    assert 400 < overall < 550  # a CHU's antibiotic use
    assert not [code for (code, _) in ddd if not units[code].carries_consumption]


def test_the_laboratory_isolates_come_from_care_ufs_of_the_structure() -> None:
    for category in ("CHU", "CH"):
        units = demo_files.units_of(demo_files.layout(category))
        assert all(units[code].carries_patient_days for code in demo_files.laboratory_ufs(category))
