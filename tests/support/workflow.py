"""The deduplication workflow's tasks run in order, as its state machine hands messages from one to the next."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from chalicelib.services.deduplication import DeduplicationWorkflow
from chalicelib.services.deduplication_messages import Message, Step

ASL = Path(__file__).resolve().parents[2] / "infra" / "statemachines" / "deduplication.asl.json"
#: The tasks of the workflow, one after the other, but the results file and the prepared columns (``publish`` writes them).
IN_ORDER = ("pseudonymise", "deduplicate", "phenotypes", "publish", "finish")


def run_tasks(workflow: DeduplicationWorkflow, start: dict[str, Any], tasks: Sequence[str] = IN_ORDER) -> Message:
    """``tasks`` in order from the workflow's start (as JSON), each given the message the one before answered."""
    message: Message = Step.model_validate(start)
    for task in tasks:
        message = getattr(workflow, task)(message)
    return message


def runner(workflow: Callable[[], DeduplicationWorkflow], tasks: Sequence[str] = IN_ORDER) -> Callable[[dict[str, Any]], Any]:
    """A fake ``Workflows.runner`` running ``tasks`` at once when the workflow starts."""
    return lambda start: run_tasks(workflow(), start, tasks)


def parallel_output(branches: Sequence[Message]) -> dict[str, Any]:
    """What the state machine's Parallel state hands on (as JSON), given its branches' last messages: their list
    in place of its input (ResultPath ``$``), of which its OutputPath (``$[branch]`` only) keeps one."""
    state = json.loads(ASL.read_text())["States"]["Prepare"]
    assert state["Type"] == "Parallel" and state["ResultPath"] == "$" and "ResultSelector" not in state
    matched = re.fullmatch(r"\$\[(\d+)\]", state["OutputPath"])
    assert matched is not None, state["OutputPath"]
    kept = int(matched[1])
    assert state["Branches"][kept]["StartAt"] == "PublishResults"  # the branch that names the results file
    return branches[kept].to_wire()
