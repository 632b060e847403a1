"""The national strategy 2022-2025 panel (DOMAIN.md §7): which indicator, with
which options, gives each of its items. Items are computed by the indicators
themselves; the panel only picks and pools their rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PanelItem:
    id: str  # stable (the web client's tile ids)
    label: str  # French
    indicator: str  # the registry id that computes it
    options: dict[str, str] = field(default_factory=dict)
    species: str | None = None  # keep only this species' row (pct_phenotype by species)


PANEL: tuple[PanelItem, ...] = (
    PanelItem("ddj_1000jh", "Consommation d'antibiotiques", "ddj_1000jh"),
    PanelItem("broad_spectrum_share", "Part des antibiotiques à large spectre", "broad_spectrum_share"),
    PanelItem("pct_sarm", "SARM parmi les S. aureus", "pct_phenotype", {"phenotype": "sarm"}),
    PanelItem("density_sarm_blood", "Densité d'incidence des bactériémies à SARM", "density_1000jh",
              {"phenotype": "sarm", "specimen": "blood"}),
    PanelItem("density_eblse", "Densité d'incidence des EBLSE", "density_1000jh", {"phenotype": "eblse", "specimen": "all"}),
    PanelItem("density_epc", "Densité d'incidence des EPC", "density_1000jh", {"phenotype": "epc", "specimen": "all"}),
    PanelItem("pct_c3g_ecoli", "E. coli résistants aux C3G", "pct_phenotype", {"phenotype": "c3g_r"}, species="ESCCOL"),
    PanelItem("pct_c3g_kpne", "K. pneumoniae résistantes aux C3G", "pct_phenotype", {"phenotype": "c3g_r"}, species="KLEPNE"),
)  # fmt: skip
