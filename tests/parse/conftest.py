"""Fixtures the parse tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.model import AnnualReport


@pytest.fixture
def seed(fixtures_dir: Path) -> AnnualReport:
    """The seed report (泉港区 2021) as hand-read: the cells the layout tests lay out."""
    path = fixtures_dir / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))
