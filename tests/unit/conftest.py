"""Fixtures of the unit tests that compute indicators over the fixture lake."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def lake():
    """The fixture lake (``tests/support/lake_fixture.py``), built once per test module."""
    from tests.support import lake_fixture

    return lake_fixture.build()


@pytest.fixture(scope="module")
def world(lake):
    """The fake platform over ``lake``; a module that wires it otherwise defines its own."""
    from tests.support.lake_world import lake_world

    return lake_world(lake)
