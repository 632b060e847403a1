"""Automatic proposals for a laboratory's labels (DOMAIN.md §4.5, "Mappings kept in memory").

Each laboratory writes species, specimens and antibiotics its own way. A label
is mapped once, per laboratory, to a reference code; ``propose`` suggests that
code when the label is **unambiguous**, and a person confirms. Whenever two
reference entries could fit, ``propose`` returns ``None`` and the label waits
for a person: a wrong automatic proposal costs more than a manual one.

What is recognised, for every kind (after folding case, accents, ligatures,
spacing and punctuation, so "E.coli", "e coli" and "E. Coli" read the same):

- the reference code itself (``ESCCOL``, ``CTX``, ``HEMOC``), the name(s) and
  the synonyms of the reference tables;
- **species**: genus abbreviations ("E. coli", "E.coli", "Ecoli", "S. aureus",
  "Staph aureus", "K. pneumo"): the first word must begin the genus and the
  others equal (or, from 3 letters, begin) the species words of one entry only
  — "S. aureus" is Staphylococcus, "S. pneumoniae" Streptococcus, while "S." alone
  or "E. fae" (faecalis or faecium) wait; a trailing "sp."/"spp." and the words
  "complexe"/"complex" are ignored; French "staphylocoque", "streptocoque",
  "entérocoque" read as the Latin genus. Laboratory suffixes that also feed
  phenotypes are read and returned as hints (``Proposal.hints``): "BLSE"/"ESBL"
  → ``esbl``; "EPC", "carbapénémase", "OXA-48", "KPC", "NDM", "VIM", "IMP" →
  ``cpe``; "SARM"/"MRSA"/"méti-R"/"oxa-R" → ``mrsa`` (and "SARM"/"SASM" alone
  mean *S. aureus*); "ERG"/"ERV"/"VRE"/"vanA"/"vanB" → ``vre``; "BHRe" →
  ``cpe`` for Enterobacterales, ``vre`` for *E. faecium*/*E. faecalis*. A
  negation ("non BLSE", "BLSE nég", "BLSE -", "méti-S", "SASM") gives ``False``.
  A hint outside its phenotype's scope (``esbl``/``cpe`` outside
  Enterobacterales, ``mrsa`` outside *S. aureus*, ``vre`` outside *E. faecium*
  and *E. faecalis*) is dropped: the species is still proposed;
- **antibiotics**: "+", "/", "ac.", "acide" are ignored and French/English
  endings are folded ("Amoxicilline + ac. clavulanique" = "amoxicillin/
  clavulanate"); every word may be abbreviated from 3 letters when one entry
  only fits with as many words ("Pipé/tazo", "Amox", "Genta", "Péni G").
  Class labels ("C3G", "FQ", "aminosides") name no single molecule: ``None``;
- **specimens**: plural and feminine endings and small words ("de", "sur"...)
  are ignored, and a label that contains the synonym(s) of one category only
  is proposed ("Hémoculture aérobie" → ``HEMOC``; a longer synonym wins over one
  it contains: "Aspiration bronchique protégée" is protected). "Hémoculture sur
  KT" names two categories: ``None``. ``AUTRE`` is only proposed for a label that
  is one of its synonyms ("Autre", "Divers"), not for "Divers liquide".

``is_screening`` tells whether a specimen label marks a screening specimen
(``screening_labels.csv``: "dépistage", "écouvillon rectal", "BMR"...), whose
isolates are excluded and counted (the reference's own test, ``ResistanceReference.is_screening``).

**Mapping keys.** A mapping is stored under the label as the laboratory wrote
it, trimmed and with runs of spaces made one (``clean_label``), and looked up
by ``normalise_label``: the same text case-insensitively (Unicode NFC,
``casefold``). Accents and punctuation stay significant in the key ("BLSE+"
and "BLSE-" are different labels); variants such as "E.coli" and "E. coli"
are two stored labels, each confirmed once, and ``propose`` offers the same
code for both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.resistance.reference import ResistanceReference, SpeciesGroup, default_reference
from chalicelib.domain.resistance.words import WORD, fold, occurrences, specimen_tokens

__all__ = [
    "HINT_CPE",
    "HINT_ESBL",
    "HINT_MRSA",
    "HINT_VRE",
    "Proposal",
    "clean_label",
    "is_screening",
    "normalise_label",
    "propose",
]

HINT_ESBL = "esbl"  # EBLSE
HINT_CPE = "cpe"  # EPC (carbapenemase-producing Enterobacterales)
HINT_MRSA = "mrsa"  # SARM
HINT_VRE = "vre"  # ERG / ERV

_STAPHYLOCOCCUS_AUREUS = "STAAUR"
_VRE_SPECIES = frozenset({"ENCFAE", "ENCFAI"})
#: "Autre" is proposed for a label that says only that ("Autre", "Divers"), never because a longer label contains it.
_OTHER_SPECIMEN = "AUTRE"


@dataclass(frozen=True)
class Proposal:
    """A reference code proposed for a label, with the phenotype hints its suffix carried."""

    code: str
    hints: dict[str, bool] = field(default_factory=dict)


# --------------------------------------------------------------------------- labels as keys


def clean_label(text: str) -> str:
    """The label as the laboratory wrote it, trimmed, runs of spaces (incl. no-break) made one space."""
    composed = unicodedata.normalize("NFC", text)
    visible = "".join(char for char in composed if unicodedata.category(char) != "Cf")
    return " ".join(visible.split())


def normalise_label(text: str) -> str:
    """The key a laboratory's mapping is stored and looked up under: ``clean_label`` case-insensitively."""
    return clean_label(text).casefold()


