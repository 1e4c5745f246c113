"""Regions from unit names, coverage matching and unit lists (no database)."""

from __future__ import annotations

import pytest

from gongkai.evaluations.places import (
    NO_REGION,
    match_units,
    parse_unit_list,
    region_of,
    regions_of,
)


@pytest.mark.parametrize(
    ("unit", "region"),
    [
        ("淮安市洪泽区人民政府", "淮安市"),
        ("洪泽区人民政府", "洪泽区"),
        ("福建省财政厅", "福建省"),
        ("内蒙古自治区人民政府", "内蒙古自治区"),
        ("上海市人民政府办公厅", "上海市"),
        ("平潭综合实验区管委会办公室", "平潭综合实验区"),
        ("泉州市 泉港区人民政府", "泉州市"),
        ("市场监督管理局", NO_REGION),
        ("国家统计局", NO_REGION),
        ("", NO_REGION),
        (None, NO_REGION),
    ],
)
def test_region_is_the_highest_division_the_name_prints(unit: str | None, region: str) -> None:
    assert region_of(unit) == region


def test_coverage_matches_names_despite_spacing_brackets_and_a_higher_division() -> None:
    listed = [
        "淮安市 洪泽区人民政府",
        "淮安市人民政府",
        "盱眙县人民政府",
        "上海市人民政府办公厅（代表市政府）",
    ]
    reported = ["洪泽区人民政府", "淮安市人民政府", "上海市人民政府办公厅(代表市政府)"]

    rows = match_units(listed, reported)

    assert [r.matched for r in rows] == [
        "洪泽区人民政府",
        "淮安市人民政府",
        None,
        "上海市人民政府办公厅(代表市政府)",
    ]
    assert "上级行政区划" in rows[0].basis
    assert rows[1].basis == "名称相同"
    assert rows[2].basis == ""


def test_coverage_never_guesses_between_two_units_of_the_same_core_name() -> None:
    rows = match_units(["鼓楼区人民政府"], ["南京市鼓楼区人民政府", "福州市鼓楼区人民政府"])

    assert rows[0].matched is None


def test_two_listed_names_matched_to_one_report_each_say_so() -> None:
    rows = match_units(
        ["淮安市洪泽区人民政府", "洪泽区人民政府", "淮安市人民政府"],
        ["淮安市洪泽区人民政府", "淮安市人民政府"],
    )

    assert [r.matched for r in rows] == ["淮安市洪泽区人民政府"] * 2 + ["淮安市人民政府"]
    assert rows[0].basis.startswith("名称相同；") and "「洪泽区人民政府」也对应" in rows[0].basis
    assert "「淮安市洪泽区人民政府」也对应" in rows[1].basis
    assert rows[2].basis == "名称相同"


def test_a_unit_list_takes_the_first_column_and_drops_headings_blanks_and_repeats() -> None:
    text = (
        "\ufeff单位名称,备注\n洪泽区人民政府,区\n\n  淮安市人民政府\t市\n"
        "洪泽区 人民政府\n盱眙县人民政府，县\n"
    )

    assert parse_unit_list(text) == ["洪泽区人民政府", "淮安市人民政府", "盱眙县人民政府"]


def test_a_short_name_takes_the_region_of_the_same_units_longer_name_in_the_batch() -> None:
    regions = regions_of(
        ["洪泽区人民政府", "淮安市洪泽区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区人民政府"]
    )

    assert regions == {
        "洪泽区人民政府": "淮安市",
        "淮安市洪泽区人民政府": "淮安市",
        "南京市鼓楼区人民政府": "南京市",
        "福州市鼓楼区人民政府": "福州市",
    }
