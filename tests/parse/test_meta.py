"""Metadata found in the text: unit, year, publication date, format version, kind."""

from __future__ import annotations

import datetime as dt
import time
from html import escape

import pytest

from gongkai.core.findings import Severity
from gongkai.core.model import AnnualReport, ReportKind
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.parse.labels import normalise
from gongkai.core.parse.meta import detect_kind, detect_meta, detect_version
from tests.fixtures.rendered.make_fixtures import page_html, title
from tests.parse.synth import render


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


_TITLE = "某乡2022年政府信息公开工作年度报告\n"


# A page's information table, as crawled from sites of other provinces: label and date in two
# cells (a space or a line between them), in brackets, or a bare 「日期：」.
@pytest.mark.parametrize(
    "line",
    [
        "发布日期 2023-01-12 20:04",
        "发布时间\n2023-01-12",
        "【发布日期】2023-01-12",
        "[发布时间]2023年1月12日",
        "日期：2023-01-12 浏览次数：",
        "成文日期：2023-01-05 发布日期：2023-01-12",
    ],
)
def test_publication_date_in_a_page_information_table(line: str) -> None:
    meta = detect_meta(normalise(f"{_TITLE}{line}\n一、总体情况\n"))
    assert meta.published == dt.date(2023, 1, 12)


@pytest.mark.parametrize(
    "line",
    [
        "本报告统计时间：2022年1月1日至12月31日。",  # when the figures were counted
        "成文日期：2023-01-05",  # when the text was written
        "发文日期 2023-01-05",
    ],
)
def test_other_dates_are_no_publication_date(line: str) -> None:
    assert detect_meta(normalise(f"{_TITLE}{line}\n一、总体情况\n")).published is None


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


# Openings of real reports from other provinces, in their shapes (the units invented): the
# title stands in a sentence after the words that bring it, or ends 「工作报告」.
@pytest.mark.parametrize(
    ("text", "unit", "year"),
    [
        (
            "根据《中华人民共和国政府信息公开条例》规定,现公布区统计局2023年政府信息公开工作"
            "年度报告。本报告由总体情况等六部分组成。",
            "区统计局",
            2023,
        ),
        (
            "根据《条例》要求,特编制某市人民政府地方志办公室2023年政府信息公开工作年度报告。",
            "某市人民政府地方志办公室",
            2023,
        ),
        ("编制，现发布某县水利局2022年度政府信息公开工作年度报告如下：", "某县水利局", 2022),
        ("现公布某市人民政府2023年度政府信息公开工作报告。", "某市人民政府", 2023),
        # Names that start or hold such words are names.
        (
            "中共某市委机构编制委员会办公室2023年政府信息公开工作年度报告",
            "中共某市委机构编制委员会办公室",
            2023,
        ),
        ("本溪市人民政府2023年政府信息公开工作年度报告", "本溪市人民政府", 2023),
    ],
)
def test_the_unit_of_a_title_in_an_opening_sentence(text: str, unit: str, year: int) -> None:
    meta = detect_meta(normalise(text))
    assert (meta.unit, meta.year) == (unit, year)
    assert meta.title is not None and meta.title.startswith(unit)


@pytest.mark.parametrize(
    "text",
    [
        # A crawled page: the page's title, then the article's, neither naming the unit.
        "2023年政府信息公开工作年度报告\n2023年政府信息公开工作年度报告\n一、总体情况\n",
        "2023年政府信息公开工作年度报告\n一、总体情况\n",
        # The unit said as "we": no name.
        "根据《条例》，编制本局2023年政府信息公开工作年度报告。\n一、总体情况\n",
        "我局2023年政府信息公开工作年度报告\n一、总体情况\n",
        # No title: the notice the opening cites holds one, of the report's year.
        "根据《中华人民共和国政府信息公开条例》及《某市人民政府办公厅关于做好2023年政府信息公开"
        "工作年度报告编制工作的通知》要求，编制本报告。\n一、总体情况\n",
    ],
)
def test_a_title_that_names_no_unit_gives_the_year_only(text: str) -> None:
    meta = detect_meta(normalise(text))
    assert (meta.unit, meta.year) == (None, 2023)
    assert meta.title is not None and "\n" not in meta.title


