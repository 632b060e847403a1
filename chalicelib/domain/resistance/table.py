"""Isolates as columns: the work format the deduplication workflow's states pass on (DOMAIN.md §5–§7).

One list per field, all aligned (position ``n`` of every list is the ``n``-th
isolate); the antibiotics are listed once, and each isolate's results are one
fixed-width string with one character per antibiotic: ``S``, ``I`` (SFP, the
former I), ``R``, or ``-`` when not tested. The table gives and takes its
columns (``COLUMNS``, ``columns``, ``from_columns``) and the antibiotics as
text (``antibiotics_text``): how they are stored is the work objects' adapter's
business (Parquet), not the domain's.

The table holds no patient identifier: the raw identifiers travel in their own
object (raw bucket, deleted by pseudonymisation), the pseudonyms in another.

``Isolate`` objects are built only where a domain function needs them, and
cheaply: ``Results`` is a read-only ``Mapping`` over the result string (look-up
by code through the table's index, ``len`` = number tested), so no dictionary
is built per isolate: ``items()`` and iteration build one, once, for the
isolates the deduplication actually compares (those sharing a patient and a
species with another).
"""

from __future__ import annotations

import json
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, Mapping, Sequence, ValuesView
from dataclasses import dataclass, fields
from datetime import date
from operator import itemgetter
from types import MappingProxyType
from typing import Any, TypeVar

from chalicelib.domain.resistance.model import Carbapenemase, Isolate, RawColumns, RawIsolate, Sir, VanGene

__all__ = [
    "COLUMNS",
    "NOT_TESTED",
    "RESULT_CHARACTERS",
    "IsolateTable",
    "Panel",
    "Results",
    "isolate_id",
]

NOT_TESTED = "-"
RESULT_CHARACTERS: Mapping[Sir, str] = MappingProxyType({Sir.S: "S", Sir.SFP: "I", Sir.R: "R"})
_SIR_OF: dict[str, Sir | None] = {"S": Sir.S, "I": Sir.SFP, "R": Sir.R, NOT_TESTED: None}

T = TypeVar("T")
#: For each result, a translation of result strings into binary digits (1 where that result is).
_MASK_TABLES: dict[Sir, dict[int, str]] = {
    sir: {ord(character): "1" if character == mine else "0" for character in (*RESULT_CHARACTERS.values(), NOT_TESTED)}
    for sir, mine in RESULT_CHARACTERS.items()
}


def isolate_id(upload_id: str, row: int) -> str:
    """An isolate's id, stable within its upload: ``"<upload_id>:<row>"``."""
    return f"{upload_id}:{row}"


class Panel:
    """The antibiotics of one table, in the order of the result strings' characters."""

    __slots__ = ("codes", "index")

    def __init__(self, codes: Sequence[str]) -> None:
        self.codes: tuple[str, ...] = tuple(codes)
        self.index: dict[str, int] = {code: position for position, code in enumerate(self.codes)}
        if len(self.index) != len(self.codes):
            raise ValueError("an antibiotic is listed twice")

    def text(self, results: Mapping[str, Sir]) -> str:
        """The result string of ``results`` (antibiotic code -> result); raises KeyError for a code not listed."""
        cells = [NOT_TESTED] * len(self.codes)
        index = self.index
        for code, sir in results.items():
            cells[index[code]] = RESULT_CHARACTERS[sir]
        return "".join(cells)


