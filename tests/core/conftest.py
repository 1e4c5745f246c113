"""Fixtures shared by the rule and narrative tests: the seed report, and a year before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.model import AnnualReport


@pytest.fixture
def seed(fixtures_dir: Path) -> AnnualReport:
    """The 泉港区 2021 report as read by hand (tests/fixtures/reports)."""
    path = fixtures_dir / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))


@pytest.fixture
def last_year(seed: AnnualReport) -> AnnualReport:
    """The seed as its 2020 report, with 60 new applications (all from natural persons)."""
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in seed.tables.items()}
    tables["t3"]["new"].update(total=60, natural_person=60)
    return seed.with_meta(year=2020).model_copy(update={"tables": tables}).revalidated()