@pytest.mark.parametrize(
    ("source", "unit"),
    [
        ("某县民政局2023年政府信息公开工作年度报告.pdf", "某县民政局"),
        ("省/市/2023年度某县民政局政府信息公开工作年度报告.docx", "某县民政局"),
        ("batch.zip!某县民政局_2023年政府信息公开工作年度报告.txt", "某县民政局"),
        ("C:\\下载\\某县民政局2023年度政府信息公开工作报告.html", "某县民政局"),
        # Attachments as sites number them.
        ("附件1-某县民政局2023年政府信息公开工作年度报告.pdf", "某县民政局"),
        ("03.某县民政局2023年政府信息公开工作年度报告.ofd", "某县民政局"),
    ],
)
def test_the_file_name_gives_what_the_text_does_not(source: str, unit: str) -> None:
    """An evaluator saves each report under its title; a body copied without the page's title
    names neither unit nor year."""
    body = normalise("一、总体情况\n我局积极落实政府信息公开工作要求。\n二、主动公开政府信息情况\n")
    meta = detect_meta(body, source=source)
    assert (meta.unit, meta.year) == (unit, 2023)
    assert meta.evidence["unit"] == meta.evidence["year"] == "文件名"
    # The text's own title comes first, and a name of another year gives nothing.
    titled = normalise("某局2022年政府信息公开工作年度报告\n") + body
    assert (detect_meta(titled, source=source).unit, detect_meta(titled).year) == ("某局", 2022)
    untitled = normalise("2022年政府信息公开工作年度报告\n") + body
    assert detect_meta(untitled, source=source).unit is None
    # A name that is no title gives nothing.
    assert detect_meta(body, source="t20240115_3271106.html").year is None


@pytest.mark.parametrize(
    ("text", "year", "how"),
    [
        ("一、总体情况\n截止2023年12月31日，我局通过网站发布信息34条。", 2023, "截至年底"),
        ("一、总体情况\n截至2022年底，累计公开信息1200条。", 2022, "截至年底"),
        (
            "一、总体情况\n2023年，我局认真落实。\n（二）2023年，我局收到申请3件。"
            "2024年，我局将继续做好公开工作。",
            2023,
            "各句开头",
        ),
    ],
)
def test_a_year_named_nowhere_is_inferred_from_the_body_and_said_to_be(
    text: str, year: int, how: str
) -> None:
    meta = detect_meta(normalise(text))
    assert meta.year == year
    assert how in meta.evidence["year"] and "推断" in meta.evidence["year"]


@pytest.mark.parametrize(
    "text",
    [
        "一、总体情况\n2023年，我局认真落实。",  # once only
        "一、总体情况\n2023年，我局认真落实。\n2024年，我局将继续。",  # a tie
        "一、总体情况\n我局在2023年、2022年均未收到申请。",  # no sentence starts with one
    ],
)
def test_no_year_is_inferred_from_a_body_that_does_not_make_it_clear(text: str) -> None:
    assert detect_meta(normalise(text)).year is None


def _untitled(report: AnnualReport, kind: str) -> bytes:
    """The report without any title (a body copied from its page, or a page whose title is
    drawn as a picture), as a text or as a page."""
    if kind == "txt":
        return render(report, sep=" ", title=False).encode()
    page = page_html(report.model_copy(update={"narrative": {}}))
    return page.replace(escape(title(report)), "").encode()


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_a_report_without_a_title_is_read_by_its_file_name_and_says_so(
    seed: AnnualReport, kind: str
) -> None:
    data = _untitled(seed, kind)
    unnamed = parse_document(data, name=f"untitled.{kind}")  # (no year anywhere)
    assert unnamed.report is None and "按报告标题命名文件" in unnamed.reason
    result = parse_document(data, name=f"下载/泉港区_2021年度政府信息公开工作年度报告.{kind}")
    assert result.report is not None
    assert (result.report.meta.unit, result.report.meta.year) == ("泉港区", 2021)
    assert result.report.tables == seed.tables
    notes = {p.code: p for p in result.problems}
    assert notes["year_from_name"].severity is Severity.INFO
    assert "2021" in notes["year_from_name"].message
    assert "「泉港区」" in notes["unit_from_name"].message
    assert "missing_unit" not in notes


