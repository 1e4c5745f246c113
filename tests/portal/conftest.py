"""The portal's tests: the web tests' district, an empty media root and a fresh cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from tests.web.conftest import World, clerk, today_is, world  # noqa: F401 (fixtures)
from tests.web.samples import PDF, PNG  # noqa: F401 (re-exported for the tests)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    return tmp_path / "media"
