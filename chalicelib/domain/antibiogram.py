"""The cumulative antibiogram (CLSI M39, DOMAIN.md §10.10): what clinicians read to choose an
empirical treatment.

- Isolates: the first isolate per patient × species × year (``M39_RULE``: earliest specimen date,
  then the most complete antibiogram, then file order), antibiotype ignored, whatever the
  platform's deduplication decided; screening specimens never reach the lake (excluded at import).
  With a specimen category or a sector chosen, the rule applies within that subset (the first
  urine isolate of the patient for a urine antibiogram), as M39 advises for stratified tables.
- Per species × antibiotic, among those first isolates tested: % S, % SFP (the former I) and % R,
  each with its 95 % Wilson interval (DOMAIN.md §10.7); ``ci_low``/``ci_high`` are those of % R.
- A species is shown from ``MIN_ISOLATES`` first isolates in the scope; below, its rows are left
  out and the species is named among those left out (M39: too few for a stable estimate).
  An antibiotic tested on fewer than 30 of them is flagged ``effectif_faible``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.indicator_rows import LOW_N, Row
from chalicelib.domain.precision import wilson
from chalicelib.domain.resistance.dedup import M39_RULE
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.domain.structure import SECTORS

INDICATOR_ID = "cumulative_antibiogram"
RULE = M39_RULE.id
#: CLSI M39: a species is reported from 30 first isolates in the period.
MIN_ISOLATES = 30
#: An antibiotic's row below this many isolates tested is flagged.
MIN_TESTED = 30
#: The option meaning "every specimen category" or "every sector".
ALL = "all"
#: The fields of a row that are values, not dimensions (open data keeps them out of a suppressed cell).
VALUE_FIELDS = ("pct_s", "pct_sfp", "pct_r", "pct_s_ci", "pct_sfp_ci", "isolates")


@dataclass(frozen=True)
class Filters:
    """The subset the first isolates are chosen in: a specimen category code and a sector (None: all)."""

    specimen: str | None = None
    sector: str | None = None

    @classmethod
    def parse(cls, options: Mapping[str, str]) -> Filters:
        """``specimen`` ∈ the specimen categories' codes (HEMOC, URINE…), ``sector`` ∈ the care sectors
        (MED, CHIR, REA…); absent or ``all``: no filter.

        Raises:
            InvalidInput: an unknown specimen category or sector (French message).
        """
        specimen = (options.get("specimen") or ALL).strip().upper()
        sector = (options.get("sector") or ALL).strip().upper()
        categories = specimen_categories()
        if specimen != ALL.upper() and specimen not in categories:
            raise InvalidInput(f"Catégorie de prélèvement inconnue : « {options.get('specimen')} » "
                               f"({', '.join(categories)} ou all).", details=[{"field": "specimen"}])  # fmt: skip
        if sector != ALL.upper() and sector not in SECTORS:
            raise InvalidInput(f"Secteur d'activité inconnu : « {options.get('sector')} » ({', '.join(SECTORS)} ou all).",
                               details=[{"field": "sector"}])  # fmt: skip
        return cls(None if specimen == ALL.upper() else specimen, None if sector == ALL.upper() else sector)

    def parameters(self) -> tuple[str, str]:
        """The query's bound parameters (an empty text: no filter)."""
        return self.specimen or "", self.sector or ""

    def document(self) -> dict[str, str]:
        return {"specimen": self.specimen or ALL, "sector": self.sector or ALL}


def specimen_categories() -> dict[str, str]:
    """Specimen category code -> French label (the reference table, in its order)."""
    return {c.code: c.label for c in default_reference().specimen_categories}


def _percent(part: int, n: int) -> float | None:
    return round(part / n * 100, 3) if n else None


def _interval(part: int, n: int) -> list[float] | None:
    found = wilson(part, n)
    return [round(found.low * 100, 3), round(found.high * 100, 3)] if found else None


def antibiogram_row(species: str, antibiotic: str, susceptible: int, sfp: int, resistant: int, isolates: int) -> Row:
    """One species × antibiotic of the table: ``n`` = S + SFP + R among the first isolates tested;
    ``value``/``numerator``/``denominator`` repeat % R and its counts, as every proportion's row does."""
    n = susceptible + sfp + resistant
    r_interval = _interval(resistant, n)
    row: Row = {
        "species": species,
        "antibiotic": antibiotic,
        "n": n,
        "isolates": isolates,
        "pct_s": _percent(susceptible, n),
        "pct_sfp": _percent(sfp, n),
        "pct_r": _percent(resistant, n),
        "pct_s_ci": _interval(susceptible, n),
        "pct_sfp_ci": _interval(sfp, n),
        "ci_low": r_interval[0] if r_interval else None,
        "ci_high": r_interval[1] if r_interval else None,
        "value": _percent(resistant, n),
        "numerator": float(resistant),
        "denominator": float(n),
    }
    if n < MIN_TESTED:
        row["flag"] = LOW_N
    return row


def shape(row: Mapping[str, Any], per_es: bool) -> Row:
    """The query's row (``scope_key, dim, numerator (R), n, susceptible, sfp, isolates``) as the API's."""
    species, antibiotic = str(row["dim"]).split("|", 1)
    out = antibiogram_row(species, antibiotic, int(row["susceptible"]), int(row["sfp"]), int(row["numerator"]),
                          int(row["isolates"]))  # fmt: skip
    if per_es:
        out["establishment"] = row["scope_key"]
    return out


def split(rows: Iterable[Row]) -> tuple[list[Row], list[dict[str, Any]]]:
    """The rows shown (species with at least ``MIN_ISOLATES`` first isolates) and the species left out
    (``{species, isolates}``, fewest last), for one scope's rows."""
    shown, left_out = [], {}
    for row in rows:
        if row["isolates"] >= MIN_ISOLATES:
            shown.append(row)
        else:
            left_out[row["species"]] = row["isolates"]
    below = [{"species": s, "isolates": n} for s, n in sorted(left_out.items(), key=lambda item: (-item[1], item[0]))]
    return shown, below
