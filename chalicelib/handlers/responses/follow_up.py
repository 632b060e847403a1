"""Answers of the follow-up: alerts, completeness and each year's campaign (handlers/alerts.py, follow_up.py)."""

from __future__ import annotations

from chalicelib.domain.alerts import AlertKind, AlertStatus
from chalicelib.domain.completeness import DatasetState
from chalicelib.handlers.responses.base import Answer


class Alert(Answer):
    alert_id: str
    finess: str
    kind: AlertKind
    kind_label: str
    phenotype: str
    species: str
    species_name: str
    #: The specimen category's code.
    specimen: str
    specimen_date: str
    created_at: str
    status: AlertStatus
    year: int
    #: Once the establishment wrote one.
    comment: str | None = None
    #: Once acknowledged.
    updated_at: str | None = None


class AlertKindCount(Answer):
    kind: AlertKind
    label: str
    count: int


class AlertCounts(Answer):
    total: int
    #: Every kind, zeros included.
    by_kind: list[AlertKindCount]
    #: Only the statuses found.
    by_status: dict[str, int]


class CompletenessRow(Answer):
    finess: str
    name: str
    region: str
    category: str
    #: Each file type, then each period, its state.
    datasets: dict[str, dict[str, DatasetState]]


class Reminder(Answer):
    day: int
    finess: str
    name: str
    sent_at: str
    recipients: int


class Campaign(Answer):
    year: int
    #: null until set.
    deadline: str | None
    reminder_days: list[int]
    set_by: str | None = None
    set_at: str | None = None
    reminders: list[Reminder]
