"""Validation of a consumption file: units dispensed per UF and UCD (DOMAIN.md §4.4).

File level: the declared period must follow the establishment's periodicity for
the year (error). Every row: UF present and in the structure (error); UF that does
not carry consumption — excluded TA or non-care sector; theatres do carry it —
(warning: the line is kept but not counted); UF not open during the period
(warning); UCD of 7 or 13 digits (error otherwise) and in the catalogue (error
otherwise, and listed in ``summary["unknown_ucds"]``); ``quantite`` a number, comma
or point (error otherwise); ``periode`` one of the periods the file may hold
(``file_periods``: the declared period, or the quarters of a declared year; another
year is a row error, another period of the year one file-level error).

Lines with the same UF, UCD (7- and 13-digit forms are one product) and period are
**summed** into one line with the net quantity — pharmacy exports write returns as
separate negative lines — with a warning naming the rows merged. Then, per line: a
negative net quantity is a warning; an ATC outside the surveillance (``scope_of``)
and a non-systemic route (inhaled...) are warnings, the line is kept with
``counted=False``; a counted line whose product has no WHO DDD is an error.

DDD per line = ``ddd_of_line(net quantity, entry, table, data year)``; the WHO
lookup and unit conversion are done once per UCD, and each line then computes
``quantity × strength ÷ DDD`` exactly as ``ddd_of_line`` does.

Summary: ``{ddd_total, ddd_by_atc: {atc: ddd}, ddd_by_scope: {scope: ddd},
out_of_scope: rows, not_systemic: rows, not_counted_uf: rows, merged_rows: n,
lines: n, unknown_ucds: [ucd...], periods: [period...]}`` (the periods the lines
carry); DDDs of counted lines only, as floats rounded to 3 decimals (rows keep
``Decimal``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from chalicelib.domain.drugs import CatalogueEntry, DddTable, FamilyTable, Scope, Ucd, ddd_of_line, default_families
from chalicelib.domain.errors import DomainError
from chalicelib.domain.files.bounds import QUANTITY
from chalicelib.domain.files.file_periods import STRAY, FilePeriods
from chalicelib.domain.files.parsed import (
    Cached,
    Issue,
    Parsed,
    Table,
    UnitChecker,
    check_periodicity,
    eligible_during,
    finish,
    read_table_header,
)
from chalicelib.domain.imports import UNKNOWN_UCD, FileType
from chalicelib.domain.periods import Period, Periodicity, in_order
from chalicelib.domain.structure import Unit

__all__ = ["ConsumptionContext", "ConsumptionLine", "validate"]


@dataclass(frozen=True)
class ConsumptionContext:
    """What a consumption file is checked against.

    ``catalogue``: UCD → entry or None (called once per distinct UCD of a file);
    ``year``: the data year that picks the WHO table version (None: the period's);
    ``periodicity``: the establishment's choice for the year (None: no check).
    """

    period: Period
    units: Mapping[str, Unit]
    catalogue: Callable[[Ucd], CatalogueEntry | None]
    ddd_table: DddTable
    year: int | None = None
    periodicity: Periodicity | None = None
    families: FamilyTable | None = None


@dataclass(frozen=True, init=False)
class ConsumptionLine:
    """One consumption line (rows of the same UF, UCD and period summed).

    ``counted`` is False for lines outside the surveillance (ATC out of scope,
    non-systemic route, UF that carries no consumption): kept, never in DDD totals.
    ``ddd`` is None only for such lines when WHO gives no DDD.

    Frozen like every domain value; its ``__init__`` fills ``__dict__`` directly
    instead of going through the frozen ``__setattr__`` once per field, which makes
    building 60,000 lines three times cheaper.
    """

    uf: str
    ucd: str  # 7 digits
    atc: str
    route: str  # WHO route code (O, P, R, Inhal.solution...)
    quantity: Decimal  # net units dispensed
    ddd: Decimal | None
    period: Period
    family: str | None  # family code (C3G, CARBAPENEMS...)
    scope: str  # antibiotic, antifungal, antituberculosis, out_of_scope
    ddd_version: int | None
    label: str  # catalogue label
    counted: bool
    row: int  # first spreadsheet row of the line
    rows: int = 1  # how many file rows were summed

    def __init__(
        self,
        uf: str,
        ucd: str,
        atc: str,
        route: str,
        quantity: Decimal,
        ddd: Decimal | None,
        period: Period,
        family: str | None,
        scope: str,
        ddd_version: int | None,
        label: str,
        counted: bool,
        row: int,
        rows: int = 1,
    ) -> None:
        self.__dict__.update(
            uf=uf,
            ucd=ucd,
            atc=atc,
            route=route,
            quantity=quantity,
            ddd=ddd,
            period=period,
            family=family,
            scope=scope,
            ddd_version=ddd_version,
            label=label,
            counted=counted,
            row=row,
            rows=rows,
        )


@dataclass(frozen=True)
class _Product:
    """What a UCD resolves to, computed once per UCD of a file (plain values for the hot path)."""

    entry: CatalogueEntry
    atc: str
    route: str
    label: str
    family: str | None
    scope: str  # Scope value
    out_of_scope: bool  # ATC outside the surveillance
    systemic: bool
    amount_per_unit: Decimal | None  # strength in the WHO DDD's unit
    who_value: Decimal | None
    version: int | None
    ddd_problem: tuple[str, str] | None  # (code, message) when WHO gives no usable DDD


_ONE = Decimal(1)
_ZERO = Decimal(0)


class _Resolver:
    def __init__(self, context: ConsumptionContext) -> None:
        self._catalogue = context.catalogue
        self._table = context.ddd_table
        self._year = context.year if context.year is not None else context.period.year
        self._families = context.families or default_families()
        self.texts: dict[str, tuple[str | None, _Product | None, str]] = {}
        self._products: dict[Ucd, _Product | None] = {}

    def resolve(self, text: str) -> tuple[str | None, _Product | None, str]:
        """``(ucd, product, "")`` for a known UCD; ``(ucd, None, message)`` for an unknown one;
        ``(None, None, message)`` for a missing or malformed code. Cached per cell text."""
        found = self.texts.get(text)
        if found is None:
            found = self.texts[text] = self._resolve_text(text)
        return found

    def _resolve_text(self, text: str) -> tuple[str | None, _Product | None, str]:
        if not text:
            return None, None, "Code UCD manquant."
        compact = "".join(text.split())
        if compact.isdigit() and len(compact) == 7:
            ucd = Ucd(compact)  # the common case, without exceptions
        else:
            try:
                ucd = Ucd.parse(text)
            except DomainError as error:
                if compact.isdigit() and len(compact) < 7:
                    return (
                        None,
                        None,
                        (
                            f"{error.message} Le tableur a peut-être supprimé les zéros en tête : "
                            f"« {compact.zfill(7)} » ? Mettez la colonne au format texte."
                        ),
                    )
                return None, None, error.message
        product = self.product(ucd)
        if product is None:
            return (
                ucd.value,
                None,
                f"Code UCD {ucd.value} inconnu du référentiel des médicaments. Si les codes UCD inconnus sont les "
                "seules erreurs du fichier, il attend : l'équipe nationale en est prévenue et il sera validé "
                "automatiquement dès qu'elle les aura ajoutés ; sinon, corrigez les autres erreurs et déposez-le à nouveau.",
            )
        return ucd.value, product, ""

    def product(self, ucd: Ucd) -> _Product | None:
        if ucd in self._products:
            return self._products[ucd]
        entry = self._catalogue(ucd)
        product = None if entry is None else self._resolve(entry)
        self._products[ucd] = product
        return product

    def _resolve(self, entry: CatalogueEntry) -> _Product:
        family = self._families.family_of(entry.atc)
        scope = family.scope if family else Scope.OUT_OF_SCOPE
        amount: Decimal | None = None
        who_value: Decimal | None = None
        version: int | None = None
        ddd_problem: tuple[str, str] | None = None
        try:
            unit_result = ddd_of_line(_ONE, entry, self._table, self._year)
        except DomainError as error:
            ddd_problem = ("ddd.unit" if error.code == "ERR_DDD_UNIT" else "ddd.missing", error.message)
        else:
            amount = unit_result.amount  # 1 × strength in the DDD's unit: ddd_of_line's own factor
            who_value, version = unit_result.who_ddd.value, unit_result.version
        return _Product(
            entry=entry,
            atc=entry.atc.value,
            route=entry.route.value,
            label=entry.label,
            family=family.code if family else None,
            scope=scope.value,
            out_of_scope=scope is Scope.OUT_OF_SCOPE,
            systemic=entry.route.is_systemic,
            amount_per_unit=amount,
            who_value=who_value,
            version=version,
            ddd_problem=ddd_problem,
        )


def _not_counted(unit: Unit) -> Issue | None:
    if unit.carries_consumption:
        return None
    if unit.excluded and unit.activity is not None and unit.activity.counts_consumption:
        why = f"appartient au secteur {unit.sector}, exclu de la surveillance"
    else:
        label = unit.activity.label if unit.activity else "inconnu"
        why = f"a le type d'activité TA {unit.code_ta} ({label}), exclu de la surveillance"
    return ("uf.not_eligible", f"L'UF « {unit.code_uf} » {why} : sa consommation n'est pas comptée.", True)


@dataclass(slots=True)
class _Sum:
    product: _Product
    quantity: Decimal
    row: int  # first row
    counted_uf: bool
    rows: list[int]


_UfState = tuple[tuple[Issue, ...], bool, bool]  # (issues, no error among them, UF carries consumption)


def validate(rows: Sequence[Sequence[str]], row_numbers: Sequence[int], context: ConsumptionContext) -> Parsed[ConsumptionLine]:
    """Typed consumption lines and the report of every problem.

    Hot path: each distinct cell text (UF, UCD, quantity, period) is checked once
    per file; a row whose four texts are all fine costs four dictionary look-ups
    and an addition.
    """
    table = read_table_header(rows, row_numbers, FileType.CONSUMPTION)
    check_periodicity(table, context.period, context.periodicity)
    if not table.usable:
        return finish(table, [], {"unknown_ucds": []})
    columns = table.columns
    i_uf, i_ucd, i_quantity, i_period = columns["code_uf"], columns["code_ucd"], columns["quantite"], columns["periode"]
    width = max(i_uf, i_ucd, i_quantity, i_period) + 1
    declared = context.period
    cached = Cached()
    resolver = _Resolver(context)
    products = resolver.texts
    checker = UnitChecker(context.units, eligible_during(declared, _not_counted))
    uf_states: dict[str, _UfState] = {}
    quantities: dict[str, tuple[Decimal | None, tuple[str, str] | None]] = {}
    file_periods = FilePeriods(declared, context.periodicity)
    periods: dict[str, tuple[Period | None, tuple[str, str] | None]] = {}  # (period, problem or None)

    def uf_state(uf: str) -> _UfState:
        if not uf:
            return ((("uf.missing", "Code UF manquant.", False),), False, False)
        unit, issues = checker.check(uf)
        return issues, all(warning for _, _, warning in issues), unit is not None and unit.carries_consumption

    def period_state(text: str) -> tuple[Period | None, tuple[str, str] | None]:
        if not text:
            return None, ("period.missing", "Période manquante.")
        period, issue = cached.period_of(text)
        if issue is not None or period is None:
            return None, issue
        return period, file_periods.verdict(period)

    unknown: set[str] = set()
    sums: dict[tuple[str, str, Period], _Sum] = {}  # (uf, ucd, period)
    for number, cells in table.data:
        if len(cells) < width:
            cells = [*cells, *[""] * (width - len(cells))]
        uf, ucd_text = cells[i_uf].strip(), cells[i_ucd].strip()
        quantity_text, period_text = cells[i_quantity].strip(), cells[i_period].strip()
        state = uf_states.get(uf)
        if state is None:
            state = uf_states[uf] = uf_state(uf)
        resolved = products.get(ucd_text)
        if resolved is None:
            resolved = resolver.resolve(ucd_text)
        parsed = quantities.get(quantity_text)
        if parsed is None:
            parsed = quantities[quantity_text] = QUANTITY.read(
                cached.decimal_of(quantity_text), quantity_text, "quantity.invalid"
            )
        found_period = periods.get(period_text)
        if found_period is None:
            found_period = periods[period_text] = period_state(period_text)
        period, period_problem = found_period
        issues, uf_ok, counted_uf = state
        ucd, product, why = resolved
        quantity = parsed[0]
        if issues or product is None or quantity is None or period_problem is not None:
            problem = table.problem
            for code, message, warning in issues:
                problem(code, message, row=number, column="code_uf", value=uf, warning=warning)
            if product is None:
                code = "ucd.missing" if not ucd_text else "ucd.invalid" if ucd is None else UNKNOWN_UCD
                problem(code, why, row=number, column="code_ucd", value=ucd_text)
                if ucd is not None:
                    unknown.add(ucd)
            if parsed[1] is not None:
                problem(parsed[1][0], parsed[1][1], row=number, column="quantite", value=quantity_text)
            elif quantity is None:
                problem("quantity.missing", "Quantité manquante.", row=number, column="quantite", value="")
            if period_problem is STRAY and period is not None:
                file_periods.note(period)  # one file-level error for them all
            elif period_problem is not None:
                problem(period_problem[0], period_problem[1], row=number, column="periode", value=period_text)
            if not uf_ok or product is None or quantity is None or period_problem is not None:
                continue
        assert ucd is not None and product is not None and quantity is not None and period is not None
        key = (uf, ucd, period)
        found = sums.get(key)
        if found is None:
            sums[key] = _Sum(product, quantity, number, counted_uf, [number])
        else:
            found.quantity += quantity
            found.rows.append(number)
    file_periods.finish(table, {period for _, _, period in sums})
    return _finish(table, sums, unknown)


def _finish(table: Table, sums: Mapping[tuple[str, str, Period], _Sum], unknown: set[str]) -> Parsed[ConsumptionLine]:
    """One line per (UF, UCD), its warnings, and the summary."""
    problem = table.problem
    lines: list[ConsumptionLine] = []
    by_atc: dict[str, Decimal] = {}
    scope_of_atc: dict[str, str] = {}
    out_of_scope = not_systemic = not_counted_uf = merged = 0
    for (uf, ucd, period), item in sums.items():
        product, number, quantity, count = item.product, item.row, item.quantity, len(item.rows)
        # Pharmacy exports often give several dispensing lines per UF and product
        # (monthly, returns): summing them is the rule, counted in the summary
        # (``merged_rows``) rather than warned line by line.
        merged += count - 1
        if quantity < 0:
            problem(
                "quantity.negative",
                f"Quantité nette négative ({quantity.normalize():f}) pour l'UF « {uf} » et l'UCD {ucd} "
                "(retours supérieurs aux dispensations ?) : vérifiez-la.",
                row=number,
                column="quantite",
                value=f"{quantity.normalize():f}",
                warning=True,
            )
        counted = False
        if product.out_of_scope:
            out_of_scope += count
            problem(
                "atc.out_of_scope",
                f"« {product.label} » (ATC {product.atc}) n'est ni un antibiotique ni un antifongique suivi : ligne non comptée.",
                row=number,
                column="code_ucd",
                value=ucd,
                warning=True,
            )
        elif not product.systemic:
            not_systemic += count
            problem(
                "route.not_systemic",
                f"« {product.label} » (voie {product.route}) n'est pas une forme systémique : ligne non comptée.",
                row=number,
                column="code_ucd",
                value=ucd,
                warning=True,
            )
        elif not item.counted_uf:
            not_counted_uf += count
        else:
            counted = True
        ddd: Decimal | None = None
        if product.amount_per_unit is not None and product.who_value is not None:
            ddd = quantity * product.amount_per_unit / product.who_value
            if counted:
                atc = product.atc
                if atc in by_atc:
                    by_atc[atc] += ddd
                else:
                    by_atc[atc], scope_of_atc[atc] = ddd, product.scope
        elif counted and product.ddd_problem is not None:
            problem(product.ddd_problem[0], product.ddd_problem[1], row=number, column="code_ucd", value=ucd)
        lines.append(
            ConsumptionLine(
                uf=uf,
                ucd=ucd,
                atc=product.atc,
                route=product.route,
                quantity=quantity,
                ddd=ddd,
                period=period,
                family=product.family,
                scope=product.scope,
                ddd_version=product.version,
                label=product.label,
                counted=counted,
                row=number,
                rows=count,
            )
        )
    by_scope: dict[str, Decimal] = {}
    for atc, value in by_atc.items():
        by_scope[scope_of_atc[atc]] = by_scope.get(scope_of_atc[atc], _ZERO) + value
    summary = {
        "ddd_total": round(float(sum(by_atc.values(), _ZERO)), 3),
        "ddd_by_atc": {atc: round(float(value), 3) for atc, value in sorted(by_atc.items())},
        "ddd_by_scope": {scope: round(float(value), 3) for scope, value in sorted(by_scope.items())},
        "out_of_scope": out_of_scope,
        "not_systemic": not_systemic,
        "not_counted_uf": not_counted_uf,
        "merged_rows": merged,
        "lines": len(lines),
        "unknown_ucds": sorted(unknown),
        "periods": [str(p) for p in in_order({period for _, _, period in sums})],
    }
    return finish(table, lines, summary)
