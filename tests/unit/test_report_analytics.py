"""This wave's analytics in the establishment report (DOMAIN.md §10.8, §10.10): the year's alerts, the
AWaRe shares against WHO's goal, the cumulative antibiogram as a printable table, and their rules in
the methods annex. Every figure is the answers' (tests/unit/test_report_content.py builds them)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.reports import model
from chalicelib.domain.reports.alerts import LISTED
from chalicelib.domain.reports.establishment import report
from tests.unit.test_report_content import NNBSP, SUBJECT, answers, key_figure, texts

GOAL = {"aware": "access", "min": 60, "label": "Objectif de l'OMS : au moins 60 % des DDJ dans le groupe Accès"}
KINDS = (("epc", "Entérobactérie productrice de carbapénémase (EPC)"), ("erg", "Entérocoque résistant aux glycopeptides (ERG)"),
         ("colistin_r", "Entérobactérie résistante à la colistine"))  # fmt: skip


def section(document: model.Report, title: str) -> model.Section:
    return next(s for s in document.sections if s.title == title)


def tables(found: model.Section) -> list[model.Table]:
    return [b for b in found.blocks if isinstance(b, model.Table)]


def alert(day: str, phenotype: str, acknowledged: bool, kind: str = "epc") -> dict[str, Any]:
    return {"specimen_date": day, "kind": kind, "phenotype": phenotype, "species": "KLEPNE",
            "species_name": "Klebsiella pneumoniae", "specimen": "HEMOC", "finess": SUBJECT.finess,
            "acknowledged": acknowledged}  # fmt: skip


def alerts_answer(rows: list[dict[str, Any]], **counts: int) -> dict[str, Any]:
    acknowledged = sum(1 for r in rows if r["acknowledged"])
    return {"rule": "alerts-v1", "total": len(rows), "acknowledged": acknowledged, "to_handle": len(rows) - acknowledged,
            "by_kind": [{"kind": k, "label": label, "count": counts.get(k, 0)} for k, label in KINDS],
            "by_carbapenemase": [{"type": "OXA-48-like", "count": 2}, {"type": "NDM", "count": 1}], "rows": rows}  # fmt: skip


def aware_answer(access: float) -> dict[str, Any]:
    groups = (("access", "Accès", access), ("watch", "À surveiller", 100 - access), ("reserve", "Réserve", 0.0),
              ("not_classified", "Non classé", 0.0))  # fmt: skip
    return {"rule": "DDJ OMS ; classification AWaRe de l'OMS 2023", "goal": GOAL,
            "rows": [{"aware": a, "label": label, "value": v, "numerator": v * 10, "denominator": 1000.0}
                     for a, label, v in groups]}  # fmt: skip


def cumulative_row(species: str, antibiotic: str, pct_s: float, n: int, isolates: int) -> dict[str, Any]:
    return {"species": species, "antibiotic": antibiotic, "pct_s": pct_s, "n": n, "isolates": isolates}


# Alerts --------------------------------------------------------------------------------------------


def test_a_year_without_alerts_says_so_in_a_sentence():
    text = texts(report(SUBJECT, answers(alerts=alerts_answer([]))))
    assert "Aucune alerte n'a été levée en 2025 dans l'établissement" in text
    assert "Date du prélèvement" not in text


def test_the_alerts_are_counted_by_phenotype_with_the_epc_carbapenemase_types_and_how_many_are_acknowledged():
    rows = [alert("2025-01-03", "EPC OXA-48-like", True), alert("2025-02-10", "EPC NDM", False),
            alert("2025-03-01", "EPC OXA-48-like", False)]  # fmt: skip
    found = section(report(SUBJECT, answers(alerts=alerts_answer(rows, epc=3))), "Alertes de l'année")
    text = "\n".join(b.text for b in found.blocks if isinstance(b, model.Paragraph))
    assert "En 2025, 3 alerte(s) dans l'établissement : 1 acquittée(s) (marquée(s) vue(s) ou traitée(s)), 2 à traiter." in text
    counts, listing = tables(found)
    assert counts.rows == (
        ("Entérobactérie productrice de carbapénémase (EPC)", "3"), ("    dont OXA-48-like", "2"), ("    dont NDM", "1"),
        ("Entérocoque résistant aux glycopeptides (ERG)", "0"), ("Entérobactérie résistante à la colistine", "0"),
    )  # fmt: skip
    assert listing.columns == ("Date du prélèvement", "Espèce", "Phénotype", "Prélèvement", "Statut")
    assert listing.rows[0] == ("03/01/2025", "Klebsiella pneumoniae", "EPC OXA-48-like", "Hémoculture", "acquittée")
    assert [r[4] for r in listing.rows] == ["acquittée", "à traiter", "à traiter"]


def test_a_long_year_of_alerts_lists_the_latest_and_says_how_many_are_left_out():
    rows = [alert(f"2025-{1 + k // 28:02d}-{1 + k % 28:02d}", "EPC KPC", False) for k in range(LISTED + 5)]
    found = section(report(SUBJECT, answers(alerts=alerts_answer(rows, epc=LISTED + 5))), "Alertes de l'année")
    listing = tables(found)[1]
    assert len(listing.rows) == LISTED and listing.rows[-1][0] == "17/02/2025"
    assert "les 5 autres sont dans l'écran « Alertes » de ConsoRes" in texts(report(SUBJECT, answers(alerts=alerts_answer(rows))))


def test_alerts_the_service_refused_read_as_unavailable_with_its_reason():
    text = texts(report(SUBJECT, answers(alerts={"error": "Établissement introuvable."})))
    assert "Les alertes de l'année ne sont pas disponibles : Établissement introuvable." in text


# AWaRe ---------------------------------------------------------------------------------------------


def test_the_aware_shares_of_the_year_are_printed_with_the_who_goal_met():
    document = report(SUBJECT, answers(aware=aware_answer(64.31)))
    consumption = section(document, "Consommation d'antibiotiques")
    shares = next(t for t in tables(consumption) if t.columns[0] == "Groupe AWaRe")
    assert shares.rows[0] == ("Accès (Access)", "643", f"64,3{NNBSP}%")
    names = ["Accès (Access)", "À surveiller (Watch)", "Réserve (Reserve)", "Non classé (Not classified)"]
    assert [r[0] for r in shares.rows] == names
    assert (f"Objectif de l'OMS : au moins 60 % des DDJ dans le groupe Accès. Avec 64,3{NNBSP}% des DDJ dans le groupe "
            "Accès, l'objectif est atteint.") in texts(document)  # fmt: skip
    assert key_figure(document, "Part du groupe Accès (AWaRe de l'OMS)").position == f"Objectif OMS (≥ 60{NNBSP}% Accès) atteint"


def test_an_access_share_below_60_percent_does_not_meet_the_who_goal():
    document = report(SUBJECT, answers(aware=aware_answer(59.96)))
    assert "l'objectif n'est pas atteint" in texts(document)
    assert key_figure(document, "Part du groupe Accès (AWaRe de l'OMS)").position.endswith("non atteint")


def test_the_access_share_is_followed_year_by_year_when_the_trend_gives_it():
    trend = {"rows": [{"year": 2024, "value": 52.0}, {"year": 2025, "value": 64.31}]}
    document = report(SUBJECT, answers(aware=aware_answer(64.31), aware_trend=trend))
    table = next(t for t in tables(section(document, "Consommation d'antibiotiques")) if t.columns[0] == "Année")
    assert table.columns == ("Année", "2021", "2022", "2023", "2024", "2025")
    assert table.rows == (("Part du groupe Accès", "—", "—", "—", f"52,0{NNBSP}%", f"64,3{NNBSP}%"),)
    assert key_figure(document, "Part du groupe Accès (AWaRe de l'OMS)").trend.startswith("En hausse")


# Cumulative antibiogram ----------------------------------------------------------------------------


def test_the_cumulative_antibiogram_prints_one_line_per_species_of_30_isolates_and_names_those_below():
    rows = [cumulative_row("ESCCOL", "AMX", 55.0, 300, 310), cumulative_row("ESCCOL", "CTX", 91.2, 305, 310),
            cumulative_row("KLEPNE", "CTX", 80.0, 40, 42), cumulative_row("STAAUR", "OXA", 70.0, 35, 35)]  # fmt: skip
    answer = {"rule": "premier-isolat-patient-espece-annee-m39", "min_isolates": 30, "rows": rows,
              "species_below_min": [{"species": "PSEAER", "isolates": 29}]}  # fmt: skip
    document = report(SUBJECT, answers(antibiogram=answer))
    found = section(document, "Résistance bactérienne")
    negative, positive = (t for t in tables(found) if t.columns[0] == "Espèce (isolats)")
    assert negative.columns == ("Espèce (isolats)", "CTX", "AMX")  # tested on the most species first
    assert negative.caption.endswith("CTX : Céfotaxime ; AMX : Amoxicilline")
    assert negative.rows == (("Escherichia coli (310)", "91 (305)", "55 (300)"), ("Klebsiella pneumoniae (42)", "80 (40)", "—"))
    assert positive.rows == (("Staphylococcus aureus (35)", "70 (35)"),)
    text = texts(document)
    assert "Espèces sous le seuil de 30 isolats (non présentées) : Pseudomonas aeruginosa (29)." in text
    assert "Pseudomonas aeruginosa (29)" not in " ".join(" ".join(r) for t in (negative, positive) for r in t.rows)


def test_a_year_without_a_species_of_30_isolates_says_so():
    answer = {"min_isolates": 30, "rows": [], "species_below_min": [{"species": "ESCCOL", "isolates": 12}]}
    text = texts(report(SUBJECT, answers(antibiogram=answer)))
    assert "Aucune espèce n'atteint 30 premiers isolats en 2025." in text


# Annex ---------------------------------------------------------------------------------------------


def test_the_methods_annex_names_the_aware_2023_classification_the_m39_rule_and_the_alerts_rule():
    antibiogram = {"rule": "premier-isolat-patient-espece-annee-m39", "min_isolates": 30, "rows": []}
    document = report(SUBJECT, answers(aware=aware_answer(61.0), antibiogram=antibiogram, alerts=alerts_answer([])))
    annex = texts(document).split("Annexe : méthodes", 1)[1]
    assert "Classification AWaRe | DDJ OMS ; classification AWaRe de l'OMS 2023" in annex
    assert "au moins 60 % des DDJ dans le groupe Accès" in annex
    assert "Antibiogramme cumulé | CLSI M39 (règle « premier-isolat-patient-espece-annee-m39 ») : premier isolat" in annex
    assert "tous prélèvements sauf dépistages" in annex
    assert "Alertes | Règle « alerts-v1 »" in annex
