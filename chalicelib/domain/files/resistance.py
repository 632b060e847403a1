"""Validation of a resistance file: one row per isolate, the laboratory's own labels (DOMAIN.md §4.5, §5).

**Header** (columns in ``resistance_columns.py``). Required: ``code_uf``,
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
specimen labels, UFs) is parsed once per file; a result cell costs a tuple fetch
and a dictionary look-up, empty cells are skipped, and no exception is raised for
a valid cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from operator import itemgetter

from chalicelib.domain.cells import column_letter, find_header_row, normalise_header, parse_date
from chalicelib.domain.errors import InvalidInput, Unprocessable
from chalicelib.domain.files.parsed import Issue, Table, UnitChecker, closed_issue
from chalicelib.domain.files.resistance_columns import ADMISSION, RESISTANCE, matcher, personal_header
from chalicelib.domain.imports import Report
from chalicelib.domain.periods import Period
from chalicelib.domain.resistance.model import Carbapenemase, RawIsolate, Sir, VanGene
from chalicelib.domain.structure import Unit

__all__ = [
    "EXCLUSION_REASONS",
    "MASKED",
    "ParsedResistance",
    "ResistanceContext",
    "looks_like_nir",
    "looks_like_screening",
    "validate",
]

MASKED = "(masqué)"
EXCLUSION_REASONS = ("screening", "no_species", "no_result", "uf_not_eligible")
_FIRST_ROWS = 10  # rows listed in an aggregated warning

_WORDS = re.compile(r"[a-z0-9]+")
_SCREENING_WORDS = frozenset({"depistage", "depist", "screening", "portage"})


def looks_like_screening(label: str) -> bool:
    """The default screening test: the label mentions dépistage, portage or screening."""
    return not _SCREENING_WORDS.isdisjoint(_WORDS.findall(normalise_header(label)))


@dataclass(frozen=True)
class ResistanceContext:
    """What a resistance file is checked against.

    ``is_screening``: whether a specimen label (the lab's) is a screening specimen;
    called once per distinct label of a file. ``date1904``: the workbook's date system.
    """

    period: Period
    units: Mapping[str, Unit]
    date1904: bool = False
    is_screening: Callable[[str], bool] = looks_like_screening


@dataclass(frozen=True)
class ParsedResistance:
    """The isolates of a file (empty unless ``report.accepted``) and its report.

    ``legacy_i`` maps an antibiotic label to every row where a legacy ``I`` was read as SFP.
    """

    isolates: list[RawIsolate]
    report: Report
    antibiotic_labels: list[str]
    header_row: int | None = None
    excluded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXCLUSION_REASONS, 0))
    legacy_i: dict[str, list[int]] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.report.accepted


# --------------------------------------------------------------------------- NIR


_NIR = re.compile(r"[12]\d{2}(?:0[1-9]|1[0-2]|20)(?:0[1-9]|[1-9]\d|2A|2B)\d{6}(\d{2})?")


def looks_like_nir(text: str) -> bool:
    """Whether a normalised identifier (upper case, no spaces) has the shape of a NIR.

    13 characters, or 15 whose last two digits are the NIR key (97 − NIR mod 97,
    with 2A → 19 and 2B → 18 for Corsica); sex 1 or 2; month 01–12 or 20.
    """
    if len(text) not in (13, 15):
        return False
    match = _NIR.fullmatch(text)
    if match is None:
        return False
    key = match.group(1)
    if key is None:
        return True
    body = text[:13].replace("2A", "19").replace("2B", "18")
    return int(key) == 97 - int(body) % 97


def _compact(text: str) -> str:
    return "".join(text.split()).upper()


def _shown(text: str, patient: str) -> str:
    """A cell value as a problem may show it: masked when it is the row's patient or looks like a NIR."""
    compact = _compact(text)
    if (patient and compact == patient) or looks_like_nir(compact.replace(".", "").replace("-", "")):
        return MASKED
    return text


def _label_key(label: str) -> str:
    # As the laboratory mappings key a label: case and spacing ignored, accents kept.
    return re.sub(r"\s+", " ", label.strip()).casefold()


# --------------------------------------------------------------------------- cell readers (cached per text)

_BLANK, _OK, _LEGACY, _BAD = 0, 1, 2, 3
_RESULTS = {"S": Sir.S, "SFP": Sir.SFP, "R": Sir.R}


def _read_result(text: str) -> tuple[int, Sir]:
    """``(kind, result)``; the result of a blank or bad cell is a placeholder, never used."""
    compact = _compact(text)
    if not compact:
        return _BLANK, Sir.S
    sir = _RESULTS.get(compact)
    if sir is not None:
        return _OK, sir
    if compact == "I":
        return _LEGACY, Sir.SFP
    return _BAD, Sir.S


Problem2 = tuple[str, str]  # (code, French message)

_AGE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ans?|a|mois|m|semaines?|sem|s|jours?|j)?\.?")
_AGE_DIVISOR = {"mois": 12, "m": 12, "semaine": 52, "semaines": 52, "sem": 52, "s": 52, "jour": 365, "jours": 365, "j": 365}
_MAX_AGE = 120


