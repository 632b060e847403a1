"""One port for everything: the API through Chalice's local gateway under
``/api``, and the built web client (``web/dist``) everywhere else."""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalDevServer, RouteMatcher

from chalicelib.domain.errors import unknown_route_document
from infra.local import s3_gate

NOT_BUILT = (
    b"<!doctype html><html lang='fr'><meta charset='utf-8'><title>ConsoRes</title>"
    b"<p>Le client web n'est pas encore construit : lancez <code>make run</code>.</p></html>"
)


S3_PREFIX = "/_s3"
#: The largest upload limit (antibiograms) and room for the form's fields.
MAX_FORWARDED_BYTES = 251 * 1024 * 1024
#: Uploads read at once through /_s3 (each held in memory while it is checked).
UPLOADS_AT_ONCE = 2


def handler_class(
    static_dir: Path,
    emulator_url: str,
    secret: str,
    durable: Callable[[], bool] = lambda: True,
    allowed_hosts: frozenset[str] = frozenset(),
    routes: Mapping[str, Collection[str]] | None = None,
) -> type[ChaliceRequestHandler]:
    """``secret``: the key the app presigns with (the runtime's own credentials); ``durable``
    returns once what the emulator has done is saved: every answer of the API and every
    upload waits for it, so nothing acknowledged is lost in a crash. ``routes``: the app's paths and their
    methods; a path outside them, or a method a path does not have, answers 404 in the errors' French shape
    (as the cloud's gateway response does: API Gateway knows neither)."""
    root = static_dir.resolve()
    matcher = RouteMatcher(list(routes)) if routes else None
    unknown_route = json.dumps(unknown_route_document(), ensure_ascii=False).encode()
    internal_host = urlsplit(emulator_url).netloc
    uploading = threading.BoundedSemaphore(UPLOADS_AT_ONCE)

    class Handler(ChaliceRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _static(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            target = (root / path.lstrip("/")).resolve()
            if not str(target).startswith(str(root)) or not target.is_file():
                target = root / "index.html"  # the client routes itself
            if target.is_file():
                body, content_type = target.read_bytes(), mimetypes.guess_type(str(target))[0] or "application/octet-stream"
                cache = "no-cache" if target.name == "index.html" else "public, max-age=31536000, immutable"
            else:
                body, content_type, cache = NOT_BUILT, "text/html", "no-cache"
            if content_type.startswith("text/") or content_type in {"application/javascript", "image/svg+xml"}:
                content_type += "; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _s3(self) -> None:
            """The emulator's S3 under this origin, so a browser can POST uploads
            without cross-origin rules (in the cloud the bucket has CORS). Only what
            the app presigned passes (``s3_gate``): the emulator checks nothing, and it
            is given the form as checked, rebuilt, never the bytes received."""
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                self._refuse(411, "Envoi refusé : longueur du fichier attendue.")
                return
            declared = self.headers.get("Content-Length") or "0"
            if not declared.isdigit():
                self.close_connection = True
                self._refuse(400, "Envoi refusé : longueur invalide.")
                return
            length = int(declared)
            if length > MAX_FORWARDED_BYTES:
                self.close_connection = True
                self._refuse(413, "Fichier trop volumineux.")
                return
            s3_path = self.path[len(S3_PREFIX) :]
            forwarded: dict[str, str] = {}
            body: bytes | None = None
            with uploading:  # a few at a time: each holds its file in memory
                body = self.rfile.read(length) if length else b""
                try:
                    if self.command == "GET" and not length:
                        s3_gate.check_get(s3_path, internal_host, secret, datetime.now(UTC))
                        body = None
                    elif self.command == "POST" and s3_path.count("/") == 1 and "?" not in s3_path:
                        content_type = self.headers.get("Content-Type") or ""
                        checked_type, body = s3_gate.check_post(s3_path.strip("/"), content_type, body, secret, datetime.now(UTC))
                        forwarded = {"Content-Type": checked_type, "Content-Length": str(len(body))}
                    else:
                        raise s3_gate.Refused("Accès refusé.")
                except s3_gate.Refused as refusal:
                    self._refuse(403, str(refusal))
                    return
                answer = requests.request(self.command, emulator_url + s3_path, data=body, headers=forwarded, timeout=120)
            if self.command == "POST":
                durable()  # the browser is told the file arrived once it is saved
            self.send_response(answer.status_code)
            for name in ("Content-Type", "Content-Disposition", "ETag", "Location", "x-amz-version-id"):
                if name in answer.headers:
                    self.send_header(name, answer.headers[name])
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.content)

        def _send_http_response(self, code: int, headers: Any, body: Any) -> None:  # the API's answers
            durable()
            super()._send_http_response(code, headers, body)

        def _refuse(self, status: int, message: str) -> None:
            self._answer(status, message.encode(), "text/plain")

        def _answer(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _known(self, method: str, path: str) -> bool:
            if matcher is None or routes is None:
                return True
            try:
                found = matcher.match_route(path)
            except ValueError:
                return False
            return method == "OPTIONS" or method in routes[found.route]  # a preflight: Chalice's own answer

        def _route(self) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
            if allowed_hosts and host not in allowed_hosts:
                # A page of another site reaching this port through its own name (DNS rebinding)
                # never talks to the API or the S3 path.
                self._refuse(421, "Hôte non autorisé.")
                return
            if self.path == "/api" or self.path.startswith("/api/"):
                # The app throttles per client by API Gateway's sourceIp: here, this connection's peer
                # (Chalice's local gateway would say 127.0.0.1 for everyone).
                self.local_gateway.event_converter.LOCAL_SOURCE_IP = self.client_address[0]
                if not self._known(self.command, self.path):
                    self.close_connection = True  # its body, if any, is never read
                    self._answer(404, unknown_route, "application/json")
                    return
                self._generic_handle()  # concurrently: the app keeps each thread's request apart
            elif self.path.startswith(S3_PREFIX + "/"):
                self._s3()
            elif self.command in {"GET", "HEAD"}:
                self._static()
            else:
                self.send_error(405)

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _route

    return Handler


def per_thread_requests(app: Any) -> None:
    """Make ``app`` keep the request it handles per thread.

    Chalice keeps the request being handled in one attribute of the app (a Lambda
    handles one request at a time); the local server answers on several threads at
    once, so each thread gets its own ``current_request`` and ``lambda_context``, and
    a long request (a large report) never holds the others back.
    """
    if getattr(type(app), "per_thread_requests", False):
        return
    local = threading.local()

    def attribute(name: str) -> property:
        def get(_self: Any) -> Any:
            return getattr(local, name, None)

        def put(_self: Any, value: Any) -> None:
            setattr(local, name, value)

        return property(get, put)

    per_thread = type(
        f"PerThread{type(app).__name__}",
        (type(app),),
        {
            "per_thread_requests": True,
            "current_request": attribute("current_request"),
            "lambda_context": attribute("lambda_context"),
        },
    )
    for name in ("current_request", "lambda_context"):
        app.__dict__.pop(name, None)
    app.__class__ = per_thread


class WebServer:
    """Binds its port when built (so its URL is known), serves once started."""

    def __init__(
        self, app: Any, host: str, port: int, static_dir: Path, emulator_url: str, secret: str,
        durable: Callable[[], bool] = lambda: True,
    ) -> None:  # fmt: skip
        per_thread_requests(app)
        config = Config.create(chalice_stage="local", app_name="consores", lambda_timeout=900)
        # Served on loopback, it answers to loopback names only; bound elsewhere, to any name.
        loopback = host in ("127.0.0.1", "localhost", "::1")
        allowed = frozenset({"127.0.0.1", "localhost", "::1"}) if loopback else frozenset()
        routes = {path: set(methods) for path, methods in app.routes.items()}
        handler = handler_class(static_dir, emulator_url, secret, durable, allowed, routes=routes)
        self._server = LocalDevServer(app, config, host, port, handler_cls=handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="web", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() waits forever on a server never started
            self._server.shutdown()
            self._thread.join(timeout=10)
        self._server.server.server_close()
