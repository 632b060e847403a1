"""A row's results as one string: one character per antibiotic column, read once per distinct cell text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chalicelib.domain.files.resistance.values import BAD, LEGACY, OK, read_result
from chalicelib.domain.resistance.table import NOT_TESTED, RESULT_CHARACTERS


class ResultCharacters(dict[str, str]):
    """Result cell text -> one character, read once per distinct text: ``S``, ``I`` (SFP), ``R``, ``-`` (blank:
    not tested), ``L`` (a legacy I, read as SFP with a warning) or ``?`` (not a result: an error)."""

    def __missing__(self, text: str) -> str:
        kind, sir = read_result(text)
        if kind == OK:
            character = RESULT_CHARACTERS[sir]
        elif kind == LEGACY:
            character = "L"
        elif kind == BAD:
            character = "?"
        else:
            character = NOT_TESTED
        self[text] = character
        return character


#: The characters of a result read from a cell (a legacy I included).
VALID = frozenset({"S", "I", "R", "L"})


def tested_labels(labels: Sequence[str], texts: Iterable[str]) -> list[str]:
    """The labels tested at least once in ``texts`` (result strings over ``labels``), as bit masks OR-ed together."""
    found = 0
    for text in texts:
        found |= int(text.translate(_TESTED_DIGITS), 2)
    width = len(labels)
    return [label for position, label in enumerate(labels) if found >> (width - 1 - position) & 1]


_TESTED_DIGITS = {ord(character): "0" if character == NOT_TESTED else "1" for character in "SIR" + NOT_TESTED}