def _read_age(text: str) -> tuple[int | None, Problem2 | None]:
    match = _AGE.fullmatch(text.strip().lower())
    if match is None:
        return None, ("age.invalid", "Âge illisible : un nombre d'années entre 0 et 120 est attendu.")
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regular expression guarantees a number
        return None, ("age.invalid", "Âge illisible : un nombre d'années entre 0 et 120 est attendu.")
    divisor = _AGE_DIVISOR.get(match.group(2) or "", 1)
    years = int((value / divisor).to_integral_value(ROUND_FLOOR))
    if years > _MAX_AGE:
        return None, ("age.out_of_range", f"Âge {years} ans hors limites : entre 0 et {_MAX_AGE} ans attendu.")
    return years, None


def _problem_code(error: InvalidInput, default: str) -> str:
    for detail in error.details:
        if isinstance(detail, dict) and isinstance(detail.get("problem"), str):
            return str(detail["problem"])
    return default


def _phenotype_key(text: str) -> str:
    stripped = text.strip()
    if stripped in ("+", "-", "\u2212", "\u2013"):
        return "+" if stripped == "+" else "-"
    return " ".join(_WORDS.findall(normalise_header(stripped)))


_NOT_TESTED = frozenset({"nt", "nd", "non teste", "non testee", "non fait", "non recherche", "non recherchee", "non realise"})
_YES = frozenset(
    {"oui", "o", "yes", "y", "positif", "positive", "pos", "+", "1", "vrai", "true", "present", "presence", "detecte"}
)
_NO = frozenset(
    {"non", "n", "no", "negatif", "negative", "neg", "-", "0", "faux", "false", "absent", "absence", "non detecte", "aucun"}
)


def _read_esbl(text: str) -> tuple[bool | None, Problem2 | None]:
    key = _phenotype_key(text)
    if not key or key in _NOT_TESTED:
        return None, None
    if key in _YES or key in ("blse", "blse +", "esbl"):
        return True, None
    if key in _NO:
        return False, None
    return None, ("esbl.invalid", "Valeur BLSE non reconnue : oui ou non attendu (vide si non recherché).")


_CARBA_PATTERNS = (
    (re.compile(r"oxa(?:48|181|232|244|162|204|245|484|519)(?:like)?|oxa48likes?"), Carbapenemase.OXA48),
    (re.compile(r"kpc\d*"), Carbapenemase.KPC),
    (re.compile(r"ndm\d*"), Carbapenemase.NDM),
    (re.compile(r"vim\d*"), Carbapenemase.VIM),
    (re.compile(r"imp\d*"), Carbapenemase.IMP),
    (
        re.compile(r"autres?|other|oxa(?:23|24|40|58|143)|ges\d*|imi\d*|sme\d*|nmca?|sim\d*|spm\d*|gim\d*|dim\d*"),
        Carbapenemase.OTHER,
    ),
)
_CARBA_SPLIT = re.compile(r"\s*(?:\+|/|,|;|&|\bet\b|\band\b)\s*")
_CARBA_ALLOWED = "OXA-48-like, KPC, NDM, VIM, IMP, autre ou négatif"


def _one_carbapenemase(text: str) -> Carbapenemase | None:
    key = "".join(_WORDS.findall(normalise_header(text)))
    for pattern, value in _CARBA_PATTERNS:
        if pattern.fullmatch(key):
            return value
    return None


