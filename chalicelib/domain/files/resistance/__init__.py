"""Validation of a resistance file: one row per isolate, the laboratory's own labels (DOMAIN.md §4.5, §5).

**Header** (columns in ``column_specs.py``). Required: ``code_uf``,
``id_patient``, ``date_prelevement``, ``nature_prelevement``, ``espece``; optional:
``age``, ``date_naissance``, ``sexe``, ``blse``, ``carbapenemase``, ``erv``. Every
other non-blank header is an **antibiotic** column (``antibiotic_labels``, in file
order); two antibiotic headers equal but for case and spacing are an error. No
antibiotic column at all is an error. Admission-date columns are recognised and
ignored, one warning each (their values are never read). A header that names a
person (nom, prénom…) or a social-security number (NIR, INS…) **refuses the whole
file** before any value is read. Neither ``age`` nor ``date_naissance``: one warning.
A column without a header but with values: one warning, its values are ignored.

**Exclusions** (counted in ``excluded`` and ``summary["excluded"]``, not errors; an
excluded row is not checked further, so it raises no problem), in this order:
``screening`` (``context.is_screening(nature_prelevement)``, once per label),
``no_species`` (empty ``espece``), ``uf_not_eligible`` (a UF of the structure that
carries no patient-days, ``Unit.carries_patient_days``: one warning per UF with its
count), ``no_result`` (no S/SFP/R in any antibiotic column).

**Cells** of the other rows:

- ``code_uf``: missing or absent from the structure → error; UF closed during the
  period → one warning per UF.
- ``id_patient``: normalised (trimmed, upper case, inner spaces removed); missing →
  error. A value that looks like a NIR — 13 digits, or 15 with a valid NIR key,
  sex digit 1 or 2, birth month 01–12 or 20 (unknown), department 01–99/2A/2B —
  **refuses the file** (one error with the count and the first row): a NIR must not
  be sent, and a hospital IPP practically never has that shape.
- results: ``S``, ``SFP``, ``R`` (any case, inner spaces ignored); empty = not
  tested (absent from ``results``); a legacy ``I`` is read as SFP — **one warning per
  antibiotic column** (its first row, the count and the first rows), while
  ``ParsedResistance.legacy_i`` keeps every row of every such cell, so each cell stays
  traceable; anything else → error for that cell (row, antibiotic header, value).
  A column with errors and no valid result at all gets one more error suggesting
  it is not an antibiotic.
- ``date_prelevement``: required, JJ/MM/AAAA, ISO or Excel serial (``date1904``),
  within the declared period → error otherwise.
- age: ``age`` in years, 0–120 (decimals rounded down; ``6 mois``, ``12 jours``
  accepted) or ``date_naissance`` turned into the age at the specimen date (the date
  of birth wins when both are given, and is never kept). Date of birth unreadable,
  after the specimen date or giving more than 120 years → error. Neither given →
  **one warning per file** (count, first rows), ``age`` None.
- ``sexe``: F/M, also féminin/masculin, femme/homme, H, and the INSEE digits 1 (M)
  and 2 (F); empty → None; anything else → None with **one warning per distinct
  value** (count, first rows).
- ``blse``: oui/non, o/n, positif/négatif, pos/neg, +/-, 1/0; ``carbapenemase``:
  OXA-48-like (OXA-48, OXA48, OXA-181, OXA-232, OXA-244…), KPC, NDM, VIM, IMP
  (numbered variants too), autre (also OXA-23/24/58, GES, IMI…), négatif (also non,
  -); two enzymes (``NDM + OXA-48``) → the first one with a warning; ``erv``:
  vanA, vanB, non (négatif, -). For the three, ``NT``/``ND``/``non testé``/
  ``non recherché``/empty → None; anything else → error for that cell.

**Pseudonymisation** (DOMAIN.md §5): no problem's message or value ever holds the
patient identifier (``id_patient`` values are shown as ``(masqué)``) nor a date of
birth (also masked, and its messages never quote it); any other cell value of a
row that equals the row's patient identifier or looks like a NIR is masked too.
The summary holds counts only.

Summary: ``{isolates_read, excluded: {screening, no_species, no_result,
uf_not_eligible}, antibiotic_columns, legacy_i}`` where ``isolates_read`` counts the
rows that made a valid isolate (also for a rejected file, whose ``isolates`` is
empty). ``report.rows_read`` counts the non-blank data rows; ``report.rows_accepted``
is ``len(isolates)`` for an accepted file, 0 otherwise.

Hot path: every distinct cell text (results, dates, ages, sexes, phenotypes,
specimen labels, UFs) is parsed once per file, and no exception is raised for a
valid cell. The rows with nothing to report (nearly all of a large export) are
read column by column (``column_pass.py``); the others row by row (``validator.py``),
which reports them; both passes give the same answer, a property test checks it.
The isolates come out as columns (``ParsedResistance.raw``).
"""

from __future__ import annotations

from chalicelib.domain.files.resistance.model import (
    EXCLUSION_REASONS,
    MASKED,
    ParsedResistance,
    ResistanceContext,
    looks_like_screening,
)
from chalicelib.domain.files.resistance.validator import validate
from chalicelib.domain.files.resistance.values import looks_like_nir

__all__ = [
    "EXCLUSION_REASONS",
    "MASKED",
    "ParsedResistance",
    "ResistanceContext",
    "looks_like_nir",
    "looks_like_screening",
    "validate",
]
