"""The format declarations say what LEGAL.md §2–§3 says the statutory tables contain."""

from __future__ import annotations

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.formats import (
    FORMAT_2019,
    FORMAT_2021,
    FORMATS,
    LATEST_FORMAT,
    T3,
    T3_BALANCE,
    T3_FEE_UNPAID,
    _row,
    format_for_year,
    get_format,
)


@pytest.mark.parametrize(
    ("year", "version"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")]
)
def test_format_for_year(year: int, version: str) -> None:
    assert format_for_year(year).version == version


def test_no_format_before_the_2019_revision() -> None:
    with pytest.raises(GongkaiError, match="2018 年度没有适用"):
        format_for_year(2018)


def test_unknown_version_is_a_chinese_error() -> None:
    with pytest.raises(GongkaiError, match="未知的报告格式版本"):
        get_format("2007")


def test_table3_2021_has_25_data_rows_and_7_columns() -> None:
    t3 = FORMAT_2021.table3
    assert len(t3.cell_rows) == 25
    assert [c.label for c in t3.columns] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]


def test_table3_2019_has_one_other_row() -> None:
    t3 = FORMAT_2019.table3
    assert len(t3.cell_rows) == 23
    assert t3.row("other").has_cells
    assert not FORMAT_2021.table3.row("other").has_cells


def test_results_total_sums_every_result_leaf() -> None:
    for fmt in (FORMAT_2019, FORMAT_2021):
        t3 = fmt.table3
        rows = [r.code for r in t3.cell_rows]
        leaves = rows[rows.index("disclosed") : rows.index("results_total")]
        assert t3.row("results_total").sum_of == tuple(leaves)


def test_table4_has_15_cells_in_both_formats() -> None:
    for fmt in (FORMAT_2019, FORMAT_2021):
        assert len(list(fmt.table4.cells())) == 15


def test_codes_are_unique_within_each_table() -> None:
    for fmt in (FORMAT_2019, FORMAT_2021):
        for table in fmt.tables:
            rows = [r.code for r in table.rows]
            cols = [c.code for c in table.columns]
            assert len(rows) == len(set(rows)), table.code
            assert len(cols) == len(set(cols)), table.code


def test_section2_blocks_differ_between_versions() -> None:
    assert [t.header for t in FORMAT_2019.section2][-1] == "第二十条第（九）项"
    assert "s2.art20_9" not in [t.code for t in FORMAT_2021.section2]
    assert FORMAT_2021.table("s2.art20_8").column("amount").label == "本年收费金额（单位：万元）"


def test_a_code_constant_fails_at_import_when_the_declaration_lacks_it() -> None:
    with pytest.raises(KeyError, match="no row 'fee_unpaid'"):
        _row(T3, "fee_unpaid")
    with pytest.raises(KeyError, match=r"no row 'other\.fee_unpaid'"):
        _row(T3, T3_FEE_UNPAID, FORMAT_2019)


def test_the_balance_names_rows_of_every_format() -> None:
    for fmt in FORMATS.values():
        assert all(fmt.table3.row(code).has_cells for code in T3_BALANCE.rows)


def test_format_properties_choose_versions_without_naming_them() -> None:
    assert LATEST_FORMAT is FORMAT_2021
    assert [v for v, f in FORMATS.items() if f.has_fee_unpaid_row] == ["2021"]
    assert [v for v, f in FORMATS.items() if f.has_in_force_column] == ["2021"]
    assert [v for v, f in FORMATS.items() if f.has_item_changes] == ["2019"]
    assert [v for v, f in FORMATS.items() if f.has_wan_yuan_cells] == ["2021"]
