"""boto3 clients, built once and lazily from the settings."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from chalicelib.config import Settings

# The service models (JSON, several MB) read once per process, whatever the number
# of sessions: each new botocore session would otherwise parse them again.
_MODELS = botocore.loaders.create_loader()
# A client's connections: the embedded runtime's server answers many requests at once over the same clients
# (a dashboard's sections); beyond botocore's 10, each further call opened a connection of its own.
_RETRIES = Config(
    retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=60, max_pool_connections=32
)


class AwsClients:
    """Every boto3 client the adapters use; the embedded runtime points them at the emulator."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        kwargs: dict[str, Any] = {"region_name": settings.aws_region, "config": _RETRIES}
        if settings.aws_endpoint_url:
            kwargs["endpoint_url"] = settings.aws_endpoint_url
        if settings.aws_credentials is not None:
            kwargs["aws_access_key_id"], kwargs["aws_secret_access_key"] = settings.aws_credentials
        self._kwargs = kwargs
        core = botocore.session.get_session()
        core.register_component("data_loader", _MODELS)
        self._session = boto3.session.Session(botocore_session=core)

    def client(self, service: str) -> Any:
        with self._lock:
            return self._session.client(service, **self._kwargs)

    @cached_property
    def dynamodb(self) -> Any:
        with self._lock:
            return self._session.resource("dynamodb", **self._kwargs)

    def table(self, logical_name: str) -> Any:
        return self.dynamodb.Table(self._settings.tables[logical_name])

    @cached_property
    def s3(self) -> Any:
        return self.client("s3")

    @cached_property
    def ses(self) -> Any:
        return self.client("sesv2")

    @cached_property
    def cognito(self) -> Any:
        return self.client("cognito-idp")
