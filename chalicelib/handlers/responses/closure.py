"""Answers of the periods and their closure (handlers/closure.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.handlers.responses.base import Answer

PeriodState = Literal["open", "closing", "closed"]


class PeriodOfYear(Answer):
    period: str
    #: The file types it holds.
    datasets: list[str]
    status: PeriodState


class PeriodChange(Answer):
    period: str
    status: PeriodState