# --------------------------------------------------------------------------- words

_SPECIES_VERNACULAR = {
    "staphylocoque": "staphylococcus",
    "staphylocoques": "staphylococcus",
    "streptocoque": "streptococcus",
    "streptocoques": "streptococcus",
    "enterocoque": "enterococcus",
    "enterocoques": "enterococcus",
    "ssp": "subsp",
}
_SPECIES_FILLERS = frozenset(
    {
        "de",
        "du",
        "des",
        "d",
        "complexe",
        "complex",
        "cplx",
        "souche",
        "phenotype",
        "productrice",
        "productrices",
        "producteur",
        "producteurs",
        "secretrice",
        "secreteur",
        "avec",
        "et",
        "bmr",
    }
)
_SPECIES_TRAILING = frozenset({"sp", "spp", "species"})


def _species_tokens(text: str) -> tuple[str, ...]:
    words = [_SPECIES_VERNACULAR.get(word, word) for word in WORD.findall(fold(text)) if word not in _SPECIES_FILLERS]
    while words and words[-1] in _SPECIES_TRAILING:
        words.pop()
    return tuple(words)


_ANTIBIOTIC_FILLERS = frozenset({"acide", "ac", "acid", "et", "and", "avec", "with", "de", "d"})
_ANTIBIOTIC_WORDS = {"clavulanate": "clavulanic", "fusidate": "fusidic"}


def _antibiotic_word(word: str) -> str:
    word = _ANTIBIOTIC_WORDS.get(word, word)
    if word.endswith("ique"):
        word = word[:-4] + "ic"  # clavulanique -> clavulanic, nalidixique -> nalidixic
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # amoxicilline / amoxicillin -> amoxicillin, ceftriaxone -> ceftriaxon
    return word


def _antibiotic_tokens(text: str) -> tuple[str, ...]:
    return tuple(_antibiotic_word(word) for word in WORD.findall(fold(text)) if word not in _ANTIBIOTIC_FILLERS)


# --------------------------------------------------------------------------- phenotype suffixes


@dataclass(frozen=True)
class _Marker:
    hint: str  # HINT_* or "bhre" (resolved by the species' group)
    value: bool
    implies: str | None  # a species code the marker alone names ("SARM" -> S. aureus)
    pattern: re.Pattern[str]


def _marker(hint: str, value: bool, term: str, implies: str | None = None) -> _Marker:
    pattern = re.compile(
        r"(?<![a-z0-9])(?:(?P<neg>non|sans|pas de)[\s-]*)?"
        rf"(?:{term})(?![a-z0-9])"
        r"(?:\s*(?P<after>-(?![a-z0-9])|neg(?:atif|ative)?(?![a-z0-9])|\+|pos(?:itif|itive)?(?![a-z0-9])))?"
    )
    return _Marker(hint, value, implies, pattern)


