"""Reading one cell of a resistance file: identifiers, results, age, phenotype flags (parsed once per distinct text)."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from chalicelib.domain.cells import normalise_header
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.files.resistance.model import MASKED, WORDS
from chalicelib.domain.resistance.model import Carbapenemase, Sir, VanGene

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


def masked_text(text: str, patient: str) -> str:
    """A cell value as a problem may show it: masked when it is the row's patient or looks like a NIR."""
    compact = _compact(text)
    if (patient and compact == patient) or looks_like_nir(compact.replace(".", "").replace("-", "")):
        return MASKED
    return text


def label_key(label: str) -> str:
    # As the laboratory mappings key a label: case and spacing ignored, accents kept.
    return re.sub(r"\s+", " ", label.strip()).casefold()


# --------------------------------------------------------------------------- cell readers (cached per text)

BLANK, OK, LEGACY, BAD = 0, 1, 2, 3
_RESULTS = {"S": Sir.S, "SFP": Sir.SFP, "R": Sir.R}


def read_result(text: str) -> tuple[int, Sir]:
    """``(kind, result)``; the result of a blank or bad cell is a placeholder, never used."""
    compact = _compact(text)
    if not compact:
        return BLANK, Sir.S
    sir = _RESULTS.get(compact)
    if sir is not None:
        return OK, sir
    if compact == "I":
        return LEGACY, Sir.SFP
    return BAD, Sir.S


Problem2 = tuple[str, str]  # (code, French message)

_AGE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ans?|a|mois|m|semaines?|sem|s|jours?|j)?\.?")
_AGE_DIVISOR = {"mois": 12, "m": 12, "semaine": 52, "semaines": 52, "sem": 52, "s": 52, "jour": 365, "jours": 365, "j": 365}
MAX_AGE = 120


def read_age(text: str) -> tuple[int | None, Problem2 | None]:
    match = _AGE.fullmatch(text.strip().lower())
    if match is None:
        return None, ("age.invalid", "Âge illisible : un nombre d'années entre 0 et 120 est attendu.")
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regular expression guarantees a number
        return None, ("age.invalid", "Âge illisible : un nombre d'années entre 0 et 120 est attendu.")
    divisor = _AGE_DIVISOR.get(match.group(2) or "", 1)
    years = int((value / divisor).to_integral_value(ROUND_FLOOR))
    if years > MAX_AGE:
        return None, ("age.out_of_range", f"Âge {years} ans hors limites : entre 0 et {MAX_AGE} ans attendu.")
    return years, None


def problem_code(error: InvalidInput, default: str) -> str:
    for detail in error.details:
        if isinstance(detail, dict) and isinstance(detail.get("problem"), str):
            return str(detail["problem"])
    return default


def _phenotype_key(text: str) -> str:
    stripped = text.strip()
    if stripped in ("+", "-", "\u2212", "\u2013"):
        return "+" if stripped == "+" else "-"
    return " ".join(WORDS.findall(normalise_header(stripped)))


_NOT_TESTED = frozenset({"nt", "nd", "non teste", "non testee", "non fait", "non recherche", "non recherchee", "non realise"})
_YES = frozenset(
    {"oui", "o", "yes", "y", "positif", "positive", "pos", "+", "1", "vrai", "true", "present", "presence", "detecte"}
)
_NO = frozenset(
    {"non", "n", "no", "negatif", "negative", "neg", "-", "0", "faux", "false", "absent", "absence", "non detecte", "aucun"}
)


def read_esbl(text: str) -> tuple[bool | None, Problem2 | None]:
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
    key = "".join(WORDS.findall(normalise_header(text)))
    for pattern, value in _CARBA_PATTERNS:
        if pattern.fullmatch(key):
            return value
    return None


def read_carbapenemase(text: str) -> tuple[Carbapenemase | None, Problem2 | None, str | None]:
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


def read_van(text: str) -> tuple[VanGene | None, Problem2 | None]:
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


SEXES = {
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
