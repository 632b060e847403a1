"""Dispatch the emulator's Lambda invocations in-process to the Chalice handlers.

moto would run Lambda code in Docker; here every invocation (S3 notification,
Step Functions task, direct invoke: an ``Event`` one queued, as Lambda does) calls
the Chalice handler of the same name in this process. This touches private methods
of moto, which is why moto is pinned exactly and ``tests/flows/test_lambda_hook.py``
guards the hook.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

logger = logging.getLogger("consores.local.lambda")

Dispatcher = Callable[[str, Any], Any]


class HookBroken(RuntimeError):
    """moto changed the private method the hook replaces."""


def install(dispatch: Dispatcher) -> None:
    from moto.awslambda import models

    if not hasattr(models.LambdaFunction, "_invoke_lambda"):
        raise HookBroken(
            "moto.awslambda.models.LambdaFunction._invoke_lambda has disappeared: the embedded runtime "
            "cannot dispatch Lambda invocations. Check the moto version pinned in requirements-dev.txt."
        )

    def invoke_in_process(self: Any, event: Any = None) -> tuple[str, bool, str]:
        payload = json.loads(event) if isinstance(event, str | bytes) else (event or {})
        if _from_s3(payload):
            # S3 invokes Lambda asynchronously: the upload's HTTP request must not
            # wait for the file to be processed.
            with _pending_lock:
                _pending.add(_background.submit(_run_logged, dispatch, self.function_name, payload))
            return json.dumps({"StatusCode": 202}), False, f"queued {self.function_name}"
        try:
            result = dispatch(self.function_name, payload)
        except Exception as error:
            logger.exception("in-process Lambda %s failed", self.function_name)
            body = {"errorMessage": str(error), "errorType": type(error).__name__}
            return json.dumps(body), True, traceback.format_exc()
        return json.dumps(result, default=str), False, f"in-process {self.function_name}"

    models.LambdaFunction._invoke_lambda = invoke_in_process  # type: ignore[method-assign]

    # moto's own, kept once (a second platform of the process installs the hook again).
    synchronous = models.LambdaFunction.__dict__.get("_moto_invoke", models.LambdaFunction.invoke)
    models.LambdaFunction._moto_invoke = synchronous  # type: ignore[attr-defined]

    def invoke(self: Any, body: Any, request_headers: Any, response_headers: Any) -> Any:
        """An ``Event`` invocation is queued, as Lambda does: the caller (an API request) does not wait for it."""
        if request_headers.get("x-amz-invocation-type") != "Event":
            return synchronous(self, body, request_headers, response_headers)
        payload = json.loads(body) if body else {}
        with _pending_lock:
            _pending.add(_background.submit(_run_logged, dispatch, self.function_name, payload))
        return ""

    models.LambdaFunction.invoke = invoke  # type: ignore[method-assign]


_background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lambda-async")
_pending: set[Future[None]] = set()
_pending_lock = threading.Lock()


def _from_s3(payload: Any) -> bool:
    records = payload.get("Records") if isinstance(payload, dict) else None
    return bool(records) and isinstance(records, list) and records[0].get("eventSource") == "aws:s3"


def _run_logged(dispatch: Dispatcher, function_name: str, payload: Any) -> None:
    try:
        dispatch(function_name, payload)
    except Exception:
        logger.exception("asynchronous in-process Lambda %s failed", function_name)


def drain(timeout: float = 120.0) -> None:
    """Wait until no asynchronous invocation is left, those queued meanwhile too: a request to process a file again
    queues its copy's "object created" event (tests, demo, shutdown)."""
    deadline = time.monotonic() + timeout
    while True:
        with _pending_lock:
            _pending.difference_update([f for f in _pending if f.done()])
            waiting = list(_pending)
        left = deadline - time.monotonic()
        if not waiting or left <= 0:
            return
        wait(waiting, timeout=left)


class LambdaContext:
    """The little of Lambda's context object that handlers use."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.memory_limit_in_mb = 3008
        self.aws_request_id = "local"
        self.invoked_function_arn = f"arn:aws:lambda:eu-west-3:123456789012:function:{function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def chalice_dispatcher(app: Any, handler_of: Callable[[str], str]) -> Dispatcher:
    """Route a function name to ``app.handler_map[<handler>]``."""

    def dispatch(function_name: str, event: Any) -> Any:
        handler = app.handler_map.get(handler_of(function_name))
        if handler is None:
            raise LookupError(f"no Chalice handler for Lambda function {function_name}")
        return handler(event, LambdaContext(function_name))

    return dispatch
