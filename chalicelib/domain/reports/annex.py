"""The report's methods annex: every rule and reference version behind its figures."""

from __future__ import annotations

from chalicelib.domain.drugs.ddd import default_ddd_table
from chalicelib.domain.reports.facts import Facts, closed_periods
from chalicelib.domain.reports.model import Paragraph, Section, Table


def methods(facts: Facts) -> Section:
    subject = facts.subject
    ddd_version = default_ddd_table().version_for(subject.year)
    consumption_rule = facts.answer("ddj").get("rule", "—")
    pct_r = facts.answer("pct_r")
    setting = pct_r.get("dedup_setting") or {}
    blood_rule = facts.answer("density_sarm_blood").get("rule", "—")
    closed = [p for p, status in subject.periods if status == "closed"]
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
            f"EUCAST en vigueur en {subject.year} ; SFP compté comme non résistant",
        ),
        ("Intervalles de confiance", "95 % : Wilson pour les proportions, loi de Poisson exacte pour les densités"),
        ("Effectif minimum", "30 isolats testés pour un pourcentage de résistance ; en dessous, valeur signalée (*)"),
        (
            "Comparaisons",
            "Percentiles des établissements de la même catégorie, données clôturées, montrés à partir de 5 autres établissements",
        ),
        (
            "Complétude",
            f"{len(closed)} période(s) clôturée(s) sur {len(subject.periods)} : {closed_periods(closed, subject.year)}",
        ),
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