_MARKERS = (
    _marker(HINT_MRSA, True, r"sarm|mrsa", implies=_STAPHYLOCOCCUS_AUREUS),
    _marker(HINT_MRSA, False, r"sasm|mssa", implies=_STAPHYLOCOCCUS_AUREUS),
    _marker(
        HINT_MRSA,
        True,
        r"meth?i(?:cill?ine?)?\s*-?\s*r|oxa(?:cilline?)?\s*-?\s*r|meth?icill?ino\s*-?\s*resistante?"
        r"|methicillin\s*-?\s*resistant|resistante?\s+a\s+la\s+meth?icill?ine",
    ),
    _marker(
        HINT_MRSA,
        False,
        r"meth?i(?:cill?ine?)?\s*-?\s*s|oxa(?:cilline?)?\s*-?\s*s|meth?icill?ino\s*-?\s*sensible"
        r"|methicillin\s*-?\s*susceptible|sensible\s+a\s+la\s+meth?icill?ine",
    ),
    _marker(HINT_ESBL, True, r"e?blse|esbl|beta\s*-?\s*lactamase\s+a\s+spectre\s+(?:etendu|elargi)"),
    _marker(
        HINT_CPE,
        True,
        r"epc|carbapenemases?(?:\s+(?:de\s+type\s+)?(?:oxa\s*-?\s*48(?:\s*-?\s*like)?|kpc|ndm|vim|imp))?"
        r"|oxa\s*-?\s*(?:48|181|204|232|244)(?:\s*-?\s*like)?|kpc|ndm(?:\s*-?\s*\d+)?|vim|imp",
    ),
    _marker(
        HINT_VRE,
        True,
        r"erg|erv|vre|van\s*-?\s*[ab]|vanco(?:mycine)?\s*-?\s*r|glyco(?:peptides?)?\s*-?\s*r"
        r"|resistante?\s+aux\s+glycopeptides",
    ),
    _marker("bhre", True, r"bhre?"),
)
_NOT_MARKER_TEXT = re.compile(r"[^a-z0-9+\-]+")


@dataclass(frozen=True)
class _Suffixes:
    remainder: str
    hints: tuple[tuple[str, bool], ...]
    implied: frozenset[str]


def _read_suffixes(label: str) -> _Suffixes:
    text = " " + _NOT_MARKER_TEXT.sub(" ", fold(label)) + " "
    hints: list[tuple[str, bool]] = []
    implied: set[str] = set()
    for marker in _MARKERS:

        def found(match: re.Match[str], marker: _Marker = marker) -> str:
            negated = bool(match.group("neg")) or (match.group("after") or "").startswith(("-", "neg"))
            hints.append((marker.hint, marker.value != negated))
            if marker.implies:
                implied.add(marker.implies)
            return " "

        text = marker.pattern.sub(found, text)
    return _Suffixes(text, tuple(hints), frozenset(implied))


# --------------------------------------------------------------------------- indexes

_Tokenizer = Callable[[str], tuple[str, ...]]


@dataclass(frozen=True)
class _Index:
    exact: Mapping[str, frozenset[str]]  # compact key ("ecoli") -> codes
    entries: tuple[tuple[tuple[str, ...], str], ...]  # (tokens, code) of every code, name and synonym


def _build(strings: Iterable[tuple[str, str]], tokenize: _Tokenizer, abbreviations: bool = False) -> _Index:
    exact: dict[str, set[str]] = {}
    entries: list[tuple[tuple[str, ...], str]] = []
    for code, text in strings:
        tokens = tokenize(text)
        if not tokens:
            continue
        entries.append((tokens, code))
        exact.setdefault("".join(tokens), set()).add(code)
        if abbreviations and len(tokens) >= 2 and tokens[0].isalpha():
            # "Escherichia coli" is also written "E. coli", "E.coli", "Ecoli".
            exact.setdefault(tokens[0][0] + "".join(tokens[1:]), set()).add(code)
    return _Index({key: frozenset(codes) for key, codes in exact.items()}, tuple(entries))


@dataclass(frozen=True)
class _Indexes:
    species: _Index
    specimens: _Index
    antibiotics: _Index


@lru_cache(maxsize=4)
def _indexes(reference: ResistanceReference) -> _Indexes:
    species = _build(
        ((entry.code, text) for entry in reference.species for text in (entry.code, entry.name, *entry.synonyms)),
        _species_tokens,
        abbreviations=True,
    )
    specimens = _build(
        ((entry.code, text) for entry in reference.specimen_categories for text in (entry.code, entry.label, *entry.synonyms)),
        specimen_tokens,
    )
    antibiotics = _build(
        (
            (entry.code, text)
            for entry in reference.antibiotics
            for text in (entry.code, entry.name_fr, entry.name_en, *entry.synonyms)
        ),
        _antibiotic_tokens,
    )
    return _Indexes(species, specimens, antibiotics)


# --------------------------------------------------------------------------- matching

_MIN_ABBREVIATION = 3  # letters a word needs to stand for a longer one ("Amox", "pneumo")


def _abbreviates(short: str, word: str) -> bool:
    return short == word or (len(short) >= _MIN_ABBREVIATION and word.startswith(short))


