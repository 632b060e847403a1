"""Synthetic but realistic import files for the demo establishments.

Deterministic (seeded): a hospital structure (pôles, services, UFs with the SAE
activity type and equipment discipline of what they are, and a specialty for
haematology, oncology and infectious diseases), typical bed counts and
occupancy, and antibiotic use per UF in DDJ/1000 JH close to French hospital
figures (a few hundred overall; intensive care and haematology well above
1,000), spread over the usual families, plus antifungals (J02) where they are
used most (haematology, oncology). Quantities are computed back from DDD
through the WHO table and the demo catalogue, so the platform's own
computation finds the intended figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from chalicelib.domain.drugs import Ucd, default_ddd_table, demo_catalogue
from chalicelib.domain.periods import Period
from chalicelib.domain.structure import SURGERY_TOTAL, Unit, theatre_reallocation


@dataclass(frozen=True)
class DemoUnit:
    code: str
    label: str
    code_ta: str
    code_de: str  # SAE equipment discipline of what the UF is (sae_de_sectors.csv gives its sector)
    beds: int
    ddd_per_1000: int  # target antibiotic use of the unit
    pole: tuple[str, str] = ("", "")  # (code, French label)
    service: tuple[str, str] = ("", "")  # (code, French label)
    specialty: str = ""  # hématologie, maladies infectieuses, oncologie (DOMAIN.md §4.1)
    mix: str = ""  # key of MIX; empty: the UF's sector
    antifungal_per_1000: int = 0  # target antifungal (J02) use, from ANTIFUNGAL_MIX[mix]


#: (UCD, share of the unit's antibiotic DDD) by sector or kind of unit, from common prescribing:
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
    # endocarditis (amoxicillin, cloxacillin, gentamicin), device infections (cefazolin), pneumonia
    "CARDIO": (("0900011", 0.30), ("0900008", 0.20), ("0900046", 0.20), ("0900025", 0.10), ("0900034", 0.10), ("0900075", 0.05),
               ("0900115", 0.05)),
    # febrile neutropenia (piperacillin-tazobactam, cefepime, carbapenems, vancomycin, amikacin) and prophylaxis
    # (cotrimoxazole against pneumocystis, levofloxacin)
    "HEMATO": (("0900029", 0.22), ("0900060", 0.12), ("0900068", 0.14), ("0900129", 0.10), ("0900109", 0.14), ("0900121", 0.10),
               ("0900079", 0.05), ("0900046", 0.05), ("0900011", 0.08)),
    "ONCO": (("0900011", 0.25), ("0900046", 0.15), ("0900029", 0.20), ("0900059", 0.10), ("0900115", 0.10), ("0900109", 0.10),
             ("0900138", 0.05), ("0900121", 0.05)),
}  # fmt: skip

#: (UCD, share of the unit's antifungal DDD): posaconazole prophylaxis, voriconazole and liposomal amphotericin B
#: for invasive aspergillosis and mucormycosis, echinocandins and fluconazole for candidiasis.
ANTIFUNGAL_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "HEMATO": (("0900173", 0.40), ("0900171", 0.12), ("0900172", 0.10), ("0900180", 0.15), ("0900185", 0.10), ("0900169", 0.13)),
    "ONCO": (("0900164", 0.60), ("0900169", 0.20), ("0900180", 0.20)),
}  # fmt: skip

_MEDECINE = ("P01", "Pôle Médecine")
_HEMATO_ONCO = ("P02", "Pôle Cancérologie-Hématologie")
_CHIRURGIE = ("P03", "Pôle Chirurgie")
_REA_URG = ("P04", "Pôle Réanimation-Urgences")
_FEMME_ENFANT = ("P05", "Pôle Femme-Enfant")
_GERIATRIE_SMR = ("P06", "Pôle Gériatrie-SMR")

#: The demo structures. Units are listed in the order their figures are drawn: the
#: UFs of the first demo come first, unchanged, so that their patient-days and
#: consumption stay what they were; UFs added since come after them.
#: DE codes (SAE): 102 maladies infectieuses, 104 réanimation médicale, 105 réanimation
#: polyvalente, 108 pédiatrie, 123 hématologie, 126 médecine carcinologique, 127 médecine
#: cardiovasculaire, 130 pneumologie, 137 chirurgie générale, 146 chirurgie digestive,
#: 165 obstétrique, 174 médecine générale et spécialités médicales, 225 médecine interne,
#: 402 accueil des urgences, 627 moyen séjour (SMR) indifférencié, 628 orthopédie,
#: 637 surveillance continue en cardiologie. A theatre (TA 08) has the DE of the
#: surgical UF it serves, so that its consumption counts there.
LAYOUTS: dict[str, tuple[DemoUnit, ...]] = {
    "CHU": (
        DemoUnit("0410", "Médecine interne", "03", "225", 30, 520, _MEDECINE, ("S11", "Médecine interne")),
        DemoUnit("0411", "Maladies infectieuses et tropicales", "03", "102", 24, 900, _MEDECINE,
                 ("S12", "Maladies infectieuses et tropicales"), specialty="maladies infectieuses"),
        DemoUnit("0412", "Pneumologie", "03", "130", 28, 480, _MEDECINE, ("S13", "Pneumologie")),
        DemoUnit("1201", "Chirurgie viscérale et digestive", "03", "146", 30, 430, _CHIRURGIE,
                 ("S31", "Chirurgie viscérale et digestive")),
        DemoUnit("1202", "Chirurgie orthopédique et traumatologique", "03", "628", 32, 380, _CHIRURGIE,
                 ("S32", "Chirurgie orthopédique et traumatologique")),
        DemoUnit("0801", "Bloc opératoire de chirurgie viscérale", "08", "146", 0, 60, _CHIRURGIE,
                 ("S31", "Chirurgie viscérale et digestive")),
        DemoUnit("2001", "Réanimation médicale", "03", "104", 16, 1450, _REA_URG, ("S41", "Réanimation médicale")),
        DemoUnit("3001", "Pédiatrie générale", "03", "108", 20, 300, _FEMME_ENFANT, ("S51", "Pédiatrie")),
        DemoUnit("4001", "Maternité", "03", "165", 30, 180, _FEMME_ENFANT, ("S52", "Gynécologie-obstétrique")),
        DemoUnit("5001", "SMR polyvalent", "03", "627", 40, 140, _GERIATRIE_SMR, ("S61", "Soins médicaux et de réadaptation")),
        # added since the first demo
        DemoUnit("0413", "Cardiologie", "03", "127", 24, 240, _MEDECINE, ("S14", "Cardiologie"), mix="CARDIO"),
        DemoUnit("0414", "Soins intensifs de cardiologie (USIC)", "03", "637", 8, 420, _MEDECINE, ("S14", "Cardiologie"),
                 mix="CARDIO"),
        DemoUnit("0601", "Hématologie clinique", "03", "123", 24, 1050, _HEMATO_ONCO, ("S21", "Hématologie clinique"),
                 specialty="hématologie", mix="HEMATO", antifungal_per_1000=380),
        DemoUnit("0602", "Oncologie médicale", "03", "126", 20, 420, _HEMATO_ONCO, ("S22", "Oncologie médicale"),
                 specialty="oncologie", mix="ONCO", antifungal_per_1000=45),
        DemoUnit("0802", "Bloc opératoire d'orthopédie", "08", "628", 0, 60, _CHIRURGIE,
                 ("S32", "Chirurgie orthopédique et traumatologique")),
        DemoUnit("1001", "Accueil des urgences", "10", "402", 0, 0, _REA_URG, ("S42", "Urgences")),  # outside the surveillance
    ),
    "CH": (
        DemoUnit("0100", "Médecine polyvalente", "03", "174", 36, 450, ("P1", "Pôle Médecine"), ("S11", "Médecine polyvalente")),
        DemoUnit("0200", "Chirurgie générale", "03", "137", 28, 390, ("P2", "Pôle Chirurgie"), ("S21", "Chirurgie générale")),
        DemoUnit("0300", "Réanimation polyvalente", "03", "105", 8, 1100, ("P3", "Pôle Réanimation-Urgences"),
                 ("S31", "Réanimation polyvalente")),
        DemoUnit("0400", "SMR polyvalent", "03", "627", 30, 130, ("P4", "Pôle Gériatrie-SMR"),
                 ("S41", "Soins médicaux et de réadaptation")),
        # added since the first demo
        DemoUnit("1000", "Accueil des urgences", "10", "402", 0, 0, ("P3", "Pôle Réanimation-Urgences"),
                 ("S32", "Urgences")),  # outside the surveillance
    ),
}  # fmt: skip

#: The UFs of the demo laboratory's export, per layout: those of the first demo, so that the
#: isolates drawn (and the figures built on them, EARS-Net export included) stay the same.
LABORATORY_UFS: dict[str, tuple[str, ...]] = {
    "CHU": ("0410", "0411", "0412", "1201", "1202", "2001", "3001", "4001", "5001"),
    "CH": ("0100", "0200", "0300", "0400"),
}


def layout(category: str) -> tuple[DemoUnit, ...]:
    return LAYOUTS.get(category, LAYOUTS["CH"])


def laboratory_ufs(category: str) -> list[str]:
    """The UF codes the demo laboratory's isolates of this establishment come from."""
    return list(LABORATORY_UFS.get(category, LABORATORY_UFS["CH"]))


