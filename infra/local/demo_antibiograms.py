"""Synthetic laboratory exports (one row per isolate, one column per antibiotic),
in a laboratory's own labels, with resistance levels close to French hospital
figures (E. coli C3G-R about 10 %, K. pneumoniae about 30 %, MRSA about 12 %,
carbapenem-R P. aeruginosa about 15 %) and about 30 % repeat samples. Carbapenemase-producing
Enterobacterales (EPC) are over-represented (about 1 % of E. coli, 6 % of K. pneumoniae, 4 % of
E. cloacae, against well under 1 % in French hospitals) so that a demo year shows their types
(OXA-48-like most often, then NDM, KPC, VIM, IMP), written as laboratories write them ("OXA-48",
"NDM-1"...); the other Enterobacterales are "négatif". Deterministic for one seed. Used by the demo
seed and the benchmarks."""

from __future__ import annotations

import random
from datetime import date, timedelta

ANTIBIOTICS = (
    ("Amoxicilline", "AMX"), ("Amox + ac clav", "AMC"), ("Pipéracilline-tazobactam", "TZP"), ("Céfotaxime", "CTX"),
    ("Ceftazidime", "CAZ"), ("Céfoxitine", "FOX"), ("Imipénème", "IPM"), ("Méropénème", "MEM"), ("Gentamicine", "GEN"),
    ("Amikacine", "AMK"), ("Ciprofloxacine", "CIP"), ("Ofloxacine", "OFX"), ("Cotrimoxazole", "SXT"), ("Vancomycine", "VAN"),
    ("Oxacilline", "OXA"), ("Linézolide", "LNZ"),
)  # fmt: skip
EXTRA = (("Témocilline", "TEM"), ("Céfépime", "FEP"), ("Ertapénème", "ETP"), ("Tobramycine", "TOB"), ("Lévofloxacine", "LVX"),
         ("Fosfomycine", "FOS"), ("Nitrofurantoïne", "NIT"), ("Teicoplanine", "TEC"), ("Daptomycine", "DAP"))  # fmt: skip

