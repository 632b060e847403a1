"""One pass over the rows of a resistance file (rules in the package's docstring)."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.domain.files.parsed import Issue, Table
from chalicelib.domain.files.resistance.column_pass import CleanRows, clean_rows
from chalicelib.domain.files.resistance.file_problems import Aggregates, report_file_problems
from chalicelib.domain.files.resistance.flags import FlagColumn
from chalicelib.domain.files.resistance.header import Layout, read_header
from chalicelib.domain.files.resistance.model import EXCLUSION_REASONS, MASKED, ParsedResistance, ResistanceContext
from chalicelib.domain.files.resistance.readers import CellReaders
from chalicelib.domain.files.resistance.results import tested_labels
from chalicelib.domain.files.resistance.rows import Rows
from chalicelib.domain.files.resistance.values import (
    MAX_AGE,
    looks_like_nir,
    masked_text,
    read_carbapenemase,
    read_esbl,
    read_van,
)
from chalicelib.domain.resistance.model import RawColumns, RawIsolate
from chalicelib.domain.resistance.table import NOT_TESTED, Panel, Results
from chalicelib.domain.structure import Unit


def validate(
    rows: Sequence[Sequence[str]], row_numbers: Sequence[int], context: ResistanceContext, column_pass: bool = True
) -> ParsedResistance:
    """Raw isolates and the report of every problem (rules in the package's docstring).

    The clean rows are read column by column (``column_pass.py``), the others here, row by row;
    ``column_pass=False`` reads every row here (the reference the column pass is tested against).
    """
    table, layout, labels = read_header(rows, row_numbers)
    excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
    if layout is None:
        return _finish(table, RawColumns.from_rows([]), labels, excluded, {}, 0)
    return _Validator(table, layout, context, column_pass).run()


class _Validator:
    def __init__(self, table: Table, layout: Layout, context: ResistanceContext, column_pass: bool) -> None:
        self.table = table
        self.layout = layout
        self.context = context
        self.column_pass = column_pass
        self.excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
        self.seen = Aggregates()
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
        labels = layout.labels
        width = layout.width
        texts_of = layout.result_cells()
        panel = Panel(labels)
        seen: set[str] = set()  # the isolates' distinct result strings
        esbl_column = FlagColumn(i_esbl, "blse", read_esbl, self.problem)
        carba_column = FlagColumn(i_carba, "carbapenemase", read_carbapenemase, self.problem, "carbapenemase.several")
        van_column = FlagColumn(i_van, "erv", read_van, self.problem)
        read = CellReaders(context, (esbl_column, carba_column, van_column))
        character_of, screening, uf_state = read.character, read.screening, read.uf_state
        specimen_date_of, birth_date_of, age_of, sex_of = read.specimen_date, read.birth_date, read.age, read.sex
        legacy = self.seen.legacy
        excluded = self.excluded
        problem = self.problem
        isolates: list[RawIsolate] = []
        pad = [""] * width

        data: Sequence[tuple[int, Sequence[str]]] = table.data
        clean: CleanRows | None = None
        if self.column_pass:
            clean = clean_rows(data, layout, panel, read)
            data = list(map(data.__getitem__, clean.others))

        for number, row_cells in data:
            cells = row_cells if len(row_cells) >= width else [*row_cells, *pad[len(row_cells) :]]
            specimen = cells[i_specimen].strip()
            if specimen and screening(specimen):
                excluded["screening"] += 1
                continue
            species = cells[i_species].strip()
            if not species:
                excluded["no_species"] += 1
                continue
            uf = cells[i_uf].strip()
            unit, uf_issues, eligible = uf_state(uf)
            if not eligible:
                self.seen.not_eligible.setdefault(uf, Rows()).add(number)
                excluded["uf_not_eligible"] += 1
                continue

            # One character per antibiotic column (see ResultCharacters), joined in C: most rows need nothing more.
            texts = texts_of(cells)
            text = "".join(map(character_of, texts))
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
                self.seen.nir.add(number)
                ok = False

            if uf_issues:
                ok = self._uf_problems(number, uf, patient, unit, uf_issues) and ok
            if bad is not None:
                ok = False
                for label, text in bad:
                    self.seen.bad_columns[label] = self.seen.bad_columns.get(label, 0) + 1
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
            specimen_date, date_problem = specimen_date_of(date_text)
            if date_problem is not None:
                shown_date = masked_text(date_text, patient)
                message = date_problem[1] if shown_date == date_text else "Date du prélèvement illisible (valeur masquée)."
                problem(date_problem[0], message, number, "date_prelevement", shown_date)
                ok = False

            age: int | None = None
            birth_text = cells[i_birth].strip() if i_birth is not None else ""
            if birth_text:
                birth, birth_problem = birth_date_of(birth_text)
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
                    age, age_problem = age_of(age_text)
                    if age_problem is not None:
                        problem(age_problem[0], age_problem[1], number, "age", masked_text(age_text, patient))
                        ok = False
                elif i_age is not None or i_birth is not None:
                    self.seen.no_age.add(number)

            sex: str | None = None
            if i_sex is not None:
                sex_text = cells[i_sex].strip()
                if sex_text:
                    sex = sex_of(sex_text)
                    if sex is None:
                        self.seen.sexes.setdefault(masked_text(sex_text, patient), Rows()).add(number)

            esbl, esbl_ok = esbl_column(cells, number, patient)
            carbapenemase, carba_ok = carba_column(cells, number, patient)
            van, van_ok = van_column(cells, number, patient)
            ok = ok and esbl_ok and carba_ok and van_ok

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
        raw = RawColumns.from_rows(isolates)
        if clean is not None:
            seen |= clean.result_texts
            raw = clean.raw.merged(raw)
        report_file_problems(table, layout, context.units, self.seen, read.characters)
        tested = tested_labels(labels, seen)
        return _finish(table, raw, labels, excluded, legacy, len(raw), tested)

    # ----------------------------------------------------------------------- per distinct text

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


def _finish(
    table: Table,
    raw: RawColumns,
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
        report.rows_accepted = len(raw)
        return ParsedResistance(raw, report, labels, table.header_row, excluded, legacy, tested or [])
    report.rows_accepted = 0
    return ParsedResistance(RawColumns.from_rows([]), report, labels, table.header_row, excluded, legacy)
