"""The header of a resistance file: identity columns, antibiotic columns, refused and ignored ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from chalicelib.domain.cells import find_header_row
from chalicelib.domain.errors import Unprocessable
from chalicelib.domain.files.parsed import Table, refuse_if_no_rows
from chalicelib.domain.files.resistance.column_specs import ADMISSION, RESISTANCE, matcher, personal_header
from chalicelib.domain.files.resistance.values import LEGACY, OK, label_key, read_result
from chalicelib.domain.imports import Report


@dataclass(frozen=True)
class Layout:
    index: dict[str, int]  # canonical identity/phenotype name -> column index
    labels: list[str]  # antibiotic headers, file order
    positions: list[int]  # their column indices
    unnamed: list[int]  # blank-header column indices

    @property
    def width(self) -> int:
        """The cells a row needs for every column read (shorter rows are padded with empty cells)."""
        return max([*self.index.values(), *self.positions]) + 1

    def result_cells(self) -> Callable[[Sequence[str]], tuple[str, ...]]:
        """A row's antibiotic cells, in ``labels``' order, as a tuple (fetched in C)."""
        if len(self.positions) == 1:
            only = self.positions[0]
            return lambda cells: (cells[only],)
        return itemgetter(*self.positions)


def read_header(rows: Sequence[Sequence[str]], row_numbers: Sequence[int]) -> tuple[Table, Layout | None, list[str]]:
    """The table (data rows included) and its layout; no layout when the header refuses the file."""
    table = Table(Report())
    if len(row_numbers) != len(rows):
        raise ValueError("rows and row_numbers must have the same length")
    try:
        found = find_header_row(rows, matcher(), row_numbers)
    except Unprocessable as error:
        table.problem("file.empty", error.message)
        return table, None, []
    cells = rows[found.index]
    number = row_numbers[found.index]
    table.header_row = number
    table.columns = {name: index for name, index in found.match.columns.items() if name != ADMISSION}
    table.headers = {name: cells[index].strip() for name, index in table.columns.items()}
    for position in range(found.index + 1, len(rows)):
        joined = "".join(rows[position])
        if joined and not joined.isspace():
            table.data.append((row_numbers[position], rows[position]))
    table.report.rows_read = len(table.data)
    refuse_if_no_rows(table)

    personal = [(text.strip(), kind) for _, text in found.match.unknown if (kind := personal_header(text)) is not None]
    for text, kind in personal:
        what = "un numéro de sécurité sociale (NIR, INS)" if kind == "nir" else "le nom ou le prénom d'une personne"
        table.problem(
            "column.nir" if kind == "nir" else "column.personal_name",
            f"La colonne « {text} » semble contenir {what} : le fichier est refusé. Aucun nom, prénom ni NIR ne doit être "
            "envoyé ; le patient est identifié seulement par son IPP (colonne id_patient), qui est pseudonymisé. "
            "Supprimez cette colonne et déposez à nouveau le fichier.",
            row=number,
            column=text,
            value=text,
        )
    if personal:
        return table, None, []

    specs = {column.name: column for column in RESISTANCE}
    for name in found.match.missing:
        spec = specs[name]
        accepted = ", ".join(f"« {label} »" for label in dict.fromkeys((spec.header, *spec.synonyms)))
        message = f"Colonne obligatoire absente : « {spec.header} » — {spec.help} En-têtes acceptés : {accepted}."
        if found.hint:
            message += " " + found.hint
        table.problem("column.missing", message, row=number, column=name)
    if found.match.missing:
        return table, None, []
    blocking = False
    for name, indices in found.match.duplicates:
        if name == ADMISSION:
            continue
        texts = ", ".join(f"« {cells[index].strip()} »" for index in indices)
        table.problem(
            "column.duplicate",
            f"La colonne « {specs[name].header} » apparaît plusieurs fois ({texts}) : gardez-en une seule.",
            row=number,
            column=name,
        )
        blocking = True
    for text in cells:
        if text.strip() and matcher().canonical(text) == ADMISSION:
            table.problem(
                "column.ignored",
                f"Colonne « {text.strip()} » : les dates d'entrée ne sont plus recueillies ; "
                "cette colonne est ignorée et ses valeurs ne sont pas conservées.",
                row=number,
                column=text.strip(),
                value=text.strip(),
                warning=True,
            )
    labels: list[str] = []
    positions: list[int] = []
    first: dict[str, str] = {}
    for index, text in found.match.unknown:
        label = text.strip()
        if not holds_results(table.data, index):
            # Not an antibiotic: reported by its name alone, its values never read nor echoed.
            table.problem(
                "column.not_results",
                f"Colonne « {label} » non reconnue : ses valeurs ne sont pas des résultats d'antibiogramme (S, SFP ou R) ; "
                "elle est ignorée et ses valeurs ne sont ni lues ni conservées.",
                row=number,
                column=label,
                value=label,
                warning=True,
            )
            continue
        key = label_key(label)
        if key in first:
            table.problem(
                "column.duplicate",
                f"L'antibiotique « {label} » apparaît dans deux colonnes (avec « {first[key]} ») : gardez-en une seule.",
                row=number,
                column=label,
                value=label,
            )
            blocking = True
            continue
        first[key] = label
        labels.append(label)
        positions.append(index)
    if not labels:
        table.problem(
            "column.no_antibiotic",
            "Aucune colonne d'antibiotique : après les colonnes d'identification, une colonne par antibiotique testé est "
            "attendue (en-tête = libellé de la molécule dans votre laboratoire, valeurs S, SFP ou R).",
            row=number,
        )
        blocking = True
    if "age" not in table.columns and "date_naissance" not in table.columns:
        table.problem(
            "age.columns_missing",
            "Ni colonne « age » ni colonne « date_naissance » : l'âge des patients ne sera pas connu.",
            row=number,
            warning=True,
        )
    unnamed = [index for index, text in enumerate(cells) if not text.strip()]
    table.header_ok = not blocking
    layout = Layout(dict(table.columns), labels, positions, unnamed)
    return table, (layout if not blocking else None), labels


#: A column is read as an antibiotic's when at least this share of its filled cells are results.
RESULT_SHARE = 0.5


def holds_results(data: Sequence[tuple[int, Sequence[str]]], index: int) -> bool:
    """Whether column ``index`` holds antibiogram results (S, SFP, R, legacy I): an empty column
    (an antibiotic never tested) does; one of stay numbers or names does not."""
    filled = results = 0
    for _, cells in data:
        if index >= len(cells) or not cells[index].strip():
            continue
        filled += 1
        results += read_result(cells[index])[0] in (OK, LEGACY)
    return filled == 0 or results >= RESULT_SHARE * filled
