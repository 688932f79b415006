"""Shared test configuration: the anyio backend and the live database fixtures."""

import pytest

pytest_plugins = ("support.databases",)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
