"""``gongkai report --unit``: which unit a name designates, and the roll-up for a unit with units
below it (``--own`` for its own report only); on the demo, 泉港区 2021 is the seed's roll-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gongkai import demo
from gongkai.agencies.models import Role, Unit
from gongkai.applications import services as s
from gongkai.cli import main
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import COL_TOTAL, T3, T3_NEW, format_for_year
from gongkai.core.model import AnnualReport, ReportKind
from gongkai.core.parse import parse_text
from gongkai.reports.selectors import unit_named
from gongkai.reports.services import report_publish

from .conftest import World, register

D = dt.date
SEED = Path(__file__).resolve().parents[2] / "examples" / "quangang-2021.txt"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err.replace("\n", "")


def publish_all(world: World, year: int) -> None:
    """Every unit of 泉港区 publishes its report (惠安县, unrelated, does not)."""
    for unit in (world.township, world.department, world.district):
        report_publish(acting_user=world.member(Role.HEAD, unit), unit_id=unit.pk, year=year)


# --- which unit a name designates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("泉州市泉港区人民政府", "district"),  # full name
        ("山腰街道", "township"),  # 简称
        (" 泉港区教育局 ", "department"),  # blanks around it
        ("教育", "department"),  # the one unit whose name contains it
        ("山腰", "township"),
        ("泉港区", "district"),  # the district and units below it: the district
        ("惠安", "other_district"),
    ],
)
def test_a_name_designates_one_unit(world: World, name: str, expected: str) -> None:
    assert unit_named(name) == getattr(world, expected)


def test_an_ambiguous_name_lists_the_candidates(world: World) -> None:
    with pytest.raises(GongkaiError) as caught:
        unit_named("人民政府")

    message = str(caught.value)
    assert "“人民政府”可指 2 个单位，请写全称或简称" in message
    assert world.district.name in message and world.other_district.name in message
    assert world.township.name not in message  # below the district: not a candidate of its own


def test_an_unknown_name_suggests_the_closest(world: World) -> None:
    with pytest.raises(GongkaiError) as caught:
        unit_named("泉港区教育厅")

    message = str(caught.value)
    assert message.startswith("没有名为“泉港区教育厅”的单位")
    assert f"相近的单位：{world.department.name}" in message


def test_many_candidates_are_counted_not_all_listed(db: None) -> None:
    from gongkai.agencies.services import unit_create

    for i in range(15):
        unit_create(name=f"测试第{i}局", short_name=f"测{i}局", kind="department")

    with pytest.raises(GongkaiError, match=r"可指 15 个单位.*等（共 15 个）"):
        unit_named("局")


def test_an_empty_name_is_refused(db: None) -> None:
    with pytest.raises(GongkaiError, match="请写出单位名称"):
        unit_named("  ")


# --- the roll-up by default, the unit's own report with --own ----------------------------------


def test_a_unit_with_units_below_it_gives_the_rollup(
    world: World, clerk: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    township_clerk = world.member(Role.CLERK, world.township)
    register(township_clerk, world.township, submitted_on=D(2024, 5, 6))
    register(township_clerk, world.township, submitted_on=D(2024, 5, 7))
    publish_all(world, 2024)
    rolled, own = tmp_path / "rollup.json", tmp_path / "own.json"

    status, out, _ = run(
        capsys, "report", "--unit", "泉港区", "--year", "2024", "--output", str(rolled)
    )
    own_status, own_out, _ = run(
        capsys, "report", "--unit", "泉港区", "--own", "--year", "2024", "--output", str(own)
    )

    assert (status, own_status) == (0, 0), out + own_out
    report = AnnualReport.from_json(rolled.read_bytes())
    assert report.meta.kind is ReportKind.ROLLUP and report.meta.unit == world.district.name
    assert report.cell(T3, T3_NEW, COL_TOTAL) == 3
    assert "年度汇总报告（3 个单位）" in out
    mine = AnnualReport.from_json(own.read_bytes())
    assert mine.meta.kind is ReportKind.GOVERNMENT and mine.cell(T3, T3_NEW, COL_TOTAL) == 1


def test_a_unit_without_units_below_it_gives_its_own_report(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "r.json"

    status, out, _ = run(
        capsys, "report", "--unit", "山腰", "--year", "2024", "--output", str(target)
    )

    assert status == 0, out
    assert AnnualReport.from_json(target.read_bytes()).meta.unit == world.township.name
    assert "汇总" not in out


def test_the_rollup_is_refused_while_a_unit_has_not_published(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_publish(
        acting_user=world.member(Role.HEAD, world.township), unit_id=world.township.pk, year=2024
    )
    target = tmp_path / "r.json"

    status, _, err = run(
        capsys, "report", "--unit", "泉港区", "--year", "2024", "--output", str(target)
    )

    assert status == 2
    assert "须包含全部 3 个单位已发布的年度报告，还有 2 个单位没有发布" in err
    assert world.department.name in err and world.district.name in err
    assert "--own" in err
    assert not target.exists()


# --- the demo: 泉港区 2021 is the seed ----------------------------------------------------------


def test_on_the_demo_quangang_2021_is_the_seeds_rollup(
    db: None,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    today = D(2025, 12, 19)
    monkeypatch.setattr(s, "_today", lambda: today)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.populate(today=today)
    target = tmp_path / "quangang-2021.json"

    status, out, _ = run(
        capsys, "report", "--unit", "泉港区", "--year", "2021", "--output", str(target)
    )

    assert status == 0, out
    written = AnnualReport.from_json(target.read_bytes())
    parsed = parse_text(SEED.read_text(encoding="utf-8")).report
    assert parsed is not None
    assert written.meta.unit == Unit.objects.get(parent__isnull=True).name
    assert written.meta.published == parsed.meta.published  # the published roll-up, its date
    for table in format_for_year(2021).tables:
        assert written.tables[table.code] == parsed.tables[table.code], table.code
    assert f"年度汇总报告（{Unit.objects.count()} 个单位）" in out
