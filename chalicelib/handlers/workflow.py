"""The deduplication workflow's task functions (Step Functions -> Lambda).

Each parses its payload (pointers and ids only), calls one task, and lets
errors propagate so that the state machine's Retry/Catch applies: transient
AWS failures surface as ``TransientError`` (retried with backoff), anything
else as itself (caught: the upload ends FAILED with a code).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict

from chalicelib.adapters.transient import is_transient
from chalicelib.bootstrap import services

bp = Blueprint(__name__)


class TransientError(Exception):
    """Worth retrying: the state machine's Retry names this error."""


class StepPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finess: str
    upload_id: str
    period: str
    raw_work_key: str | None = None
    work_key: str | None = None
    summary: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


def _run(task: Callable[[dict[str, Any]], dict[str, Any]], event: dict[str, Any]) -> dict[str, Any]:
    return run_task(task, StepPayload.model_validate(event).model_dump(exclude_none=True))


def run_task(task: Callable[[dict[str, Any]], dict[str, Any]], payload: dict[str, Any]) -> dict[str, Any]:
    """Run one workflow task; transient AWS failures become ``TransientError`` (retried)."""
    try:
        return task(payload)
    except Exception as error:
        if is_transient(error):
            raise TransientError(type(error).__name__) from error
        raise


@bp.lambda_function(name="wf_pseudonymise")
def wf_pseudonymise(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _run(services().deduplication.pseudonymise, event)


@bp.lambda_function(name="wf_deduplicate")
def wf_deduplicate(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _run(services().deduplication.deduplicate, event)


@bp.lambda_function(name="wf_phenotypes")
def wf_phenotypes(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _run(services().deduplication.phenotypes, event)


@bp.lambda_function(name="wf_publish")
def wf_publish(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _run(services().deduplication.publish, event)


@bp.lambda_function(name="wf_finish")
def wf_finish(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _run(services().deduplication.finish, event)


@bp.lambda_function(name="wf_fail")
def wf_fail(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _run(services().deduplication.fail, event)
