"""The indicator registry (DOMAIN.md §7): what each indicator measures, in which
unit, along which dimensions, and below which n a value is flagged."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.drugs.aware import ACCESS_GOAL_PERCENT, AwareCategory, default_aware
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.precision import Measure
from chalicelib.domain.resistance.dedup import BLOOD_RULE as BLOOD_PERIOD_RULE
from chalicelib.domain.resistance.dedup import BLOOD_YEAR_RULE, DEFAULT_RULE, M39_RULE, YEAR_RULE

PHENOTYPE_LABELS = {
    "sarm": "SARM (S. aureus résistant à la méticilline)",
    "eblse": "EBLSE (entérobactéries productrices de BLSE)",
    "epc": "EPC (entérobactéries productrices de carbapénémase)",
    "erg": "ERG (entérocoques résistants aux glycopeptides)",
    "c3g_r": "Entérobactéries résistantes aux C3G",
    "fq_r": "Résistance aux fluoroquinolones",
    "carba_r": "P. aeruginosa / A. baumannii résistants aux carbapénèmes",
    "caz_r": "P. aeruginosa résistant à la ceftazidime",
}


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str  # French
    unit: str
    dimensions: tuple[str, ...]  # the values ``by`` may take
    min_n: int  # below: the value is flagged (too few to interpret)
    multiplier: int  # numerator / denominator x multiplier
    rule: str  # what produced the data (DDD table, deduplication rule)
    needs_phenotype: bool = False
    #: What a value is (a proportion, a density, doses): decides its 95 % interval (DOMAIN.md §10.7).
    measure: Measure = field(kw_only=True)


DDD_RULE = "DDJ OMS (table ATC/DDD de l'année des données)"
#: The AWaRe share classifies DDD by WHO's list of this version (``who_aware_<version>.csv``).
AWARE_RULE = f"classification AWaRe de l'OMS {default_aware().version}"
#: Indicators of a year deduplicate over the whole year (DOMAIN.md §6; quarterly antibiograms included).
DEDUP_RULE = YEAR_RULE.id
BLOOD_RULE = BLOOD_YEAR_RULE.id
#: The quarterly view (``by=period``) keeps each import period's own decisions (DOMAIN.md §6: "quarterly
#: views keep the per-quarter result"), whatever the national setting of the yearly indicators.
QUARTER_RULE = DEFAULT_RULE.id
QUARTER_BLOOD_RULE = BLOOD_PERIOD_RULE.id
#: The dimension of the quarterly view: each period of the data (a quarter, or the year of a yearly sender).
PERIOD = "period"


def deduplicates(rule: str) -> bool:
    """Whether values under ``rule`` count deduplicated isolates (a deduplication rule is part of it)."""
    return any(part in (DEDUP_RULE, BLOOD_RULE, QUARTER_RULE, QUARTER_BLOOD_RULE) for part in rule.split(" ; "))


def counts_isolates(rule: str) -> bool:
    """Whether values under ``rule`` count isolates: deduplicated ones, or M39's first isolates."""
    return deduplicates(rule) or M39_RULE.id in rule


#: The type of an EPC known without its carbapenemase flag (from the species label only).
UNTYPED_CARBAPENEMASE = "non précisé"


def rule_of(indicator: Indicator, options: Mapping[str, str], by: str | None = None) -> str:
    """The rule that produced an indicator's values with these options: densities of blood
    cultures count the first blood isolate per patient and species of the year (``BLOOD_RULE``);
    a resistance indicator by period, each import period's own decisions (``QUARTER_RULE``)."""
    blood = indicator.id == "density_1000jh" and options.get("specimen") == "blood"
    if by == PERIOD and indicator.rule == DEDUP_RULE:
        return QUARTER_BLOOD_RULE if blood else QUARTER_RULE
    return BLOOD_RULE if blood else indicator.rule


#: Consumption dimensions. Antifungals "overall, ICU, haematology" (DOMAIN.md §7): the total,
#: the REA row of ``by=sector``, and the "hématologie" row of ``by=specialty`` (the UF's
#: specialty from the structure, carried on consumption and patient-days rows).
#: ``period``: the quarterly view (each quarter of an establishment reporting by quarter, the year of one
#: reporting once a year: ``ddj_1000jh_by_period.sql``); resistance has it too (``pct_phenotype_by_period.sql``,
#: ``density_1000jh_by_period.sql``), each quarter under its own deduplication (``QUARTER_RULE``).
CONSUMPTION_DIMENSIONS = ("family", "molecule", "route", "sector", "specialty", "uf", "service", "pole", "establishment",
                          PERIOD)  # fmt: skip
#: Dimensions internal to one establishment (its own UF codes): establishment scope only, never in open data.
ESTABLISHMENT_ONLY_DIMENSIONS = ("uf", "service", "pole")

INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        Indicator(
            "ddj_1000jh", "Consommation d'antibiotiques en DDJ pour 1000 journées d'hospitalisation", "DDJ/1000 JH",
            CONSUMPTION_DIMENSIONS, 1, 1000, DDD_RULE, measure=Measure.DOSES,
        ),
        Indicator(
            "antifungal_ddj_1000jh", "Consommation d'antifongiques en DDJ pour 1000 journées d'hospitalisation", "DDJ/1000 JH",
            CONSUMPTION_DIMENSIONS, 1, 1000, DDD_RULE, measure=Measure.DOSES,
        ),
        Indicator(
            "broad_spectrum_share", "Part des antibiotiques à large spectre dans la consommation (en DDJ)", "%",
            ("establishment",), 1, 100, DDD_RULE, measure=Measure.DOSES,  # a share of doses, not of counted cases
        ),
        Indicator(
            "aware_share", "Part de chaque groupe AWaRe de l'OMS dans la consommation d'antibiotiques (en DDJ)", "%",
            ("aware", "establishment"), 1, 100, f"{DDD_RULE} ; {AWARE_RULE}", measure=Measure.DOSES,  # shares of doses
        ),
        Indicator("pct_r", "Pourcentage de souches résistantes par espèce et antibiotique", "%", ("species_antibiotic",), 30, 100,
                  DEDUP_RULE, measure=Measure.PROPORTION),
        Indicator("antifungal_r", "Résistance des champignons prioritaires aux antifongiques (fluconazole, échinocandines, "
                  "azolés)", "%", ("species_class",), 30, 100, DEDUP_RULE, measure=Measure.PROPORTION),
        Indicator("pct_phenotype", "Pourcentage d'un phénotype de résistance", "%", ("species_group", "species", "establishment",
                  PERIOD), 30, 100, DEDUP_RULE, needs_phenotype=True, measure=Measure.PROPORTION),
        Indicator("density_1000jh", "Densité d'incidence pour 1000 journées d'hospitalisation", "/1000 JH",
                  ("sector", "establishment", PERIOD), 1, 1000, DEDUP_RULE, needs_phenotype=True, measure=Measure.DENSITY),
        Indicator("carbapenemase", "EPC par type de carbapénémase (part de chaque type parmi les EPC)", "%",
                  ("carbapenemase", "establishment"), 30, 100, DEDUP_RULE, measure=Measure.PROPORTION),
        Indicator("cumulative_antibiogram", "Antibiogramme cumulé (CLSI M39) : % S, % SFP et % R par espèce et antibiotique",
                  "%", ("species_antibiotic",), 30, 100, M39_RULE.id, measure=Measure.PROPORTION),
        Indicator("combined", "Consommation d'une famille d'antibiotiques et résistance associée, par établissement", "%",
                  ("establishment",), 30, 100, f"{DDD_RULE} ; {DEDUP_RULE}", measure=Measure.PROPORTION),
        Indicator("strategy_panel", "Tableau de bord de la stratégie nationale 2022-2025", "", (), 1, 1,
                  f"{DDD_RULE} ; {DEDUP_RULE} ; {BLOOD_RULE}", measure=Measure.ITEMS),  # its SARM bacteraemia item
    )
}  # fmt: skip


def goal_of(indicator: Indicator) -> dict[str, object] | None:
    """The target an indicator's values are read against: WHO's at least 60 % of Access DDD."""
    if indicator.id != "aware_share":
        return None
    access = AwareCategory.ACCESS
    return {"aware": access.value, "min": ACCESS_GOAL_PERCENT,
            "label": f"Objectif de l'OMS : au moins {ACCESS_GOAL_PERCENT} % des DDJ dans le groupe {access.label}"}  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """Whose data: one establishment, one region, or the nation."""

    kind: str  # establishment | region | national
    finess: Finess | None = None
    region: RegionCode | None = None

    @classmethod
    def parse(cls, raw: str | None) -> Scope:
        text = (raw or "").strip()
        found = re.match(r"^(establishment|region|national)(?::(.+))?$", text)
        if not found or (found.group(1) != "national" and not found.group(2)):
            raise InvalidInput(
                "Périmètre invalide : establishment:<FINESS>, region:<code> ou national attendu.", details=[{"field": "scope"}]
            )
        kind, value = found.group(1), found.group(2)
        if kind == "establishment":
            return cls(kind, finess=Finess.parse(value))
        if kind == "region":
            return cls(kind, region=RegionCode.parse(value))
        return cls(kind)

    def __str__(self) -> str:
        if self.finess:
            return f"establishment:{self.finess}"
        if self.region:
            return f"region:{self.region}"
        return "national"


def ratio(numerator: float, denominator: float, multiplier: int) -> float | None:
    return round(numerator / denominator * multiplier, 3) if denominator else None


def percentiles(values: list[float]) -> dict[str, float | None]:
    """P10, P25, median, P75, P90 (linear interpolation between closest ranks)."""
    ordered = sorted(values)

    def at(q: float) -> float | None:
        if not ordered:
            return None
        position = (len(ordered) - 1) * q
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 3)

    return {"p10": at(0.10), "p25": at(0.25), "p50": at(0.50), "p75": at(0.75), "p90": at(0.90)}


MAX_TREND_YEARS = 10


def year_range(start: str | None, end: str | None) -> list[int]:
    """The years of a trend, ``from`` to ``to`` included (at most ten).

    Raises:
        InvalidInput: a missing or invalid year, ``from`` after ``to``, or more than ten years.
    """
    years = []
    for name, raw in (("from", start), ("to", end)):
        text = (raw or "").strip()
        if not re.fullmatch(r"\d{4}", text):
            raise InvalidInput(f"Précisez l'année {'de début' if name == 'from' else 'de fin'} : {name}=2025.",
                               details=[{"field": name}])  # fmt: skip
        years.append(int(text))
    first, last = years
    if first > last:
        raise InvalidInput("L'année de début (from) doit précéder l'année de fin (to).", details=[{"field": "from"}])
    if last - first + 1 > MAX_TREND_YEARS:
        raise InvalidInput(f"Une tendance porte sur {MAX_TREND_YEARS} ans au plus.", details=[{"field": "to"}])
    return list(range(first, last + 1))
