"""The deduplication workflow's task functions (Step Functions -> Lambda).

Each parses its payload (pointers and ids only), calls one task, and lets
errors propagate so that the state machine's Retry/Catch applies: transient
AWS failures surface as ``TransientError`` (retried with backoff), anything
else as itself (caught: the upload ends FAILED with a code).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict

from chalicelib.adapters.transient import is_transient
from chalicelib.bootstrap import services
from chalicelib.handlers.observability import log_keys

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
    results_key: str | None = None  # the lake's results file, written by the parallel branch
    branches: list[dict[str, Any]] | None = None  # a Parallel state's output, one per branch
    summary: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


def run_task(task: Callable[[dict[str, Any]], dict[str, Any]], payload: dict[str, Any]) -> dict[str, Any]:
    """Run one workflow task; transient AWS failures become ``TransientError`` (retried)."""
    try:
        return task(payload)
    except Exception as error:
        if is_transient(error):
            raise TransientError(type(error).__name__) from error
        raise


def register_tasks(
    blueprint: Blueprint, prefix: str, service: Callable[[], Any], tasks: Mapping[str, str], payload: type[BaseModel]
) -> None:
    """One Lambda function per workflow task, ``<prefix>_<name>`` as the state machines call it,
    running the service's method ``tasks[name]`` on the validated payload."""
    for name, method in tasks.items():

        def handler(event: dict[str, Any], context: Any, method: str = method, name: str = name) -> dict[str, Any]:
            message = payload.model_validate(event).model_dump(exclude_none=True)
            keys = {key: str(message[key]) for key in ("upload_id", "finess", "export_id", "year") if key in message}
            with log_keys(task=f"{prefix}_{name}", **keys):
                return run_task(getattr(service(), method), message)

        handler.__name__ = f"{prefix}_{name}"
        blueprint.lambda_function(name=handler.__name__)(handler)


DEDUPLICATION_TASKS = {
    task: task for task in (
        "pseudonymise", "deduplicate", "phenotypes", "publish_results", "prepare_isolates", "publish", "finish", "fail",
    )
}
register_tasks(bp, "wf", lambda: services().deduplication, DEDUPLICATION_TASKS, StepPayload)
