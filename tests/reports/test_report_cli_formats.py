"""``gongkai report --output``: the suffix chooses the rendering, and the auditor reads it back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gongkai.applications import services as s
from gongkai.cli import main
from gongkai.core.audit import audit_file
from gongkai.core.formats import COL_TOTAL, T3, T3_NEW

from .conftest import World, register

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_the_suffix_chooses_the_rendering(
    world: World, clerk: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    target = tmp_path / f"report{suffix}"

    status = main(
        ["report", "--unit", "泉港区政府办", "--own", "--year", "2024", "--output", str(target)]
    )

    assert status == 0, capsys.readouterr().out
    result = audit_file(target)
    assert result.readable, result.reason
    assert result.kind == suffix[1:]
    back = result.report
    assert back is not None
    assert (back.meta.unit, back.meta.year) == (world.district.name, 2024)
    assert back.cell(T3, T3_NEW, COL_TOTAL) == 1
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
