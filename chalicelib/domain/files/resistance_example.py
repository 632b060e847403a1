"""The filled example of the resistance template: a few isolates, written as a laboratory would, that import cleanly.

The example's columns are the template's: the identity columns, a handful of
antibiotics headed by their usual French names, then the phenotype columns
(``resistance/column_specs.py``). Its first isolate is made of the columns' own
examples, so the template's « Données » row and the « Exemple » sheet agree.

The isolates show what a file may hold: an age or a date of birth, every
phenotype column, an SFP, untested antibiotics left empty, and a repeat
(the second row: same patient, species and antibiotype) that the automatic
deduplication removes — a file holds every isolate, it is not deduplicated by hand.
Every label is one the platform proposes a mapping for on its own; every date
falls in 2025-T1, so the example imports for the period 2025 or 2025-T1 of an
establishment whose structure holds the UF 1204 (the other templates' example UF).
"""

from __future__ import annotations

from chalicelib.domain.files.columns import Column
from chalicelib.domain.files.resistance.column_specs import IDENTITY, PHENOTYPES, antibiotic_column

__all__ = ["EXAMPLE_ANTIBIOTICS", "EXAMPLE_COLUMNS", "EXAMPLE_KEPT", "EXAMPLE_ROWS", "EXAMPLE_UF"]

EXAMPLE_ANTIBIOTICS = (
    "Amoxicilline",
    "Amoxicilline + ac. clavulanique",
    "Céfotaxime",
    "Imipénème",
    "Ciprofloxacine",
    "Céfoxitine",
    "Vancomycine",
)
EXAMPLE_COLUMNS: tuple[Column, ...] = IDENTITY + tuple(map(antibiotic_column, EXAMPLE_ANTIBIOTICS)) + PHENOTYPES
EXAMPLE_UF = "1204"

_FIRST_RESULTS = {"Amoxicilline": "R", "Amoxicilline + ac. clavulanique": "S", "Céfotaxime": "S", "Imipénème": "S",
                  "Ciprofloxacine": "S"}  # fmt: skip

_OTHERS: tuple[dict[str, str], ...] = (
    {  # a repeat of the first isolate: removed by the deduplication
        "id_patient": "00012345", "age": "67", "date_prelevement": "27/01/2025", "nature_prelevement": "ECBU",
        "espece": "Escherichia coli", "sexe": "F", "Amoxicilline": "R", "Amoxicilline + ac. clavulanique": "S",
        "Céfotaxime": "S", "Imipénème": "S", "Ciprofloxacine": "S", "blse": "non",
    },
    {  # a carbapenemase-producing Klebsiella, with a date of birth instead of the age
        "id_patient": "00023456", "date_naissance": "02/03/1958", "date_prelevement": "03/02/2025",
        "nature_prelevement": "Aspiration trachéale", "espece": "Klebsiella pneumoniae", "sexe": "M",
        "Amoxicilline": "R", "Amoxicilline + ac. clavulanique": "R", "Céfotaxime": "R", "Imipénème": "R",
        "Ciprofloxacine": "R", "blse": "oui", "carbapenemase": "OXA-48-like",
    },
    {  # a methicillin-resistant Staphylococcus aureus (cefoxitin R), an SFP
        "id_patient": "00034567", "age": "54", "date_prelevement": "11/02/2025", "nature_prelevement": "Pus profond",
        "espece": "Staphylococcus aureus", "sexe": "M", "Amoxicilline": "R", "Amoxicilline + ac. clavulanique": "R",
        "Ciprofloxacine": "SFP", "Céfoxitine": "R", "Vancomycine": "S",
    },
    {  # a vancomycin-resistant Enterococcus faecium (vanA)
        "id_patient": "00045678", "age": "81", "date_prelevement": "20/02/2025", "nature_prelevement": "Hémoculture",
        "espece": "Enterococcus faecium", "sexe": "F", "Amoxicilline": "R", "Imipénème": "R", "Vancomycine": "R",
        "erv": "vanA",
    },
    {  # an ESBL-producing Escherichia coli
        "id_patient": "00056789", "age": "34", "date_prelevement": "05/03/2025", "nature_prelevement": "Urine",
        "espece": "Escherichia coli", "sexe": "F", "Amoxicilline": "R", "Amoxicilline + ac. clavulanique": "R",
        "Céfotaxime": "R", "Imipénème": "S", "Ciprofloxacine": "R", "blse": "oui", "carbapenemase": "négatif",
    },
)  # fmt: skip


def _row(values: dict[str, str]) -> tuple[str, ...]:
    unknown = set(values) - {column.name for column in EXAMPLE_COLUMNS}
    if unknown:
        raise ValueError(f"example values for no column: {sorted(unknown)}")
    return tuple(values.get(column.name, "") for column in EXAMPLE_COLUMNS)


#: The example's isolates, one tuple of cell texts per row, in ``EXAMPLE_COLUMNS`` order.
EXAMPLE_ROWS: tuple[tuple[str, ...], ...] = (
    _row({**{column.name: column.example for column in IDENTITY + PHENOTYPES}, **_FIRST_RESULTS}),
    *(_row({"code_uf": EXAMPLE_UF, **values}) for values in _OTHERS),
)
#: How many of them the deduplication keeps (all but the repeat).
EXAMPLE_KEPT = len(EXAMPLE_ROWS) - 1
