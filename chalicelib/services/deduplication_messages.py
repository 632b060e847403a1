"""The deduplication workflow's messages: what its tasks take and give back (ids and pointers, never patient data).

Step Functions carries them as JSON (``to_wire``); the task functions validate them into these models and the
workflow's tasks take and return the models. The state machine shapes what it hands on
(``infra/statemachines/deduplication.asl.json``): the Parallel state's output is a ``Step`` naming the results
file its branch wrote, and a caught error reaches ``fail`` as the failed state's input with ``error``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def to_wire(self) -> dict[str, Any]:
        """The message as the state machine carries it: JSON, absent fields left out."""
        return self.model_dump(mode="json", exclude_none=True)


class Step(Message):
    """The input of a task, and the output of each but the last ones: the upload and a pointer."""

    finess: str
    upload_id: str
    period: str
    raw_work_key: str | None = None  # the raw identifiers' object (raw bucket), at the start only
    work_key: str | None = None  # the object the task before wrote
    results_key: str | None = None  # the lake's results file, written by its branch (``publish_results``)


class Published(Step):
    """``publish``'s output: the counts the report keeps."""

    summary: dict[str, Any]


class Failure(Step):
    """``fail``'s input: the failed state's input, with the error Step Functions caught (``Error``, ``Cause``)."""

    summary: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class Finished(Message):
    """The last task's output: the upload's final status."""

    finess: str
    upload_id: str
    status: str
