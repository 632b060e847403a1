"""What the national team sets for the EARS-Net export, and when the yearly export is due.

* ``export_date`` (``MM-DD``): from that day on, the daily job exports the
  previous year, once (a year already exported is left to the on-demand API);
* the three representativeness judgements of AMRCOVER (HIGH, MEDIUM or LOW),
  ``LOW`` until the national team says otherwise (a few establishments are a
  poorly representative sample);
* the blood culture sets of the covered establishments, per year, when known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.tessy.plan import CoverageSettings

__all__ = ["JUDGEMENTS", "ExportSettings", "due_year"]

JUDGEMENTS = ("HIGH", "MEDIUM", "LOW")
DEFAULT_EXPORT_DATE = "03-31"
_FIELDS = {
    "hospital_representativeness": "représentativité des hôpitaux (HospitalReprCov)",
    "isolate_representativeness": "représentativité des souches (IsolateMicroRepr)",
    "geographic_representativeness": "représentativité géographique (PopGeoReprCov)",
}


@dataclass(frozen=True)
class ExportSettings:
    export_date: str = DEFAULT_EXPORT_DATE  # MM-DD, every year
    hospital_representativeness: str = "LOW"
    isolate_representativeness: str = "LOW"
    geographic_representativeness: str = "LOW"
    #: year -> blood culture sets of the covered establishments.
    culture_sets: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def parse(cls, values: Mapping[str, Any], current: ExportSettings | None = None) -> ExportSettings:
        """Settings from a document (stored, or sent by the national team); absent keys keep ``current``.

        Raises:
            InvalidInput: every invalid value, in French.
        """
        base = current or cls()
        problems: list[dict[str, str]] = []
        export_date = _month_day(str(values.get("export_date", base.export_date)).strip())
        if not _valid_month_day(export_date):
            problems.append(
                {
                    "field": "export_date",
                    "message": f"Date d'export invalide : « {export_date} » (JJ/MM attendu, par exemple 31/03).",
                }
            )
        judgements: dict[str, str] = {}
        for name, label in _FIELDS.items():
            value = str(values.get(name, getattr(base, name)) or "").strip().upper()
            if value not in JUDGEMENTS:
                problems.append({"field": name, "message": f"{label} : HIGH, MEDIUM ou LOW attendu, pas « {value} »."})
            judgements[name] = value
        culture_sets = dict(base.culture_sets)
        raw_sets = values.get("culture_sets")
        if raw_sets is not None:
            culture_sets = {}
            if not isinstance(raw_sets, Mapping):
                problems.append({"field": "culture_sets", "message": "Hémocultures : un nombre par année attendu."})
            else:
                for year, count in raw_sets.items():
                    if not str(year).isdigit() or len(str(year)) != 4 or not isinstance(count, int) or count < 0:
                        problems.append({"field": "culture_sets", "message": f"Hémocultures {year} : entier positif attendu."})
                        continue
                    culture_sets[int(year)] = count
        if problems:
            raise InvalidInput("Paramètres de l'export EARS-Net invalides.", details=problems)
        return cls(export_date=export_date, culture_sets=MappingProxyType(culture_sets), **judgements)

    def document(self) -> dict[str, Any]:
        """The settings as stored and answered by the API."""
        return {
            "export_date": self.export_date,
            "hospital_representativeness": self.hospital_representativeness,
            "isolate_representativeness": self.isolate_representativeness,
            "geographic_representativeness": self.geographic_representativeness,
            "culture_sets": {str(year): count for year, count in sorted(self.culture_sets.items())},
        }

    def coverage(self, year: int) -> CoverageSettings:
        return CoverageSettings(
            hospital_representativeness=self.hospital_representativeness,
            isolate_representativeness=self.isolate_representativeness,
            geographic_representativeness=self.geographic_representativeness,
            culture_sets=self.culture_sets.get(year),
        )


def due_year(today: date, settings: ExportSettings, exported_years: set[int]) -> int | None:
    """The year the daily job must export today: the previous one, from the export date on, if not exported yet."""
    month, day = (int(part) for part in settings.export_date.split("-"))
    previous = today.year - 1
    if today < _clamped(today.year, month, day) or previous in exported_years:
        return None
    return previous


def _month_day(text: str) -> str:
    """``MM-DD`` as stored; the French ``JJ/MM`` (31/03, 1/4) is read too."""
    day, slash, month = text.partition("/")
    if slash and day.strip().isdigit() and month.strip().isdigit():
        return f"{int(month):02d}-{int(day):02d}"
    return text


def _valid_month_day(text: str) -> bool:
    parts = text.split("-")
    if len(parts) != 2 or not all(part.isdigit() and len(part) == 2 for part in parts):
        return False
    try:
        date(2024, int(parts[0]), int(parts[1]))  # a leap year: 02-29 is a valid setting
    except ValueError:
        return False
    return True


def _clamped(year: int, month: int, day: int) -> date:
    """The export day of ``year`` (02-29 is the 28th in a common year)."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)