def _read_carbapenemase(text: str) -> tuple[Carbapenemase | None, Problem2 | None, str | None]:
    """``(value, error, warning message)``."""
    key = _phenotype_key(text)
    if not key or key in _NOT_TESTED:
        return None, None, None
    if key in _NO or key in ("aucune", "non detectee"):
        return Carbapenemase.NEGATIVE, None, None
    single = _one_carbapenemase(text)
    if single is not None:
        return single, None, None
    parts = [part for part in _CARBA_SPLIT.split(text.strip()) if part]
    found = [_one_carbapenemase(part) for part in parts]
    if len(found) > 1 and all(value is not None for value in found):
        first = found[0]
        assert first is not None
        names = ", ".join(str(value) for value in dict.fromkeys(found))
        return first, None, f"Plusieurs carbapénémases ({names}) : seule la première, {first}, est conservée."
    return (
        None,
        ("carbapenemase.invalid", f"Carbapénémase non reconnue : {_CARBA_ALLOWED} attendu (vide si non recherchée)."),
        None,
    )


_VAN = {"vana": VanGene.VANA, "vanb": VanGene.VANB}


def _read_van(text: str) -> tuple[VanGene | None, Problem2 | None]:
    key = _phenotype_key(text)
    if not key or key in _NOT_TESTED:
        return None, None
    gene = _VAN.get(key.replace(" ", ""))
    if gene is not None:
        return gene, None
    if key in _NO:
        return VanGene.NONE, None
    if key in _YES:
        return None, ("van.gene_missing", "ERV : précisez le gène, vanA ou vanB (ou non).")
    return None, ("van.invalid", "Valeur ERV non reconnue : vanA, vanB ou non attendu (vide si non recherché).")


_SEXES = {
    "f": "F",
    "feminin": "F",
    "femme": "F",
    "2": "F",
    "m": "M",
    "masculin": "M",
    "homme": "M",
    "h": "M",
    "1": "M",
}


# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class _Layout:
    index: dict[str, int]  # canonical identity/phenotype name -> column index
    labels: list[str]  # antibiotic headers, file order
    positions: list[int]  # their column indices
    unnamed: list[int]  # blank-header column indices