class Results(Mapping[str, Sir]):
    """One isolate's results (antibiotic code -> result), read from its result string.

    Read-only and cheap: two references per isolate. Look-ups go through the
    panel's index; iteration yields the tested codes in the panel's order;
    ``len`` is the number of antibiotics tested. ``items()``, ``keys()`` and
    ``values()`` build a dictionary once, on first use (isolates compared by
    the deduplication only).
    """

    __slots__ = ("_dict", "_masks", "_panel", "_text")

    def __init__(self, text: str, panel: Panel) -> None:
        if len(text) != len(panel.codes):
            raise ValueError(f"result string of {len(text)} characters for {len(panel.codes)} antibiotics")
        self._text = text
        self._panel = panel
        self._dict: dict[str, Sir] | None = None
        self._masks: dict[Sir, int] | None = None

    @property
    def text(self) -> str:
        return self._text

    @property
    def panel(self) -> Panel:
        return self._panel

    def masks(self) -> Mapping[Sir, int]:
        """One bit mask per result (bit set: that antibiotic has that result), in the panel's order.

        Two isolates of one panel compare in a few integer operations (the
        deduplication's antibiotypes); built once per isolate, on first use.
        """
        found = self._masks
        if found is None:
            text = self._text
            found = self._masks = {sir: int(text.translate(table), 2) if text else 0 for sir, table in _MASK_TABLES.items()}
        return found

    def __getitem__(self, code: str) -> Sir:
        position = self._panel.index.get(code)
        if position is not None:
            sir = _SIR_OF[self._text[position]]
            if sir is not None:
                return sir
        raise KeyError(code)

    def get(self, code: str, default: Any = None) -> Any:
        position = self._panel.index.get(code)
        if position is None:
            return default
        sir = _SIR_OF[self._text[position]]
        return default if sir is None else sir

    def __contains__(self, code: object) -> bool:
        position = self._panel.index.get(code) if isinstance(code, str) else None
        return position is not None and self._text[position] != NOT_TESTED

    def __len__(self) -> int:
        return len(self._text) - self._text.count(NOT_TESTED)

    def __iter__(self) -> Iterator[str]:
        return iter(self._as_dict())

    def items(self) -> ItemsView[str, Sir]:
        return self._as_dict().items()

    def keys(self) -> KeysView[str]:
        return self._as_dict().keys()

    def values(self) -> ValuesView[Sir]:
        return self._as_dict().values()

    def __repr__(self) -> str:
        return f"Results({self._as_dict()!r})"

    def _as_dict(self) -> dict[str, Sir]:
        found = self._dict
        if found is None:
            found = self._dict = {
                code: _SIR_OF[character]  # type: ignore[misc]  # '-' is filtered out
                for code, character in zip(self._panel.codes, self._text, strict=True)
                if character != NOT_TESTED
            }
        return found


