"""The column pass of the resistance validator: the rows with nothing to report, read column by column.

Nearly every row of a laboratory's export is unremarkable: a known specimen, a
species, an eligible UF, results, a date within the period, an age. Reading them
one at a time in Python costs most of a large file's validation, so this pass
cuts each column out of the rows (in C: ``map`` over ``itemgetter``), strips it,
reads each *distinct* text once with the row pass's own readers, and marks the
rows whose cells read without any exclusion, error, warning or file-level remark
as *clean*: their isolates are built from the columns at once.

Every other row is left to the row pass (``validator.py``), which reads it
exactly as it reads any row. A clean row reports nothing, so the report, its
order and the aggregated remarks do not depend on which pass read a row; a
property test checks that both give the same answer. The rows reaching the
results are the same in both passes (those neither screening, nor without species,
nor of an ineligible or unchecked UF), so the result texts seen are the same too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar

from chalicelib.domain.files.resistance.flags import Reading
from chalicelib.domain.files.resistance.header import Layout
from chalicelib.domain.files.resistance.readers import CellReaders
from chalicelib.domain.files.resistance.values import MAX_AGE, looks_like_nir
from chalicelib.domain.resistance.model import RawColumns
from chalicelib.domain.resistance.table import NOT_TESTED, Panel, Results

T = TypeVar("T")


@dataclass(frozen=True)
class CleanRows:
    raw: RawColumns  # their isolates, in row order
    result_texts: set[str]  # their distinct result strings
    others: list[int]  # positions (in the rows given) of the rows left to the row pass, in order


def clean_rows(
    data: Sequence[tuple[int, Sequence[str]]],
    layout: Layout,
    panel: Panel,
    read: CellReaders,
) -> CleanRows:
    """The isolates of the clean rows of ``data`` ((row number, cells) pairs) and the positions of the others.

    ``panel``: the antibiotics of ``layout.labels``, in their order.
    """
    index, width = layout.index, layout.width
    numbers = list(map(itemgetter(0), data))
    rows: list[Sequence[str]] = list(map(itemgetter(1), data))
    if rows and min(map(len, rows)) < width:
        pad = [""] * width
        rows = [cells if len(cells) >= width else [*cells, *pad[len(cells) :]] for cells in rows]

    def stripped(column: int) -> list[str]:
        return list(map(str.strip, map(itemgetter(column), rows)))

    # Exclusions first, as the row pass: only the rows passing them reach the results.
    specimens = stripped(index["nature_prelevement"])
    species = stripped(index["espece"])
    ufs = stripped(index["code_uf"])
    dirty = _positions(specimens, {text for text in set(specimens) if not text or read.screening(text)})
    dirty |= _positions(species, {""})
    dirty |= _positions(ufs, {uf for uf in set(ufs) if not read.uf_clean(uf)})
    origin: list[int] | range = range(len(rows))
    if dirty:
        origin = [n for n in origin if n not in dirty]
        rows, numbers, specimens, species, ufs = (_pick(column, origin) for column in (rows, numbers, specimens, species, ufs))
    left = sorted(dirty)

    # Results: one string per row, built once per distinct tuple of cell texts.
    strings = _ResultStrings(read.character)
    results = list(map(strings.__getitem__, map(layout.result_cells(), rows)))
    dirty = _positions(results, {text for text in set(results) if "?" in text or "L" in text or not text.strip(NOT_TESTED)})

    patients = list(map(str.upper, map("".join, map(str.split, map(itemgetter(index["id_patient"]), rows)))))
    # A NIR starts with its sex digit, 1 or 2 (once dots and dashes are dropped): most identifiers are cleared on that.
    suspects = [n for n, patient in enumerate(patients) if not patient or (len(patient) >= 13 and patient[0] in "12.-")]
    dirty.update(n for n in suspects if not patients[n] or _nir(patients[n]))

    days, bad = _read(stripped(index["date_prelevement"]), read.specimen_date)
    dirty |= bad
    ages, bad = _ages(rows, index, days, read)
    dirty |= bad
    sexes: list[str | None] = [None] * len(rows)
    if "sexe" in index:
        sexes, bad = _read(stripped(index["sexe"]), lambda text: (None, False) if not text else _known(read.sex(text)))
        dirty |= bad
    flags: list[list[Any]] = []
    for reader, name in zip(read.flags, ("blse", "carbapenemase", "erv"), strict=True):
        if reader is None:
            flags.append([None] * len(rows))
            continue
        values, bad = _read(stripped(index[name]), partial(_flag, reader))
        flags.append(values)
        dirty |= bad

    shared = {text: Results(text, panel) for text in set(results)}
    columns: list[list[Any]] = [
        numbers, ufs, patients, ages, sexes, days, specimens, species, list(map(shared.__getitem__, results)), *flags
    ]  # fmt: skip
    kept_texts = set(results)
    if dirty:
        clean = [n for n in range(len(rows)) if n not in dirty]
        columns = [_pick(column, clean) for column in columns]
        kept_texts = set(_pick(results, clean))
        left = sorted([*left, *(origin[n] for n in dirty)])
    return CleanRows(RawColumns(*columns), kept_texts, left)


def _ages(
    rows: Sequence[Sequence[str]], index: dict[str, int], days: list[Any], read: CellReaders
) -> tuple[list[int | None], set[int]]:
    """Each row's age (the date of birth wins over the age column) and the rows with anything to report."""
    i_age, i_birth = index.get("age"), index.get("date_naissance")
    if i_age is None and i_birth is None:
        return [None] * len(rows), set()
    age_texts = list(map(str.strip, map(itemgetter(i_age), rows))) if i_age is not None else None
    if i_birth is None and age_texts is not None:  # the common export: an age column only
        # An empty age is a file-level remark (no age): the row pass gathers it.
        return _read(age_texts, lambda text: read.age(text) if text else (None, True))
    births = list(map(str.strip, map(itemgetter(i_birth), rows))) if i_birth is not None else [""] * len(rows)
    ages: list[int | None] = []
    dirty: set[int] = set()
    for n, (birth_text, age_text, day) in enumerate(zip(births, age_texts or repeat(""), days, strict=False)):
        age: int | None = None
        if birth_text:
            birth, problem = read.birth_date(birth_text)
            if problem is not None:
                dirty.add(n)
            elif birth is not None and day is not None:
                if birth > day:
                    dirty.add(n)
                else:
                    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
                    if age > MAX_AGE:
                        dirty.add(n)
        elif age_text:
            age, problem = read.age(age_text)
            if problem is not None:
                dirty.add(n)
        else:
            dirty.add(n)  # neither: the row pass gathers the file-level remark
        ages.append(age)
    return ages, dirty


