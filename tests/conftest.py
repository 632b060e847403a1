"""Shared fixtures. No test reaches a real AWS account: credentials are fake
and every AWS call goes to the in-process emulator."""

from __future__ import annotations

import os
import uuid

import pytest

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_REGION": "eu-west-3",
    }
)


@pytest.fixture(scope="session")
def emulator():
    """One emulator per test process; tests isolate themselves by resource names."""
    from infra.local.emulator import Emulator

    running = Emulator()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def aws(emulator):
    """Fresh tables, buckets and user pool with unique names, and real adapters on them."""
    from tests.support.aws import AwsWorld

    return AwsWorld.create(emulator.url, prefix=f"t{uuid.uuid4().hex[:10]}")
