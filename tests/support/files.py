"""Small import files built in memory, as hospital software would export them."""

from __future__ import annotations

import io

from openpyxl import Workbook

from chalicelib.domain.drugs import Ucd


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv(rows: list[list[object]], delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(delimiter.join(str(v) for v in row) for row in rows) + "\r\n").encode(encoding)


STRUCTURE = [
    ["Code UF", "Libellé UF", "code_ta", "Code DE", "secteur", "specialite"],
    ["0412", "Médecine interne", "03", "38", "", ""],
    ["1204", "Chirurgie viscérale", "03", "137", "", ""],
    ["8001", "Bloc opératoire central", "08", "137", "", ""],
    ["0997", "Unité COVID", "03", "999", "MED", ""],
]
BEDS = [["code_uf", "annee", "lits"], ["0412", "2025", "30"], ["1204", "2025", "24"], ["0997", "2025", "10"]]
PATIENT_DAYS_T1 = [
    ["code_uf", "période", "journées", "entrées"],
    ["0412", "2025-T1", "2430", "310"],
    ["1204", "2025-T1", "1800", "402"],
    ["0997", "2025-T1", "620", "55"],
]
CEFTRIAXONE_13 = Ucd.parse("0900044").ucd13
#: DDD by hand: 300 x 1 g / 1.5 g = 200 (amoxicillin-clavulanate, oral);
#: 90 x 1 g / 3 g = 30 (amoxicillin, parenteral); 40 x 0.25 g / 2 g = 5 (ceftriaxone).
CONSUMPTION_T1 = [
    ["UF", "Code UCD", "Libellé", "Quantité", "Période"],
    ["0412", "0900011", "AUGMENTIN 1G CP", "300", "2025-T1"],
    ["1204", "0900008", "AMOXICILLINE 1G INJ", "90", "2025-T1"],
    ["8001", CEFTRIAXONE_13, "CEFTRIAXONE 250MG", "40,0", "2025-T1"],
]
CONSUMPTION_T1_DDD = {"J01CR02": 200.0, "J01CA04": 30.0, "J01DD04": 5.0}

#: A laboratory export with its answer computed by hand (tests/flows/test_imports_two.py):
#: kept = rows 2, 4, 5, 8 (row 3 repeats row 2; row 6 repeats row 5; row 9 repeats row 8,
#: SFP being uninformative); blood series kept = rows 2 and 5; row 7 is a screening swab.
RESISTANCE_HEADER = [
    "code_uf", "IPP", "age", "date_prelevement", "nature_prelevement", "espece", "sexe",
    "Amoxicilline", "Céfotaxime", "Ciprofloxacine", "Céfoxitine", "Vancomycine", "BLSE",
]  # fmt: skip
RESISTANCE_ROWS = [
    ["0412", "P001", "70", "05/01/2025", "Hémoculture", "E. coli BLSE", "F", "R", "R", "S", "", "", "oui"],
    ["0412", "P001", "70", "10/01/2025", "ECBU", "E. coli BLSE", "F", "R", "R", "S", "", "", "oui"],
    ["0412", "P001", "70", "12/01/2025", "ECBU", "E. coli BLSE", "F", "R", "R", "R", "", "", "oui"],
    ["0412", "P002", "55", "06/01/2025", "Hémoculture", "S. aureus", "M", "R", "", "", "R", "S", ""],
    ["0412", "P002", "55", "07/01/2025", "Hémoculture", "S. aureus", "M", "R", "", "", "R", "S", ""],
    ["0412", "P003", "80", "15/02/2025", "Écouvillon rectal de dépistage", "E. coli", "F", "R", "", "", "", "", ""],
    ["0412", "P004", "33", "20/02/2025", "Urines", "Klebsiella pneumoniae", "F", "R", "S", "SFP", "", "", "non"],
    ["0412", "P004", "33", "21/02/2025", "Urines", "Klebsiella pneumoniae", "F", "R", "S", "S", "", "", "non"],
]
RESISTANCE = [RESISTANCE_HEADER, *RESISTANCE_ROWS]
