"""parse_text on the hard and bad inputs the issue names: each says what it could not read."""

from __future__ import annotations

from decimal import Decimal

from gongkai.core.findings import Severity
from gongkai.core.formats import FORMAT_2019, FORMAT_2021
from gongkai.core.model import AnnualReport, ReportMeta
from gongkai.core.narrative import extract_claims
from gongkai.core.parse import parse_text
from tests.parse.synth import render


def _zero_report(version: str = "2021", year: int = 2022) -> AnnualReport:
    fmt = FORMAT_2021 if version == "2021" else FORMAT_2019
    tables = {
        t.code: {r.code: dict.fromkeys((c.code for c in t.columns), 0) for r in t.cell_rows}
        for t in fmt.tables
    }
    return AnnualReport(
        meta=ReportMeta(unit="某县", year=year, format_version=version), tables=tables
    )


def test_not_a_report_at_all() -> None:
    result = parse_text("今天天气很好，我们去公园散步。", source="x.txt")
    assert result.report is None
    assert "不是政府信息公开工作年度报告" in result.reason


def test_empty_text() -> None:
    result = parse_text("   \n")
    assert result.report is None and result.reason == "文本为空"


def test_report_without_table3_says_so() -> None:
    text = render(_zero_report()).split("三、收到和处理")[0]
    result = parse_text(text)
    assert result.report is not None
    missing = [p for p in result.problems if p.code == "missing_table" and p.table == "t3"]
    assert missing and missing[0].severity is Severity.ERROR
    assert missing[0].message.startswith("未找到表三")
    assert result.report.cell("t3", "new", "total") is None  # blank, never 0


def test_round_trip_of_a_tab_separated_report() -> None:
    report = _zero_report().with_cell("t3", "new", "natural_person", 5)
    report = report.with_cell("t3", "new", "total", 5)
    result = parse_text(render(report, sep="\t"))
    assert result.report is not None
    assert result.report.tables == report.tables
    assert result.problems == ()


def test_blank_cells_stay_blank() -> None:
    text = render(_zero_report(), sep="\t").replace(
        "（一）予以公开\t0\t0\t0\t0\t0\t0\t0", "（一）予以公开\t3\t\t\t\t\t\t3"
    )
    result = parse_text(text)
    assert result.report is not None
    row = result.report.row_values("t3", "disclosed")
    assert row["natural_person"] == 3 and row["total"] == 3
    assert row["commercial"] is None


def test_yuan_written_in_the_wan_yuan_cell_is_kept_and_flagged() -> None:
    text = render(_zero_report(), sep="\t").replace("行政事业性收费\t0", "行政事业性收费\t12345元")
    result = parse_text(text)
    assert result.report is not None
    assert result.report.cell("s2.art20_8", "admin_fees", "amount") == Decimal(12345)
    flagged = [p for p in result.problems if p.code == "unit_mismatch"]
    assert flagged and "万元" in flagged[0].message


def test_thousands_separator_and_wan_yuan_suffix() -> None:
    text = render(_zero_report(), sep="\t").replace("行政许可\t0", "行政许可\t1,234")
    text = text.replace("行政事业性收费\t0", "行政事业性收费\t22.5981万元")
    result = parse_text(text)
    assert result.report is not None
    assert result.report.cell("s2.art20_5", "licensing", "decisions") == 1234
    assert result.report.cell("s2.art20_8", "admin_fees", "amount") == Decimal("22.5981")
    assert not [p for p in result.problems if p.code.startswith("unit")]


def test_provincial_extra_row_is_an_info_problem_not_an_error() -> None:
    text = render(_zero_report("2019", 2020), sep="").replace("\n", "")
    text = text.replace("规范性文件000", "规范性文件000其他主动公开文件123")
    result = parse_text(text)
    assert result.report is not None
    extra = [p for p in result.problems if p.code == "extra_text"]
    assert extra and extra[0].severity is Severity.INFO
    assert result.report.cell("s2.art20_1", "normative_documents", "made") == 0


