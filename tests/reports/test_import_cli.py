"""``gongkai report-import``: a unit's published report of an earlier year, from a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.applications import services as s
from gongkai.cli import main
from gongkai.core.render.report_html import render_report_html
from gongkai.reports.builder import build_report
from gongkai.reports.models import ImportedReport

from .conftest import World

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def test_imports_a_file_and_refuses_it_for_another_year(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "教育局2023.html"
    source.write_text(render_report_html(build_report(unit=world.department, year=2023)))

    status = main(["report-import", "--unit", "教育局", "--year", "2023", str(source)])
    out = capsys.readouterr().out

    assert status == 0, out
    assert "已导入 泉港区教育局 2023 年度报告" in out
    record = ImportedReport.objects.get()
    assert (record.unit, record.year, record.imported_by) == (world.department, 2023, None)

    status = main(["report-import", "--unit", "教育局", "--year", "2022", str(source)])
    captured = capsys.readouterr()

    assert status == 2
    assert "是 2023 年度的报告，与所选的 2022 年度不符，未导入" in captured.out + captured.err
    assert ImportedReport.objects.count() == 1


def test_a_missing_file_is_refused(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["report-import", "--unit", "教育局", "--year", "2023", "/nonexistent.pdf"])
    captured = capsys.readouterr()
    assert status == 2
    assert "无法读取文件 /nonexistent.pdf" in captured.out + captured.err
