"""No workflow fails silently: every task retries, and a failure it cannot overcome leads somewhere
(a compensating step, or a Fail state that says what is left), never out of the definition."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.resources import STATE_MACHINES

DEFINITIONS = Path(__file__).resolve().parents[2] / "infra" / "statemachines"


def definition(machine: str) -> dict[str, Any]:
    return dict(json.loads((DEFINITIONS / STATE_MACHINES[machine]).read_text()))


def tasks(states: dict[str, Any], enclosing_catch: bool = False) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Each Task, and whether a Parallel or Map state holding it catches what its branch lets through."""
    for name, state in states["States"].items():
        if state["Type"] == "Task":
            yield name, state, enclosing_catch
        inner = [*state.get("Branches", []), *(state[key] for key in ("ItemProcessor", "Iterator") if key in state)]
        for branch in inner:
            yield from tasks(branch, enclosing_catch or bool(state.get("Catch")))


def scopes(states: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The definition and each of its branches: a Catch leads to a state of its own scope."""
    yield states
    for state in states["States"].values():
        for branch in [*state.get("Branches", []), *(state[key] for key in ("ItemProcessor", "Iterator") if key in state)]:
            yield from scopes(branch)


@pytest.mark.parametrize("machine", sorted(STATE_MACHINES))
def test_every_task_retries(machine: str) -> None:
    for name, state, _ in tasks(definition(machine)):
        assert state.get("Retry"), f"{machine}: {name} has no Retry"


@pytest.mark.parametrize("machine", sorted(STATE_MACHINES))
def test_every_task_catches_what_it_cannot_overcome_or_its_branch_does(machine: str) -> None:
    """A Task inside a Parallel or Map state is caught by that state when its branch fails."""
    for name, state, caught_around in tasks(definition(machine)):
        assert state.get("Catch") or caught_around, f"{machine}: {name} has no Catch"


@pytest.mark.parametrize("machine", sorted(STATE_MACHINES))
def test_every_catch_catches_everything_and_leads_to_a_state_of_its_scope(machine: str) -> None:
    for scope in scopes(definition(machine)):
        for name, state in scope["States"].items():
            for catch in state.get("Catch", []):
                assert "States.ALL" in catch["ErrorEquals"], f"{machine}: {name}"
                assert catch["Next"] in scope["States"], f"{machine}: {name} catches into {catch['Next']}"


@pytest.mark.parametrize("machine", sorted(STATE_MACHINES))
def test_every_fail_state_says_what_failed_and_what_is_left(machine: str) -> None:
    for scope in scopes(definition(machine)):
        for name, state in scope["States"].items():
            if state["Type"] == "Fail":
                assert state.get("Error") and state.get("Cause"), f"{machine}: {name}"


def successors(state: dict[str, Any]) -> set[str]:
    found = {state.get("Next"), state.get("Default"), *(choice.get("Next") for choice in state.get("Choices", []))}
    return {name for name in found | {catch["Next"] for catch in state.get("Catch", [])} if name}


def first_loop(states: dict[str, Any], name: str, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    if name in path:
        return (*path, name)
    for following in successors(states[name]):
        if loop := first_loop(states, following, (*path, name)):
            return loop
    return None


@pytest.mark.parametrize("machine", sorted(STATE_MACHINES))
def test_a_failure_never_loops_back(machine: str) -> None:
    """Following Next, Default, Choices and Catch never returns to a state: a compensating step that
    fails ends the execution instead of compensating again."""
    for scope in scopes(definition(machine)):
        assert first_loop(scope["States"], scope["StartAt"]) is None, machine
