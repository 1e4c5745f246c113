"""Shared fixtures: paths to the real reports in ../shared and the project's own fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's set-up, plus: end stray sessions before the test database is dropped.

    The browser tests' live server answers requests in threads whose idle PostgreSQL sessions
    can outlive the server; DROP DATABASE then fails ("being accessed by other users").
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
