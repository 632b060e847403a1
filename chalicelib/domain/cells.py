"""Cell text → typed values, and header rows → canonical columns (numbers: ``numbers.py``).

Spreadsheet readers hand every cell over as text exactly as typed (see
``chalicelib.adapters.spreadsheets``); this module is the one place where that
text becomes a date, a number or an integer, with a French message when it
cannot. Blank text (empty or only spaces) means "no value" and parses to
``None``: whether a value is required is the caller's business.

Every refusal raises ``InvalidInput`` whose message quotes the value and whose
``details`` hold ``{"value": text, "problem": <stable code>}``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from chalicelib.domain.errors import InvalidInput, Unprocessable
from chalicelib.domain.numbers import cell_problem as _problem
from chalicelib.domain.numbers import parse_decimal, parse_int

__all__ = [
    "HeaderMatch",
    "HeaderMatcher",
    "HeaderRow",
    "column_letter",
    "find_header_row",
    "is_blank_row",
    "normalise_header",
    "parse_date",
    "parse_decimal",
    "parse_int",
]

# Excel's largest date, 31/12/9999, as a 1900-system serial.
_MAX_SERIAL_1900 = 2_958_465
_EPOCH_1900_BEFORE_BUG = date(1899, 12, 31)  # serials 1..59: 1 = 01/01/1900
_EPOCH_1900_AFTER_BUG = date(1899, 12, 30)  # serials >= 61 (60 is Lotus' 29/02/1900)
_EPOCH_1904 = date(1904, 1, 1)  # serial 0 = 01/01/1904
_FIRST_YEAR = 1900

_TIME = r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
# JJ/MM/AAAA (also J/M/AAAA, JJ-MM-AAAA, JJ.MM.AAAA), optionally followed by a time.
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d+)" + _TIME)
# AAAA-MM-JJ, optionally followed by a time and a UTC offset (ISO 8601).
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + r"(?:Z|[+-]\d{2}(?::?\d{2})?)?")
_SERIAL = re.compile(r"(\d+)(?:[.,]\d+)?")


# --------------------------------------------------------------------------- dates


def parse_date(text: str, date1904: bool = False) -> date | None:
    """Read a date typed in a cell; ``None`` for blank text.

    Accepted: ``JJ/MM/AAAA`` and ``J/M/AAAA`` (``/``, ``-`` or ``.`` as separator),
    ISO ``AAAA-MM-JJ``, each optionally followed by a time (dropped), and Excel
    serial numbers (``45356``, ``45356.5``) in the 1900 system — where serial 60 is
    Lotus' non-existent 29/02/1900 — or, when ``date1904`` is true, the 1904 system.

    Refused: two-digit years (``05/03/24`` is not the year 24), years before 1900,
    impossible dates (``31/02/2024``), and a bare 4-digit number between 1900 and
    2100, which is a year typed alone rather than the 1905 serial it would denote.

    Raises:
        InvalidInput: with a French message quoting the text.
    """
    stripped = text.strip()
    if not stripped:
        return None
    match = _DAY_FIRST.fullmatch(stripped)
    if match:
        day, _, month, year_text = match.group(1, 2, 3, 4)
        _check_time(stripped, match.group(5, 6, 7))
        if len(year_text) == 2:
            raise _problem(
                f"Date invalide : « {stripped} » a une année sur deux chiffres ; écrivez l'année en entier (JJ/MM/AAAA).",
                stripped,
                "date.two_digit_year",
            )
        if len(year_text) != 4:
            raise _problem(
                f"Date invalide : « {stripped} » (année sur 4 chiffres attendue, format JJ/MM/AAAA).",
                stripped,
                "date.format",
            )
        return _calendar_date(stripped, int(year_text), int(month), int(day))
    match = _ISO.fullmatch(stripped)
    if match:
        year, month, day = (int(part) for part in match.group(1, 2, 3))
        _check_time(stripped, match.group(4, 5, 6))
        return _calendar_date(stripped, year, month, day)
    match = _SERIAL.fullmatch(stripped)
    if match:
        return _serial_date(stripped, int(match.group(1)), date1904)
    raise _problem(
        f"Date invalide : « {stripped} » (format JJ/MM/AAAA attendu).",
        stripped,
        "date.format",
    )


def _check_time(text: str, parts: tuple[str | None, ...]) -> None:
    hour, minute, second = (int(part) if part else 0 for part in parts)
    if hour > 23 or minute > 59 or second > 59:
        raise _problem(f"Date invalide : l'heure de « {text} » n'existe pas.", text, "date.time")


def _calendar_date(text: str, year: int, month: int, day: int) -> date:
    if year < _FIRST_YEAR:
        raise _problem(
            f"Date invalide : « {text} » est antérieure à 1900 ; vérifiez l'année (JJ/MM/AAAA).",
            text,
            "date.before_1900",
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise _problem(f"Date invalide : « {text} » n'existe pas dans le calendrier.", text, "date.impossible") from None


def _serial_date(text: str, serial: int, date1904: bool) -> date:
    if _FIRST_YEAR <= serial <= 2100:
        raise _problem(
            f"Date invalide : « {text} » ressemble à une année seule ; une date complète est attendue (JJ/MM/AAAA).",
            text,
            "date.year_only",
        )
    if date1904:
        if serial > _MAX_SERIAL_1900 - 1462:
            raise _out_of_range(text)
        return _EPOCH_1904 + timedelta(days=serial)
    if serial == 0 or serial > _MAX_SERIAL_1900:
        raise _out_of_range(text)
    if serial == 60:
        raise _problem(
            f"Date invalide : « {text} » désigne le 29/02/1900, qui n'a jamais existé (erreur héritée d'Excel).",
            text,
            "date.impossible",
        )
    return (_EPOCH_1900_BEFORE_BUG if serial < 60 else _EPOCH_1900_AFTER_BUG) + timedelta(days=serial)


def _out_of_range(text: str) -> InvalidInput:
    return _problem(
        f"Date invalide : « {text} » n'est ni une date JJ/MM/AAAA ni un numéro de date Excel valide.",
        text,
        "date.format",
    )


# --------------------------------------------------------------------------- headers

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
_HEADER_SEPARATORS = re.compile(r"[\s_\-.'’‘`´\u2010-\u2015]+")


def normalise_header(text: str) -> str:
    """Normalise a header for comparison: ``"  Date de  Prélèvement."`` → ``"date_de_prelevement"``.

    Lower case (``casefold``), accents and ligatures removed, invisible format
    characters (BOM, zero-width spaces) dropped, and every run of spaces,
    line breaks, underscores, hyphens, dots and apostrophes turned into one
    ``_``, stripped at both ends. Other punctuation is kept, so that lab labels
    such as ``C3G`` and ``C3G+`` stay distinct.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(char for char in decomposed if not unicodedata.combining(char) and unicodedata.category(char) != "Cf")
    return _HEADER_SEPARATORS.sub("_", kept.translate(_LIGATURES)).strip("_")