def test_a_year_inferred_from_the_body_is_a_warning(seed: AnnualReport) -> None:
    text = render(seed, sep=" ", title=False).replace(
        "本单位认真贯彻《条例》。", "截至2021年12月31日，本单位主动公开信息120条。"
    )
    result = parse_document(text.encode(), name="t20220115_3271106.txt")
    assert result.report is not None and result.report.meta.year == 2021
    [note] = [p for p in result.problems if p.code == "year_inferred"]
    assert note.severity is Severity.WARNING and "推断为 2021 年" in note.message
    assert "missing_unit" in {p.code for p in result.problems}


def test_a_very_long_file_name_is_read_at_once() -> None:
    """A zip may name a member with 65,535 bytes; only its end can be a title."""
    began = time.process_time()
    meta = detect_meta(
        "一、总体情况\n", source="某" * 60_000 + "局2023年政府信息公开工作年度报告.txt"
    )
    assert time.process_time() - began < 1
    assert meta.year == 2023 and meta.unit is not None and meta.unit.endswith("某局")


@pytest.mark.parametrize(
    ("text", "unit", "title"),
    [
        # The page's title, then the article's over two lines.
        (
            "2022年政府信息公开工作年度报告\n某县某镇人民政府\n2022年政府信息公开工作年度报告\n",
            "某县某镇人民政府",
            "某县某镇人民政府2022年政府信息公开工作年度报告",
        ),
        # A page's label of its title, without the colon of a crawler's header.
        (
            "索引号000014349/2023-74857\n文号是否有效\n标题某区某乡2022年政府信息公开工作年度报告\n",
            "某区某乡",
            "某区某乡2022年政府信息公开工作年度报告",
        ),
    ],
)
def test_the_title_of_a_page_as_crawled(text: str, unit: str, title: str) -> None:
    meta = detect_meta(normalise(text))
    assert (meta.unit, meta.year, meta.title) == (unit, 2022, title)


# A page whose title names no unit, under the information table government sites print above
# every document (索引号, 发布机构, 发文日期 …), as crawled.
@pytest.mark.parametrize(
    ("table", "unit"),
    [
        ("索引号：11/2024-001 发布机构：某市统计局 发文日期：2024-01-12", "某市统计局"),
        ("索引号 11/2024-001 | 发布机构 | 某市统计局 | 文号 |", "某市统计局"),
        ("发布机构：某市统计局发文日期：2024-01-12", "某市统计局"),
        ("【发布机构】某县司法局", "某县司法局"),
        # An empty cell: the next label, or the title on the next line, is no unit.
        ("索引号 000014349/2023-74857\n发布机构发文日期 2024-01-12 20:04", None),
        ("发布机构：", None),
    ],
)
def test_the_unit_from_a_page_information_table(table: str, unit: str | None) -> None:
    meta = detect_meta(normalise(f"{table}\n2023年政府信息公开工作年度报告\n一、总体情况\n"))
    assert (meta.unit, meta.year) == (unit, 2023)


def test_a_unit_from_the_information_table_is_said_to_be(seed: AnnualReport) -> None:
    text = "发布机构：泉港区人民政府办公室 发文日期：2022-01-20\n2021年政府信息公开工作年度报告\n"
    result = parse_document((text + render(seed, title=False)).encode(), name="x.txt")
    assert result.report is not None and result.report.meta.unit == "泉港区人民政府办公室"
    [note] = [p for p in result.problems if p.code == "unit_from_publisher"]
    assert note.severity is Severity.INFO and "代为发布" in note.message
