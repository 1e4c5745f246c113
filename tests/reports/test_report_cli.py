"""``gongkai report``: the built report written as JSON from the configured database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gongkai.applications import services as s
from gongkai.cli import main
from gongkai.core.formats import COL_TOTAL, T3, T3_NEW
from gongkai.core.model import AnnualReport
from gongkai.reports import builder

from .conftest import World, register

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_writes_the_report_as_json(
    world: World, clerk: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    target = tmp_path / "report.json"

    status, out, _ = run(
        capsys,
        "report",
        "--unit",
        "泉港区政府办",
        "--own",
        "--year",
        "2024",
        "--output",
        str(target),
    )

    assert status == 0, out
    report = AnnualReport.from_json(target.read_text(encoding="utf-8"))
    assert (report.meta.unit, report.meta.year) == (world.district.name, 2024)
    assert report.cell(T3, T3_NEW, COL_TOTAL) == 1
    assert "已写入" in out
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_a_part_of_the_name_finds_the_one_unit(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "r.json"

    status, _, _ = run(
        capsys, "report", "--unit", "山腰", "--year", "2024", "--output", str(target)
    )

    assert status == 0
    assert AnnualReport.from_json(target.read_bytes()).meta.unit == world.township.name


def test_errors_exit_1_after_writing(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build = builder.build_report
    monkeypatch.setattr(
        builder, "build_report", lambda **kw: build(**kw).with_cell(T3, T3_NEW, COL_TOTAL, 7)
    )
    target = tmp_path / "r.json"

    status, out, _ = run(
        capsys,
        "report",
        "--unit",
        world.district.name,
        "--own",
        "--year",
        "2024",
        "--output",
        str(target),
    )

    assert status == 1
    assert target.is_file()
    assert "错误" in out


@pytest.mark.parametrize(
    ("unit", "output", "message"),
    [
        ("不存在的单位", "r.json", "没有名为“不存在的单位”的单位"),
        ("泉港区", "r.json", "还有 3 个单位没有发布"),
        ("泉州市", "r.json", "可指 2 个单位，请写全称或简称"),
        ("泉港区政府办", "r.odt", "暂不支持输出 .odt 文件"),
        ("泉港区政府办", "missing/r.json", "不存在"),
    ],
)
def test_bad_input_exits_2_in_chinese(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    unit: str,
    output: str,
    message: str,
) -> None:
    status, _, err = run(
        capsys, "report", "--unit", unit, "--year", "2024", "--output", str(tmp_path / output)
    )

    assert status == 2
    assert message in err.replace("\n", "")
    assert not (tmp_path / "r.json").exists()


def test_an_unwritable_path_exits_2(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "r.json"
    taken.mkdir()  # a folder where the file should go: cannot be replaced by a file

    status, _, err = run(
        capsys, "report", "--unit", "山腰街道", "--year", "2024", "--output", str(taken)
    )

    assert status == 2
    assert "无法写入文件" in err.replace("\n", "")
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left