@dataclass
class IsolateTable:
    """The isolates of one import as columns (see the module's docstring).

    The isolate id is ``isolate_id(upload_id, row)``; the pseudonyms are kept apart.
    """

    antibiotics: list[str]  # reference codes, in the result strings' order
    row: list[int]  # spreadsheet row numbers
    uf: list[str]
    age: list[int | None]
    sex: list[str | None]
    specimen_date: list[int]  # date.toordinal()
    specimen: list[str]  # specimen category codes
    species: list[str]  # reference species codes
    results: list[str]  # one character per antibiotic: S, I (SFP), R, or '-' (not tested)
    esbl: list[bool | None]
    carbapenemase: list[str | None]  # Carbapenemase values
    van: list[str | None]  # VanGene values
    hints: list[str]  # positive hints of the species label, sorted, joined by ","; "" for none

    def __post_init__(self) -> None:
        size = len(self.row)
        for column in fields(self)[1:]:
            if len(getattr(self, column.name)) != size:
                raise ValueError(f"column {column.name} has {len(getattr(self, column.name))} values for {size} isolates")
        width = len(self.antibiotics)
        if any(len(text) != width for text in self.results):
            raise ValueError(f"a result string is not {width} characters long")

    def __len__(self) -> int:
        return len(self.row)

    @property
    def panel(self) -> Panel:
        return Panel(self.antibiotics)

    # --------------------------------------------------------------- building

    @classmethod
    def from_raw(
        cls,
        raw: RawColumns | Sequence[RawIsolate],
        specimens: Mapping[str, str],
        species: Mapping[str, str],
        hints: Mapping[str, Iterable[str]],
        antibiotics: Mapping[str, str],
    ) -> IsolateTable:
        """The table of validated rows, with the laboratory's labels coded (label -> reference code).

        ``hints``: the positive phenotype hints of each species label. Two labels
        coded alike give one antibiotic; the later column wins when both are tested.
        The raw patient identifiers are not read: they travel apart.
        """
        codes = sorted(set(antibiotics.values()))
        index = {code: position for position, code in enumerate(codes)}
        position_of = {label: index[code] for label, code in antibiotics.items()}

        given = raw if isinstance(raw, RawColumns) else RawColumns.from_rows(raw)

        def column(name: str) -> list[Any]:
            return list(getattr(given, name))

        def coded(name: str, code_of: Callable[[Any], Any]) -> list[Any]:
            values = column(name)  # each distinct value coded once
            return list(map({value: code_of(value) for value in set(values)}.__getitem__, values))

        return cls(
            antibiotics=codes,
            row=column("row"),
            uf=column("uf"),
            age=column("age"),
            sex=column("sex"),
            specimen_date=coded("specimen_date", date.toordinal),
            specimen=coded("specimen_label", specimens.__getitem__),
            species=coded("species_label", species.__getitem__),
            results=_result_texts(column("results"), position_of, len(codes)),
            esbl=column("esbl"),
            carbapenemase=coded("carbapenemase", _value),
            van=coded("van", _value),
            hints=coded("species_label", lambda label: ",".join(sorted(set(hints.get(label, ()))))),
        )

    @classmethod
    def from_isolates(cls, isolates: Sequence[Isolate]) -> IsolateTable:
        """The table of coded isolates (their pseudonyms and ids are not kept: see ``isolates``)."""
        panel = Panel(sorted({code for i in isolates for code in i.results}))
        return cls(
            antibiotics=list(panel.codes),
            row=[i.row for i in isolates],
            uf=[i.uf for i in isolates],
            age=[i.age for i in isolates],
            sex=[i.sex for i in isolates],
            specimen_date=[i.specimen_date.toordinal() for i in isolates],
            specimen=[i.specimen for i in isolates],
            species=[i.species for i in isolates],
            results=[panel.text(i.results) for i in isolates],
            esbl=[i.esbl for i in isolates],
            carbapenemase=[None if i.carbapenemase is None else i.carbapenemase.value for i in isolates],
            van=[None if i.van is None else i.van.value for i in isolates],
            hints=[",".join(sorted(name for name, positive in i.hints.items() if positive)) for i in isolates],
        )

    # --------------------------------------------------------------- reading

    def isolates(self, upload_id: str, pseudonyms: Sequence[str] | None, positions: Iterable[int] | None = None) -> list[Isolate]:
        """``Isolate`` objects for the domain functions (all, or those at ``positions``), in table order.

        ``pseudonyms`` is aligned with the table; None leaves them empty, for a
        caller that never groups by patient (the phenotypes). Dates, flags, hints,
        the panel and results (``Results`` views, one per distinct string) are
        shared between isolates.
        """
        if pseudonyms is None:
            pseudonyms = [""] * len(self)
        if len(pseudonyms) != len(self):
            raise ValueError(f"{len(pseudonyms)} pseudonyms for {len(self)} isolates")
        panel = self.panel
        dates = _shared(self.specimen_date, date.fromordinal)
        carbapenemases = _shared(self.carbapenemase, lambda v: None if v is None else Carbapenemase(v))
        vans = _shared(self.van, lambda v: None if v is None else VanGene(v))
        hints = _shared(self.hints, lambda v: MappingProxyType(dict.fromkeys(v.split(","), True) if v else {}))
        columns: tuple[Sequence[Any], ...] = (
            self.row, self.uf, pseudonyms, self.age, self.sex, self.specimen_date, self.specimen, self.species, self.results,
            self.esbl, self.carbapenemase, self.van, self.hints,
        )  # fmt: skip
        if positions is not None:
            chosen = list(positions)
            columns = tuple([column[n] for n in chosen] for column in columns)
        # One Results per distinct string: its masks and mapping are built once for all the isolates sharing it.
        results = _shared(columns[8], lambda text: Results(text, panel))
        return [
            Isolate(
                f"{upload_id}:{row}",
                row,
                uf,
                pseudonym,
                age,
                sex,
                dates[day],
                specimen,
                species,
                results[text],
                esbl,
                carbapenemases[carbapenemase],
                vans[van],
                hints[hint],
            )
            for row, uf, pseudonym, age, sex, day, specimen, species, text, esbl, carbapenemase, van, hint in zip(
                *columns, strict=True
            )
        ]

    # --------------------------------------------------------------- columns

    def columns(self) -> list[list[Any]]:
        """The table's columns, in the order of ``COLUMNS`` (the antibiotics apart: ``antibiotics_text``)."""
        return [getattr(self, name) for name, _ in COLUMNS]

    def antibiotics_text(self) -> str:
        """The antibiotics, in the result strings' order, as text (JSON list)."""
        return json.dumps(self.antibiotics, separators=(",", ":"))

    @classmethod
    def from_columns(cls, antibiotics_text: str, columns: Mapping[str, list[Any]]) -> IsolateTable:
        """The table ``columns`` and ``antibiotics_text`` gave; equal text values are shared, one object each.
        ValueError when a column is missing or the antibiotics are not a list of codes."""
        antibiotics = json.loads(antibiotics_text)
        if not isinstance(antibiotics, list) or not all(isinstance(code, str) for code in antibiotics):
            raise ValueError("the antibiotics are not a list of codes")
        missing = [name for name, _ in COLUMNS if name not in columns]
        if missing:
            raise ValueError(f"missing columns {missing}")
        given = {name: _interned(columns[name]) if sql_type == "VARCHAR" else list(columns[name]) for name, sql_type in COLUMNS}
        return cls(antibiotics=antibiotics, **given)


