"""The portal's tests: the web tests' district, an empty media root and a fresh cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from gongkai.portal import page_cache
from tests.web.conftest import World, clerk, today_is, world  # noqa: F401 (fixtures)
from tests.web.samples import PDF, PNG  # noqa: F401 (re-exported for the tests)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """An empty media root, and no page or spent captcha left by another test: this process's
    rendered pages are forgotten, and the shared cache (a database table) is emptied when the
    test uses the database (its rows otherwise roll back with the test's transaction; tests
    that commit, such as the live-server ones, would leave them behind)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    page_cache.forget_local()
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            cache.clear()
            break
    return tmp_path / "media"