def _compact(text: str) -> str:
    # "Code UF", "code_uf" and "CodeUF" name the same column.
    return normalise_header(text).replace("_", "")


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    if index < 0:
        raise ValueError(f"negative column index: {index}")
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class HeaderMatch:
    """How a header row maps to canonical column names.

    ``columns`` maps each recognised canonical name to its 0-based column index;
    ``unknown`` lists ``(index, header as typed)`` for non-blank headers that match
    nothing (lab antibiotic columns, for instance: the caller decides);
    ``duplicates`` lists canonical names found in several columns with their indices.
    """

    columns: Mapping[str, int]
    missing: tuple[str, ...] = ()
    unknown: tuple[tuple[int, str], ...] = ()
    duplicates: tuple[tuple[str, tuple[int, ...]], ...] = ()
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when every required column was found exactly once."""
        return not self.missing and not self.duplicates

    @property
    def problems(self) -> list[str]:
        """French messages for missing and duplicated columns (unknown columns are not problems here)."""
        messages = []
        for name in self.missing:
            accepted = ", ".join(f"« {label} »" for label in self.synonyms.get(name, (name,)))
            messages.append(f"Colonne obligatoire absente : « {name} » (en-têtes acceptés : {accepted}).")
        for name, indices in self.duplicates:
            letters = ", ".join(column_letter(index) for index in indices)
            messages.append(f"La colonne « {name} » apparaît plusieurs fois (colonnes {letters}).")
        return messages


class HeaderMatcher:
    """Maps a file's header row to canonical column names, leniently.

    ``spec`` is ``{canonical: [synonyms...]}``; the canonical name is always a
    synonym of itself. Headers match when equal after :func:`normalise_header`
    with separators ignored (``Code UF`` = ``code_uf`` = ``CODE-UF`` = ``CodeUF``).
    ``required`` names the columns that must be present (all of them by default).

    Raises:
        ValueError: when two canonical names share a synonym, or ``required``
            names an unknown column (programming errors, not user errors).
    """

    def __init__(self, spec: Mapping[str, Sequence[str]], required: Collection[str] | None = None) -> None:
        self._lookup: dict[str, str] = {}
        self._synonyms: dict[str, tuple[str, ...]] = {}
        for canonical, synonyms in spec.items():
            labels = (canonical, *synonyms)
            self._synonyms[canonical] = tuple(dict.fromkeys(labels))
            for label in labels:
                key = _compact(label)
                owner = self._lookup.setdefault(key, canonical)
                if owner != canonical:
                    raise ValueError(f"header synonym {label!r} belongs to both {owner!r} and {canonical!r}")
        self.required: tuple[str, ...] = tuple(spec) if required is None else tuple(required)
        unknown = [name for name in self.required if name not in self._synonyms]
        if unknown:
            raise ValueError(f"required columns not in the spec: {unknown}")

    @property
    def synonyms(self) -> Mapping[str, tuple[str, ...]]:
        """Every canonical name and the labels it is recognised by (itself first): what documentation lists."""
        return dict(self._synonyms)

    def canonical(self, header: str) -> str | None:
        """The canonical name a single header stands for, or ``None``."""
        return self._lookup.get(_compact(header))

    def match(self, header_row: Sequence[str]) -> HeaderMatch:
        found: dict[str, list[int]] = {}
        unknown: list[tuple[int, str]] = []
        for index, header in enumerate(header_row):
            if not header.strip():
                continue
            name = self.canonical(header)
            if name is None:
                unknown.append((index, header))
            else:
                found.setdefault(name, []).append(index)
        return HeaderMatch(
            columns={name: indices[0] for name, indices in found.items()},
            missing=tuple(name for name in self.required if name not in found),
            unknown=tuple(unknown),
            duplicates=tuple((name, tuple(indices)) for name, indices in found.items() if len(indices) > 1),
            synonyms=self._synonyms,
        )


def is_blank_row(row: Sequence[str]) -> bool:
    """True when every cell of the row is empty or only spaces."""
    return all(not cell or cell.isspace() for cell in row)


@dataclass(frozen=True)
class HeaderRow:
    """The header row of a sheet: its position in the rows and how it matched.

    ``hint`` is a French message when the first non-empty row lacks required
    columns but a later row among the next few would have matched them all —
    typically a title line above the real headers.
    """

    index: int
    match: HeaderMatch
    hint: str | None = None

    @property
    def problems(self) -> list[str]:
        return self.match.problems + ([self.hint] if self.hint else [])


_HINT_LOOKAHEAD = 10


def find_header_row(rows: Sequence[Sequence[str]], matcher: HeaderMatcher, row_numbers: Sequence[int] | None = None) -> HeaderRow:
    """The first non-blank row is the header (DOMAIN §4); leading blank rows are skipped.

    ``row_numbers`` (the sheet's 1-based row numbers, parallel to ``rows``) only
    serve to word the hint; without them, positions in ``rows`` + 1 are used.

    Raises:
        Unprocessable: "Le fichier est vide." when every row is blank.
    """
    non_blank = (index for index, row in enumerate(rows) if not is_blank_row(row))
    index = next(non_blank, None)
    if index is None:
        raise Unprocessable("Le fichier est vide.", details=[{"problem": "file.empty"}])
    match = matcher.match(rows[index])
    if not match.missing:
        return HeaderRow(index=index, match=match)
    numbers = row_numbers if row_numbers is not None else range(1, len(rows) + 1)
    for _, later in zip(range(_HINT_LOOKAHEAD), non_blank, strict=False):
        if not matcher.match(rows[later]).missing:
            hint = (
                f"Les en-têtes sont attendus sur la première ligne non vide (ligne {numbers[index]}), "
                f"mais ils semblent se trouver ligne {numbers[later]} : supprimez les lignes au-dessus."
            )
            return HeaderRow(index=index, match=match, hint=hint)
    return HeaderRow(index=index, match=match)
