"""The one Chalice deployment package fits Lambda's 250 MB unzipped limit."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.cloud.conftest import Synthesis

# One xdist worker for the folder (``--dist loadgroup``): one synthesis, one package.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cloud")]

LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024


def test_deployment_package_stays_under_lambdas_unzipped_limit(synthesis: Synthesis) -> None:
    with zipfile.ZipFile(synthesis.deployment_zip) as package:
        unzipped = sum(info.file_size for info in package.infolist())
    print(f"deployment package: {unzipped / 1024 / 1024:.1f} MiB unzipped (limit 250 MiB)")
    assert unzipped < LAMBDA_UNZIPPED_LIMIT


def test_deployment_package_holds_the_app_and_linux_wheels(synthesis: Synthesis) -> None:
    with zipfile.ZipFile(synthesis.deployment_zip) as package:
        names = package.namelist()
    assert "app.py" in names
    assert any(name.startswith("chalicelib/") for name in names)
    native = [name for name in names if name.endswith(".so")]
    assert native and not any("darwin" in name or name.endswith(".pyd") for name in names)


def test_deployment_package_ships_no_sdk_the_runtime_has_nor_an_unused_tracer(synthesis: Synthesis) -> None:
    """boto3 and botocore come with Lambda's Python runtime; the X-Ray SDK would come with powertools' tracer extra."""
    with zipfile.ZipFile(synthesis.deployment_zip) as package:
        top = {name.split("/", 1)[0] for name in package.namelist()}
    assert {"duckdb", "reportlab", "aws_lambda_powertools"} <= top, sorted(top)  # the libraries sit at the root
    assert not top & {"boto3", "botocore", "s3transfer", "aws_xray_sdk", "wrapt"}, sorted(top)
