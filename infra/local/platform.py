"""The embedded runtime: emulator + resources + Lambda hook + API/web server +
ticker + state saved under the data directory. One object, started and
stopped by ``python -m infra.local`` and by the tests."""

from __future__ import annotations

import importlib
import json
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from chalicelib.config import Settings
from infra.local import lambda_hook, provision, state, workflows
from infra.local.emulator import ACCOUNT_ID, Emulator
from infra.local.ticker import Ticker, scheduled_event
from infra.local.web_server import WebServer

logger = logging.getLogger("consores.local")
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LocalOptions:
    data_dir: Path
    port: int = 8000
    host: str = "127.0.0.1"
    demo: bool = True
    admin_email: str = "admin@consores.fr"
    admin_password: str = "Admin-ConsoRes-2026"
    static_dir: Path = ROOT / "web" / "dist"
    save_every_seconds: float = 30.0
    #: How long a stop waits for running imports and workflows (the rest is run again at the next start).
    stop_wait_seconds: float = 60.0
    ticker: bool = True
    #: Prefix of the emulator's resource names (tests run several platforms in one process).
    prefix: str = f"consores-{provision.STAGE}"

    @classmethod
    def from_env(cls) -> LocalOptions:
        env = os.environ
        return cls(
            data_dir=Path(env.get("CONSORES_DATA_DIR", ".consores")).resolve(),
            port=int(env.get("CONSORES_PORT", "8000")),
            demo=env.get("CONSORES_DEMO", "1") not in {"0", "false", "non", "no"},
            admin_email=env.get("CONSORES_ADMIN_EMAIL", cls.admin_email),
            admin_password=env.get("CONSORES_ADMIN_PASSWORD", cls.admin_password),
        )


