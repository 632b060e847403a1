"""Synthetic but realistic import files for the demo establishments.

Deterministic (seeded): sectors with typical bed counts and occupancy, and
antibiotic use per sector in DDJ/1000 JH close to French hospital figures
(about 300 overall; intensive care well above 1,000), spread over the usual
families. Quantities are computed back from DDD through the WHO table and the
demo catalogue, so the platform's own computation finds the intended figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from chalicelib.domain.drugs import Ucd, default_ddd_table, demo_catalogue
from chalicelib.domain.periods import Period


@dataclass(frozen=True)
class DemoUnit:
    code: str
    label: str
    code_ta: str
    code_de: str
    beds: int
    ddd_per_1000: int  # target antibiotic use of the unit


#: (UCD, share of the unit's antibiotic DDD) by sector, from common prescribing:
#: amoxicillin(-clavulanate), C3G, piperacillin-tazobactam, carbapenems,
#: fluoroquinolones, glycopeptides, cloxacillin, cefazolin, metronidazole...
MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "MED": (("0900011", 0.26), ("0900008", 0.12), ("0900046", 0.16), ("0900115", 0.10), ("0900029", 0.08), ("0900025", 0.06),
            ("0900109", 0.06), ("0900138", 0.06), ("0900085", 0.05), ("0900164", 0.05)),
    "CHIR": (("0900017", 0.26), ("0900034", 0.22), ("0900046", 0.12), ("0900138", 0.12), ("0900029", 0.10), ("0900115", 0.10),
             ("0900129", 0.08)),
    "REA": (("0900029", 0.22), ("0900068", 0.14), ("0900047", 0.12), ("0900129", 0.12), ("0900079", 0.08), ("0900017", 0.08),
            ("0900025", 0.08), ("0900118", 0.06), ("0900169", 0.10)),
    "PED": (("0900004", 0.30), ("0900013", 0.30), ("0900046", 0.25), ("0900008", 0.15)),
    "GYNOBS": (("0900011", 0.35), ("0900017", 0.30), ("0900034", 0.20), ("0900001", 0.15)),
    "SMR": (("0900011", 0.40), ("0900001", 0.25), ("0900115", 0.20), ("0900109", 0.15)),
}  # fmt: skip

SECTOR_OF_DE = {"38": "MED", "137": "CHIR", "104": "REA", "108": "PED", "163": "GYNOBS", "220": "SMR"}

LAYOUTS: dict[str, tuple[DemoUnit, ...]] = {
    "CHU": (
        DemoUnit("0410", "Médecine interne", "03", "38", 30, 520),
        DemoUnit("0411", "Maladies infectieuses", "03", "38", 24, 900),
        DemoUnit("0412", "Pneumologie", "03", "38", 28, 480),
        DemoUnit("1201", "Chirurgie viscérale", "03", "137", 30, 430),
        DemoUnit("1202", "Chirurgie orthopédique", "03", "137", 32, 380),
        DemoUnit("0801", "Bloc opératoire central", "08", "137", 0, 60),
        DemoUnit("2001", "Réanimation médicale", "03", "104", 16, 1450),
        DemoUnit("3001", "Pédiatrie", "03", "108", 20, 300),
        DemoUnit("4001", "Maternité", "03", "163", 30, 180),
        DemoUnit("5001", "SMR polyvalent", "03", "220", 40, 140),
    ),
    "CH": (
        DemoUnit("0100", "Médecine polyvalente", "03", "38", 36, 450),
        DemoUnit("0200", "Chirurgie", "03", "137", 28, 390),
        DemoUnit("0300", "Soins continus", "03", "104", 8, 1100),
        DemoUnit("0400", "SMR", "03", "220", 30, 130),
    ),
}


def layout(category: str) -> tuple[DemoUnit, ...]:
    return LAYOUTS.get(category, LAYOUTS["CH"])


def structure_rows(units: tuple[DemoUnit, ...]) -> list[list[str]]:
    return [["code_uf", "libelle_uf", "code_ta", "code_de"]] + [[u.code, u.label, u.code_ta, u.code_de] for u in units]


def beds_rows(units: tuple[DemoUnit, ...], year: int) -> list[list[str]]:
    return [["code_uf", "annee", "lits"]] + [[u.code, str(year), str(u.beds)] for u in units if u.beds]


def patient_days(units: tuple[DemoUnit, ...], period: Period, seed: int) -> dict[str, int]:
    draw = random.Random(f"{seed}-{period}")
    return {u.code: round(u.beds * period.days * draw.uniform(0.78, 0.92)) for u in units if u.beds}


def patient_days_rows(units: tuple[DemoUnit, ...], period: Period, seed: int) -> list[list[str]]:
    days = patient_days(units, period, seed)
    return [["code_uf", "periode", "journees"]] + [[code, str(period), str(n)] for code, n in days.items()]


def consumption_rows(units: tuple[DemoUnit, ...], period: Period, seed: int) -> list[list[str]]:
    """Several dispensing lines per UF and product, as a pharmacy export gives them."""
    draw = random.Random(f"{seed}-{period}-conso")
    catalogue, table = demo_catalogue(), default_ddd_table()
    days = patient_days(units, period, seed)
    surgery_days = sum(days[u.code] for u in units if u.code_de == "137" and u.code in days)
    rows = [["code_uf", "code_ucd", "libelle", "quantite", "periode"]]
    for unit in units:
        sector = SECTOR_OF_DE[unit.code_de]
        base_days = days.get(unit.code, surgery_days)  # a theatre's use scales with surgery
        target = unit.ddd_per_1000 * base_days / 1000 * draw.uniform(0.85, 1.15)
        for ucd, share in MIX[sector]:
            entry = catalogue.get(Ucd.parse(ucd))
            assert entry is not None, ucd
            ddd = table.ddd(entry.atc, entry.route, period.year, entry.substance)
            assert ddd is not None, ucd
            units_needed = Decimal(str(target * share)) * ddd.value / entry.strength
            for _month in range(3 if period.quarter else 12):  # one dispensing line a month
                quantity = units_needed / (3 if period.quarter else 12) * Decimal(str(draw.uniform(0.8, 1.2)))
                rows.append([unit.code, entry.ucd.value, entry.label[:60], f"{quantity:.0f}", str(period)])
    return rows
