"""Combined consumption–resistance pairs (DOMAIN.md §7): an establishment's use of
a family of antibiotics against the resistance that use selects.

Each pair names the ATC prefixes of its consumption (DDJ/1000 JH) and the
resistance components it is compared with. The pair's resistance is pooled over
its components: resistant (or phenotype-positive) deduplicated isolates over
isolates for which the phenotype is known, all components together; each
component is also given on its own (``components``).
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.errors import InvalidInput

ESCCOL, KLEPNE, PSEAER, STAAUR = "ESCCOL", "KLEPNE", "PSEAER", "STAAUR"


@dataclass(frozen=True)
class ResistanceComponent:
    phenotype: str  # a column of the isolates (sarm, epc, c3g_r...)
    species: frozenset[str] | None  # species codes counted; None: every species concerned by the phenotype
    label: str  # French


@dataclass(frozen=True)
class CombinedPair:
    id: str
    consumption_label: str  # French
    atc_prefixes: tuple[str, ...]
    resistance_label: str  # French
    components: tuple[ResistanceComponent, ...]

    def counts_consumption(self, atc: str) -> bool:
        return any(atc.startswith(prefix) for prefix in self.atc_prefixes)


PAIRS: dict[str, CombinedPair] = {
    p.id: p
    for p in (
        CombinedPair(
            "c3g", "Céphalosporines de 3e génération", ("J01DD",), "E. coli et K. pneumoniae résistants aux C3G",
            (ResistanceComponent("c3g_r", frozenset({ESCCOL}), "E. coli résistants aux C3G"),
             ResistanceComponent("c3g_r", frozenset({KLEPNE}), "K. pneumoniae résistantes aux C3G")),
        ),
        CombinedPair(
            "carbapenems", "Carbapénèmes", ("J01DH",), "EPC et P. aeruginosa résistants aux carbapénèmes",
            (ResistanceComponent("epc", None, "Entérobactéries productrices de carbapénémase (EPC)"),
             ResistanceComponent("carba_r", frozenset({PSEAER}), "P. aeruginosa résistants aux carbapénèmes")),
        ),
        CombinedPair(
            "fq", "Fluoroquinolones", ("J01MA",), "E. coli résistants aux fluoroquinolones",
            (ResistanceComponent("fq_r", frozenset({ESCCOL}), "E. coli résistants aux fluoroquinolones"),),
        ),
        CombinedPair(
            "anti_sarm", "Glycopeptides et autres anti-SARM (linézolide, tédizolide, daptomycine, ceftaroline, ceftobiprole)",
            ("J01XA", "J01XX08", "J01XX11", "J01XX09", "J01DI02", "J01DI01"), "SARM parmi les S. aureus",
            (ResistanceComponent("sarm", frozenset({STAAUR}), "SARM (S. aureus résistant à la méticilline)"),),
        ),
    )
}  # fmt: skip


def pair(raw: str | None) -> CombinedPair:
    found = PAIRS.get(raw or "")
    if found is None:
        raise InvalidInput(f"Précisez la paire : pair={'|'.join(PAIRS)}.", details=[{"field": "pair"}])
    return found