def _read_header(rows: Sequence[Sequence[str]], row_numbers: Sequence[int]) -> tuple[Table, _Layout | None, list[str]]:
    """The table (data rows included) and its layout; no layout when the header refuses the file."""
    table = Table(Report())
    if len(row_numbers) != len(rows):
        raise ValueError("rows and row_numbers must have the same length")
    try:
        found = find_header_row(rows, matcher(), row_numbers)
    except Unprocessable as error:
        table.problem("file.empty", error.message)
        return table, None, []
    cells = rows[found.index]
    number = row_numbers[found.index]
    table.header_row = number
    table.columns = {name: index for name, index in found.match.columns.items() if name != ADMISSION}
    table.headers = {name: cells[index].strip() for name, index in table.columns.items()}
    for position in range(found.index + 1, len(rows)):
        joined = "".join(rows[position])
        if joined and not joined.isspace():
            table.data.append((row_numbers[position], rows[position]))
    table.report.rows_read = len(table.data)

    personal = [(text.strip(), kind) for _, text in found.match.unknown if (kind := personal_header(text)) is not None]
    for text, kind in personal:
        what = "un numéro de sécurité sociale (NIR, INS)" if kind == "nir" else "le nom ou le prénom d'une personne"
        table.problem(
            "column.nir" if kind == "nir" else "column.personal_name",
            f"La colonne « {text} » semble contenir {what} : le fichier est refusé. Aucun nom, prénom ni NIR ne doit être "
            "envoyé ; le patient est identifié seulement par son IPP (colonne id_patient), qui est pseudonymisé. "
            "Supprimez cette colonne et déposez à nouveau le fichier.",
            row=number,
            column=text,
            value=text,
        )
    if personal:
        return table, None, []

    specs = {column.name: column for column in RESISTANCE}
    for name in found.match.missing:
        spec = specs[name]
        accepted = ", ".join(f"« {label} »" for label in dict.fromkeys((spec.header, *spec.synonyms)))
        message = f"Colonne obligatoire absente : « {spec.header} » — {spec.help} En-têtes acceptés : {accepted}."
        if found.hint:
            message += " " + found.hint
        table.problem("column.missing", message, row=number, column=name)
    if found.match.missing:
        return table, None, []
    blocking = False
    for name, indices in found.match.duplicates:
        if name == ADMISSION:
            continue
        texts = ", ".join(f"« {cells[index].strip()} »" for index in indices)
        table.problem(
            "column.duplicate",
            f"La colonne « {specs[name].header} » apparaît plusieurs fois ({texts}) : gardez-en une seule.",
            row=number,
            column=name,
        )
        blocking = True
    for text in cells:
        if text.strip() and matcher().canonical(text) == ADMISSION:
            table.problem(
                "column.ignored",
                f"Colonne « {text.strip()} » : les dates d'entrée ne sont plus recueillies ; "
                "cette colonne est ignorée et ses valeurs ne sont pas conservées.",
                row=number,
                column=text.strip(),
                value=text.strip(),
                warning=True,
            )
    labels: list[str] = []
    positions: list[int] = []
    first: dict[str, str] = {}
    for index, text in found.match.unknown:
        label = text.strip()
        key = _label_key(label)
        if key in first:
            table.problem(
                "column.duplicate",
                f"L'antibiotique « {label} » apparaît dans deux colonnes (avec « {first[key]} ») : gardez-en une seule.",
                row=number,
                column=label,
                value=label,
            )
            blocking = True
            continue
        first[key] = label
        labels.append(label)
        positions.append(index)
    if not labels:
        table.problem(
            "column.no_antibiotic",
            "Aucune colonne d'antibiotique : après les colonnes d'identification, une colonne par antibiotique testé est "
            "attendue (en-tête = libellé de la molécule dans votre laboratoire, valeurs S, SFP ou R).",
            row=number,
        )
        blocking = True
    if "age" not in table.columns and "date_naissance" not in table.columns:
        table.problem(
            "age.columns_missing",
            "Ni colonne « age » ni colonne « date_naissance » : l'âge des patients ne sera pas connu.",
            row=number,
            warning=True,
        )
    unnamed = [index for index, text in enumerate(cells) if not text.strip()]
    table.header_ok = not blocking
    layout = _Layout(dict(table.columns), labels, positions, unnamed)
    return table, (layout if not blocking else None), labels


# --------------------------------------------------------------------------- validation


@dataclass
class _Rows:
    """Rows grouped under one aggregated warning: count and first rows."""

    rows: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, row: int) -> None:
        self.count += 1
        if len(self.rows) < _FIRST_ROWS:
            self.rows.append(row)

    def listed(self) -> str:
        """``ligne 4`` or ``lignes 4, 9, …`` (the first rows)."""
        return _lines(self.rows, self.count)


def _lines(rows: Sequence[int], count: int) -> str:
    shown = ", ".join(str(row) for row in rows[:_FIRST_ROWS]) + (", …" if count > _FIRST_ROWS else "")
    return f"ligne{'s' if count > 1 else ''} {shown}"


def _eligibility(period: Period) -> Callable[[Unit], list[Issue]]:
    def check(unit: Unit) -> list[Issue]:
        issues: list[Issue] = []
        if not unit.carries_patient_days:
            issues.append(("uf.not_eligible", "", True))
        closed = closed_issue(unit, period)
        if closed is not None:
            issues.append(closed)
        return issues

    return check


def _not_eligible_message(unit: Unit, count: int) -> str:
    if unit.is_theatre:
        why = "est un bloc opératoire (TA 08)"
    elif unit.excluded and unit.activity is not None and unit.activity.counts_patient_days:
        why = f"appartient au secteur {unit.sector}, exclu de la surveillance"
    else:
        label = unit.activity.label if unit.activity else "inconnu"
        why = f"a le type d'activité TA {unit.code_ta} ({label}), qui ne compte pas de journées d'hospitalisation"
    plural = "s" if count > 1 else ""
    return f"L'UF « {unit.code_uf} » {why} : {count} isolat{plural} exclu{plural} de la surveillance"


def validate(rows: Sequence[Sequence[str]], row_numbers: Sequence[int], context: ResistanceContext) -> ParsedResistance:
    """Raw isolates and the report of every problem (rules in the module's docstring)."""
    table, layout, labels = _read_header(rows, row_numbers)
    excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
    if layout is None:
        return _finish(table, [], labels, excluded, {}, 0)
    return _Validator(table, layout, context).run()


