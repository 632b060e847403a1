"""The report's methods annex: every rule and reference version behind its figures."""

from __future__ import annotations

from chalicelib.domain.drugs.ddd import default_ddd_table
from chalicelib.domain.reports.facts import Answers, Facts, closed_periods
from chalicelib.domain.reports.model import Paragraph, Section, Table
from chalicelib.domain.reports.questions import ALERTS

#: How an establishment's report compares it.
CATEGORY_COMPARISONS = (
    "Percentiles des établissements de la même catégorie, données clôturées, montrés à partir de 5 autres établissements"
)


def methods(facts: Facts) -> Section:
    """The establishment report's annex: its completeness is the establishment's periods closed."""
    subject = facts.subject
    closed = [p for p, status in subject.periods if status == "closed"]
    completeness = f"{len(closed)} période(s) clôturée(s) sur {len(subject.periods)} : {closed_periods(closed, subject.year)}"
    return annex(facts, CATEGORY_COMPARISONS, completeness)


def annex(facts: Answers, comparisons: str, completeness: str) -> Section:
    """The methods annex of a report of ``facts.year``: how it compares, and how complete its data are."""
    ddd_version = default_ddd_table().version_for(facts.year)
    consumption_rule = facts.answer("ddj").get("rule", "—")
    pct_r = facts.answer("pct_r")
    setting = pct_r.get("dedup_setting") or {}
    blood_rule = facts.answer("density_sarm_blood").get("rule", "—")
    rows = (
        ("Doses définies journalières", f"Table ATC/DDD de l'OMS, version {ddd_version} ({consumption_rule})"),
        (
            "Dédoublonnage des isolats",
            f"Règle « {pct_r.get('rule', '—')} », paramètre national version "
            f"{setting.get('version', '—')} (période : {setting.get('period', '—')})",
        ),
        ("Hémocultures", f"Règle « {blood_rule} » : premier isolat d'hémoculture par patient et espèce sur l'année"),
        (
            "Catégorisation S / SFP / R",
            "Résultats rendus par le laboratoire selon les recommandations du CA-SFM / "
            f"EUCAST en vigueur en {facts.year} ; SFP compté comme non résistant",
        ),
        ("Intervalles de confiance", "95 % : Wilson pour les proportions, loi de Poisson exacte pour les densités"),
        ("Effectif minimum", "30 isolats testés pour un pourcentage de résistance ; en dessous, valeur signalée (*)"),
        *_beyond(facts),
        ("Comparaisons", comparisons),
        ("Complétude", completeness),
    )
    return Section(
        "Annexe : méthodes",
        (
            Paragraph(
                "Les règles et versions de référence utilisées pour chaque chiffre de ce rapport, tel que "
                "l'interface et l'API de ConsoRes les calculent."
            ),
            Table(("Élément", "Règle ou version"), rows, numeric_from=2, widths=(1.6, 4.4)),
            Paragraph(
                "Consommation : DDJ des antibiotiques à visée systémique (J01, rifampicine J04AB02, imidazolés oraux "
                "P01AB) rapportées aux journées d'hospitalisation des unités de soins. Antifongiques (J02) comptés "
                "pour les seuls établissements qui déclarent les couvrir.",
                "note",
            ),
        ),
    )


def _beyond(facts: Answers) -> list[tuple[str, str]]:
    """The rules of this wave's analytics (DOMAIN.md §10.10), for those the report presents."""
    rows = []
    if "aware" in facts.answers:
        goal = (facts.answer("aware").get("goal") or {}).get("label", "—")
        rows.append(("Classification AWaRe", f"{facts.answer('aware').get('rule', '—')} (Access, Watch, Reserve, non "
                                             f"classé : part des DDJ de chaque groupe) ; {goal}"))  # fmt: skip
    if "antibiogram" in facts.answers:
        found = facts.answer("antibiogram")
        rows.append(("Antibiogramme cumulé", f"CLSI M39 (règle « {found.get('rule', '—')} ») : premier isolat par patient, "
                     "espèce et année, tous prélèvements sauf dépistages ; % S, SFP compté comme non sensible ; espèce "
                     f"présentée à partir de {found.get('min_isolates', 30)} isolats"))  # fmt: skip
    if ALERTS in facts.answers:
        rows.append(("Alertes", f"Règle « {facts.answer(ALERTS).get('rule', '—')} » : isolat conservé après "
                     "dédoublonnage présentant un phénotype émergent ou rare, une alerte par isolat et phénotype, "
                     "levée à l'import ; acquittée : marquée vue ou traitée par l'établissement"))  # fmt: skip
    return rows
