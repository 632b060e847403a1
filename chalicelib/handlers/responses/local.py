"""Answers of the embedded runtime's own routes (handlers/local.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.handlers.responses.base import Answer


class Mail(Answer):
    to: str
    subject: str
    body: str
    sent_at: str


class JobRun(Answer):
    job: str
    #: What the scheduled task reports (its own summary).
    result: Any
