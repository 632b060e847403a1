"""The structure of an establishment: its functional units (UF) (DOMAIN.md §4, §4.1).

A UF has an SAE activity type (TA) that says which files may carry it
(``sae_activity_types.csv``) and an SAE equipment discipline (DE) that gives its
surveillance sector (``sae_de_sectors.csv``), unless the référent overrides the
sector. Sectors outside the care sectors (AMBU, HAD, MAS, MEDTECH, URG) exclude the
UF from the surveillance. Operating theatres (TA 08) carry consumption only; their
consumption is reallocated to the care UF with the same DE, else to the
establishment's surgery total.

UF codes are text: ``"0412"`` keeps its leading zero and is not ``"412"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from chalicelib.domain.cells import normalise_header
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.periods import Period
from chalicelib.reference import read_table

__all__ = [
    "AMBIGUOUS",
    "CARE_SECTORS",
    "SECTORS",
    "SPECIALTIES",
    "SURGERY_TOTAL",
    "THEATRE_TA",
    "ActivityType",
    "SectorResolution",
    "Unit",
    "activity_type",
    "activity_types",
    "de_sectors",
    "is_theatre",
    "normalise_de",
    "normalise_specialty",
    "normalise_ta",
    "resolve_sector",
    "sector_for",
    "theatre_reallocation",
]

THEATRE_TA = "08"
AMBIGUOUS = "AMBIGUOUS"  # the DE table's marker for a DE that needs an explicit sector (DE 999)
SURGERY_TOTAL = "CHIR_TOTAL"  # target of a theatre's consumption when no care UF shares its DE
SECTORS = ("MED", "CHIR", "REA", "GYNOBS", "PED", "SMR", "SLD", "PSY", "EHPAD")
SPECIALTIES = ("hématologie", "maladies infectieuses", "oncologie")
CARE_SECTORS = frozenset(SECTORS)  # MED, CHIR, REA, GYNOBS, PED, SMR, SLD, PSY, EHPAD


# --------------------------------------------------------------------------- activity types (TA)


@dataclass(frozen=True)
class ActivityType:
    """An SAE activity type and which files a UF of that type may appear in."""

    code: str
    label: str
    counts_patient_days: bool
    counts_consumption: bool


def _yes(text: str) -> bool:
    return text.strip().casefold() in ("yes", "oui", "true", "1")


@cache
def activity_types() -> Mapping[str, ActivityType]:
    """The TA reference (``sae_activity_types.csv``), by two-digit code."""
    return MappingProxyType(
        {
            row["code_ta"]: ActivityType(
                code=row["code_ta"],
                label=row["label_fr"],
                counts_patient_days=_yes(row["counts_patient_days"]),
                counts_consumption=_yes(row["counts_consumption"]),
            )
            for row in read_table("sae_activity_types")
        }
    )


def normalise_ta(raw: str) -> str:
    """A TA code as the reference writes it: ``"3"`` (leading zero lost by a spreadsheet) → ``"03"``."""
    text = raw.strip()
    return text.zfill(2) if text.isdigit() and len(text) == 1 else text


def activity_type(code_ta: str) -> ActivityType:
    """The activity type of a TA code (``"03"``, or ``"3"``).

    Raises:
        InvalidInput: the code is not in the TA reference.
    """
    found = activity_types().get(normalise_ta(code_ta))
    if found is None:
        raise InvalidInput(
            f"Type d'activité (TA) inconnu : « {code_ta} ».",
            details=[{"field": "code_ta", "value": code_ta, "problem": "ta.unknown"}],
        )
    return found


def is_theatre(code_ta: str) -> bool:
    """True for an operating theatre UF (TA 08)."""
    return normalise_ta(code_ta) == THEATRE_TA


# --------------------------------------------------------------------------- sectors (DE)


@cache
def de_sectors() -> Mapping[str, str]:
    """The DE → sector reference (``sae_de_sectors.csv``)."""
    return MappingProxyType({row["code_de"]: row["sector"] for row in read_table("sae_de_sectors")})


def normalise_de(raw: str) -> str:
    """A DE code as the reference writes it: spaces dropped, upper case, numeric codes without leading zeros."""
    text = "".join(raw.split()).upper()
    return str(int(text)) if text.isdigit() else text


def _normalise_sector(raw: str) -> str | None:
    text = normalise_header(raw).replace("_", "").upper()
    return text if text in CARE_SECTORS else None


def normalise_specialty(raw: str) -> str | None:
    """The canonical specialty (``"hématologie"``...) a typed text names, or None."""
    wanted = normalise_header(raw)
    for specialty in SPECIALTIES:
        if normalise_header(specialty) == wanted:
            return specialty
    return None


@dataclass(frozen=True)
class SectorResolution:
    """The sector of a UF, or why it has none (``problem`` is a stable code, ``message`` French)."""

    sector: str | None
    overridden: bool = False
    problem: str | None = None
    message: str | None = None


def resolve_sector(code_de: str, override: str | None = None, table: Mapping[str, str] | None = None) -> SectorResolution:
    """The sector of a UF from its DE and the référent's optional override; never raises.

    The DE must be in the reference, even with an override (it also links a theatre
    to its care UF). The override wins when given and valid (a care sector). An
    unknown DE, an invalid override, and an ambiguous DE (999) without override are
    problems. A DE whose
    sector is not a care sector (AMBU, HAD, MAS, MEDTECH, URG) gives that sector:
    the UF is then excluded from the surveillance (see ``Unit.excluded``).
    """
    sectors = de_sectors() if table is None else table
    de = normalise_de(code_de)
    from_de = sectors.get(de)
    if from_de is None:
        return SectorResolution(
            None,
            problem="de.unknown",
            message=f"Discipline d'équipement (DE) inconnue : « {code_de.strip()} ».",
        )
    typed = (override or "").strip()
    if typed:
        sector = _normalise_sector(typed)
        if sector is None:
            return SectorResolution(
                None,
                problem="sector.invalid",
                message=f"Secteur inconnu : « {typed} » (valeurs possibles : {', '.join(SECTORS)}).",
            )
        return SectorResolution(sector, overridden=True)
    if from_de == AMBIGUOUS:
        return SectorResolution(
            None,
            problem="sector.required",
            message=(
                f"La DE « {code_de.strip()} » ne permet pas de déduire le secteur : "
                f"indiquez-le dans la colonne secteur ({', '.join(SECTORS)})."
            ),
        )
    return SectorResolution(from_de)


def sector_for(code_de: str, override: str | None = None, table: Mapping[str, str] | None = None) -> str:
    """The sector of a UF (see :func:`resolve_sector`).

    Raises:
        InvalidInput: unknown DE, ambiguous DE without override, or invalid override,
            with the stable problem code in ``details``.
    """
    resolved = resolve_sector(code_de, override, table)
    if resolved.sector is None:
        raise InvalidInput(
            resolved.message,
            details=[
                {
                    "field": "code_de" if resolved.problem == "de.unknown" else "secteur",
                    "value": code_de if resolved.problem == "de.unknown" else (override or ""),
                    "problem": resolved.problem,
                }
            ],
        )
    return resolved.sector


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    """A functional unit (UF) of the structure, with its resolved sector.

    ``sector_override`` is the sector the référent typed (None: from the DE).
    """

    code_uf: str
    libelle: str
    code_ta: str
    code_de: str
    sector: str
    sector_override: str | None = None
    code_pole: str | None = None
    libelle_pole: str | None = None
    code_service: str | None = None
    libelle_service: str | None = None
    specialty: str | None = None
    start: date | None = None
    end: date | None = None

    @classmethod
    def create(
        cls,
        code_uf: str,
        libelle: str,
        code_ta: str,
        code_de: str,
        secteur: str | None = None,
        **optional: Any,
    ) -> Unit:
        """A unit from typed values, resolving TA and sector (the API's ``PUT …/units/{code_uf}``).

        Raises:
            InvalidInput: empty code or label, unknown TA, or a sector problem.
        """
        code = code_uf.strip()
        if not code or not libelle.strip():
            raise InvalidInput(
                "Le code et le libellé de l'UF sont obligatoires.",
                details=[{"field": "code_uf" if not code else "libelle_uf", "value": "", "problem": "uf.missing"}],
            )
        ta = activity_type(code_ta).code
        sector = sector_for(code_de, secteur)
        override = sector if (secteur or "").strip() else None
        return cls(
            code_uf=code,
            libelle=libelle.strip(),
            code_ta=ta,
            code_de=normalise_de(code_de),
            sector=sector,
            sector_override=override,
            **optional,
        )

    @property
    def activity(self) -> ActivityType | None:
        return activity_types().get(self.code_ta)

    @property
    def is_theatre(self) -> bool:
        return self.code_ta == THEATRE_TA

    @property
    def excluded(self) -> bool:
        """True when the UF is outside the surveillance: a non-care sector (theatres excepted) or a TA that counts nothing."""
        activity = self.activity
        if activity is None or not (activity.counts_patient_days or activity.counts_consumption):
            return True
        return not self.is_theatre and self.sector not in CARE_SECTORS

    @property
    def carries_patient_days(self) -> bool:
        """TA 03, 20 and 97 of a care sector; never a theatre."""
        activity = self.activity
        return activity is not None and activity.counts_patient_days and not self.excluded

    @property
    def carries_consumption(self) -> bool:
        """Care UFs that carry patient-days, and theatres."""
        activity = self.activity
        return activity is not None and activity.counts_consumption and not self.excluded

    def open_during(self, period: Period) -> bool:
        """True when the UF's dates (if any) overlap the period."""
        return (self.start is None or self.start <= period.last_day) and (self.end is None or self.end >= period.first_day)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code_uf": self.code_uf,
            "libelle_uf": self.libelle,
            "code_pole": self.code_pole,
            "libelle_pole": self.libelle_pole,
            "code_service": self.code_service,
            "libelle_service": self.libelle_service,
            "code_ta": self.code_ta,
            "code_de": self.code_de,
            "secteur": self.sector,
            "secteur_force": self.sector_override,
            "specialite": self.specialty,
            "date_debut": self.start.isoformat() if self.start else None,
            "date_fin": self.end.isoformat() if self.end else None,
        }


def theatre_reallocation(units: Mapping[str, Unit] | Iterable[Unit], period: Period | None = None) -> dict[str, str]:
    """Where each theatre UF's consumption goes: theatre code → care UF code, or ``SURGERY_TOTAL``.

    The target is the care UF (one that carries patient-days) with the same DE code.
    When no care UF shares the DE — or several do, so that choosing one would be
    arbitrary — the consumption goes to the establishment's surgery total. With a
    ``period``, only units open during it are considered.
    """
    pool = list(units.values()) if isinstance(units, Mapping) else list(units)
    if period is not None:
        pool = [unit for unit in pool if unit.open_during(period)]
    care_by_de: dict[str, list[str]] = {}
    for unit in pool:
        if unit.carries_patient_days:
            care_by_de.setdefault(unit.code_de, []).append(unit.code_uf)
    targets: dict[str, str] = {}
    for unit in sorted(pool, key=lambda u: u.code_uf):
        if unit.is_theatre:
            candidates = care_by_de.get(unit.code_de, [])
            targets[unit.code_uf] = candidates[0] if len(candidates) == 1 else SURGERY_TOTAL
    return targets
