"""Workflows on AWS Step Functions."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError


class StepFunctionsWorkflows:
    def __init__(self, sfn_client: Any, deduplication_arn: str, closure_arn: str, ears_net_arn: str = "",
                 annotated_report_arn: str = "", report_generation_arn: str = "") -> None:  # fmt: skip
        self._sfn = sfn_client
        self._dedup = deduplication_arn
        self._closure = closure_arn
        self._ears_net = ears_net_arn
        self._annotated_report = annotated_report_arn
        self._report_generation = report_generation_arn

    def start_deduplication(self, name: str, payload: dict[str, Any]) -> str:
        return self._start(self._dedup, name, payload)

    def start_closure(self, name: str, payload: dict[str, Any]) -> str:
        return self._start(self._closure, name, payload)

    def start_ears_net_export(self, name: str, payload: dict[str, Any]) -> str:
        return self._start(self._ears_net, name, payload)

    def start_annotated_report(self, name: str, payload: dict[str, Any]) -> str:
        return self._start(self._annotated_report, name, payload)

    def start_report_generation(self, name: str, payload: dict[str, Any]) -> str:
        return self._start(self._report_generation, name, payload)

    def _start(self, machine: str, name: str, payload: dict[str, Any]) -> str:
        try:
            answer = self._sfn.start_execution(stateMachineArn=machine, name=name[:80], input=json.dumps(payload))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ExecutionAlreadyExists":
                return f"{machine.replace(':stateMachine:', ':execution:')}:{name[:80]}"
            raise
        return str(answer["executionArn"])
