"""One pass over the rows of a resistance file (rules in the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from operator import itemgetter

from chalicelib.domain.cells import column_letter, normalise_header, parse_date
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.files.parsed import Issue, Table, UnitChecker
from chalicelib.domain.files.resistance.header import Layout, read_header
from chalicelib.domain.files.resistance.model import EXCLUSION_REASONS, MASKED, WORDS, ParsedResistance, ResistanceContext
from chalicelib.domain.files.resistance.rows import Rows, eligibility, lines, not_eligible_message
from chalicelib.domain.files.resistance.values import (
    BAD,
    LEGACY,
    MAX_AGE,
    OK,
    SEXES,
    Problem2,
    looks_like_nir,
    masked_text,
    problem_code,
    read_age,
    read_carbapenemase,
    read_esbl,
    read_result,
    read_van,
)
from chalicelib.domain.periods import Period
from chalicelib.domain.resistance.model import Carbapenemase, RawIsolate, VanGene
from chalicelib.domain.resistance.table import NOT_TESTED, RESULT_CHARACTERS, Panel, Results
from chalicelib.domain.structure import Unit


def validate(rows: Sequence[Sequence[str]], row_numbers: Sequence[int], context: ResistanceContext) -> ParsedResistance:
    """Raw isolates and the report of every problem (rules in the package's docstring)."""
    table, layout, labels = read_header(rows, row_numbers)
    excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
    if layout is None:
        return _finish(table, [], labels, excluded, {}, 0)
    return _Validator(table, layout, context).run()


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


_VALID = frozenset({"S", "I", "R", "L"})


class _Validator:
    def __init__(self, table: Table, layout: Layout, context: ResistanceContext) -> None:
        self.table = table
        self.layout = layout
        self.context = context
        self.excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
        self.legacy: dict[str, list[int]] = {}
        self.bad_columns: dict[str, int] = {}  # antibiotic label -> cells in error
        self.nir = Rows()
        self.no_age = Rows()
        self.sexes: dict[str, Rows] = {}
        self.not_eligible: dict[str, Rows] = {}
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
        checker = UnitChecker(context.units, eligibility(period))
        is_screening = context.is_screening

        screening: dict[str, bool] = {}
        uf_states: dict[str, tuple[Unit | None, tuple[Issue, ...], bool]] = {}  # (unit, issues, eligible)
        characters = ResultCharacters()
        panel = Panel(labels)
        seen: set[str] = set()  # the isolates' distinct result strings
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
                self.not_eligible.setdefault(uf, Rows()).add(number)
                excluded["uf_not_eligible"] += 1
                continue

            # One character per antibiotic column (see ResultCharacters), joined in C: most rows need nothing more.
            texts = texts_of(cells)
            text = "".join(map(characters.__getitem__, texts))
            bad: list[tuple[str, str]] | None = None
            if "?" in text or "L" in text:
                for position, character in enumerate(text):
                    if character == "L":
                        legacy.setdefault(labels[position], []).append(number)
                    elif character == "?":
                        if bad is None:
                            bad = []
                        bad.append((labels[position], texts[position]))
                text = text.replace("L", "I")
            if bad is None and not text.strip(NOT_TESTED):
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
                    shown = masked_text(text, patient)
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
                shown_date = masked_text(date_text, patient)
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
                        if age > MAX_AGE:
                            problem(
                                "birth.out_of_range",
                                f"La date de naissance donne un âge de plus de {MAX_AGE} ans au prélèvement : vérifiez-la.",
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
                        age_found = ages[age_text] = read_age(age_text)
                    age, age_problem = age_found
                    if age_problem is not None:
                        problem(age_problem[0], age_problem[1], number, "age", masked_text(age_text, patient))
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
                        sex = sexes[sex_text] = SEXES.get(" ".join(WORDS.findall(normalise_header(sex_text))))
                    if sex is None:
                        self.sexes.setdefault(masked_text(sex_text, patient), Rows()).add(number)

            esbl: bool | None = None
            if i_esbl is not None:
                esbl_text = cells[i_esbl].strip()
                if esbl_text:
                    esbl_found = esbls.get(esbl_text)
                    if esbl_found is None:
                        esbl_found = esbls[esbl_text] = read_esbl(esbl_text)
                    esbl, esbl_problem = esbl_found
                    if esbl_problem is not None:
                        problem(*esbl_problem, number, "blse", masked_text(esbl_text, patient))
                        ok = False
            carbapenemase: Carbapenemase | None = None
            if i_carba is not None:
                carba_text = cells[i_carba].strip()
                if carba_text:
                    carba_found = carbas.get(carba_text)
                    if carba_found is None:
                        carba_found = carbas[carba_text] = read_carbapenemase(carba_text)
                    carbapenemase, carba_problem, carba_warning = carba_found
                    if carba_problem is not None:
                        problem(*carba_problem, number, "carbapenemase", masked_text(carba_text, patient))
                        ok = False
                    elif carba_warning is not None:
                        problem("carbapenemase.several", carba_warning, number, "carbapenemase", carba_text, warning=True)
            van: VanGene | None = None
            if i_van is not None:
                van_text = cells[i_van].strip()
                if van_text:
                    van_found = vans.get(van_text)
                    if van_found is None:
                        van_found = vans[van_text] = read_van(van_text)
                    van, van_problem = van_found
                    if van_problem is not None:
                        problem(*van_problem, number, "erv", masked_text(van_text, patient))
                        ok = False

            if ok and specimen_date is not None:
                seen.add(text)
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
                        results=Results(text, panel),
                        esbl=esbl,
                        carbapenemase=carbapenemase,
                        van=van,
                    )
                )
        self._aggregated_problems(characters)
        tested = _tested(labels, seen)
        return _finish(table, isolates, labels, excluded, legacy, len(isolates), tested)

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
        shown = masked_text(uf, patient) if uf else ""
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
            return None, (problem_code(error, "date.format"), error.message)
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
                problem_code(error, "date.format").replace("date.", "birth."),
                "Date de naissance illisible : format JJ/MM/AAAA attendu (la valeur n'est pas reproduite ici).",
            )

    # ----------------------------------------------------------------------- once per file

    def _aggregated_problems(self, characters: Mapping[str, str]) -> None:
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
                f"« {label} » : {count} cellule{'s' if count > 1 else ''}, {lines(legacy_rows, count)}. "
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
                not_eligible_message(unit, rows.count) + f" ({rows.listed()}).",
                row=rows.rows[0],
                column="code_uf",
                value=uf,
                warning=True,
            )
        self._not_antibiotic_columns(characters)
        self._unnamed_columns()

    def _not_antibiotic_columns(self, characters: Mapping[str, str]) -> None:
        """A column with errors and no valid result at all is probably not an antibiotic."""
        for label, errors in self.bad_columns.items():
            position = self.layout.positions[self.layout.labels.index(label)]
            valid = False
            for _, cells in self.table.data:
                text = cells[position] if position < len(cells) else ""
                if text and characters.get(text, "?") in _VALID:
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


def _tested(labels: Sequence[str], texts: Iterable[str]) -> list[str]:
    """The labels tested at least once in ``texts`` (result strings over ``labels``), as bit masks OR-ed together."""
    found = 0
    for text in texts:
        found |= int(text.translate(_TESTED_DIGITS), 2)
    width = len(labels)
    return [label for position, label in enumerate(labels) if found >> (width - 1 - position) & 1]


_TESTED_DIGITS = {ord(character): "0" if character == NOT_TESTED else "1" for character in "SIR" + NOT_TESTED}


def _finish(
    table: Table,
    isolates: list[RawIsolate],
    labels: list[str],
    excluded: dict[str, int],
    legacy: dict[str, list[int]],
    isolates_read: int,
    tested: list[str] | None = None,
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
        return ParsedResistance(isolates, report, labels, table.header_row, excluded, legacy, tested or [])
    report.rows_accepted = 0
    return ParsedResistance([], report, labels, table.header_row, excluded, legacy)