class _Validator:
    def __init__(self, table: Table, layout: _Layout, context: ResistanceContext) -> None:
        self.table = table
        self.layout = layout
        self.context = context
        self.excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
        self.legacy: dict[str, list[int]] = {}
        self.bad_columns: dict[str, int] = {}  # antibiotic label -> cells in error
        self.nir = _Rows()
        self.no_age = _Rows()
        self.sexes: dict[str, _Rows] = {}
        self.not_eligible: dict[str, _Rows] = {}
        self.uf_warned: set[str] = set()

    def problem(self, code: str, message: str, row: int, column: str, value: str, warning: bool = False) -> None:
        self.table.problem(code, message, row=row, column=column, value=value, warning=warning)

    def run(self) -> ParsedResistance:  # one pass over the rows, kept flat for speed
        table, layout, context = self.table, self.layout, self.context
        index = layout.index
        i_uf, i_patient, i_date = index["code_uf"], index["id_patient"], index["date_prelevement"]
        i_specimen, i_species = index["nature_prelevement"], index["espece"]
        i_age, i_birth, i_sex = index.get("age"), index.get("date_naissance"), index.get("sexe")
        i_esbl, i_carba, i_van = index.get("blse"), index.get("carbapenemase"), index.get("erv")
        labels, positions = layout.labels, layout.positions
        width = max([*index.values(), *positions]) + 1
        texts_of: Callable[[Sequence[str]], tuple[str, ...]]
        if len(positions) == 1:
            only = positions[0]

            def texts_of(cells: Sequence[str]) -> tuple[str, ...]:
                return (cells[only],)
        else:
            texts_of = itemgetter(*positions)
        period, date1904 = context.period, context.date1904
        checker = UnitChecker(context.units, _eligibility(period))
        is_screening = context.is_screening

        screening: dict[str, bool] = {}
        uf_states: dict[str, tuple[Unit | None, tuple[Issue, ...], bool]] = {}  # (unit, issues, eligible)
        results_cache: dict[str, tuple[int, Sir]] = {}
        dates: dict[str, tuple[date | None, Problem2 | None]] = {}
        births: dict[str, tuple[date | None, Problem2 | None]] = {}
        ages: dict[str, tuple[int | None, Problem2 | None]] = {}
        sexes: dict[str, str | None] = {}
        esbls: dict[str, tuple[bool | None, Problem2 | None]] = {}
        carbas: dict[str, tuple[Carbapenemase | None, Problem2 | None, str | None]] = {}
        vans: dict[str, tuple[VanGene | None, Problem2 | None]] = {}
        legacy = self.legacy
        excluded = self.excluded
        problem = self.problem
        isolates: list[RawIsolate] = []
        pad = [""] * width

        for number, row_cells in table.data:
            cells = row_cells if len(row_cells) >= width else [*row_cells, *pad[len(row_cells) :]]
            specimen = cells[i_specimen].strip()
            if specimen:
                is_screen = screening.get(specimen)
                if is_screen is None:
                    is_screen = screening[specimen] = bool(is_screening(specimen))
                if is_screen:
                    excluded["screening"] += 1
                    continue
            species = cells[i_species].strip()
            if not species:
                excluded["no_species"] += 1
                continue
            uf = cells[i_uf].strip()
            state = uf_states.get(uf)
            if state is None:
                state = uf_states[uf] = self._uf_state(checker, uf)
            unit, uf_issues, eligible = state
            if not eligible:
                self.not_eligible.setdefault(uf, _Rows()).add(number)
                excluded["uf_not_eligible"] += 1
                continue

            results: dict[str, Sir] = {}
            bad: list[tuple[str, str]] | None = None
            for label, text in zip(labels, texts_of(cells), strict=True):
                if text:
                    found = results_cache.get(text)
                    if found is None:
                        found = results_cache[text] = _read_result(text)
                    kind, sir = found
                    if kind == _OK:
                        results[label] = sir
                    elif kind == _LEGACY:
                        results[label] = Sir.SFP
                        if label in legacy:
                            legacy[label].append(number)
                        else:
                            legacy[label] = [number]
                    elif kind == _BAD:
                        if bad is None:
                            bad = []
                        bad.append((label, text))
            if not results and bad is None:
                excluded["no_result"] += 1
                continue

            ok = True
            raw_patient = cells[i_patient]
            patient = "".join(raw_patient.split()).upper()
            if not patient:
                problem("patient.missing", "Identifiant patient (IPP) manquant.", number, "id_patient", "")
                ok = False
            elif len(patient) >= 13 and looks_like_nir(patient.replace(".", "").replace("-", "")):
                self.nir.add(number)
                ok = False

            if uf_issues:
                ok = self._uf_problems(number, uf, patient, unit, uf_issues) and ok
            if bad is not None:
                ok = False
                for label, text in bad:
                    self.bad_columns[label] = self.bad_columns.get(label, 0) + 1
                    shown = _shown(text, patient)
                    problem(
                        "result.invalid",
                        f"Résultat « {shown.strip()} » non reconnu pour « {label} » : S, SFP ou R attendu "
                        "(cellule vide si l'antibiotique n'a pas été testé).",
                        number,
                        label,
                        shown,
                    )
            if not specimen:
                problem("specimen.missing", "Nature du prélèvement manquante.", number, "nature_prelevement", "")
                ok = False

            date_text = cells[i_date].strip()
            parsed_date = dates.get(date_text)
            if parsed_date is None:
                parsed_date = dates[date_text] = self._specimen_date(date_text, date1904, period)
            specimen_date, date_problem = parsed_date
            if date_problem is not None:
                shown_date = _shown(date_text, patient)
                message = date_problem[1] if shown_date == date_text else "Date du prélèvement illisible (valeur masquée)."
                problem(date_problem[0], message, number, "date_prelevement", shown_date)
                ok = False

            age: int | None = None
            birth_text = cells[i_birth].strip() if i_birth is not None else ""
            if birth_text:
                birth_found = births.get(birth_text)
                if birth_found is None:
                    birth_found = births[birth_text] = self._birth_date(birth_text, date1904)
                birth, birth_problem = birth_found
                if birth_problem is not None:
                    problem(birth_problem[0], birth_problem[1], number, "date_naissance", MASKED)
                    ok = False
                elif birth is not None and specimen_date is not None:
                    if birth > specimen_date:
                        problem(
                            "birth.after_specimen",
                            "Date de naissance postérieure à la date du prélèvement.",
                            number,
                            "date_naissance",
                            MASKED,
                        )
                        ok = False
                    else:
                        age = (
                            specimen_date.year
                            - birth.year
                            - ((specimen_date.month, specimen_date.day) < (birth.month, birth.day))
                        )
                        if age > _MAX_AGE:
                            problem(
                                "birth.out_of_range",
                                f"La date de naissance donne un âge de plus de {_MAX_AGE} ans au prélèvement : vérifiez-la.",
                                number,
                                "date_naissance",
                                MASKED,
                            )
                            ok, age = False, None
            else:
                age_text = cells[i_age].strip() if i_age is not None else ""
                if age_text:
                    age_found = ages.get(age_text)
                    if age_found is None:
                        age_found = ages[age_text] = _read_age(age_text)
                    age, age_problem = age_found
                    if age_problem is not None:
                        problem(age_problem[0], age_problem[1], number, "age", _shown(age_text, patient))
                        ok = False
                elif i_age is not None or i_birth is not None:
                    self.no_age.add(number)

            sex: str | None = None
            if i_sex is not None:
                sex_text = cells[i_sex].strip()
                if sex_text:
                    if sex_text in sexes:
                        sex = sexes[sex_text]
                    else:
                        sex = sexes[sex_text] = _SEXES.get(" ".join(_WORDS.findall(normalise_header(sex_text))))
                    if sex is None:
                        self.sexes.setdefault(_shown(sex_text, patient), _Rows()).add(number)

            esbl: bool | None = None
            if i_esbl is not None:
                esbl_text = cells[i_esbl].strip()
                if esbl_text:
                    esbl_found = esbls.get(esbl_text)
                    if esbl_found is None:
                        esbl_found = esbls[esbl_text] = _read_esbl(esbl_text)
                    esbl, esbl_problem = esbl_found
                    if esbl_problem is not None:
                        problem(*esbl_problem, number, "blse", _shown(esbl_text, patient))
                        ok = False
            carbapenemase: Carbapenemase | None = None
            if i_carba is not None:
                carba_text = cells[i_carba].strip()
                if carba_text:
                    carba_found = carbas.get(carba_text)
                    if carba_found is None:
                        carba_found = carbas[carba_text] = _read_carbapenemase(carba_text)
                    carbapenemase, carba_problem, carba_warning = carba_found
                    if carba_problem is not None:
                        problem(*carba_problem, number, "carbapenemase", _shown(carba_text, patient))
                        ok = False
                    elif carba_warning is not None:
                        problem("carbapenemase.several", carba_warning, number, "carbapenemase", carba_text, warning=True)
            van: VanGene | None = None
            if i_van is not None:
                van_text = cells[i_van].strip()
                if van_text:
                    van_found = vans.get(van_text)
                    if van_found is None:
                        van_found = vans[van_text] = _read_van(van_text)
                    van, van_problem = van_found
                    if van_problem is not None:
                        problem(*van_problem, number, "erv", _shown(van_text, patient))
                        ok = False

            if ok and specimen_date is not None:
                isolates.append(
                    RawIsolate(
                        row=number,
                        uf=uf,
                        patient_id=patient,
                        age=age,
                        sex=sex,
                        specimen_date=specimen_date,
                        specimen_label=specimen,
                        species_label=species,
                        results=results,
                        esbl=esbl,
                        carbapenemase=carbapenemase,
                        van=van,
                    )
                )
        self._aggregated_problems(results_cache)
        return _finish(table, isolates, labels, excluded, legacy, len(isolates))

    # ----------------------------------------------------------------------- per distinct text

    @staticmethod
    def _uf_state(checker: UnitChecker, uf: str) -> tuple[Unit | None, tuple[Issue, ...], bool]:
        if not uf:
            return None, (("uf.missing", "Code UF manquant.", False),), True
        unit, issues = checker.check(uf)
        eligible = not any(code == "uf.not_eligible" for code, _, _ in issues)
        return unit, tuple(issue for issue in issues if issue[0] != "uf.not_eligible"), eligible

    def _uf_problems(self, number: int, uf: str, patient: str, unit: Unit | None, issues: tuple[Issue, ...]) -> bool:
        """Report the UF's issues for this row (warnings once per UF); False when one is an error."""
        ok = True
        shown = _shown(uf, patient) if uf else ""
        for code, message, warning in issues:
            if warning:
                if uf in self.uf_warned:
                    continue
                self.uf_warned.add(uf)
            text = message if shown == uf else message.replace(uf, MASKED)
            self.problem(code, text, number, "code_uf", shown, warning=warning)
            ok = ok and warning
        return ok

    @staticmethod
    def _specimen_date(text: str, date1904: bool, period: Period) -> tuple[date | None, Problem2 | None]:
        if not text:
            return None, ("specimen_date.missing", "Date du prélèvement manquante.")
        try:
            day = parse_date(text, date1904)
        except InvalidInput as error:
            return None, (_problem_code(error, "date.format"), error.message)
        assert day is not None
        if not period.contains(day):
            return day, (
                "specimen_date.outside_period",
                f"Date du prélèvement {day:%d/%m/%Y} hors de la période déclarée {period} "
                f"({period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y}).",
            )
        return day, None

    @staticmethod
    def _birth_date(text: str, date1904: bool) -> tuple[date | None, Problem2 | None]:
        try:
            return parse_date(text, date1904), None
        except InvalidInput as error:
            # parse_date's message quotes the text: a date of birth is never shown.
            return None, (
                _problem_code(error, "date.format").replace("date.", "birth."),
                "Date de naissance illisible : format JJ/MM/AAAA attendu (la valeur n'est pas reproduite ici).",
            )

    # ----------------------------------------------------------------------- once per file

    def _aggregated_problems(self, results_cache: Mapping[str, tuple[int, Sir]]) -> None:
        table = self.table
        if self.nir.count:
            plural = "s" if self.nir.count > 1 else ""
            table.problem(
                "patient.nir",
                f"{self.nir.count} identifiant{plural} patient ressemble{'nt' if plural else ''} à un NIR (numéro de "
                f"sécurité sociale), {self.nir.listed()} : le fichier est refusé. Le NIR ne doit jamais être envoyé ; "
                "utilisez l'IPP de l'établissement (valeurs non reproduites ici).",
                row=self.nir.rows[0],
                column="id_patient",
                value=MASKED,
            )
        for label, legacy_rows in self.legacy.items():
            count = len(legacy_rows)
            table.problem(
                "result.legacy_i",
                f"Résultat « I » lu comme SFP (sensible à forte posologie, l'ancien « I » depuis 2019) dans la colonne "
                f"« {label} » : {count} cellule{'s' if count > 1 else ''}, {_lines(legacy_rows, count)}. "
                "Vérifiez que ces résultats suivent le CA-SFM ≥ 2020.",
                row=legacy_rows[0],
                column=label,
                value="I",
                warning=True,
            )
        if self.no_age.count:
            table.problem(
                "age.missing",
                f"Ni âge ni date de naissance pour {self.no_age.count} isolat{'s' if self.no_age.count > 1 else ''} "
                f"({self.no_age.listed()}) : l'âge reste inconnu.",
                row=self.no_age.rows[0],
                column="age" if "age" in table.columns else "date_naissance",
                value="",
                warning=True,
            )
        for value, rows in self.sexes.items():
            table.problem(
                "sex.invalid",
                f"Sexe « {value} » non reconnu (F ou M attendu) pour {rows.count} isolat{'s' if rows.count > 1 else ''} "
                f"({rows.listed()}) : le sexe reste inconnu.",
                row=rows.rows[0],
                column="sexe",
                value=value,
                warning=True,
            )
        for uf, rows in self.not_eligible.items():
            unit = self.context.units[uf]
            table.problem(
                "uf.not_eligible",
                _not_eligible_message(unit, rows.count) + f" ({rows.listed()}).",
                row=rows.rows[0],
                column="code_uf",
                value=uf,
                warning=True,
            )
        self._not_antibiotic_columns(results_cache)
        self._unnamed_columns()

    def _not_antibiotic_columns(self, results_cache: Mapping[str, tuple[int, Sir]]) -> None:
        """A column with errors and no valid result at all is probably not an antibiotic."""
        for label, errors in self.bad_columns.items():
            position = self.layout.positions[self.layout.labels.index(label)]
            valid = False
            for _, cells in self.table.data:
                text = cells[position] if position < len(cells) else ""
                if text and results_cache.get(text, (_BAD, Sir.S))[0] in (_OK, _LEGACY):
                    valid = True
                    break
            if not valid:
                self.table.problem(
                    "column.not_antibiotic",
                    f"La colonne « {label} » ne contient aucun résultat S, SFP ou R ({errors} valeur{'s' if errors > 1 else ''} "
                    f"non reconnue{'s' if errors > 1 else ''}) : toute colonne qui n'est pas une colonne d'identification "
                    "reconnue est lue comme un antibiotique. Si ce n'en est pas un, supprimez-la.",
                    row=self.table.header_row,
                    column=label,
                    value=label,
                )

    def _unnamed_columns(self) -> None:
        for position in self.layout.unnamed:
            filled = sum(1 for _, cells in self.table.data if position < len(cells) and cells[position].strip())
            if filled:
                letter = column_letter(position)
                self.table.problem(
                    "column.no_header",
                    f"La colonne {letter} n'a pas d'en-tête mais contient {filled} valeur{'s' if filled > 1 else ''} : "
                    "elle est ignorée. Si ce sont des résultats, écrivez le libellé de l'antibiotique dans l'en-tête.",
                    row=self.table.header_row,
                    column=letter,
                    warning=True,
                )


def _finish(
    table: Table,
    isolates: list[RawIsolate],
    labels: list[str],
    excluded: dict[str, int],
    legacy: dict[str, list[int]],
    isolates_read: int,
) -> ParsedResistance:
    report = table.report
    report.summary = {
        "isolates_read": isolates_read,
        "excluded": dict(excluded),
        "antibiotic_columns": len(labels),
        "legacy_i": sum(len(rows) for rows in legacy.values()),
    }
    if report.accepted:
        report.rows_accepted = len(isolates)
        return ParsedResistance(isolates, report, labels, table.header_row, excluded, legacy)
    report.rows_accepted = 0
    return ParsedResistance([], report, labels, table.header_row, excluded, legacy)
