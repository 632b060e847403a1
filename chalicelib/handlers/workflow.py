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
from pydantic import BaseModel

from chalicelib.adapters.transient import is_transient
from chalicelib.bootstrap import services
from chalicelib.handlers.observability import log_keys
from chalicelib.services.deduplication_messages import Failure, Message, Published, Step

bp = Blueprint(__name__)


class TransientError(Exception):
    """Worth retrying: the state machine's Retry names this error."""


def run_task(task: Callable[[], Any]) -> Any:
    """Run one workflow task; transient AWS failures become ``TransientError`` (retried)."""
    try:
        return task()
    except Exception as error:
        if is_transient(error):
            raise TransientError(type(error).__name__) from error
        raise


def _lambda(blueprint: Blueprint, name: str, run: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """The Lambda function ``name`` running ``run`` on its event, logged with the event's keys."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        keys = {key: str(event[key]) for key in ("upload_id", "finess", "export_id", "year") if event.get(key) is not None}
        with log_keys(task=name, **keys):
            return run(event)

    handler.__name__ = name
    blueprint.lambda_function(name=name)(handler)


def register_tasks(
    blueprint: Blueprint, prefix: str, service: Callable[[], Any], tasks: Mapping[str, str], payload: type[BaseModel]
) -> None:
    """One Lambda function per workflow task, ``<prefix>_<name>`` as the state machines call it,
    running the service's method ``tasks[name]`` on the validated payload, as a dict."""
    for name, method in tasks.items():

        def run(event: dict[str, Any], method: str = method) -> dict[str, Any]:
            message = payload.model_validate(event).model_dump(exclude_none=True)
            answer: dict[str, Any] = run_task(lambda: getattr(service(), method)(message))
            return answer

        _lambda(blueprint, f"{prefix}_{name}", run)


def register_message_tasks(
    blueprint: Blueprint, prefix: str, service: Callable[[], Any], tasks: Mapping[str, type[Message]]
) -> None:
    """One Lambda function per workflow task, ``<prefix>_<name>`` as the state machines call it, running the
    service's method ``name`` on its message (validated by the task's model); the message it answers, as JSON."""
    for name, model in tasks.items():

        def run(event: dict[str, Any], name: str = name, model: type[Message] = model) -> dict[str, Any]:
            message = model.model_validate(event)
            answer: Message = run_task(lambda: getattr(service(), name)(message))
            return answer.to_wire()

        _lambda(blueprint, f"{prefix}_{name}", run)


#: Each task of the deduplication workflow, and the message it takes (the state machine shapes ``publish``'s).
DEDUPLICATION_TASKS: dict[str, type[Message]] = {
    "pseudonymise": Step,
    "deduplicate": Step,
    "phenotypes": Step,
    "publish_results": Step,
    "prepare_isolates": Step,
    "publish": Step,
    "finish": Published,
    "fail": Failure,
}
register_message_tasks(bp, "wf", lambda: services().deduplication, DEDUPLICATION_TASKS)
