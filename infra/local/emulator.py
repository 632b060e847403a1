"""The AWS emulator (moto) on loopback, with a gate that lets the state be
snapshotted between requests, and Step Functions execution switched on.

Two gaps of the emulator are closed here, so that the embedded runtime behaves as
the cloud does:
- DynamoDB's conditional writes and transactions are atomic in AWS; moto checks
  the condition and writes without a lock, so two racing writers could both
  succeed. Writes to DynamoDB are serialised.
- moto's ``ListObjectVersions`` deep-copies every version of every object of the
  bucket (their content included) before filtering by prefix: each removal of
  one object cost time and memory in proportion to the whole bucket. It now
  copies only the objects under the prefix asked for.
- moto accepts any TOTP code, and every user shares its one secret: codes are checked
  against each user's own secret (``emulator_cognito.py``).

And one cost of the emulator's own, which AWS does not have: moto's server finds the
backend of each request under one lock for all, by listing its package's ~200 folders
from disk. It was a fifth of a dashboard's time; the backend of a host is now found once
(``RememberingDispatcher``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

import requests
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.s3.models import S3Backend
from werkzeug.serving import BaseWSGIServer, make_server

from infra.local.emulator_cognito import check_totp_codes

ACCOUNT_ID = "123456789012"


class QuietRequestHandler(MotoRequestHandler):
    """The emulator's access log is noise for a person running the platform."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class RememberingDispatcher(DomainDispatcherApplication):
    """moto's dispatcher, which finds the backend serving a host once, not at every request.

    moto's answer for a host depends only on the host (its list of modules and its URL patterns are
    fixed), and there are a handful of hosts (one per service and region): the first answer is kept.
    """

    def __init__(self, create_app: Callable[..., Any]) -> None:
        super().__init__(create_app)
        self._backends: dict[str | None, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        try:
            return self._backends[host]
        except KeyError:
            backend = self._backends[host] = super().get_backend_for_host(host)
            return backend


class SnapshotGate:
    """Writes run concurrently; a snapshot waits until none is in flight.

    Only requests that may change the emulator's state pass this gate: a read changes nothing, so a
    snapshot may be pickled while it runs. (A report being made reads the lake through DuckDB, a
    stream of overlapping range requests: gated, they held back every snapshot, so every API
    answer waiting for one, for as long as the report took.)

    A waiting snapshot goes first: a write arriving meanwhile waits for it, at most
    ``hold_seconds``, then enters anyway. Bounded, because a write may trigger another (an S3 event
    invoking a handler that writes): a write held behind a snapshot that waits for the write that
    triggered it must not wait for ever.
    """

    def __init__(self, hold_seconds: float = 5.0) -> None:
        self._cond = threading.Condition()
        self._active = 0
        self._hold_seconds = hold_seconds
        #: How many requests that may have changed the state have finished (see ``wrote``).
        self.generation = 0
        self._waiting = 0
        self._saving = False

    def enter(self) -> None:
        with self._cond:
            if self._waiting:
                self._cond.wait_for(lambda: not self._waiting and not self._saving, self._hold_seconds)
            while self._saving:
                self._cond.wait()
            self._active += 1

    def leave(self, wrote: bool = False) -> None:
        with self._cond:
            self._active -= 1
            if wrote:
                self.generation += 1
            self._cond.notify_all()

    def quiet(self, action: Callable[[], Any]) -> Any:
        with self._cond:
            self._waiting += 1
            try:
                self._cond.wait_for(lambda: not self._active)
                self._saving = True
            finally:
                self._waiting -= 1
        try:
            return action()
        finally:
            with self._cond:
                self._saving = False
                self._cond.notify_all()


class Emulator:
    """moto's server in a thread of this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.gate = SnapshotGate()
        self._host = host
        self._port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://{self._host}:{self._server.server_port}"

    def start(self) -> None:
        moto_app = RememberingDispatcher(create_backend_app)
        gate = self.gate

        narrow_object_versions()
        check_totp_codes()

        def gated(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            if is_invocation(environ):
                # A Lambda invocation runs one of our handlers in this process for as long as its work
                # takes (a workflow task: an annotated report of 200,000 rows takes a minute); what it
                # changes passes this gate request by request. Held in the gate, it would hold back
                # every snapshot, so every API answer waiting for one (durable()).
                return list(moto_app(environ, start_response))
            if not may_write(environ):
                return list(moto_app(environ, start_response))
            gate.enter()
            try:
                if str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB_") or is_conditional_put(environ):
                    with _CONDITIONAL_WRITES:
                        return list(moto_app(environ, start_response))
                # Materialise the body inside the gate: moto builds it lazily.
                return list(moto_app(environ, start_response))
            finally:
                gate.leave(wrote=True)

        self._server = make_server(self._host, self._port, gated, threaded=True, request_handler=QuietRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="emulator", daemon=True)
        self._thread.start()
        # moto's Step Functions interpreter calls Lambda at localhost:$MOTO_PORT.
        self._previous_port = os.environ.get("MOTO_PORT")
        os.environ["MOTO_PORT"] = str(self._server.server_port)
        answer = requests.post(self.url + "/moto-api/config", json={"stepfunctions": {"execute_state_machine": True}}, timeout=10)
        answer.raise_for_status()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if getattr(self, "_previous_port", None):
            os.environ["MOTO_PORT"] = self._previous_port  # type: ignore[assignment]


#: Requests that only read, by their X-Amz-Target (DynamoDB, Step Functions, Cognito): anything else
#: but GET and HEAD may have changed the state (counting too many only costs a snapshot).
_READS = (
    "GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems", "DescribeTable", "ListTables",
    "DescribeTimeToLive", "DescribeExecution", "ListExecutions", "GetExecutionHistory", "DescribeStateMachine",
    "AdminGetUser", "GetUser", "ListUsers", "DescribeUserPool", "DescribeUserPoolClient",
)  # fmt: skip


def may_write(environ: dict[str, Any]) -> bool:
    if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        # moto also takes the query protocol's ``?Action=`` on a GET (SendMessage, SendEmail…): a write.
        return "Action=" in str(environ.get("QUERY_STRING", ""))
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    return not target or target.rsplit(".", 1)[-1] not in _READS


#: One DynamoDB write or conditional S3 write at a time: a condition and its write are one step, as in
#: AWS (moto checks, then writes).
_CONDITIONAL_WRITES = threading.Lock()


def is_conditional_put(environ: dict[str, Any]) -> bool:
    """An S3 PutObject written only if absent (``If-None-Match: *``) or unchanged (``If-Match``)."""
    return environ.get("REQUEST_METHOD") == "PUT" and bool(environ.get("HTTP_IF_NONE_MATCH") or environ.get("HTTP_IF_MATCH"))


class _UnderPrefix:
    """A bucket's keys as ``list_object_versions`` iterates them, only those under ``prefix``."""

    def __init__(self, keys: Any, prefix: str) -> None:
        self._keys, self._prefix = keys, prefix

    def iterlists(self) -> Iterable[tuple[str, list[Any]]]:
        return ((name, versions) for name, versions in self._keys.iterlists() if name.startswith(self._prefix))


class _Narrowed:
    """The backend as ``list_object_versions`` sees it: its bucket's keys narrowed to the prefix."""

    def __init__(self, backend: Any, prefix: str) -> None:
        self._backend, self._prefix = backend, prefix

    def get_bucket(self, name: str) -> Any:
        bucket = self._backend.get_bucket(name)
        view = type("BucketUnderPrefix", (), {})()
        view.keys = _UnderPrefix(bucket.keys, self._prefix)
        return view


def narrow_object_versions() -> None:
    """Copy only the versions under the prefix asked for (the same answer: the others were filtered after)."""
    original = S3Backend.list_object_versions
    if getattr(original, "narrowed", False):
        return

    def list_object_versions(self: Any, bucket_name: str, *args: Any, **kwargs: Any) -> Any:
        prefix = kwargs.get("prefix") or (args[3] if len(args) > 3 else "")
        if not prefix:
            return original(self, bucket_name, *args, **kwargs)
        return original(_Narrowed(self, prefix), bucket_name, *args, **kwargs)  # type: ignore[arg-type]

    list_object_versions.narrowed = True  # type: ignore[attr-defined]
    S3Backend.list_object_versions = list_object_versions  # type: ignore[method-assign]


def is_invocation(environ: dict[str, Any]) -> bool:
    """A Lambda Invoke (``POST /2015-03-31/functions/<name>/invocations``), dispatched in-process."""
    path = str(environ.get("PATH_INFO", ""))
    return environ.get("REQUEST_METHOD") == "POST" and path.startswith("/2015-03-31/functions/") and path.endswith("/invocations")
