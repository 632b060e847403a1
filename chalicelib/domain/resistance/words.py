"""The words of a laboratory's label, as the reference lists are matched against them.

Folding (``fold``) ignores case, accents, ligatures and invisible characters;
``WORD`` cuts a folded text into words (punctuation and spaces separate them).
A specimen label is compared word by word once fillers ("de", "sur"…) are
dropped and plural and final ``e`` endings cut (``specimen_tokens``), so that
"Urines" and "urine" read the same; ``occurrences`` finds a run of words inside
another.

Used by the proposals (``mapping.py``) and by the screening test of the
reference (``reference.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["WORD", "fold", "occurrences", "specimen_tokens"]

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, without accents, ligatures or invisible characters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char) and unicodedata.category(char) != "Cf")


_SPECIMEN_FILLERS = frozenset(
    {"de", "du", "des", "d", "l", "la", "le", "les", "sur", "a", "au", "aux", "en", "par", "pour", "et", "n", "no"}
)


def _specimen_word(word: str) -> str:
    if len(word) > 3 and word.endswith(("s", "x")):
        word = word[:-1]  # urines -> urine, selles -> selle
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # urine -> urin, péritonéale -> peritoneal
    return word


def specimen_tokens(text: str) -> tuple[str, ...]:
    return tuple(_specimen_word(word) for word in WORD.findall(fold(text)) if word not in _SPECIMEN_FILLERS)


def occurrences(tokens: tuple[str, ...], needle: tuple[str, ...]) -> Iterable[tuple[int, int]]:
    """Where ``needle`` stands in ``tokens``: (start, end) of each run of words equal to it."""
    width = len(needle)
    for start in range(len(tokens) - width + 1):
        if tokens[start : start + width] == needle:
            yield start, start + width