def units_of(units: tuple[DemoUnit, ...]) -> dict[str, Unit]:
    """The structure's units as the platform reads them (sector from the DE reference)."""
    return {
        u.code: Unit.create(
            u.code,
            u.label,
            u.code_ta,
            u.code_de,
            code_pole=u.pole[0] or None,
            libelle_pole=u.pole[1] or None,
            code_service=u.service[0] or None,
            libelle_service=u.service[1] or None,
            specialty=u.specialty or None,
        )
        for u in units
    }


def structure_rows(units: tuple[DemoUnit, ...]) -> list[list[str]]:
    """The structure file, pôle by pôle and service by service, as a hospital's export lists it."""
    header = ["code_uf", "libelle_uf", "code_pole", "libelle_pole", "code_service", "libelle_service", "code_ta", "code_de",
              "specialite"]  # fmt: skip
    ordered = sorted(units, key=lambda u: (u.pole[0], u.service[0], u.code_ta != "03", u.code))
    return [header] + [[u.code, u.label, *u.pole, *u.service, u.code_ta, u.code_de, u.specialty] for u in ordered]


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
    structure = units_of(units)
    surgery_days = sum(n for code, n in days.items() if structure[code].sector == "CHIR")
    theatres = theatre_reallocation(structure)
    rows = [["code_uf", "code_ucd", "libelle", "quantite", "periode"]]

    def dispense(unit: DemoUnit, target: float, mix: tuple[tuple[str, float], ...]) -> None:
        for ucd, share in mix:
            entry = catalogue.get(Ucd.parse(ucd))
            assert entry is not None, ucd
            ddd = table.ddd(entry.atc, entry.route, period.year, entry.substance)
            assert ddd is not None, ucd
            units_needed = Decimal(str(target * share)) * ddd.value / entry.strength
            for _month in range(3 if period.quarter else 12):  # one dispensing line a month
                quantity = units_needed / (3 if period.quarter else 12) * Decimal(str(draw.uniform(0.8, 1.2)))
                rows.append([unit.code, entry.ucd.value, entry.label[:60], f"{quantity:.0f}", str(period)])

    for unit in units:
        if not structure[unit.code].carries_consumption:
            continue  # emergency department and other UFs outside the surveillance: no consumption file line
        if unit.code in theatres:  # a theatre's use scales with the surgery it serves
            served = theatres[unit.code]
            base_days = surgery_days if served == SURGERY_TOTAL else days[served]
        else:
            base_days = days[unit.code]
        mix = unit.mix or structure[unit.code].sector
        dispense(unit, unit.ddd_per_1000 * base_days / 1000 * draw.uniform(0.85, 1.15), MIX[mix])
        if unit.antifungal_per_1000:
            dispense(unit, unit.antifungal_per_1000 * base_days / 1000 * draw.uniform(0.85, 1.15), ANTIFUNGAL_MIX[mix])
    return rows