def _read(texts: list[str], read: Callable[[str], tuple[Any, Any]]) -> tuple[list[Any], set[int]]:
    """Each distinct text read once: the values, and the positions whose text leaves the row to the row pass.

    ``read(text)`` gives (value, True/False) or a reader's own (value, problem or None).
    """
    found = {text: read(text) for text in set(texts)}
    bad = {text for text, (_, flag) in found.items() if flag is not None and flag is not False}
    value_of = {text: value for text, (value, _) in found.items()}
    return list(map(value_of.__getitem__, texts)), _positions(texts, bad)


def _known(sex: str | None) -> tuple[str | None, bool]:
    return sex, sex is None  # an unknown sex: a file-level remark the row pass gathers


def _flag(reader: Callable[[str], Reading[Any]], text: str) -> tuple[Any, bool]:
    if not text:
        return None, False
    found = reader(text)
    return found[0], found[1] is not None or (len(found) > 2 and found[2] is not None)


def _positions(values: Sequence[T], bad: Collection[T]) -> set[int]:
    if not bad:
        return set()
    return {n for n, value in enumerate(values) if value in bad}


def _pick(column: Sequence[T], positions: Sequence[int]) -> list[T]:
    return [column[n] for n in positions]


def _nir(patient: str) -> bool:
    return looks_like_nir(patient.replace(".", "").replace("-", ""))


class _ResultStrings(dict[tuple[str, ...], str]):
    """A row's result cells (as a tuple) -> its result string, joined once per distinct tuple."""

    def __init__(self, character: Callable[[str], str]) -> None:
        super().__init__()
        self._character = character

    def __missing__(self, cells: tuple[str, ...]) -> str:
        text = self[cells] = "".join(map(self._character, cells))
        return text