#: species label, share of isolates, Enterobacterales?, {antibiotic code: probability of R}
SPECIES = (
    ("E. coli", 0.40, True, {"AMX": .55, "AMC": .30, "TZP": .08, "CTX": .10, "CAZ": .08, "FOX": .05, "IPM": .001, "MEM": .001,
                             "GEN": .07, "AMK": .01, "CIP": .15, "OFX": .16, "SXT": .25, "TEM": .05, "FEP": .07, "ETP": .002,
                             "TOB": .07, "LVX": .15, "FOS": .02, "NIT": .02}),
    ("Klebsiella pneumoniae", 0.12, True, {"AMX": 1.0, "AMC": .35, "TZP": .25, "CTX": .30, "CAZ": .28, "FOX": .08, "IPM": .01,
                                           "MEM": .01, "GEN": .20, "AMK": .03, "CIP": .30, "OFX": .31, "SXT": .30, "FEP": .25,
                                           "ETP": .02, "TOB": .2, "LVX": .28, "FOS": .15}),
    ("Staphylococcus aureus", 0.15, False, {"FOX": .12, "OXA": .12, "GEN": .02, "CIP": .15, "OFX": .15, "SXT": .02, "VAN": 0.0,
                                            "LNZ": 0.0, "TEC": 0.0, "DAP": .005, "LVX": .15}),
    ("Pseudomonas aeruginosa", 0.10, False, {"TZP": .15, "CAZ": .12, "IPM": .18, "MEM": .12, "GEN": .05, "AMK": .03, "CIP": .20,
                                             "FEP": .12, "TOB": .05, "LVX": .22}),
    ("Enterococcus faecalis", 0.07, False, {"AMX": .01, "VAN": 0.0, "LNZ": 0.0, "TEC": 0.0}),
    ("Enterococcus faecium", 0.02, False, {"AMX": .90, "VAN": .01, "LNZ": 0.0, "TEC": .01}),
    ("Enterobacter cloacae", 0.06, True, {"AMX": 1.0, "AMC": 1.0, "CTX": .30, "CAZ": .30, "FOX": 1.0, "IPM": .01, "MEM": .01,
                                          "GEN": .10, "CIP": .12, "SXT": .15, "FEP": .1, "ETP": .03}),
    ("Proteus mirabilis", 0.05, True, {"AMX": .30, "AMC": .10, "CTX": .02, "CAZ": .02, "CIP": .15, "SXT": .30, "GEN": .05}),
    ("Pseudomonas aeruginosa", 0.03, False, {"CAZ": .12, "IPM": .18, "CIP": .2}),
)  # fmt: skip
SPECIMENS = (
    ("ECBU", 0.45), ("Hémoculture", 0.12), ("Aspiration trachéale", 0.10), ("Pus profond", 0.15), ("Pus superficiel", 0.10),
    ("Cathéter", 0.05), ("Liquide articulaire", 0.03),
)  # fmt: skip
HEADER = ["code_uf", "IPP", "age", "sexe", "date_prelevement", "nature_prelevement", "espece"]
#: Share of EPC per Enterobacterales species (the others: none).
EPC_SHARE = {"E. coli": 0.01, "Klebsiella pneumoniae": 0.06, "Enterobacter cloacae": 0.04}
#: Carbapenemase types as a laboratory writes them, with their weights among EPC.
CARBAPENEMASES = (("OXA-48", 0.60), ("NDM-1", 0.15), ("KPC-2", 0.10), ("VIM-2", 0.10), ("IMP-1", 0.05))
CARBAPENEMS = ("ETP", "IPM", "MEM")
#: Priority fungi (DOMAIN.md §10.10) as a laboratory names them, their share, {antifungal: probability of R}.
#: P. kudriavzevii is intrinsically fluconazole-R; C. auris mostly so; azole-R A. fumigatus about 5 %.
FUNGI = (
    ("Candida albicans", 0.50, {"FLU": .02, "VOR": .01, "CAS": .005, "MIF": .005, "AMB": 0.0}),
    ("Candida glabrata", 0.18, {"FLU": .12, "VOR": .05, "CAS": .04, "MIF": .03, "AMB": 0.0}),
    ("Candida parapsilosis", 0.10, {"FLU": .06, "VOR": .02, "CAS": .01, "MIF": .01, "AMB": 0.0}),
    ("Candida tropicalis", 0.08, {"FLU": .05, "VOR": .04, "CAS": .01, "MIF": .01, "AMB": 0.0}),
    ("Candida krusei", 0.05, {"FLU": 1.0, "VOR": .02, "CAS": .01, "MIF": .01, "AMB": .01}),
    ("Candida auris", 0.01, {"FLU": .90, "VOR": .30, "CAS": .05, "MIF": .05, "AMB": .15}),
    ("Aspergillus fumigatus", 0.08, {"VOR": .05, "POS": .05, "ITR": .06, "AMB": .01}),
)  # fmt: skip
ANTIFUNGALS = (("Fluconazole", "FLU"), ("Voriconazole", "VOR"), ("Posaconazole", "POS"), ("Itraconazole", "ITR"),
               ("Caspofungine", "CAS"), ("Micafungine", "MIF"), ("Amphotéricine B", "AMB"))  # fmt: skip


def antibiogram_rows(
    uf_codes: list[str],
    year: int,
    seed: int,
    isolates: int,
    antibiotic_count: int = 16,
    repeat_share: float = 0.30,
    fungi: int = 0,
) -> list[list[str]]:
    """``isolates`` rows (screening excluded) over ``year``; ``antibiotic_count`` columns (16 to 25). With ``fungi``,
    that many isolates of priority fungi more, with antifungal columns (empty for the bacteria), drawn from their own
    stream: the bacterial rows stay as they are without them."""
    rows = _bacteria(uf_codes, year, seed, isolates, antibiotic_count, repeat_share)
    if fungi:
        rows = _with_fungi(rows, uf_codes, year, seed, fungi)
    return rows


