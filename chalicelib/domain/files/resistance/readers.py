"""The readers of a resistance file's cells, each reading a distinct text once per file (both passes share them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from chalicelib.domain.cells import normalise_header, parse_date
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.files.parsed import Issue, UnitChecker
from chalicelib.domain.files.resistance.flags import FlagColumn, Reading
from chalicelib.domain.files.resistance.model import WORDS, ResistanceContext
from chalicelib.domain.files.resistance.results import ResultCharacters
from chalicelib.domain.files.resistance.rows import eligibility
from chalicelib.domain.files.resistance.values import SEXES, Problem2, problem_code, read_age
from chalicelib.domain.structure import Unit

#: A UF's reading: (unit of the structure or None, its issues but ineligibility, eligible).
UfState = tuple[Unit | None, tuple[Issue, ...], bool]


class CellReaders:
    """Cell text -> value (and problem), cached per distinct text; ``flags``: the readings of the blse,
    carbapenemase and erv columns (None for a column the file does not have)."""

    def __init__(self, context: ResistanceContext, flags: tuple[FlagColumn[Any], ...]) -> None:
        self._context = context
        self._checker = UnitChecker(context.units, eligibility(context.period))
        self.characters = ResultCharacters()
        self.character: Callable[[str], str] = self.characters.__getitem__
        self.flags: tuple[Callable[[str], Reading[Any]] | None, ...] = tuple(
            column.reading if column.present else None for column in flags
        )
        self._screening: dict[str, bool] = {}
        self._ufs: dict[str, UfState] = {}
        self._dates: dict[str, tuple[date | None, Problem2 | None]] = {}
        self._births: dict[str, tuple[date | None, Problem2 | None]] = {}
        self._ages: dict[str, tuple[int | None, Problem2 | None]] = {}
        self._sexes: dict[str, str | None] = {}

    def screening(self, specimen: str) -> bool:
        """Whether a (non-empty) specimen label is a screening specimen: ``context.is_screening``, once per label."""
        found = self._screening.get(specimen)
        if found is None:
            found = self._screening[specimen] = bool(self._context.is_screening(specimen))
        return found

    def uf_state(self, uf: str) -> UfState:
        found = self._ufs.get(uf)
        if found is None:
            found = self._ufs[uf] = self._read_uf(uf)
        return found

    def uf_clean(self, uf: str) -> bool:
        """A UF of the structure, eligible, with nothing to report."""
        _, issues, eligible = self.uf_state(uf)
        return eligible and not issues

    def specimen_date(self, text: str) -> tuple[date | None, Problem2 | None]:
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = self._read_specimen_date(text)
        return found

    def birth_date(self, text: str) -> tuple[date | None, Problem2 | None]:
        """A (non-empty) date of birth; its problem never quotes it."""
        found = self._births.get(text)
        if found is None:
            found = self._births[text] = self._read_birth_date(text)
        return found

    def age(self, text: str) -> tuple[int | None, Problem2 | None]:
        found = self._ages.get(text)
        if found is None:
            found = self._ages[text] = read_age(text)
        return found

    def sex(self, text: str) -> str | None:
        """F or M for a (non-empty) sex cell, None when unknown."""
        if text in self._sexes:
            return self._sexes[text]
        found = self._sexes[text] = SEXES.get(" ".join(WORDS.findall(normalise_header(text))))
        return found

    # ----------------------------------------------------------------------- once per distinct text

    def _read_uf(self, uf: str) -> UfState:
        if not uf:
            return None, (("uf.missing", "Code UF manquant.", False),), True
        unit, issues = self._checker.check(uf)
        eligible = not any(code == "uf.not_eligible" for code, _, _ in issues)
        return unit, tuple(issue for issue in issues if issue[0] != "uf.not_eligible"), eligible

    def _read_specimen_date(self, text: str) -> tuple[date | None, Problem2 | None]:
        if not text:
            return None, ("specimen_date.missing", "Date du prélèvement manquante.")
        period = self._context.period
        try:
            day = parse_date(text, self._context.date1904)
        except InvalidInput as error:
            return None, (problem_code(error, "date.format"), error.message)
        assert day is not None
        if not period.contains(day):
            return day, (
                "specimen_date.outside_period",
                f"Date du prélèvement {day:%d/%m/%Y} hors de la période déclarée {period} "
                f"({period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y}).",
            )
        return day, None

    def _read_birth_date(self, text: str) -> tuple[date | None, Problem2 | None]:
        try:
            return parse_date(text, self._context.date1904), None
        except InvalidInput as error:
            # parse_date's message quotes the text: a date of birth is never shown.
            return None, (
                problem_code(error, "date.format").replace("date.", "birth."),
                "Date de naissance illisible : format JJ/MM/AAAA attendu (la valeur n'est pas reproduite ici).",
            )
