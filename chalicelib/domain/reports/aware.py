"""The AWaRe shares in the report (DOMAIN.md §10.10): the DDD of each group of WHO's classification
(Access, Watch, Reserve, not classified) over all antibiotic DDD, WHO's goal (at least 60 % Access)
stated with whether it is met, and the Access share year by year. Read from the ``aware_share``
answers (``aware``: every group of the year; ``aware_trend``: the Access share of each year)."""

from __future__ import annotations

from chalicelib.domain.reports import french
from chalicelib.domain.reports.facts import Answer, Answers, Row
from chalicelib.domain.reports.model import Block, Heading, Paragraph, Table

#: WHO's English names of the groups, beside the French ones the answer gives.
ENGLISH = {"access": "Access", "watch": "Watch", "reserve": "Reserve", "not_classified": "Not classified"}


def shares(facts: Answers) -> list[Block]:
    """The year's groups, the goal and the Access share's trend (nothing when the year has no DDD)."""
    answer = facts.answer("aware")
    blocks: list[Block] = [Heading("Classification AWaRe de l'OMS")]
    if "error" in answer:
        return [*blocks, Paragraph(str(answer["error"]), "notice")]
    rows = facts.rows("aware")
    if not rows or all(r.get("value") is None for r in rows):
        return [*blocks, Paragraph(f"Aucune consommation d'antibiotiques classable en {facts.year}.", "notice")]
    table = Table(
        ("Groupe AWaRe", "DDJ", "Part des DDJ"),
        tuple((_name(r), french.count(r.get("numerator")), french.percent(r.get("value"))) for r in rows),
        widths=(3, 1.4, 1.4),
    )
    return [*blocks, table, Paragraph(goal_sentence(answer)), *_trend(facts)]


def access_row(answer: Answer) -> Row | None:
    """The row of the group the goal is about (Access)."""
    wanted = (answer.get("goal") or {}).get("aware", "access")
    return next((r for r in answer.get("rows") or [] if r.get("aware") == wanted), None)


def goal_met(answer: Answer) -> bool | None:
    """Whether the Access share reaches WHO's goal (None: no goal or no value)."""
    goal, row = answer.get("goal") or {}, access_row(answer)
    if goal.get("min") is None or row is None or row.get("value") is None:
        return None
    return float(row["value"]) >= float(goal["min"])


def goal_sentence(answer: Answer) -> str:
    goal, row = answer.get("goal") or {}, access_row(answer) or {}
    met = goal_met(answer)
    said = str(goal.get("label") or "Objectif de l'OMS : au moins 60 % des DDJ dans le groupe Accès")
    if met is None:
        return f"{said} : non évaluable pour l'année."
    verdict = "l'objectif est atteint" if met else "l'objectif n'est pas atteint"
    return f"{said}. Avec {french.percent(row.get('value'))} des DDJ dans le groupe Accès, {verdict}."


def goal_status(answer: Answer) -> str:
    """The goal in a few words, for the key figures."""
    met = goal_met(answer)
    minimum = (answer.get("goal") or {}).get("min", 60)
    if met is None:
        return f"Objectif OMS (≥ {minimum}{french.NNBSP}% Accès) non évaluable"
    return f"Objectif OMS (≥ {minimum}{french.NNBSP}% Accès) {'atteint' if met else 'non atteint'}"


def _name(row: Row) -> str:
    label, code = str(row.get("label") or row.get("aware") or ""), str(row.get("aware") or "")
    return f"{label} ({ENGLISH[code]})" if code in ENGLISH and ENGLISH[code] != label else label


def _trend(facts: Answers) -> list[Block]:
    values = facts.trend_values("aware_trend")
    if not any(v is not None for v in values):
        return []
    return [
        Table(
            ("Année", *(str(y) for y in facts.years)),
            (("Part du groupe Accès", *(french.percent(v) for v in values)),),
            caption="Part du groupe Accès dans les DDJ, année par année",
        )
    ]
