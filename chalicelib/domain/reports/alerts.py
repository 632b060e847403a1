"""The report's « Alertes de l'année » (DOMAIN.md §10.8, §10.10): how many alerts on rare phenotypes
the year raised, per kind and, for the EPC, per carbapenemase type; how many the establishment has
acknowledged; and the alerts themselves in a compact table. Read from the alert service's answer
(``questions.ALERTS``): no patient identifier, no comment is ever printed (the answer carries none)."""

from __future__ import annotations

from chalicelib.domain.reports import french, labels
from chalicelib.domain.reports.facts import Answers, Row
from chalicelib.domain.reports.model import Block, Heading, Paragraph, Section, Table
from chalicelib.domain.reports.questions import ALERTS

#: The table lists at most this many alerts (the latest specimens): the report stays within 16 pages.
LISTED = 40
ACKNOWLEDGED, TO_HANDLE = "acquittée", "à traiter"
WHAT = (
    "Une alerte est levée à l'import pour chaque isolat conservé après dédoublonnage qui présente un phénotype "
    "émergent ou rare : entérobactérie productrice de carbapénémase (EPC, avec son type), entérocoque résistant "
    "aux glycopeptides (ERG), entérobactérie résistante à la colistine, S. aureus résistant à la vancomycine, "
    "Candidozyma (Candida) auris, isolat résistant à tous les antibiotiques testés (8 au moins)."
)


def alerts(facts: Answers, whose: str, listing: bool = True) -> Section:
    """The section for ``whose`` alerts (« dans l'établissement »); ``listing``: the alerts themselves too
    (an establishment's; a synthesis counts them)."""
    return Section("Alertes de l'année", tuple(blocks(facts, whose, listing)), new_page=False)


def blocks(facts: Answers, whose: str, listing: bool = True) -> list[Block]:
    answer = facts.answer(ALERTS)
    if "error" in answer:
        return [Paragraph(f"Les alertes de l'année ne sont pas disponibles : {answer['error']}", "notice")]
    total = int(answer.get("total") or 0)
    if total == 0:
        return [
            Paragraph(
                f"Aucune alerte n'a été levée en {facts.year} {whose} : aucun isolat n'a présenté de phénotype émergent ou rare.",
            ),
            Paragraph(WHAT, "note"),
        ]
    return [
        Paragraph(
            f"En {facts.year}, {french.count(total)} alerte(s) {whose} : {french.count(answer.get('acknowledged'))} "
            f"acquittée(s) (marquée(s) vue(s) ou traitée(s)), {french.count(answer.get('to_handle'))} à traiter."
        ),
        Paragraph(WHAT, "note"),
        counts(answer),
        *(listed(answer.get("rows") or []) if listing else []),
    ]


def counts(answer: Row) -> Table:
    """Alerts per kind (every kind), each EPC carbapenemase type under the EPC line."""
    rows: list[tuple[str, str]] = []
    for kind in answer.get("by_kind") or []:
        rows.append((str(kind.get("label", kind.get("kind", ""))), french.count(kind.get("count"))))
        if kind.get("kind") == "epc":
            rows += [(f"    dont {t.get('type')}", french.count(t.get("count"))) for t in answer.get("by_carbapenemase") or []]
    return Table(("Phénotype", "Alertes"), tuple(rows), caption="Alertes de l'année par phénotype", widths=(4.6, 1))


def listed(rows: list[Row]) -> list[Block]:
    """The alerts, oldest specimen first; beyond ``LISTED``, the latest ones, and how many are left out."""
    shown = rows[-LISTED:]
    table = Table(
        ("Date du prélèvement", "Espèce", "Phénotype", "Prélèvement", "Statut"),
        tuple(
            (
                french.iso_date(str(r.get("specimen_date", ""))),
                str(r.get("species_name") or r.get("species", "")),
                str(r.get("phenotype", "")),
                labels.specimen(str(r.get("specimen", ""))),
                ACKNOWLEDGED if r.get("acknowledged") else TO_HANDLE,
            )
            for r in shown
        ),
        numeric_from=5,
        widths=(1.3, 2.2, 2.2, 1.6, 1),
    )
    found: list[Block] = [Heading("Les alertes"), table]
    if len(rows) > len(shown):
        found.append(
            Paragraph(
                f"Les {LISTED} alertes des prélèvements les plus récents ; les {french.count(len(rows) - LISTED)} autres "
                "sont dans l'écran « Alertes » de ConsoRes.",
                "note",
            )
        )
    found.append(Paragraph("Aucun identifiant de patient ni commentaire n'est repris dans ce rapport.", "note"))
    return found
