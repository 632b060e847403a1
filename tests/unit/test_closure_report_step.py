"""The closure workflow's report step (infra/statemachines/closure.asl.json, both runtimes): made after
the period is closed, retried, then reported; whatever happens to it, the members are notified and the
closure is never aborted (DOMAIN.md §10.8: the report never blocks or undoes the closure)."""

from __future__ import annotations

import json
from pathlib import Path

from infra.resources import CLOSURE_TASKS

DEFINITION = json.loads((Path(__file__).resolve().parents[2] / "infra/statemachines/closure.asl.json").read_text())
STATES = DEFINITION["States"]


def successors(name: str) -> set[str]:
    state = STATES[name]
    found = {state["Next"]} if "Next" in state else set()
    found |= {c["Next"] for c in state.get("Catch", [])}
    found |= {c["Next"] for c in state.get("Choices", [])}
    found |= {state["Default"]} if "Default" in state else set()
    return found


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(successors(name))
    return seen


def test_the_report_is_made_once_the_period_is_closed_then_mailed_before_the_closure_notice():
    assert STATES["Close"]["Next"] == "Report"
    assert STATES["Report"]["Next"] == "ReportMail" and STATES["ReportMail"]["Next"] == "Notify"


def test_a_failed_report_is_retried_then_reported_and_the_members_still_notified():
    assert STATES["Report"]["Retry"][0]["ErrorEquals"] == ["States.ALL"] and STATES["Report"]["Retry"][0]["MaxAttempts"] >= 2
    assert [c["Next"] for c in STATES["Report"]["Catch"]] == ["ReportFailed"]
    assert STATES["ReportFailed"]["Next"] == "Notify"


def test_nothing_after_the_closure_can_abort_it():
    assert {"Abort", "NotClosed"}.isdisjoint(reachable("Report"))
    # A notice that cannot be sent ends the execution as failed, the period closed all the same.
    assert reachable("Report") == {"Report", "ReportMail", "ReportFailed", "Notify", "MembersNotNotified"}
    assert STATES["MembersNotNotified"]["Type"] == "Fail" and "closed" in STATES["MembersNotNotified"]["Cause"]


def test_every_report_task_is_a_function_of_the_closure_machine():
    tasks = {s["Resource"].strip("${}") for s in STATES.values() if s["Type"] == "Task"}
    assert tasks == set(CLOSURE_TASKS)
    assert {CLOSURE_TASKS[t] for t in ("ReportArn", "ReportMailArn", "ReportFailedArn")} == {
        "cl_report", "cl_report_mail", "cl_report_failed",
    }  # fmt: skip
