"""Shared fixtures: paths to the real reports in ../shared and the project's own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (real published reports) is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# Tests that use the database get the ``postgres`` marker, so that scripts/test reruns exactly
# them on PostgreSQL (see tests/conftest_db.py).
from tests.conftest_db import pytest_collection_modifyitems  # noqa: E402, F401
