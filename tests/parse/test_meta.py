"""Metadata found in the text: unit, year, publication date, format version, kind."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from gongkai.core.model import ReportKind
from gongkai.core.parse.labels import normalise
from gongkai.core.parse.meta import detect_kind, detect_meta, detect_version


@pytest.mark.parametrize(
    ("text", "unit", "year"),
    [
        ("泉港区 2021 年度政府信息公开工作年度报告\n正文", "泉港区", 2021),
        (
            "平潭综合实验区国有资产管理局 2019年政府信息公开工作年度报告",
            "平潭综合实验区国有资产管理局",
            2019,
        ),
        ("2022年度某某市交通运输局政府信息公开工作年度报告", "某某市交通运输局", 2022),
        ("当前位置：首页>政务公开>年报 某县2020年政府信息公开工作年度报告 来源", "某县", 2020),
        # A PDF's title line wrapped before its last character, as Word and LibreOffice print it.
        ("某县教育局 2025 年政府信息公开工作年度报\n告\n一、总体情况", "某县教育局", 2025),
        ("2024年某市民政局政府信息公开\n工作年度报告\n一、总体情况", "某市民政局", 2024),
    ],
)
def test_unit_and_year_from_the_title(text: str, unit: str, year: int) -> None:
    meta = detect_meta(normalise(text))
    assert (meta.unit, meta.year) == (unit, year)


def test_year_from_the_statistics_period_when_the_title_has_none() -> None:
    text = normalise("年度报告\n本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。")
    assert detect_meta(text).year == 2023


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "标题: 某县2021年度政府信息公开工作年度报告\n发布时间: 2022-01-13 17:48\n"
            "==================== 正文 ====================\n正文 2022年1月7日",
            dt.date(2022, 1, 13),
        ),
        (
            "某县2021年度政府信息公开工作年度报告 来源：某县 时间：2022-02-08 16:34 正文",
            dt.date(2022, 2, 8),
        ),
        (
            "某县2021年度政府信息公开工作年度报告\n抄送：市政府\n2022 年 1 月 10 日印发",
            dt.date(2022, 1, 10),
        ),
    ],
)
def test_publication_date(text: str, date: dt.date) -> None:
    assert detect_meta(normalise(text)).published == date


@pytest.mark.parametrize(
    "text",
    [
        # A date, then a run of blank cells (a damaged page: 100,000 tabs), and no 印发.
        "某县2021年度政府信息公开工作年度报告\n印数：十份\n2022-01-10" + "\t" * 100_000 + "完",
        # A title (the crawler's header line, which has no length cap) with the run where
        # 「年度的」 may stand: three \s* around two optional words, tens of seconds for
        # 1,200 tabs before (the splits grow with the cube of the run).
        "标题：某县2021年" + "\t" * 1_200 + "政府\n=== 正文 ===\n某县政府信息公开工作年度报告",
    ],
)
def test_a_long_run_of_whitespace_after_a_date_is_read_at_once(text: str) -> None:
    """No pattern lets two \\s* meet around an optional word: that took 18 s on such a run."""
    began = time.process_time()
    detect_meta(normalise(text))
    assert time.process_time() - began < 2


def test_signature_date_of_the_last_section() -> None:
    meta = detect_meta(
        normalise("某局2020年度政府信息公开工作年度报告"), last_section="无。 某局 2021年1月27日"
    )
    assert meta.published == dt.date(2021, 1, 27)


def test_impossible_dates_are_ignored() -> None:
    assert (
        detect_meta(normalise("某县2021年度政府信息公开工作年度报告 2022年2月30日印发")).published
        is None
    )


@pytest.mark.parametrize(
    ("text", "year", "version"),
    [
        ("信息内容本年制发件数本年废止件数现行有效件数", None, "2021"),
        ("信息内容本年新制作数量本年新公开数量对外公开总数量 第二十条第（九）项", 2021, "2019"),
        ("没有任何表格", 2020, "2019"),
        ("没有任何表格", 2023, "2021"),
        ("没有任何表格", None, None),
        ("没有任何表格", 2015, None),
    ],
)
def test_format_version_from_markers_then_year(
    text: str, year: int | None, version: str | None
) -> None:
    assert detect_version(normalise(text), year, {}) == version


@pytest.mark.parametrize(
    ("unit", "context", "kind"),
    [
        ("泉港区", "本报告系汇总泉港区人民政府、各镇人民政府…编制而成", ReportKind.ROLLUP),
        ("上海市人民政府办公厅（代表市政府）", "", ReportKind.GOVERNMENT),
        ("平潭综合实验区", "", ReportKind.GOVERNMENT),
        ("某县人民政府", "", ReportKind.GOVERNMENT),
        ("某某镇人民政府", "", ReportKind.TOWNSHIP),
        ("山腰街道办事处", "", ReportKind.TOWNSHIP),
        ("平潭综合实验区管委会办公室", "", ReportKind.DEPARTMENT),
        ("平潭综合实验区公安局", "", ReportKind.DEPARTMENT),
        ("某市卫生健康委员会", "", ReportKind.DEPARTMENT),
        ("", "", None),
    ],
)
def test_kind_heuristic(unit: str, context: str, kind: ReportKind | None) -> None:
    assert detect_kind(unit, context) == kind
