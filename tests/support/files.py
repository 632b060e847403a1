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
