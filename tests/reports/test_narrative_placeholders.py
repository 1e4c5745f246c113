"""Placeholders in the prose: bound to the format's cells, resolved from the report, refused
with a Chinese message naming the placeholder and its place when they name nothing."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.formats import (
    COL_NATURAL_PERSON,
    COL_TOTAL,
    FORMAT_2019,
    FORMAT_2021,
    FORMATS,
    S2_ADMIN_FEES,
    S2_ART20_8,
    S2_FEE_AMOUNT,
    SECTIONS,
    T3,
    T3_NEW,
    T3_WITHHELD,
    T3_WITHHELD_STATE_SECRET,
    T4,
    T4_CORRECTED,
    T4_RECONSIDERATION,
    ReportFormat,
)
from gongkai.core.model import AnnualReport, ReportMeta
from gongkai.core.narrative import check_narrative
from gongkai.core.narrative.placeholders import (
    BLANK,
    Cell,
    PlaceholderError,
    escape,
    parse,
    placeholder_for,
    render,
)
from gongkai.core.narrative.templates import DEFAULT_TEMPLATES, default_template

FORMAT_LIST = list(FORMATS.values())


def report_with(fmt: ReportFormat, rnd: random.Random, *, blank: float = 0.0) -> AnnualReport:
    """A report of ``fmt`` with arbitrary (not necessarily consistent) cell values."""
    year = fmt.first_year
    tables = {
        t.code: {
            r.code: {
                c.code: None if rnd.random() < blank else rnd.randint(0, 5000) for c in t.columns
            }
            for r in t.cell_rows
        }
        for t in fmt.tables
    }
    meta = ReportMeta(unit="泉港区教育局", year=year, format_version=fmt.version)
    return AnnualReport(meta=meta, tables=tables)


def every_cell(fmt: ReportFormat) -> list[Cell]:
    return [
        Cell(t.code, r.code, c.code)
        for t in fmt.tables
        for r in t.rows
        if r.has_cells or r.sum_of
        for c in t.columns
    ]


# -- binding --------------------------------------------------------------------------------------


def test_readable_names_bind_to_the_declared_cells() -> None:
    fmt = FORMAT_2021
    cells = [
        p.cell
        for p in parse(
            "{三.本年新收}{表三.不予公开.自然人}{四.行政复议.结果纠正}", fmt
        ).placeholders
    ]
    assert cells == [
        Cell(T3, T3_NEW, COL_TOTAL),
        Cell(T3, T3_WITHHELD, COL_NATURAL_PERSON),
        Cell(T4, T4_RECONSIDERATION, T4_CORRECTED),
    ]
    # A numbered sub-row by its label with or without its numbering; a section 二 block by its
    # article item, with ASCII brackets too; a one-column table needs no column.
    one = parse("{三.1.属于国家秘密}{三.属于国家秘密.总计}{二(八).行政事业性收费}", fmt)
    assert [p.cell for p in one.placeholders] == [
        Cell(T3, T3_WITHHELD_STATE_SECRET, COL_TOTAL),
        Cell(T3, T3_WITHHELD_STATE_SECRET, COL_TOTAL),
        Cell(S2_ART20_8, S2_ADMIN_FEES, S2_FEE_AMOUNT),
    ]


@pytest.mark.parametrize("fmt", FORMAT_LIST, ids=lambda f: f.version)
def test_every_cell_has_a_placeholder_that_binds_back_to_it(fmt: ReportFormat) -> None:
    for cell in every_cell(fmt):
        written = placeholder_for(fmt, cell)
        (placeholder,) = parse(written, fmt).placeholders
        assert placeholder.cell == cell, written


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "申请{三.本年收到}件",
            "第 1 行第 3 个字的占位符「{三.本年收到}」：表格「三」中没有名为「本年收到」的行",
        ),
        (
            "第一行\n共{五.本年新收}件",
            "第 2 行第 2 个字的占位符「{五.本年新收}」："
            "国办公开办函〔2021〕30号格式中没有名为「五」的表格",
        ),
        (
            "{四.行政复议.撤销}",
            "第 1 行第 1 个字的占位符「{四.行政复议.撤销}」：表格「四」中没有名为「撤销」的列",
        ),
        ("{四.行政复议.总计.多余}", "不是「表.行.列」的写法"),
        ("{二（一）.规章}", "表格「二（一）」没有总计列，请写明哪一列：本年制发件数"),
        ("{三.本年度办理结果}", "是标题行，没有数字"),
        ("共{三.本年新收件", "第 1 行第 2 个字的「{」没有对应的「}」"),
        ("共}件", "第 1 行第 2 个字的「}」前面没有对应的「{」"),
    ],
)
def test_an_unknown_placeholder_is_refused_with_its_name_and_place(text: str, message: str) -> None:
    with pytest.raises(PlaceholderError) as refused:
        parse(text, FORMAT_2021)
    assert message in str(refused.value)


def test_a_2021_column_is_unknown_in_a_2019_report() -> None:
    with pytest.raises(PlaceholderError, match="没有名为「现行有效件数」的列"):
        parse("{二（一）.规章.现行有效件数}", FORMAT_2019)


# -- resolving ------------------------------------------------------------------------------------


def test_resolving_prints_the_cell_a_header_row_s_sum_and_blanks_visibly() -> None:
    report = report_with(FORMAT_2021, random.Random(1))
    report = report.with_cell(S2_ART20_8, S2_ADMIN_FEES, S2_FEE_AMOUNT, Decimal("12.50"))
    table = FORMAT_2021.table(T3)
    withheld = sum(
        report.cell(T3, member, COL_TOTAL) or 0 for member in table.row(T3_WITHHELD).sum_of
    )
    text = render(
        "{年度}年{单位}不予公开{三.不予公开}件，收费{二（八）.行政事业性收费}万元", report
    )
    assert text == f"2021年泉港区教育局不予公开{withheld}件，收费12.5万元"
    blank = report.with_cell(T3, T3_NEW, COL_TOTAL, None)
    assert render("新收{三.本年新收}件", blank) == f"新收{BLANK}件"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=200))
def test_text_without_placeholders_reads_as_itself(text: str) -> None:
    report = report_with(FORMAT_2021, random.Random(0))
    assert render(text, report) == text
    assert render(escape(text + "{}"), report) == text + "{}"


@settings(max_examples=100, deadline=None)
@given(
    fmt=st.sampled_from(FORMAT_LIST),
    seed=st.integers(0, 10_000),
    picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=6),
    glue=st.lists(st.text(alphabet="本年度共件，。其中", max_size=6), min_size=7, max_size=7),
)
def test_each_placeholder_resolves_to_its_cell(
    fmt: ReportFormat, seed: int, picks: list[int], glue: list[str]
) -> None:
    report = report_with(fmt, random.Random(seed), blank=0.1)
    cells = every_cell(fmt)
    chosen = [cells[i % len(cells)] for i in picks]
    text = glue[0] + "".join(
        placeholder_for(fmt, cell) + glue[i + 1] for i, cell in enumerate(chosen)
    )
    expected = glue[0]
    for i, cell in enumerate(chosen):
        value = report.group_sum(cell.table, cell.row, cell.column)
        expected += (BLANK if value is None else str(value)) + glue[i + 1]
    assert render(text, report) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_in_braces_is_bound_or_refused_in_chinese(inner: str) -> None:
    text = "共{" + inner + "}件"
    try:
        parse(text, FORMAT_2021)
    except PlaceholderError as refused:
        assert re.match(r"第 \d+ 行第 \d+ 个字", str(refused))


# -- the default templates ------------------------------------------------------------------------


def test_every_format_has_a_template_for_every_section() -> None:
    for fmt in FORMAT_LIST:
        assert set(DEFAULT_TEMPLATES[fmt.version]) == {s.code for s in SECTIONS}
        for section in SECTIONS:
            parse(default_template(fmt, section.code), fmt)  # every placeholder binds


@settings(max_examples=40, deadline=None)
@given(fmt=st.sampled_from(FORMAT_LIST), seed=st.integers(0, 10_000))
def test_the_default_prose_never_contradicts_the_tables(fmt: ReportFormat, seed: int) -> None:
    report = report_with(fmt, random.Random(seed))
    narrative = {
        code: render(text, report) for code, text in DEFAULT_TEMPLATES[fmt.version].items()
    }
    assert check_narrative(report.model_copy(update={"narrative": narrative})) == []


def test_a_number_typed_over_a_placeholder_is_caught_by_the_narrative_check() -> None:
    fmt = FORMAT_2021
    report = report_with(fmt, random.Random(3))
    new = report.cell(T3, T3_NEW, COL_TOTAL)
    assert new is not None
    text = default_template(fmt, SECTIONS[0].code).replace("{三.本年新收}", str(new + 1))
    narrative = {SECTIONS[0].code: render(text, report)}
    findings = check_narrative(report.model_copy(update={"narrative": narrative}))
    assert [f.rule for f in findings] == ["narrative.mismatch"]
    assert f"新收政府信息公开申请{new + 1}件" in (findings[0].excerpt or "")