def _with_fungi(rows: list[list[str]], uf_codes: list[str], year: int, seed: int, fungi: int) -> list[list[str]]:
    draw = random.Random(seed * 17 + 3)
    header, codes = rows[0], [code for _, code in ANTIFUNGALS]
    out = [[*header, *(label for label, _ in ANTIFUNGALS)], *([*row, *([""] * len(codes))] for row in rows[1:])]
    specimens = ("Hémoculture", "Aspiration trachéale", "Pus profond", "Cathéter", "ECBU")
    patients = max(1, int(fungi * 0.8))
    for _ in range(fungi):
        label, _, resistance = draw.choices(FUNGI, [share for _, share, _ in FUNGI])[0]
        results = []
        for code in codes:
            probability = resistance.get(code)
            outcome = draw.random()
            sir = "R" if outcome < (probability or 0) else "I" if outcome < (probability or 0) + 0.04 else "S"
            results.append("" if probability is None else sir)
        bacteria = [""] * (len(header) - len(HEADER))  # antibiotics, ESBL and carbapenemase columns: empty
        when = date(year, 1, 1) + timedelta(days=draw.randrange(365))
        patient = f"IPF{seed % 1000:03d}{draw.randrange(patients):07d}"
        out.append([draw.choice(uf_codes), patient, str(draw.randint(18, 95)), draw.choice("FM"), when.strftime("%d/%m/%Y"),
                    draw.choice(specimens), label, *bacteria, *results])  # fmt: skip
    return out


def _bacteria(
    uf_codes: list[str], year: int, seed: int, isolates: int, antibiotic_count: int, repeat_share: float
) -> list[list[str]]:
    draw = random.Random(seed)
    columns = list(ANTIBIOTICS + EXTRA)[:antibiotic_count]
    header = [*HEADER, *(label for label, _ in columns), "BLSE", "Carbapénémase"]
    # Its own stream: the carbapenemase draws leave every other value as it was before they existed.
    carba_draw = random.Random(seed * 31 + 7)
    codes = [code for _, code in columns]
    rows: list[list[str]] = [header]
    species_weights = [share for _, share, _, _ in SPECIES]
    specimen_labels = [label for label, _ in SPECIMENS]
    specimen_weights = [share for _, share in SPECIMENS]
    first_day, days = date(year, 1, 1), 365
    previous: list[list[str]] = []
    patients = max(1, int(isolates * 0.6))
    while len(rows) <= isolates:
        if previous and draw.random() < repeat_share:
            model = draw.choice(previous)
            repeat = list(model)
            when = date.fromisoformat(_iso(model[4])) + timedelta(days=draw.randint(1, 20))
            repeat[4] = min(when, date(year, 12, 31)).strftime("%d/%m/%Y")
            repeat[5] = draw.choices(specimen_labels, specimen_weights)[0]
            rows.append(repeat)
            continue
        label, _, entero, resistance = draw.choices(SPECIES, species_weights)[0]
        esbl = entero and draw.random() < resistance.get("CTX", 0) * 0.8
        mrsa = label == "Staphylococcus aureus" and draw.random() < resistance["FOX"]
        results = []
        for _, code in columns:
            probability = resistance.get(code)
            if probability is None:
                results.append("")
            elif (esbl and code in ("CTX", "CAZ", "FEP")) or (mrsa and code in ("FOX", "OXA")):
                results.append("R")
            elif label == "Staphylococcus aureus" and code in ("FOX", "OXA"):
                results.append("S")  # methicillin resistance is the MRSA draw above, not an independent one
            else:
                outcome = draw.random()
                results.append("R" if outcome < probability else ("SFP" if outcome < probability + 0.03 else "S"))
        carbapenemase = _carbapenemase(carba_draw, label, entero, results, codes)  # before the row: it edits results
        row = [
            draw.choice(uf_codes),
            f"IPP{seed % 1000:03d}{draw.randrange(patients):07d}",
            str(draw.randint(18, 95)),
            draw.choice("FM"),
            (first_day + timedelta(days=draw.randrange(days))).strftime("%d/%m/%Y"),
            draw.choices(specimen_labels, specimen_weights)[0],
            label,
            *results,
            ("oui" if esbl else "non") if entero else "",
            carbapenemase,
        ]
        rows.append(row)
        previous.append(row)
    return rows


def _carbapenemase(draw: random.Random, label: str, entero: bool, results: list[str], codes: list[str]) -> str:
    """The carbapenemase cell of a new isolate; an EPC is made resistant to the carbapenems tested
    (ertapenem always, imipenem and meropenem one time in two)."""
    if not entero:
        return ""
    if draw.random() >= EPC_SHARE.get(label, 0.0):
        return "négatif"
    for code in CARBAPENEMS:
        if code in codes and results[codes.index(code)] and (code == "ETP" or draw.random() < 0.5):
            results[codes.index(code)] = "R"
    return draw.choices([name for name, _ in CARBAPENEMASES], [weight for _, weight in CARBAPENEMASES])[0]


def _iso(french: str) -> str:
    day, month, year = french.split("/")
    return f"{year}-{month}-{day}"
