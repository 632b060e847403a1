"""The optional phenotype columns of a resistance file (blse, carbapenemase, erv): each distinct cell text
read once, its error or warning reported on every row that carries it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

from chalicelib.domain.files.resistance.values import Problem2, masked_text

T = TypeVar("T")

#: A cell text's reading: (value, error) or (value, error, warning message).
Reading = tuple[T | None, Problem2 | None] | tuple[T | None, Problem2 | None, str | None]


class ReportProblem(Protocol):
    def __call__(self, code: str, message: str, row: int, column: str, value: str, warning: bool = False) -> None: ...


class FlagColumn(Generic[T]):
    """One optional column (``index`` None when the file has none): ``column(cells, row, patient)`` is the
    row's value and whether the row is still acceptable."""

    def __init__(
        self,
        index: int | None,
        column: str,
        read: Callable[[str], Reading[T]],
        problem: ReportProblem,
        warning_code: str = "",
    ) -> None:
        self._index = index
        self._column = column
        self._read = read
        self._problem = problem
        self._warning_code = warning_code
        self._found: dict[str, Reading[T]] = {}

    @property
    def present(self) -> bool:
        return self._index is not None

    def reading(self, text: str) -> Reading[T]:
        """The reading of a (stripped, non-empty) cell text, once per distinct text."""
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self._read(text)
        return found

    def __call__(self, cells: Sequence[str], number: int, patient: str) -> tuple[T | None, bool]:
        if self._index is None:
            return None, True
        text = cells[self._index].strip()
        if not text:
            return None, True
        found = self.reading(text)
        value, error = found[0], found[1]
        if error is not None:
            self._problem(*error, number, self._column, masked_text(text, patient))
            return value, False
        if len(found) > 2 and found[2] is not None:  # the warning of a readable value
            self._problem(self._warning_code, found[2], number, self._column, text, warning=True)
        return value, True
