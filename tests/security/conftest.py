"""Fixtures of the security harness."""

from __future__ import annotations

import pytest
from security.harness import World, build_world


@pytest.fixture
def world(api, runtime) -> World:
    return build_world(api, runtime)