class EmbeddedPlatform:
    def __init__(self, options: LocalOptions) -> None:
        self.options = options
        self.emulator = Emulator()
        self.env: dict[str, str] = {}
        self.fresh = False
        self.demo_accounts: list[tuple[str, str, str]] = []
        self._web: WebServer | None = None
        self._ticker: Ticker | None = None
        self._saver_stop = threading.Event()
        self._saver: threading.Thread | None = None
        self._app: Any = None
        # Group commit: answers wait until a snapshot covers what the emulator had done before them.
        self._durable = threading.Condition()
        self._saved_generation = -1
        self._save_wanted = False
        self._save_lock = threading.Lock()

    @property
    def url(self) -> str:
        assert self._web is not None
        return f"http://{self.options.host}:{self._web.port}"

    def start(self) -> None:
        self.emulator.start()
        # Restore before anything is wired, so that nothing is re-processed.
        restored = state.restore(self.options.data_dir)
        self.fresh = restored is None
        resource_env = (
            provision.create_resources(self.emulator.url, self.options.prefix)
            if restored is None
            else provision.create_missing_tables(self.emulator.url, restored["env"], self.options.prefix)
        )
        self.env = {
            **resource_env,
            "CONSORES_RUNTIME": "embedded",
            "CONSORES_OPEN_MAILBOX": "1" if self.options.demo else "0",
            "CONSORES_STAGE": provision.STAGE,
            "CONSORES_AWS_ENDPOINT_URL": self.emulator.url,
            "CONSORES_JWKS_URL": f"{self.emulator.url}/{resource_env['CONSORES_USER_POOL_ID']}/.well-known/jwks.json",
            "AWS_REGION": provision.REGION,
            "AWS_DEFAULT_REGION": provision.REGION,
            "AWS_ACCESS_KEY_ID": "local",
            # The emulator accepts any key; the /_s3 gate verifies the app's presigned URLs and
            # POSTs with this one, new at every start, so that nobody else can sign.
            "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(32),
        }
        if "CONSORES_MFA_REQUIRED_PROFILES" in os.environ:  # unset: none (the demo's accounts use passwords)
            self.env["CONSORES_MFA_REQUIRED_PROFILES"] = os.environ["CONSORES_MFA_REQUIRED_PROFILES"]
        self._app = self._load_app()
        self._web = WebServer(
            self._app, self.options.host, self.options.port, self.options.static_dir, self.emulator.url,
            self.env["AWS_SECRET_ACCESS_KEY"], self.durable,
        )  # fmt: skip
        # Presigned POSTs name this origin; the web server forwards /_s3 to the emulator.
        self.env["CONSORES_PUBLIC_S3_ENDPOINT"] = f"{self.url}/_s3"
        self.env["CONSORES_WEB_URL"] = self.url
        lambda_hook.install(lambda_hook.chalice_dispatcher(self._app, provision.handler_of))
        arns = provision.register_functions(self.emulator.url, sorted(self._event_handlers()))
        provision.notify_uploads(self.emulator.url, self.env["CONSORES_BUCKET_RAW"], arns["on_upload"])
        self.env["CONSORES_IMPORT_FUNCTION"] = arns["on_upload"]
        self.env.update(provision.create_state_machines(self.emulator.url, arns, self.options.prefix))
        self._install_services()
        self.services.catalogue.load_demo_if_empty()
        self._ensure_admin()
        if restored is not None:
            # What the previous process was processing died with it: settled before anything is served.
            interrupted = self.services.sweeper.sweep(interrupted=True)
            if interrupted:
                logger.warning("%d import(s) interrupted by the previous stop settled", interrupted)
            workflows.resume(self.emulator.url, self.options.prefix, restored.get("executions", []))
        # The saver first: every answer (the demo's own uploads too) waits for a snapshot.
        self._saver = threading.Thread(target=self._save_periodically, name="saver", daemon=True)
        self._saver.start()
        self._web.start()
        if self.fresh and self.options.demo:
            from infra.local.demo import seed, seed_files

            self.demo_accounts = seed(self.services)
            seed_files(self.services, _post_file)
        elif self.options.demo:
            from infra.local.demo import ACCOUNTS

            self.demo_accounts = list(ACCOUNTS)
        self.save()
        if self.options.ticker:
            from chalicelib.handlers.schedules import SCHEDULES

            self._ticker = Ticker(SCHEDULES, self.run_job_through_lambda)
            self._ticker.start()

    def stop(self, save: bool = True) -> None:
        """Stop serving, save the state (unless a failed start), stop the emulator. Safe to call twice."""
        self._saver_stop.set()
        with self._durable:
            self._durable.notify_all()
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if self._web is not None:
            self._web.stop()
            self._web = None
        # Running work gets a bounded while to end (a stop must answer); what is still running then is
        # named by the last snapshot and run again at the next start (workflows.py).
        deadline = time.monotonic() + self.options.stop_wait_seconds
        lambda_hook.drain(timeout=self.options.stop_wait_seconds)
        if self.env:
            workflows.settle(self.emulator.url, deadline)
        if self.env and save:
            self.save()
        self.emulator.stop()
        from chalicelib import bootstrap

        bootstrap.install(None)

    @property
    def services(self) -> Any:
        from chalicelib.bootstrap import services

        return services()

    def save(self) -> None:
        """A snapshot of everything the emulator has done (requests are held while it is taken)."""
        persisted = {k: v for k, v in self.env.items() if k.startswith(("CONSORES_TABLE_", "CONSORES_BUCKET_"))}
        persisted.update(
            {
                k: self.env[k]
                for k in ("CONSORES_USER_POOL_ID", "CONSORES_USER_POOL_CLIENT_ID", "CONSORES_MAIL_FROM", "CONSORES_KMS_KEY_ID")
            }
        )
        gate = self.emulator.gate

        def snapshot() -> int:
            covered = gate.generation  # stable: no request runs while the gate is quiet
            state.save(self.options.data_dir, {"env": persisted, "executions": workflows.running(self.options.prefix)})
            return covered

        with self._save_lock:
            covered = gate.quiet(snapshot)
        with self._durable:
            self._saved_generation = max(self._saved_generation, covered)
            self._durable.notify_all()

    def durable(self, timeout: float = 60.0) -> bool:
        """Return once a snapshot covers every change the emulator had made when called (an answer
        that acknowledges a write survives a kill -9 of the process); False after ``timeout``."""
        wanted = self.emulator.gate.generation
        with self._durable:
            if self._saved_generation >= wanted:
                return True
            self._save_wanted = True
            self._durable.notify_all()
            return self._durable.wait_for(lambda: self._saved_generation >= wanted, timeout)

    def run_job_through_lambda(self, job: str) -> Any:
        event = scheduled_event(job, provision.REGION, ACCOUNT_ID)
        answer = provision.client("lambda", self.emulator.url).invoke(
            FunctionName=provision.function_name(job), Payload=json.dumps(event).encode()
        )
        payload = json.loads(answer["Payload"].read() or b"null")
        if answer.get("FunctionError"):
            raise RuntimeError(f"job {job} failed: {payload}")
        return payload

    @property
    def settings(self) -> Settings:
        """The platform's settings, from its own environment (never the process's)."""
        settings = Settings.from_env(self.env)
        return replace(settings, aws_credentials=(self.env["AWS_ACCESS_KEY_ID"], self.env["AWS_SECRET_ACCESS_KEY"]))

    def _install_services(self) -> None:
        """Wire the services over the emulator, explicitly: the handlers and the Lambda hook use these."""
        from chalicelib import bootstrap
        from chalicelib.adapters.factory import real_adapters

        settings = self.settings
        bootstrap.install(bootstrap.build_services(settings, real_adapters(settings)))

    def _load_app(self) -> Any:
        from chalicelib import bootstrap

        bootstrap.install(None)  # wired once the platform's resources all exist (_install_services)
        app = importlib.import_module("app").app
        if "/api/local/mailbox" not in app.routes:
            # app.py was imported in a process that does not say "embedded" (tests, make run):
            # add the embedded-only routes now. Chalice cannot register a
            # blueprint twice, hence no module reload.
            from chalicelib.handlers import local

            app.register_blueprint(local.bp)
        return app

    def _event_handlers(self) -> list[str]:
        """The app's functions other than the API: workflow tasks, on_upload, schedules."""
        return [f.name for f in self._app.pure_lambda_functions] + [e.name for e in self._app.event_sources]

    def _ensure_admin(self) -> None:
        self.services.installation.ensure_administrator(self.options.admin_email, self.options.admin_password)

    def _save_periodically(self) -> None:
        """Snapshots as soon as an answer waits for one (several answers share it), else every
        ``save_every_seconds`` when anything changed."""
        while not self._saver_stop.is_set():
            with self._durable:
                self._durable.wait_for(lambda: self._save_wanted or self._saver_stop.is_set(), self.options.save_every_seconds)
                self._save_wanted = False
                pending = self.emulator.gate.generation > self._saved_generation
            if self._saver_stop.is_set() or not pending:
                continue
            try:
                self.save()
            except Exception:
                logger.exception("could not save the emulator state")


def _post_file(url: str, fields: dict[str, str], name: str, content: bytes) -> None:
    """Send a file to a presigned POST, as the browser does."""
    import requests

    answer = requests.post(url, data=fields, files={"file": (name, content)}, timeout=120)
    answer.raise_for_status()
