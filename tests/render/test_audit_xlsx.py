"""The audit workbook, read back: one row per report, per finding, per table 三 cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from gongkai.core.audit import cross_year
from gongkai.core.audit_result import AuditResult, from_report
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category, Finding, Severity
from gongkai.core.formats import FORMAT_2019, FORMAT_2021
from gongkai.core.model import AnnualReport
from gongkai.core.render import write_audit_xlsx
from tests.render.conftest import cell

REPORT_HEADERS = [
    "文件",
    "单位",
    "年度",
    "格式",
    "单位类别",
    "输入类型",
    "发布日期",
    "审查结论",
    "错误",
    "警告",
    "提示",
    "本年新收",
    "上年结转",
    "予以公开",
    "部分公开",
    "办理结果总计",
    "结转下年度",
    "行政复议总计",
    "行政诉讼总计",
    "跨年度核对所用的上一年度报告",
    "本批次中同一单位同一年度的前一份报告",
    "无法读取原因",
]


def rows(sheet: Any) -> list[dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.fixture
def batch(audited: AuditResult, clean: AuditResult, garbage: AuditResult) -> list[AuditResult]:
    return [audited, clean, garbage]


@pytest.fixture
def workbook(tmp_path: Path, batch: list[AuditResult]) -> Any:
    path = tmp_path / "audit.xlsx"
    write_audit_xlsx(batch, path)
    return load_workbook(path)


def test_the_workbook_has_three_sheets(workbook: Any) -> None:
    assert workbook.sheetnames == ["报告", "问题", "表三"]


@pytest.mark.parametrize("name", ["报告", "问题", "表三"])
def test_every_sheet_is_ready_to_filter(workbook: Any, name: str) -> None:
    sheet = workbook[name]
    assert sheet.freeze_panes == "A2"
    assert (
        sheet.auto_filter.ref
        == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    )
    assert all(c.font.b for c in sheet[1])
    assert sheet.column_dimensions["A"].width == 40


def test_one_row_per_report_with_chinese_headers(workbook: Any, batch: list[AuditResult]) -> None:
    sheet = workbook["报告"]
    assert [c.value for c in sheet[1]] == REPORT_HEADERS
    audited, clean, garbage = rows(sheet)
    assert audited == {
        "文件": "corpus/000_seed.txt",
        "单位": "泉港区",
        "年度": 2021,
        "格式": "2021",
        "单位类别": "汇总报告",
        "输入类型": "文本",
        "发布日期": dt.datetime(2022, 1, 10),  # noqa: DTZ001 - Excel dates are naive
        "审查结论": "有错误",
        "错误": 2,
        "警告": 1,
        "提示": 1,
        "本年新收": 68,
        "上年结转": 0,
        "予以公开": 36,
        "部分公开": 2,
        "办理结果总计": 61,
        "结转下年度": 6,
        "行政复议总计": 3,
        "行政诉讼总计": 0,
        "跨年度核对所用的上一年度报告": None,
        "本批次中同一单位同一年度的前一份报告": None,
        "无法读取原因": None,
    }
    assert clean["审查结论"] == "未发现问题" and clean["错误"] == 0
    assert garbage["审查结论"] == "无法读取"
    assert garbage["无法读取原因"] == batch[2].reason
    assert garbage["输入类型"] == "未知"
    assert [
        garbage[h] for h in REPORT_HEADERS[1:5] + REPORT_HEADERS[6:7] + REPORT_HEADERS[8:19]
    ] == [None] * 16


def test_a_paired_report_names_last_years_file(tmp_path: Path, seed: AnnualReport) -> None:
    last = from_report("2020.txt", "text", seed.with_meta(year=2020), [])
    this = from_report("2021.txt", "text", seed, [])
    path = tmp_path / "a.xlsx"
    write_audit_xlsx(cross_year([last, this]), path)
    named = [row["跨年度核对所用的上一年度报告"] for row in rows(load_workbook(path)["报告"])]
    assert named == [None, "2020.txt"]


def test_a_second_report_of_the_year_names_the_first(tmp_path: Path, seed: AnnualReport) -> None:
    """The web page and its PDF of one report: an evaluator filters the copies out by this."""
    pdf = from_report("2021.pdf", "pdf", seed, [])
    page = from_report("2021.html", "html", seed, [])
    path = tmp_path / "a.xlsx"
    write_audit_xlsx(cross_year([pdf, page]), path)
    column = "本批次中同一单位同一年度的前一份报告"
    named = [row[column] for row in rows(load_workbook(path)["报告"])]
    assert named == [None, "2021.pdf"]


def test_the_date_is_a_date_and_counts_are_numbers(workbook: Any) -> None:
    sheet = workbook["报告"]
    assert sheet["G2"].is_date and sheet["G2"].number_format == "yyyy-mm-dd"
    assert all(sheet.cell(2, col).data_type == "n" for col in range(9, 20))


def test_a_blank_summary_figure_is_an_empty_cell(tmp_path: Path, seed: AnnualReport) -> None:
    report = seed.with_cell("t3", "carried_in", "total", None)
    path = tmp_path / "a.xlsx"
    write_audit_xlsx([from_report("a.txt", "text", report, [])], path)
    (row,) = rows(load_workbook(path)["报告"])
    assert row["上年结转"] is None and row["本年新收"] == 67


def test_one_row_per_finding(workbook: Any, narrative_error: Finding) -> None:
    sheet = workbook["问题"]
    assert [c.value for c in sheet[1]] == [
        "文件",
        "单位",
        "年度",
        "严重程度",
        "类别",
        "规则",
        "说明",
        "涉及单元格",
        "依据",
        "原文摘录",
    ]
    found = rows(sheet)
    assert [r["严重程度"] for r in found] == ["错误", "错误", "警告", "提示"]
    assert {r["文件"] for r in found} == {"corpus/000_seed.txt"}
    narrative = next(r for r in found if r["规则"] == narrative_error.rule)
    assert narrative == {
        "文件": "corpus/000_seed.txt",
        "单位": "泉港区",
        "年度": 2021,
        "严重程度": "错误",
        "类别": "正文与表格",
        "规则": "narrative.mismatch",
        "说明": narrative_error.message,
        "涉及单元格": "表三「（四）无法提供」「总计」",
        "依据": "《条例》第五十条",
        "原文摘录": narrative_error.excerpt,
    }
    row_total = next(r for r in found if r["规则"] == "t3.row_total")
    assert row_total["涉及单元格"] == (
        "表三「一、本年新收政府信息公开申请数量」「总计」；表三「一、本年新收政府信息公开申请数量」「自然人」"
    )
    info = next(r for r in found if r["严重程度"] == "提示")
    assert info["涉及单元格"] is None and info["原文摘录"] is None


def test_table3_in_long_form_for_pivoting(workbook: Any) -> None:
    sheet = workbook["表三"]
    assert [c.value for c in sheet[1]] == [
        "文件",
        "单位",
        "年度",
        "行",
        "列",
        "数值",
        "行代码",
        "列代码",
    ]
    cells = rows(sheet)
    per_report = len(FORMAT_2021.table3.cell_rows) * len(FORMAT_2021.table3.columns)
    assert len(cells) == 2 * per_report == 350  # the unreadable input has no cells
    by_key = {(r["文件"], r["行代码"], r["列代码"]): r for r in cells}
    new_total = by_key[("corpus/000_seed.txt", "new", "total")]
    assert new_total["行"] == "一、本年新收政府信息公开申请数量"
    assert (new_total["列"], new_total["数值"]) == ("总计", 68)
    other = by_key[("corpus/000_seed.txt", "other.other", "natural_person")]
    assert (other["行"], other["列"], other["数值"]) == ("（六）其他处理 3.其他", "自然人", 7)
    blank = by_key[("corpus/000_seed.txt", "carried_in", "commercial")]
    assert blank["数值"] is None
    assert sheet.cell(2, 6).data_type == "n"


def test_a_2019_report_has_its_own_rows(tmp_path: Path, shanghai_2019: AnnualReport) -> None:
    path = tmp_path / "b.xlsx"
    write_audit_xlsx([from_report("017.html", "html", shanghai_2019, [])], path)
    cells = rows(load_workbook(path)["表三"])
    assert len(cells) == len(FORMAT_2019.table3.cell_rows) * 7 == 161
    totals = {r["行代码"]: r["数值"] for r in cells if r["列代码"] == "total"}
    assert totals["new"] == 859 and totals["disclosed"] is None  # blank as published


def test_text_from_reports_is_never_a_formula(tmp_path: Path, seed: AnnualReport) -> None:
    evil = '=HYPERLINK("http://example.invalid","点击")'
    finding = Finding(
        rule="narrative.x",
        severity=Severity.WARNING,
        category=Category.NARRATIVE,
        message="+1+2",
        excerpt="@SUM(A1)\x00\x07 原文",
        cells=(cell("t3", "new", "total"),),
    )
    path = tmp_path / "c.xlsx"
    write_audit_xlsx([from_report(evil, "text", seed.with_meta(unit=evil), [finding])], path)
    book = load_workbook(path)
    report = book["报告"]
    assert (report["A2"].value, report["A2"].data_type) == (evil, "s")
    assert (report["B2"].value, report["B2"].data_type) == (evil, "s")
    problem = rows(book["问题"])[0]
    assert problem["说明"] == "+1+2"
    assert problem["原文摘录"] == "@SUM(A1) 原文"  # control characters removed
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_a_very_long_text_is_cut_to_excels_cell_limit(tmp_path: Path, seed: AnnualReport) -> None:
    finding = Finding(
        rule="narrative.copy",
        severity=Severity.WARNING,
        category=Category.NARRATIVE,
        message="与上年报告正文雷同",
    )
    # A finding bounds its own text as it is made (gongkai.core.findings); the writer's cut is
    # the last guard, for any text, so it is tested on a copy given the text unchecked.
    finding = finding.model_copy(update={"excerpt": "字" * 40_000})
    path = tmp_path / "d.xlsx"
    write_audit_xlsx([from_report("d.txt", "text", seed, [finding])], path)
    excerpt = rows(load_workbook(path)["问题"])[0]["原文摘录"]
    assert len(excerpt) == 32_767 and excerpt.endswith("…")


def test_a_full_sheet_continues_on_the_next(tmp_path: Path, batch: list[AuditResult]) -> None:
    path = tmp_path / "e.xlsx"
    write_audit_xlsx(batch, path, max_rows=101)  # 100 data rows per sheet
    book = load_workbook(path)
    assert book.sheetnames == ["报告", "问题", "表三", "表三（续2）", "表三（续3）", "表三（续4）"]
    parts = [rows(book[name]) for name in book.sheetnames[2:]]
    assert [len(p) for p in parts] == [100, 100, 100, 50]
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)


def test_an_empty_batch_gives_headers_only(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    write_audit_xlsx([], path)
    book = load_workbook(path)
    assert [book[name].max_row for name in book.sheetnames] == [1, 1, 1]


def test_an_unwritable_path_is_a_clear_error(tmp_path: Path, batch: list[AuditResult]) -> None:
    with pytest.raises(GongkaiError, match=r"无法写入 Excel 文件 .*missing"):
        write_audit_xlsx(batch, tmp_path / "missing" / "audit.xlsx")


def test_table3_can_be_left_out(tmp_path: Path, batch: list[AuditResult]) -> None:
    path = tmp_path / "g.xlsx"
    write_audit_xlsx(batch, path, table3=False)
    book = load_workbook(path)
    assert book.sheetnames == ["报告", "问题"]
    assert len(rows(book["报告"])) == 3
