"""Step Functions executions across a stop of the embedded runtime.

In the cloud an execution outlives any machine. The emulator keeps its executions in
memory only (they hold running threads: not in the snapshot), so an execution cut by
a stop or a kill -9 would die with the process: a closure left "closing" for ever, a
year without its report. Hence every snapshot names the executions running when it
was taken (``running``), and the next start runs each again from its first state
(``resume``): every task is idempotent, as Step Functions' retries require, so a run
again is one more retry.

Except the antibiograms' deduplication: an import cut in the middle is the sweeper's
(``UploadSweeper.sweep(interrupted=True)``), which settles its upload at each start.
"""

from __future__ import annotations

import logging
import time

from moto.stepfunctions.parser.models import stepfunctions_parser_backends

from infra.local import provision
from infra.local.emulator import ACCOUNT_ID

logger = logging.getLogger("consores.local")

#: Workflows whose cut executions are not run again (see the module's docstring).
SETTLED_ELSEWHERE = frozenset({"deduplication"})


def running(prefix: str) -> list[dict[str, str]]:
    """The executions running now, read in this process (a snapshot is taken while the emulator is
    quiet, so never through it): ``{"machine", "name", "input"}`` each."""
    backend = stepfunctions_parser_backends[ACCOUNT_ID][provision.REGION]
    found = []
    for machine in list(backend.state_machines):
        if not machine.name.startswith(prefix + "-"):
            continue
        for execution in list(getattr(machine, "executions", [])):
            if execution.exec_status is not None and execution.status == "RUNNING":
                found.append(
                    {"machine": machine.name[len(prefix) + 1 :], "name": execution.name, "input": execution.execution_input}
                )
    return found


def resume(endpoint: str, prefix: str, interrupted: list[dict[str, str]]) -> int:
    """Run again, under their names (the emulator forgot them), the executions a stop cut; how many."""
    sfn = provision.client("stepfunctions", endpoint)
    machines = {m["name"]: m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]}
    resumed = 0
    for execution in interrupted:
        arn = machines.get(f"{prefix}-{execution['machine']}")
        if execution["machine"] in SETTLED_ELSEWHERE or arn is None:
            continue
        try:
            sfn.start_execution(stateMachineArn=arn, name=execution["name"], input=execution["input"])
        except Exception:  # never keeps the platform from starting: logged, and the sweeps settle the rest
            logger.exception("could not run again the cut execution %s/%s", execution["machine"], execution["name"])
            continue
        resumed += 1
    if resumed:
        logger.warning("%d workflow execution(s) cut by the previous stop run again from their first step", resumed)
    return resumed


def settle(endpoint: str, deadline: float) -> list[str]:
    """Wait (until ``deadline``, a ``time.monotonic()``) for the running executions to end, so that
    none is cut in the middle of a query; the names of those still running then (run again at the
    next start)."""
    sfn = provision.client("stepfunctions", endpoint)
    still: list[str] = []
    try:
        machines = [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]]
        while True:
            still = [
                e["name"]
                for arn in machines
                for e in sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
            ]
            if not still or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
    except Exception:  # the emulator already gone: nothing left to wait for
        logger.warning("running workflows not settled before stopping", exc_info=True)
    if still:
        logger.warning("stopping with %d workflow execution(s) running: run again at the next start", len(still))
    return still
