"""The structure (UF), beds and per-year settings of an establishment, edited
through the API (the same data the structure and beds files replace)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.antifungal_coverage import SETTING, reports_antifungals
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, PeriodClosed
from chalicelib.domain.periods import Period, Periodicity
from chalicelib.domain.structure import Unit, normalise_specialty
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import PeriodStatusStore, SettingsStore, UnitStore, UploadStore
from chalicelib.services.year_dedup import YEAR_FILE_TYPE

SETTINGS = ("consumption_periodicity", "resistance_periodicity")


def unit_view(unit: Unit) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in unit.as_dict().items()}


class StructureService:
    def __init__(
        self, *, units: UnitStore, settings: SettingsStore, uploads: UploadStore, periods: PeriodStatusStore, guard: Guard,
        context: Context,
    ) -> None:  # fmt: skip
        self._units = units
        self._periods = periods
        self._settings = settings
        self._uploads = uploads
        self._guard = guard
        self._ctx = context

    def units(self, caller: Principal, finess: str) -> list[Unit]:
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        return self._units.units(establishment.finess)

    def put_unit(self, caller: Principal, finess: str, code_uf: str, fields: dict[str, Any]) -> Unit:
        """Create or replace one UF; the sector comes from the DE unless overridden."""
        establishment = self._guard.establishment(caller, Action.EDIT_STRUCTURE, finess)
        values = {k: v for k, v in fields.items() if v not in (None, "")}
        if "specialite" in values:
            values["specialty"] = normalise_specialty(values.pop("specialite"))
        unit = Unit.create(
            code_uf, values.pop("libelle_uf"), values.pop("code_ta"), values.pop("code_de"), values.pop("secteur", None), **values
        )
        before = next((u for u in self._units.units(establishment.finess) if u.code_uf == unit.code_uf), None)
        self._units.put_unit(establishment.finess, unit)
        self._ctx.audit(
            caller.email.value,
            "unit.put",
            f"establishment:{finess}/unit:{unit.code_uf}",
            unit_view(before) if before else None,
            unit_view(unit),
        )
        return unit

    def delete_unit(self, caller: Principal, finess: str, code_uf: str) -> None:
        establishment = self._guard.establishment(caller, Action.EDIT_STRUCTURE, finess)
        before = next((u for u in self._units.units(establishment.finess) if u.code_uf == code_uf), None)
        if before is None or not self._units.delete_unit(establishment.finess, code_uf):
            raise NotFound(f"UF « {code_uf} » introuvable.")
        self._ctx.audit(caller.email.value, "unit.delete", f"establishment:{finess}/unit:{code_uf}", unit_view(before), None)

    def put_beds(self, caller: Principal, finess: str, year: str, beds: list[tuple[str, int]]) -> dict[str, int]:
        establishment = self._guard.establishment(caller, Action.EDIT_STRUCTURE, finess)
        when = Period.parse(year)
        if when.quarter is not None:
            raise InvalidInput("Les lits se déclarent par année (par exemple 2025).")
        known = {u.code_uf for u in self._units.units(establishment.finess)}
        problems = [
            {"index": i, "field": "code_uf", "value": code, "message": f"UF « {code} » absente de la structure."}
            for i, (code, _) in enumerate(beds)
            if code not in known
        ]
        problems += [
            {"index": i, "field": "lits", "value": count, "message": "Le nombre de lits doit être un entier positif ou nul."}
            for i, (_, count) in enumerate(beds)
            if count < 0
        ]
        if problems:
            raise InvalidInput("Certaines lignes de lits sont invalides.", details=problems)
        values = dict(beds)
        before = self._units.beds(establishment.finess, when.year)
        self._units.replace_beds(establishment.finess, when.year, values)
        self._ctx.audit(caller.email.value, "beds.put", f"establishment:{finess}/beds:{when.year}", before, values)
        return values

    def beds(self, caller: Principal, finess: str, year: str) -> dict[str, int]:
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        return self._units.beds(establishment.finess, Period.parse(year).year)

    def settings(self, caller: Principal, finess: str, year: str) -> dict[str, Any]:
        """The year's periodicities (absent until chosen) and whether its consumption files cover
        antifungals (true until stated otherwise, DOMAIN.md §10.5)."""
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        when = Period.parse(year).year
        stated = self._settings.antifungals_reported(establishment.finess, when)
        return {**(self._settings.periodicities(establishment.finess, when) or {}), SETTING: reports_antifungals(stated)}

    def put_settings(self, caller: Principal, finess: str, year: str, values: dict[str, Any]) -> dict[str, Any]:
        """Set the year's settings given, leaving the others as they are: the periodicities (refused once
        files of another periodicity are in) and whether its consumption files cover antifungals."""
        establishment = self._guard.establishment(caller, Action.EDIT_SETTINGS, finess)
        when = Period.parse(year)
        chosen = {name: values[name] for name in SETTINGS if values.get(name) is not None}
        for name, value in chosen.items():
            try:
                Periodicity(value)
            except ValueError as exc:
                raise InvalidInput(f"{name} : « quarter » ou « year » attendu.", details=[{"field": name}]) from exc
        reported = values.get(SETTING)
        if reported is not None and not isinstance(reported, bool):
            raise InvalidInput(f"{SETTING} : true ou false attendu.", details=[{"field": SETTING}])
        if not chosen and reported is None:
            wanted = [*SETTINGS, SETTING]
            raise InvalidInput(f"Rien à enregistrer : précisez {', '.join(wanted)}.", details=[{"field": n} for n in wanted])
        for current in self._uploads.current_for_year(establishment.finess, when.year):
            setting = "resistance_periodicity" if current.file_type == "resistance" else "consumption_periodicity"
            if current.file_type in ("structure", "beds", YEAR_FILE_TYPE) or setting not in chosen:
                continue
            if Period.parse(current.period).periodicity.value != chosen[setting]:
                raise Conflict(
                    f"Des fichiers de {when.year} ont déjà été importés avec une autre périodicité ({current.period}) : "
                    "remplacez-les avant de changer la périodicité.",
                    code="ERR_PERIODICITY_IN_USE",
                )
        before = self._stated(establishment.finess, when.year)
        if reported is not None and reported != reports_antifungals((before or {}).get(SETTING)):
            self._refuse_on_a_closed_year(establishment.finess, when.year)
        if chosen:
            self._settings.put_periodicities(establishment.finess, when.year, chosen)
        if reported is not None:
            self._settings.put_antifungals_reported(establishment.finess, when.year, reported)
        after = self._stated(establishment.finess, when.year)
        self._ctx.audit(caller.email.value, "settings.put", f"establishment:{finess}/settings:{when.year}", before, after)
        return {**(after or {}), SETTING: reports_antifungals((after or {}).get(SETTING))}

    def _refuse_on_a_closed_year(self, finess: Finess, year: int) -> None:
        """The antifungal statement decides who counts in the year's antifungal figures (DOMAIN.md §10.5): once a
        period of the year is closing or closed, those figures are published and the statement is frozen with them."""
        frozen = sorted(state.period for state in self._periods.states(finess, year) if state.status != "open")
        if frozen:
            raise PeriodClosed(
                f"La déclaration sur les antifongiques de {year} ne peut plus changer : la période {frozen[0]} est "
                "clôturée (ou en cours de clôture). Demandez sa réouverture à l'équipe nationale."
            )

    def _stated(self, finess: Finess, year: int) -> dict[str, Any] | None:
        """What the year's settings say, as stated (None: nothing ever stated)."""
        periodicities = self._settings.periodicities(finess, year)
        stated = self._settings.antifungals_reported(finess, year)
        if periodicities is None and stated is None:
            return None
        return {**(periodicities or {}), **({SETTING: stated} if stated is not None else {})}