#: The table's columns as a work object holds them: (name, SQL type), in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("row", "INTEGER"),
    ("uf", "VARCHAR"),
    ("age", "INTEGER"),
    ("sex", "VARCHAR"),
    ("specimen_date", "INTEGER"),
    ("specimen", "VARCHAR"),
    ("species", "VARCHAR"),
    ("results", "VARCHAR"),
    ("esbl", "BOOLEAN"),
    ("carbapenemase", "VARCHAR"),
    ("van", "VARCHAR"),
    ("hints", "VARCHAR"),
)


def _interned(column: Iterable[T]) -> list[T]:
    """The column with equal values made one object (a repetitive text column read back shares its strings)."""
    seen: dict[T, T] = {}
    return list(map(seen.setdefault, column, column)) if isinstance(column, list) else _interned(list(column))


def _shared(column: Iterable[T], make: Callable[[T], Any]) -> dict[T, Any]:
    return {value: make(value) for value in set(column)}


def _value(flag: Carbapenemase | VanGene | None) -> str | None:
    return None if flag is None else flag.value


def _result_texts(results: Sequence[Mapping[str, Sir]], position_of: Mapping[str, int], width: int) -> list[str]:
    """One result string per isolate from its label -> result mapping."""
    labels = sorted(position_of, key=position_of.__getitem__)
    shared = _shared_panel(results)
    if shared is not None and len(labels) == width and width > 0 and all(label in shared.index for label in labels):
        # The validator's rows: result strings over the file's columns, one label per code. Each distinct
        # string is re-read in the panel's order once (itemgetter picks the characters, in C).
        pick = itemgetter(*(shared.index[label] for label in labels))
        texts = [found.text for found in results]  # type: ignore[attr-defined]
        recoded = {text: "".join(pick(text)) if width > 1 else pick(text) for text in set(texts)}
        return list(map(recoded.__getitem__, texts))
    if len(labels) == width and width > 0:
        # One label per code: each isolate's results over the blank row, read in the panel's order
        # and joined. Sir's values are S, SFP and R (checked below): only SFP is longer than one
        # character, and no other sequence of values and '-' spells it.
        blank: dict[str, Sir | str] = dict.fromkeys(labels, NOT_TESTED)
        read = itemgetter(*labels) if width > 1 else (lambda found: (found[labels[0]],))
        return ["".join(read({**blank, **found})).replace(_SFP, _SFP_CHARACTER) for found in results]
    texts = []
    for found in results:  # several labels for one code: the file's later column wins
        cells = [NOT_TESTED] * width
        for label, sir in found.items():
            cells[position_of[label]] = RESULT_CHARACTERS[sir]
        texts.append("".join(cells))
    return texts


def _shared_panel(results: Sequence[Mapping[str, Sir]]) -> Panel | None:
    """The panel every mapping of ``results`` reads, when all are ``Results`` over one panel."""
    if not results or results[0].__class__ is not Results:
        return None
    panel = results[0].panel
    if all(found.__class__ is Results and found.panel is panel for found in results):
        return panel
    return None


_SFP, _SFP_CHARACTER = Sir.SFP.value, RESULT_CHARACTERS[Sir.SFP]
if [sir.value for sir in Sir] != ["S", "SFP", "R"] or any(RESULT_CHARACTERS[sir] != sir.value for sir in (Sir.S, Sir.R)):
    raise ImportError("result strings are joined from Sir's values: review _result_texts")
if [name for name, _ in COLUMNS] != [column.name for column in fields(IsolateTable)][1:]:
    raise ImportError("COLUMNS lists the table's columns but the antibiotics, in the dataclass's order: review it")