def test_ambiguous_section2_row_is_left_blank_with_candidates() -> None:
    text = render(_zero_report(), sep="").replace("\n", "")
    text = text.replace("行政规范性文件000", "行政规范性文件1077")
    result = parse_text(text)
    assert result.report is not None
    assert result.report.row_values("s2.art20_1", "normative_documents") == {
        "issued": None,
        "repealed": None,
        "in_force": None,
    }
    (problem,) = [p for p in result.ambiguous if p.row == "normative_documents"]
    assert set(problem.candidates) == {(1, 0, 77), (10, 7, 7)}
    assert "1077" in problem.message and "已留空" in problem.message


def test_unsplittable_row_is_named() -> None:
    text = render(_zero_report(), sep="").replace("\n", "")
    # (「123」 would be 1 and 2 printed, the rest blank, and their total 3: see
    # test_blank_cells. No cut of 「124」 adds up.)
    text = text.replace("（一）予以公开0000000", "（一）予以公开124")
    result = parse_text(text)
    (problem,) = [p for p in result.problems if p.code == "unreadable_row"]
    assert problem.table == "t3" and problem.row == "disclosed"
    assert "予以公开" in problem.message and "124" in problem.message


def test_format_that_does_not_fit_the_year_is_flagged() -> None:
    result = parse_text(render(_zero_report("2021", 2022)).replace("2022年度", "2020年度"))
    assert [p.code for p in result.problems if p.code == "format_year_mismatch"]
    assert result.report is not None and result.report.meta.format_version == "2021"


def test_page_chrome_and_html_comments_around_the_body() -> None:
    body = render(_zero_report(), sep="").replace("\n", "")
    text = (
        "当前位置： 首页>政务公开>年报 来源： 时间：2022-01-13 17:48 微信 微博 相关链接： --> "
        + body.replace("规章", "<!--[if !supportMisalignedColumns]-->规章")
        + " 附件下载 扫一扫"
    )
    result = parse_text(text)
    assert result.report is not None
    assert result.report.meta.published is not None
    assert result.narrative["other"] == "无。"
    assert result.report.cell("s2.art20_1", "rules", "issued") == 0


def test_a_wrong_balance_does_not_block_the_other_equation() -> None:
    text = render(_zero_report(), sep="").replace("\n", "")
    text = (
        text.replace("（一）予以公开0000000", "（一）予以公开220000325")
        .replace("（七）总计0000000", "（七）总计22 0 0 0 0 3 25")
        .replace(
            "一、本年新收政府信息公开申请数量0000000",
            "一、本年新收政府信息公开申请数量22 0 0 0 0 3 25",
        )
        .replace("四、结转下年度继续办理0000000", "四、结转下年度继续办理1000001")
    )
    result = parse_text(text)
    assert result.report is not None
    assert result.report.row_values("t3", "disclosed")["natural_person"] == 22
    relaxed = [p for p in result.problems if p.code == "balance_relaxed"]
    assert relaxed and "第一项加第二项等于第三项加第四项" in relaxed[0].message


def test_report_printed_with_cjk_radicals_reads_like_the_plain_one() -> None:
    # A PDF text layer's look-alikes: Kangxi Radicals (NFKC maps them) and the CJK Radicals
    # Supplement (「⺠」, 「⻔」: NFKC does not; Unicode's EquivalentUnifiedIdeograph does).
    report = _zero_report().with_cell("t3", "new", "natural_person", 5)
    report = report.with_cell("t3", "new", "total", 5)
    plain = render(report, sep="\t").replace(
        "本单位认真贯彻《条例》。",
        "本单位认真贯彻《条例》，人民群众通过门户网站共收到政府信息公开申请5件。",
    )
    radicals = plain.translate(str.maketrans({"一": "⼀", "人": "⼈", "民": "⺠", "门": "⻔"}))
    assert "⺠" in radicals and "⻔" in radicals
    read, expected = parse_text(radicals), parse_text(plain)
    assert read.report is not None and expected.report is not None
    assert read.report.tables == report.tables
    assert read.problems == expected.problems
    overview = read.report.narrative["overview"]
    assert overview.startswith("本单位认真贯彻《条例》，⼈⺠群众")  # the author's characters

    def claims(parsed: AnnualReport) -> list[tuple[object, ...]]:
        return [(c.target, c.value) for c in extract_claims(parsed.narrative)]

    assert claims(read.report) and claims(read.report) == claims(expected.report)