def _only(codes: Iterable[str]) -> str | None:
    distinct = set(codes)
    return distinct.pop() if len(distinct) == 1 else None


def _exact(tokens: tuple[str, ...], index: _Index) -> frozenset[str]:
    return index.exact.get("".join(tokens), frozenset()) if tokens else frozenset()


def _match_species(tokens: tuple[str, ...], index: _Index) -> str | None:
    found = _exact(tokens, index)
    if found:
        return _only(found)
    if len(tokens) < 2 or not tokens[0].isalpha():
        return None
    genus, rest = tokens[0], tokens[1:]
    same_length = [(entry, code) for entry, code in index.entries if len(entry) == len(tokens) and entry[0].startswith(genus)]
    # The species words as written first ("S. typhi" is Typhi, not Typhimurium), then abbreviated.
    exact_rest = {code for entry, code in same_length if entry[1:] == rest}
    if exact_rest:
        return _only(exact_rest)
    return _only(code for entry, code in same_length if all(map(_abbreviates, rest, entry[1:])))


def _match_antibiotic(tokens: tuple[str, ...], index: _Index) -> str | None:
    found = _exact(tokens, index)
    if found:
        return _only(found)
    if not tokens:
        return None
    return _only(code for entry, code in index.entries if len(entry) == len(tokens) and all(map(_abbreviates, tokens, entry)))


def _match_specimen(tokens: tuple[str, ...], index: _Index) -> str | None:
    found = _exact(tokens, index)
    if found:
        return _only(found)
    spans = [
        (start, end, code)
        for entry, code in index.entries
        if code != _OTHER_SPECIMEN
        for start, end in occurrences(tokens, entry)
    ]
    # A synonym inside a longer one found at the same place does not count ("aspiration bronchique" in
    # "aspiration bronchique protégée").
    kept = [
        code
        for start, end, code in spans
        if not any(
            other_start <= start and end <= other_end and other_end - other_start > end - start
            for other_start, other_end, _ in spans
        )
    ]
    return _only(kept)


def _species_proposal(label: str, reference: ResistanceReference, index: _Index) -> Proposal | None:
    suffixes = _read_suffixes(label)
    tokens = _species_tokens(suffixes.remainder)
    code = _match_species(tokens, index) if tokens else None
    if tokens and code is None:
        return None
    if suffixes.implied:
        if len(suffixes.implied) > 1 or (code is not None and code not in suffixes.implied):
            return None
        code = next(iter(suffixes.implied))
    if code is None or code not in reference.species_by_code:
        return None
    species = reference.species_by_code[code]
    hints: dict[str, bool] = {}
    for hint, value in suffixes.hints:
        if hint == "bhre":
            if species.group is SpeciesGroup.ENTEROBACTERALES:
                hint = HINT_CPE
            elif code in _VRE_SPECIES:
                hint = HINT_VRE
            else:
                continue
        if not _in_scope(hint, code, species.group):
            continue
        if hints.get(hint, value) != value:
            return None  # "BLSE ... non BLSE": contradictory
        hints[hint] = value
    return Proposal(code, hints)


def _in_scope(hint: str, code: str, group: SpeciesGroup) -> bool:
    if hint in (HINT_ESBL, HINT_CPE):
        return group is SpeciesGroup.ENTEROBACTERALES
    if hint == HINT_MRSA:
        return code == _STAPHYLOCOCCUS_AUREUS
    return code in _VRE_SPECIES


# --------------------------------------------------------------------------- public API


def propose(kind: MappingKind, label: str, reference: ResistanceReference | None = None) -> Proposal | None:
    """The reference code ``label`` stands for, when exactly one entry fits; ``None`` waits for a person.

    ``reference`` defaults to the shipped tables. Hints are only given for species
    labels (see the module's documentation); other kinds return ``hints == {}``.
    """
    reference = reference or default_reference()
    indexes = _indexes(reference)
    if kind is MappingKind.SPECIES:
        return _species_proposal(label, reference, indexes.species)
    if kind is MappingKind.SPECIMEN:
        code = _match_specimen(specimen_tokens(label), indexes.specimens)
    else:
        code = _match_antibiotic(_antibiotic_tokens(label), indexes.antibiotics)
    return Proposal(code) if code else None


def is_screening(specimen_label: str, reference: ResistanceReference | None = None) -> bool:
    """Whether a specimen label marks a screening specimen (excluded from resistance indicators, counted)."""
    return (reference or default_reference()).is_screening(specimen_label)
