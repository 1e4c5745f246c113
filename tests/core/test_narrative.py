"""The prose checked against the tables: what evaluators find by hand, found exactly.

The seed (泉港区 2021) and the corpus cases of ``shared/reports/answers.tsv`` are the
specification. Narrative sentences and table values of corpus reports are copied verbatim
from ``shared/reports`` (the text parser is written separately); a test at the end checks
that every sentence used here really is in the published report.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from gongkai.core.findings import Category, CellRef, Severity
from gongkai.core.formats import (
    COL_TOTAL,
    FORMAT_2019,
    FORMAT_2021,
    T3,
    T3_UNAVAILABLE,
    ReportFormat,
)
from gongkai.core.model import AnnualReport, CellValue, ReportMeta
from gongkai.core.narrative import Claim, ClaimKind, Target, check_narrative, extract_claims
from gongkai.core.narrative.fees import read_fee_statement
from gongkai.core.rules import check_report

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "seed_quangang_2021.json"

Row7 = tuple[CellValue, CellValue, CellValue, CellValue, CellValue, CellValue, CellValue]
T3_COLUMNS = [c.code for c in FORMAT_2021.table3.columns]
T4_COLUMNS = [c.code for c in FORMAT_2021.table4.columns]


def build(
    *,
    year: int,
    unit: str,
    t3: dict[str, Row7],
    t4: dict[str, tuple[CellValue, ...]] | None = None,
    s2: dict[str, dict[str, dict[str, CellValue]]] | None = None,
    narrative: dict[str, str],
    zero: bool = True,
) -> AnnualReport:
    """A report from table rows as printed (7 cells of table 三, 5 of table 四).

    Rows not given are all 0 when ``zero`` (a report that filled in every cell), else blank.
    """
    fmt = FORMAT_2019 if year < 2021 else FORMAT_2021
    fill: CellValue = 0 if zero else None
    table3 = {
        row.code: dict(zip(T3_COLUMNS, t3.get(row.code, (fill,) * 7), strict=True))
        for row in fmt.table3.cell_rows
    }
    table4 = {
        row.code: dict(zip(T4_COLUMNS, (t4 or {}).get(row.code, (fill,) * 5), strict=True))
        for row in fmt.table4.cell_rows
    }
    return AnnualReport(
        meta=ReportMeta(unit=unit, year=year, format_version=fmt.version),
        tables={"t3": table3, "t4": table4, **(s2 or {})},
        narrative=narrative,
    )


def row(*cells: CellValue) -> Row7:
    """A table 三 row whose 总计 is the sum of its six applicant cells."""
    assert len(cells) == 6
    total = sum(c for c in cells if c is not None)
    return (*cells, total)  # type: ignore[return-value]


def summary(report: AnnualReport) -> list[tuple[str, Severity, str]]:
    return [(f.rule, f.severity, f.message) for f in check_narrative(report)]


# --------------------------------------------------------------------------------------------
# The seed: 泉港区 2021. Its known errors, asserted exactly (issue 4, LEGAL.md §2.7).
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> AnnualReport:
    return AnnualReport.from_json(SEED.read_text(encoding="utf-8"))


def test_seed_has_exactly_its_five_known_narrative_errors(seed: AnnualReport) -> None:
    assert summary(seed) == [
        (
            "narrative.mismatch",
            Severity.ERROR,
            "正文称「无法提供」16 件，表三（四）无法提供总计为 15 件",
        ),
        (
            "narrative.mismatch",
            Severity.ERROR,
            "正文称「其他处理」9 件，表三（六）其他处理总计为 8 件",
        ),
        (
            "narrative.omitted_result",
            Severity.WARNING,
            "表三（二）部分公开总计为 2 件，正文列举办理结果（予以公开、无法提供、其他处理）"
            "时未提及「部分公开」",
        ),
        (
            "narrative.duplicate_category",
            Severity.WARNING,
            "正文将「国土城乡建设环保能源类信息」127 条列出两次"
            "（第二次写作「国土资源城乡建设环保能源类信息」127 条）",
        ),
        (
            "narrative.category_sum",
            Severity.WARNING,
            "正文称「共制作主动公开政府信息总数 1555 条」，所列 9 个分类合计为 1012 条，"
            "比总数少 543 条",
        ),
    ]


def test_seed_findings_quote_their_sentence_and_point_at_the_cells(seed: AnnualReport) -> None:
    unavailable, other, partly, duplicate, total = check_narrative(seed)

    assert unavailable.category is Category.NARRATIVE
    assert unavailable.excerpt is not None
    assert "“无法提供”的 16 件" in unavailable.excerpt
    assert unavailable.cells == (
        CellRef(table="t3", row="unavailable.not_held", column="total"),
        CellRef(table="t3", row="unavailable.needs_creation", column="total"),
        CellRef(table="t3", row="unavailable.unclear", column="total"),
    )
    assert other.cells[-1] == CellRef(table="t3", row="other.other", column="total")
    assert partly.cells == (CellRef(table="t3", row="partly_disclosed", column="total"),)
    assert duplicate.excerpt is not None
    assert duplicate.excerpt.startswith("2021年全年共制作主动公开政府信息总数 1555 条")
    assert duplicate.excerpt.endswith("国土资源城乡建设环保能源类信息 127 条。")
    assert total.excerpt == duplicate.excerpt


def test_seed_claims_that_match_the_tables_are_read_and_pass(seed: AnnualReport) -> None:
    """予以公开 36, 结转 6, 收到 67, 复议 3 / 维持 3, 诉讼 0 are read — and agree."""
    cells = {
        (c.target.table, c.target.rows, c.target.columns): c.value
        for c in extract_claims(seed.narrative)
        if c.target is not None
    }

    assert cells == {
        ("t3", ("new",), ("total",)): 67,
        ("t3", ("disclosed",), ("total",)): 36,
        ("t3", ("unavailable",), ("total",)): 16,
        ("t3", ("other",), ("total",)): 9,
        ("t3", ("carried_out",), ("total",)): 6,
        ("t4", ("reconsideration",), ("total",)): 3,
        ("t4", ("reconsideration",), ("upheld",)): 3,
        ("t4", ("litigation_direct", "litigation_after"), ("total",)): 0,
    }


def test_seed_breakdown_is_read_line_by_line(seed: AnnualReport) -> None:
    claims = extract_claims(seed.narrative)
    lines = [(c.label, c.value) for c in claims if c.kind is ClaimKind.CATEGORY]
    totals = [c.value for c in claims if c.kind is ClaimKind.CATEGORY_TOTAL]

    assert totals == [1555]
    assert lines == [
        ("机构职能类信息", 211),
        ("规范性文件类信息", 25),
        ("规划计划方案意见类信息", 41),
        ("行政许可类信息", 262),
        ("民政扶贫救灾社会保障就业类信息", 96),
        ("国土城乡建设环保能源类信息", 127),
        ("科教文体卫生类信息", 93),
        ("安全生产、应急管理类信息", 30),
        ("国土资源城乡建设环保能源类信息", 127),
    ]


def test_seed_fee_sentence_is_read_as_no_fee_collected(seed: AnnualReport) -> None:
    fees = [c for c in extract_claims(seed.narrative) if c.kind is ClaimKind.FEE_COLLECTED]

    assert [(c.value, c.section, c.sentence) for c in fees] == [
        (0, "other", "2021 年泉港区未收取信息处理费。")
    ]


def test_correcting_the_seed_prose_clears_its_findings(seed: AnnualReport) -> None:
    """The findings are caused by the prose: fix the prose, and they go away."""
    text = (
        seed.narrative["overview"]
        .replace("“无法提供”的 16 件", "“部分公开”的 2 件，“无法提供”的 15 件")
        .replace("“其他处理”的 9 件", "“其他处理”的 8 件")
        .replace("总数 1555 条", "总数 885 条")
        .replace("，国土资源城乡建设环保能源类信息 127 条", "")
    )
    fixed = seed.model_copy(update={"narrative": {**seed.narrative, "overview": text}})

    assert check_narrative(fixed) == []


# --------------------------------------------------------------------------------------------
# 017 上海市人民政府办公厅 2019 (old format): blank 总计 cells, combined claims, 均获维持.
# --------------------------------------------------------------------------------------------

SHANGHAI_2019 = {
    "overview": (
        "2019年，通过“中国上海”门户网站、《上海市人民政府公报》等平台主动公开规章13件，"
        "行政规范性文件60件，市政府其他文件162件，人事任免文件141件。"
        "市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落12.3%；"
        "答复政府信息公开申请805件（含上年度结转申请18件，另有72件申请按照《条例》"
        "顺延到下年度答复），均在法定期限内予以答复。予以公开及部分公开258件，占33.9%；"
        "不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件，占32.9%；"
        "不予处理158件，占19.6%；其他处理0件。信息公开类行政复议7件，诉讼9件，均获维持，"
        "继续保持了省级政府零败诉的记录，维护了市政府依法行政、公开透明的良好形象。"
    )
}
_ = None
SHANGHAI_2019_T3: dict[str, Row7] = {
    "new": (821, 35, _, _, 2, 1, 859),
    "carried_in": (18, _, _, _, _, _, 18),
    "disclosed": (258, 12, _, _, 1, 1, _),
    "partly_disclosed": (3, _, _, _, _, _, _),
    "withheld.state_secret": (14, _, _, _, _, _, _),
    "withheld.internal_affairs": (5, _, _, _, _, _, _),
    "withheld.process_info": (3, 1, _, _, _, _, _),
    "withheld.query_matter": (10, 2, _, _, _, _, _),
    "unavailable.not_held": (252, 12, _, _, 1, _, _),
    "unavailable.needs_creation": (44, 3, _, _, _, _, _),
    "unavailable.unclear": (25, _, _, _, _, _, _),
    "not_processed.petition": (148, 1, _, _, _, _, _),
    "not_processed.repeat": (5, 4, _, _, _, _, _),
    "results_total": (767, 35, _, _, 2, 1, 805),
    "carried_out": (72, _, _, _, _, _, 72),
}
SHANGHAI_2019_T4 = {
    "reconsideration": (5, _, _, 2, 7),
    "litigation_direct": (8, _, _, 1, 9),
}
SHANGHAI_2019_S2: dict[str, dict[str, dict[str, CellValue]]] = {
    "s2.art20_1": {
        "rules": {"made": 13, "published": 13, "total_public": 524},
        "normative_documents": {"made": 60, "published": 60, "total_public": 368},
    }
}


@pytest.fixture(scope="module")
def shanghai_2019() -> AnnualReport:
    return build(
        year=2019,
        unit="上海市人民政府办公厅",
        t3=SHANGHAI_2019_T3,
        t4=SHANGHAI_2019_T4,
        s2=SHANGHAI_2019_S2,
        narrative=SHANGHAI_2019,
        zero=False,
    )


def test_shanghai_2019_finds_the_three_contradictions_of_the_answer_key(
    shanghai_2019: AnnualReport,
) -> None:
    """answers.tsv 017: 258 vs 275; 无法提供 265 vs 337; 「均获维持」 vs 维持 5 + 2 and 8 + 1."""
    assert summary(shanghai_2019) == [
        (
            "narrative.mismatch",
            Severity.ERROR,
            "正文称「予以公开及部分公开」258 件，表三（一）予以公开与（二）部分公开总计为 275 件"
            "（总计栏空白，按各申请人栏合计）；258 件只是（一）予以公开的自然人一栏",
        ),
        (
            "narrative.mismatch",
            Severity.ERROR,
            "正文称「无法提供」265 件，表三（四）无法提供总计为 337 件"
            "（总计栏空白，按各申请人栏合计）；265 件只是其中「1.本机关不掌握相关政府信息」一项",
        ),
        (
            "narrative.mismatch",
            Severity.ERROR,
            "正文称行政复议 7 件「均获维持」，表四行政复议结果维持为 5 件（另有尚未审结 2 件）",
        ),
        (
            "narrative.mismatch",
            Severity.ERROR,
            "正文称行政诉讼 9 件「均获维持」，表四行政诉讼（未经复议直接起诉与复议后起诉）"
            "结果维持为 8 件（另有尚未审结 1 件）",
        ),
    ]


def test_shanghai_2019_claims_that_match_are_read(shanghai_2019: AnnualReport) -> None:
    """不予公开 35, 不予处理 158, 受理 859, 答复 805, 结转 18 and 72 all agree with the table."""
    values = {
        (c.target.table, c.target.rows, c.target.columns): c.value
        for c in extract_claims(shanghai_2019.narrative, fmt=FORMAT_2019)
        if c.target is not None
    }

    assert values == {
        ("s2.art20_1", ("rules",), ("published",)): 13,
        ("s2.art20_1", ("normative_documents",), ("published",)): 60,
        ("t3", ("new",), ("total",)): 859,
        ("t3", ("results_total",), ("total",)): 805,
        ("t3", ("carried_in",), ("total",)): 18,
        ("t3", ("carried_out",), ("total",)): 72,
        ("t3", ("disclosed", "partly_disclosed"), ("total",)): 258,
        ("t3", ("withheld",), ("total",)): 35,
        ("t3", ("unavailable",), ("total",)): 265,
        ("t3", ("not_processed",), ("total",)): 158,
        ("t3", ("other",), ("total",)): 0,
        ("t4", ("reconsideration",), ("total",)): 7,
        ("t4", ("litigation_direct", "litigation_after"), ("total",)): 9,
        ("t4", ("reconsideration",), ("upheld",)): 7,
        ("t4", ("litigation_direct", "litigation_after"), ("upheld",)): 9,
    }


# --------------------------------------------------------------------------------------------
# 004 平潭 2022: 收到 75 = 一 + 二. Decision: a warning naming both readings, not an error.
# --------------------------------------------------------------------------------------------

PINGTAN_2022 = {
    "overview": (
        "一是做好规范性文件公开。设立规范性文件库，集中公开现行有效行政规范性文件698件，"
        "动态更新本年度制发的规范性文件88件。"
        "2022年，全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件，"
        "均在法定期限内予以答复，办结率100%。"
        "2022年，全区政府信息公开工作方面共有行政诉讼案件1件、行政复议案件2件，均已结案。"
    ),
    "other": "2022年，无收取信息处理费情况。",
}


@pytest.fixture(scope="module")
def pingtan_2022() -> AnnualReport:
    return build(
        year=2022,
        unit="平潭综合实验区",
        t3={
            "new": row(71, 3, 0, 0, 0, 0),
            "carried_in": row(1, 0, 0, 0, 0, 0),
            "disclosed": row(21, 0, 0, 0, 0, 0),
            "partly_disclosed": row(8, 1, 0, 0, 0, 0),
            "withheld.internal_affairs": row(1, 0, 0, 0, 0, 0),
            "withheld.process_info": row(2, 0, 0, 0, 0, 0),
            "withheld.enforcement_file": row(1, 0, 0, 0, 0, 0),
            "unavailable.not_held": row(37, 0, 0, 0, 0, 0),
            "other.no_correction": row(2, 0, 0, 0, 0, 0),
            "other.other": row(0, 2, 0, 0, 0, 0),
            "results_total": row(72, 3, 0, 0, 0, 0),
        },
        t4={"reconsideration": (0, 1, 1, 0, 2), "litigation_direct": (1, 0, 0, 0, 1)},
        s2={
            "s2.art20_1": {
                "rules": {"issued": 0, "repealed": 0, "in_force": 0},
                "normative_documents": {"issued": 88, "repealed": 55, "in_force": 698},
            }
        },
        narrative=PINGTAN_2022,
    )


def test_pingtan_2022_received_75_is_new_plus_carried_over(pingtan_2022: AnnualReport) -> None:
    """answers.tsv 004: 75 and 72 equal 一+二; a warning, because the sum is a common reading."""
    assert summary(pingtan_2022) == [
        (
            "narrative.received_includes_carried_in",
            Severity.WARNING,
            "正文称「收到申请」75 件，表三一、本年新收总计为 74 件；75 件等于一、本年新收与"
            "二、上年结转（1 件）之和，正文把上年结转的申请也计为本年收到",
        ),
        (
            "narrative.received_includes_carried_in",
            Severity.WARNING,
            "正文称「收到申请」中自然人 72 件，表三一、本年新收自然人为 71 件；72 件等于一、"
            "本年新收与二、上年结转（1 件）之和，正文把上年结转的申请也计为本年收到",
        ),
    ]


def test_pingtan_2022_documents_remedies_and_commercial_applicants_agree(
    pingtan_2022: AnnualReport,
) -> None:
    values = {
        (c.target.table, c.target.rows, c.target.columns): c.value
        for c in extract_claims(pingtan_2022.narrative)
        if c.target is not None
    }

    assert values == {
        ("s2.art20_1", ("normative_documents",), ("in_force",)): 698,
        ("s2.art20_1", ("normative_documents",), ("issued",)): 88,
        ("t3", ("new",), ("total",)): 75,
        ("t3", ("new",), ("natural_person",)): 72,
        ("t3", ("new",), ("commercial",)): 3,
        ("t4", ("litigation_direct", "litigation_after"), ("total",)): 1,
        ("t4", ("reconsideration",), ("total",)): 2,
        # 均已结案: nothing pending.
        ("t4", ("litigation_direct", "litigation_after"), ("pending",)): 0,
        ("t4", ("reconsideration",), ("pending",)): 0,
    }


def test_received_equal_to_new_alone_is_no_finding(pingtan_2022: AnnualReport) -> None:
    text = PINGTAN_2022["overview"].replace("申请75件，涉及自然人72件", "申请74件，涉及自然人71件")
    report = pingtan_2022.model_copy(update={"narrative": {**PINGTAN_2022, "overview": text}})

    assert check_narrative(report) == []


def test_received_matching_neither_reading_is_an_error(pingtan_2022: AnnualReport) -> None:
    text = PINGTAN_2022["overview"].replace("申请75件，涉及自然人72件", "申请80件，涉及自然人71件")
    report = pingtan_2022.model_copy(update={"narrative": {**PINGTAN_2022, "overview": text}})

    assert summary(report) == [
        (
            "narrative.mismatch",
            Severity.ERROR,
            "正文称「收到申请」80 件，表三一、本年新收总计为 74 件",
        )
    ]


# --------------------------------------------------------------------------------------------
# 016 平潭公安局 2021: the table counts one application twice; the prose is right.
# --------------------------------------------------------------------------------------------


def test_police_2021_double_count_is_a_table_finding_not_a_narrative_one() -> None:
    """answers.tsv 016: the prose (收到 1 件, 结转下年度, no 复议/诉讼) agrees with the table;
    the table's own 一+二 ≠ 三+四 is the table rules' finding (t3 balance), not this check's."""
    report = build(
        year=2021,
        unit="平潭综合实验区公安局",
        t3={
            "new": row(1, 0, 0, 0, 0, 0),
            "other.other": row(1, 0, 0, 0, 0, 0),
            "results_total": row(1, 0, 0, 0, 0, 0),
            "carried_out": row(1, 0, 0, 0, 0, 0),
        },
        narrative={
            "overview": (
                "2021年，我局收到政府信息公开申请1件，已按照相关法规，逐级审查，作出补正告知，"
                "目前未收到该申请人提交的补正，结转下年度办理。全年没有应公开而不予公开的情况，"
                "没有因政府信息公开针对市公安局申请行政复议或行政诉讼的事项。"
            ),
            "other": "2021年，无收取信息处理费情况。",
        },
    )
    claims = extract_claims(report.narrative)

    assert check_narrative(report) == []
    assert [(c.phrase, c.firm) for c in claims if c.target is not None] == [
        ("「收到申请」1 件", True),
        ("没有行政复议（0 件）", False),
        ("没有行政诉讼（0 件）", False),
    ]


def test_a_negated_remedy_against_a_table_with_cases_is_a_warning() -> None:
    report = build(
        year=2021,
        unit="某局",
        t3={},
        t4={"reconsideration": (1, 0, 0, 0, 1)},
        narrative={"overview": "没有因政府信息公开申请行政复议或提起行政诉讼的事项。"},
    )

    assert summary(report) == [
        (
            "narrative.mismatch",
            Severity.WARNING,
            "正文称没有行政复议（0 件），表四行政复议总计为 1 件",
        )
    ]


# --------------------------------------------------------------------------------------------
# Traps: counts of information items are not application counts (008, 018, 020).
# --------------------------------------------------------------------------------------------


def test_finance_bureau_2019_information_counts_are_not_applications() -> None:
    """answers.tsv 008: 依申请公开信息数161条 / 不予公开信息数79 contradict nothing in table 三.

    Its category list is another matter: 1 + 10 + 52 + 5 + 25 = 93 lines for "the 90 items",
    a prose-internal slip the answer key (prose vs tables) does not list; it is a warning.
    """
    report = build(
        year=2019,
        unit="平潭综合实验区财政金融局",
        t3={},
        s2={"s2.art20_1": {"normative_documents": {"made": 10, "published": 7, "total_public": 7}}},
        narrative={
            "proactive": (
                "2019年制作、获取政府信息总数330条，其中主动公开政府信息90条，"
                "作为依申请公开信息数161条，不予公开信息数79。主动公开的政府信息占27.27%。"
                "2019年，在主动公开的90条政府信息中，全文电子化的主动公开信息数共90条，"
                "机构设置、主要职能、办事程序类信息共1条；地方性法规、政府规章和规范性文件类"
                "信息10条；财政资金管理使用情况等信息52条；财政预决算报告信息5条；"
                "工作进展动态和其他应主动公开的政府信息25条。"
            )
        },
    )
    claims = extract_claims(report.narrative, fmt=FORMAT_2019)

    assert [c for c in claims if c.target is not None] == []
    assert summary(report) == [
        (
            "narrative.category_sum",
            Severity.WARNING,
            "正文称「在主动公开的90条」，所列 5 个分类合计为 93 条，比总数多 3 条",
        )
    ]


def test_office_2021_information_counts_are_not_applications() -> None:
    """018: 不予公开政府信息4条 is not table 三's 不予公开 (1); 收到/办结 23 and 发布规范性文件20份
    agree with the table."""
    report = build(
        year=2021,
        unit="平潭综合实验区管委会办公室",
        t3={
            "new": row(23, 0, 0, 0, 0, 0),
            "disclosed": row(2, 0, 0, 0, 0, 0),
            "partly_disclosed": row(3, 0, 0, 0, 0, 0),
            "withheld.internal_affairs": row(1, 0, 0, 0, 0, 0),
            "unavailable.not_held": row(17, 0, 0, 0, 0, 0),
            "results_total": row(23, 0, 0, 0, 0, 0),
        },
        # 「20 155」: 废止 and 现行有效 are ambiguous in the crawl (1/55 or 15/5): left blank.
        s2={"s2.art20_1": {"normative_documents": {"issued": 20}}},
        narrative={
            "overview": (
                "全年共制作政府信息总数110条，其中主动公开信息20条，依申请公开政府信息86条，"
                "不予公开政府信息4条。全年收到政府信息公开申请23件，申请事项主要涉及土地房屋"
                "征用拆迁、统计数据、重大建设项目等方面，已办结23件，办结率100%。"
                "加强规范性文件管理，在区政府门户网站设立规范性文件专栏，集中统一对外公开"
                "规范性文件并动态更新，初步解决底数不清问题，2021年发布规范性文件20份。"
            )
        },
    )

    assert check_narrative(report) == []
    assert [c.phrase for c in extract_claims(report.narrative) if c.target is not None] == [
        "「收到申请」23 件",
        "「办结」23 件",
        "发布「规范性文件」20 份",
    ]


def test_state_assets_2021_information_counts_are_not_applications() -> None:
    """answers.tsv 020: 依申请公开信息数0条 and 规范性文件类信息1条 are information categories."""
    report = build(
        year=2021,
        unit="平潭综合实验区国有资产管理局",
        t3={},
        s2={
            "s2.art20_1": {
                "rules": {"issued": 1, "repealed": 0, "in_force": 1},
                "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
            }
        },
        narrative={
            "overview": (
                "我局通过“平潭综合实验区党工委管委会”门户网站主动公开政府信息55条，"
                "依申请公开信息数0条。在主动公开的55条政府信息中，政策、规范性文件类信息1条，"
                "其他类信息54条。"
            ),
            "other": "2021年，无收取信息处理费情况。",
        },
    )

    assert check_narrative(report) == []


@pytest.mark.parametrize(
    ("_case", "sentence"),
    [
        ("information_category", "本年度依申请公开信息数22条。"),
        ("information_category_as", "作为依申请公开信息数161条，不予公开信息数79。"),
        ("withheld_information", "不予公开政府信息4条。"),
        ("rate", "均在法定期限内予以答复，办结率100%。"),
        ("percentage", "予以公开占33.9%。"),
        ("ordinal", "收到的第3件申请予以公开。"),
        ("handled_is_ambiguous", "全年办理政府信息公开申请218件。"),
        ("bare_carry_over", "结转3件。"),
        ("documents_without_a_verb", "备案审查规范性文件5件。"),
        ("rules_and_regulations", "修订规章制度3件。"),
        ("not_an_application", "收到群众来信12件。"),
        # What else an office closes and answers is not its disclosure applications.
        ("hotline_orders_closed", "办结12345热线工单300件。"),
        ("proposals_answered", "答复人大代表建议12件、政协提案8件。"),
        ("petitions_closed", "共办结群众来信来访30件。"),
        ("complaints_closed", "全年受理群众投诉举报35件，办结35件。"),
        ("demands_answered", "通过12345热线受理并答复群众诉求2100件。"),
        ("licences_closed", "受理行政许可事项1200件，办结1198件。"),
        ("licence_applications", "受理行政许可申请1200件。"),
        # The office as the reconsideration body: its cases are not table 四's.
        ("as_review_body", "本年度受理行政复议案件12件，其中维持8件，办结10件。"),
        ("outcome_without_a_case", "维持原有工作机制2项。"),
        # Replies of one manner are a part of all replies; two counts of one cell are parts.
        ("replies_by_manner", "所有申请均在法定期限内答复，其中延期答复3件。"),
        ("replies_on_the_spot", "其中当场答复20件。"),
        ("replies_by_channel", "已办结的申请中，书面答复118件，电子邮件答复7件。"),
        ("one_cell_twice", "作出答复125件，其中答复补正后申请20件。"),
        ("satisfied_replies", "申请人对答复满意的205件，满意率94%。"),
        ("notice_letters", "发出延期答复告知书3件。"),
        ("papers_from_applicants", "收到申请人补正材料4件。"),
        # A reason before a result names that reason's part of the category.
        ("withheld_by_reason", "因属于国家秘密不予公开2件，因属于内部事务信息不予公开1件。"),
        ("unavailable_by_reason", "因本机关不掌握相关政府信息无法提供30件。"),
        # Last year's counts.
        ("last_years_received", "上年度收到申请58件，本年度收到70件。"),
        ("last_years_accepted", "去年受理申请58件。"),
        ("a_change", "收到申请数量较上年增加12件，增长20.7%。"),
        ("a_change_of_replies", "办结申请同比减少5件。"),
        ("a_change_of_cases", "行政复议案件较上年减少2件。"),
        ("a_change_of_documents", "制发规范性文件数量同比减少3件。"),
        # One outcome of the remedies, and a judgment's words.
        ("one_outcome", "复议纠错2件，诉讼败诉1件。"),
        ("claims_dismissed", "行政诉讼中，法院判决驳回诉讼请求3件。"),
        # Not closed; the carried-over ones' results; applications of other kinds.
        ("not_closed", "尚未办结的申请5件，将于次年1月办结。"),
        ("registrations", "受理并办结个人独资企业登记申请80件。"),
        ("assistance", "受理社会救助申请300件，办结290件，其他10件结转下年度继续办理。"),
        # Several years' counts, two remedies summed, a part within a category.
        ("recent_years", "近三年累计收到申请180件。"),
        ("years_span", "2019年至2021年共收到申请180件。"),
        ("so_far", "截至目前，累计受理政府信息公开申请1,200件。"),
        ("remedies_summed", "行政复议和行政诉讼案件共5件。"),
        ("no_power_to_review", "本机关无行政复议职能。"),
        ("within_a_category", "部分公开中涉及个人隐私的8件。"),
        ("within_received", "收到申请中网上申请45件。"),
        # Refused is not agreed; a reply of one kind; a document about the documents.
        ("not_agreed", "不同意公开3件。"),
        ("reply_of_a_kind", "答复申请人相关信息已主动公开的6件。"),
        # A part of the year; last year's remedy carried over.
        ("a_quarter", "第四季度收到申请20件，占全年的29.85%。"),
        ("a_half", "今年上半年收到申请30件。"),
        ("months", "1-6月共受理政府信息公开申请30件。"),
        ("a_month", "12月份收到申请8件，均在法定期限内答复。"),
        ("a_month_in_words", "十二月收到申请8件。"),
        ("a_half_of_remedies", "下半年被申请行政复议2件。"),
        ("remedy_carried_over", "上年度结转的行政复议案件1件已审结。"),
        ("replies_of_a_result", "本年度无法提供类答复15件，主要原因是本机关不掌握相关信息。"),
        ("replies_of_a_result_de", "不予处理的答复2件。"),
        # Enforcement of decisions, not the decisions of coercion.
        ("coercion_enforced", "行政强制执行3件。"),
        ("enforcement_by_a_court", "申请法院强制执行3件。"),
        ("rules_for_documents", "印发规范性文件管理办法1件。"),
        # None of one kind of lawsuit; last year's case.
        ("no_lawsuit_after_review", "未发生复议后提起行政诉讼的情况。"),
        ("no_lawsuit_on_a_review", "没有因行政复议决定被提起行政诉讼的情况。"),
        ("last_years_lawsuit", "上年度行政诉讼1件尚未审结。"),
        # Cases of penalties, not decisions.
        ("penalty_cases", "全年行政处罚案件立案85件，结案80件。"),
        # Other matters closed, and other matters' applications.
        ("supervision_orders", "共收到督办件18件，办结16件。"),
        ("leads_closed", "办结国务院“互联网+督查”平台转办问题线索12件。"),
        ("licence_applications_closed", "受理行政许可申请1200件，办结1198件。"),
        ("reviews_carried_over", "受理行政复议申请47件，办结43件，结转下年度4件。"),
        # The office as the reconsideration body, in other wordings; and review papers.
        ("review_body_named", "市政府作为行政复议机关共收到政府信息公开类复议申请40件。"),
        ("review_body_then_respondent", "本机关作为复议机关，被申请人为下级政府的复议案件40件。"),
        ("review_body_before_count", "复议机关受理本机关被申请行政复议案件5件。"),
        ("review_cases_handled", "全年办理政府信息公开行政复议案件40件，纠错6件。"),
        ("review_cases_concluded", "审结行政复议案件10件，维持7件。"),
        ("review_cases_undertaken", "承办行政复议案件8件，维持6件。"),
        ("review_decisions_made", "作出行政复议决定10件，其中维持7件。"),
        ("review_decision_papers", "申请公开行政复议决定书的4件均予以公开。"),
        ("judgment_papers", "涉及行政诉讼判决书的申请2件。"),
        # Papers about normative documents, and documents reviewed rather than made.
        ("interpretations", "公开规范性文件解读材料15份。"),
        ("cleaned_up_then_repealed", "清理行政规范性文件86件，其中废止12件，修改5件。"),
        # Applications about decisions, and decisions published, are not decisions made.
        ("applications_about_decisions", "按申请内容分，涉及行政许可的12件，涉及行政处罚的8件。"),
        ("decision_papers_asked_for", "申请公开行政处罚决定书的8件。"),
        ("decisions_published", "公示行政处罚结果420件。"),
    ],
)
def test_numbers_that_name_no_cell_are_not_claims(_case: str, sentence: str) -> None:
    assert [c for c in extract_claims({"overview": sentence}) if c.target is not None] == []


@pytest.mark.parametrize(
    ("_case", "sentence", "rows", "value"),
    [
        # The whole category, its reasons ended by 等 (a breakdown after it: see below).
        ("reasons_with_deng", "因本机关不掌握等原因无法提供16件。", ("unavailable",), 16),
        ("notices_sent", "全年共发出收费通知1件。", ("fee",), 1),
        ("received_this_year", "本年度收到申请70件，较上年减少6件。", ("new",), 70),
        ("carried_in_stays", "上年度结转申请3件。", ("carried_in",), 3),
        ("respondent_handled", "办理被申请行政复议案件3件。", ("reconsideration",), 3),
        ("closed_ones", "办结的申请68件。", ("results_total",), 68),
        ("all_answered", "全部答复完毕的申请125件。", ("results_total",), 125),
        ("all_replies_of_applications", "依申请公开答复61件。", ("results_total",), 61),
        # The year closed by a day or a month's end, or named again after a part of it.
        ("to_the_last_day", "截至12月31日，共收到申请68件。", ("new",), 68),
        ("to_the_months_end", "截至12月底，共收到申请68件。", ("new",), 68),
        ("the_whole_period", "2021年1月1日至12月31日，共收到申请68件。", ("new",), 68),
        ("whole_year_again", "上半年开展培训2次，全年收到申请68件。", ("new",), 68),
        ("all_twelve_months", "1-12月共收到申请68件。", ("new",), 68),
        ("january_to_december", "2021年1月至12月，共收到申请68件。", ("new",), 68),
        ("a_result_replied", "其中部分公开答复3件。", ("partly_disclosed",), 3),
        # The sum of two remedies is not read; the one named alone after it is.
        (
            "one_remedy_after_a_sum",
            "发生政府信息公开行政复议和行政诉讼案件5件，其中行政复议3件。",
            ("reconsideration",),
            3,
        ),
        # The carried-over count, and not its results, a part of each result row.
        (
            "carried_over_results",
            "上年结转的3件申请中，予以公开2件，无法提供1件。",
            ("carried_in",),
            3,
        ),
    ],
)
def test_true_counts_are_still_read(
    _case: str, sentence: str, rows: tuple[str, ...], value: int
) -> None:
    claims = extract_claims({"overview": sentence})
    assert [(c.target.rows if c.target else ("fee",), c.value) for c in claims] == [(rows, value)]


def test_a_fee_notice_in_a_reason_counts_applications() -> None:
    """收费通知 in a reason of 其他处理 counts the applications, not notices sent."""
    sentence = "其他处理8件，其中申请人逾期未按收费通知要求缴纳费用1件，其他1件。"
    claims = extract_claims({"overview": sentence})
    assert [c.kind for c in claims] == [ClaimKind.CELL, ClaimKind.CELL]
    # 「其他1件」 is the rest, not read; the reason named is its sub-row's applications
    assert [(c.target.rows, c.value) for c in claims if c.target] == [
        (("other",), 8),
        (("other.fee_unpaid",), 1),
    ]
    alone = extract_claims({"overview": "其他处理8件，其中逾期未按收费通知要求缴纳费用1件。"})
    assert [(c.kind, c.target.rows if c.target else ()) for c in alone] == [
        (ClaimKind.CELL, ("other",)),
        (ClaimKind.CELL, ("other.fee_unpaid",)),  # the reason's applications, not notices
    ]


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        # 均已审结 and 全部维持 speak of the remedies stated before them, not after.
        ("行政复议3件均已审结，行政诉讼2件，其中1件尚在审理中。", []),
        ("行政复议3件，全部维持，行政诉讼2件。", []),
        ("行政复议3件，均已审结，结果均为维持。", []),
        # Both before it: both are closed, and the lawsuit still pending is told.
        ("行政复议3件、行政诉讼2件，均已审结。", ["narrative.mismatch"]),
    ],
)
def test_all_closed_or_upheld_speaks_of_the_remedies_before_it(
    sentence: str, told: list[str]
) -> None:
    report = build(
        year=2021,
        unit="某局",
        t3={},
        t4={"reconsideration": (3, 0, 0, 0, 3), "litigation_direct": (1, 0, 0, 1, 2)},
        narrative={"remedies": sentence},
    )
    assert [f.rule for f in check_narrative(report)] == told


def test_a_count_of_another_period_is_not_compared() -> None:
    """「2022年收到申请58件」 in the report on 2023 is last year's; the same words with the
    report's own year are compared."""
    t3: dict[str, Row7] = {"new": (70, 0, 0, 0, 0, 0, 70)}
    other = build(year=2023, unit="某县", t3=t3, narrative={"overview": "2022年收到申请58件。"})
    same = build(year=2023, unit="某县", t3=t3, narrative={"overview": "2023年收到申请58件。"})

    assert check_narrative(other) == []
    assert [f.rule for f in check_narrative(same)] == ["narrative.mismatch"]


# --------------------------------------------------------------------------------------------
# Reading numbers: every wording of the same fact gives the same claim.
# --------------------------------------------------------------------------------------------


def only_cell(sentence: str, fmt: ReportFormat = FORMAT_2021) -> tuple[Target | None, object]:
    claims = [c for c in extract_claims({"overview": sentence}, fmt=fmt) if c.target is not None]
    assert len(claims) == 1, claims
    return claims[0].target, claims[0].value


@pytest.mark.parametrize(
    ("_case", "sentence", "rows", "value"),
    [
        ("quoted", "“予以公开”的 36 件", ("disclosed",), 36),
        ("full_width_digits", "予以公开３６件", ("disclosed",), 36),
        ("chinese_numeral", "不予处理三件", ("not_processed",), 3),
        ("chinese_numeral_tens", "无法提供十二件", ("unavailable",), 12),
        ("chinese_numeral_hundreds", "予以公开一百零五件", ("disclosed",), 105),
        ("chinese_zero", "其他处理零件", ("other",), 0),
        ("thousands_separator", "共收到政府信息公开申请1,234件", ("new",), 1234),
        ("combined", "予以公开及部分公开258件", ("disclosed", "partly_disclosed"), 258),
        ("combined_with_and", "予以公开和部分公开12件", ("disclosed", "partly_disclosed"), 12),
        ("combined_agreed", "同意公开或部分公开共81件", ("disclosed", "partly_disclosed"), 81),
        # A kind of reply is that kind, not every reply (答复 alone is the results total).
        ("disclosed_replies", "其中，予以公开答复966件", ("disclosed",), 966),
        ("withheld_replies", "不予公开答复81件", ("withheld",), 81),
        ("replies_on_request", "共完成依申请公开答复1453件", ("results_total",), 1453),
        ("reason_then_category", "因本机关不掌握等原因无法提供265件", ("unavailable",), 265),
        ("received_number_first", "本年度全区共收到70件申请", ("new",), 70),
        ("accepted", "共受理政府信息公开申请859件", ("new",), 859),
        ("closed", "已办结23件", ("results_total",), 23),
        ("closed_after_applications", "收到政府信息公开申请的，已办结23件", ("results_total",), 23),
        ("answered", "答复政府信息公开申请805件", ("results_total",), 805),
        ("carried_in", "含上年度结转申请18件", ("carried_in",), 18),
        ("carried_out", "结转下一年度办理 6 件", ("carried_out",), 6),
        ("carried_out_after", "1件结转下年度继续办理", ("carried_out",), 1),
        ("postponed", "另有72件申请按照《条例》顺延到下年度答复", ("carried_out",), 72),
    ],
)
def test_table3_claims(_case: str, sentence: str, rows: tuple[str, ...], value: int) -> None:
    assert only_cell(sentence) == (Target("t3", rows), value)


@pytest.mark.parametrize(
    ("_case", "sentence", "claims"),
    [
        (
            "cases_then_upheld",
            "行政复议案件 3 件，维持 3 件；行政诉讼案件 0 件。",
            [
                (("reconsideration",), "total", 3),
                (("reconsideration",), "upheld", 3),
                (("litigation_direct", "litigation_after"), "total", 0),
            ],
        ),
        (
            "all_upheld",
            "行政复议7件，诉讼9件，均获维持。",
            [
                (("reconsideration",), "total", 7),
                (("litigation_direct", "litigation_after"), "total", 9),
                (("reconsideration",), "upheld", 7),
                (("litigation_direct", "litigation_after"), "upheld", 9),
            ],
        ),
        (
            "outcomes",
            "行政复议2件，其中结果纠正1件，尚未审结1件。",
            [
                (("reconsideration",), "total", 2),
                (("reconsideration",), "corrected", 1),
                (("reconsideration",), "pending", 1),
            ],
        ),
        (
            "after_reconsideration",
            "复议后起诉2件，直接起诉3件。",
            [(("litigation_after",), "total", 2), (("litigation_direct",), "total", 3)],
        ),
    ],
)
def test_table4_claims(
    _case: str, sentence: str, claims: list[tuple[tuple[str, ...], str, int]]
) -> None:
    read = [
        (c.target.rows, c.target.columns[0], c.value)
        for c in extract_claims({"remedies": sentence})
        if c.target is not None
    ]

    assert read == claims


ND = "normative_documents"


@pytest.mark.parametrize(
    ("_case", "fmt", "sentence", "row", "column", "firm"),
    [
        ("issued_2021", FORMAT_2021, "本年度制发行政规范性文件62件", ND, "issued", True),
        ("in_force", FORMAT_2021, "集中公开现行有效行政规范性文件698件", ND, "in_force", True),
        ("repealed", FORMAT_2021, "废止规范性文件40件", ND, "repealed", True),
        ("published_is_loose", FORMAT_2021, "2021年发布规范性文件20份", ND, "issued", False),
        ("published_2019", FORMAT_2019, "主动公开规章13件", "rules", "published", True),
        ("made_2019", FORMAT_2019, "本年新制作规范性文件5件", ND, "made", True),
    ],
)
def test_normative_document_claims(
    _case: str, fmt: ReportFormat, sentence: str, row: str, column: str, firm: bool
) -> None:
    (claim,) = [c for c in extract_claims({"overview": sentence}, fmt=fmt) if c.target]

    assert (claim.target, claim.firm) == (Target("s2.art20_1", (row,), (column,)), firm)


def test_in_force_has_no_2019_column_so_it_is_not_read() -> None:
    claims = extract_claims({"overview": "现行有效规范性文件368件"}, fmt=FORMAT_2019)

    assert [c for c in claims if c.target is not None] == []


@pytest.mark.parametrize(
    ("_case", "sentence", "kind", "value"),
    [
        ("none_collected", "2021 年泉港区未收取信息处理费。", ClaimKind.FEE_COLLECTED, 0),
        ("none_collected_phrase", "2022年，无收取信息处理费情况。", ClaimKind.FEE_COLLECTED, 0),
        ("collected_yuan", "全年收取信息处理费300元。", ClaimKind.FEE_COLLECTED, 300),
        ("collected_wan_yuan", "全年收取信息处理费0.12万元。", ClaimKind.FEE_COLLECTED, 1200),
        ("notices", "发出信息处理费收费通知2件。", ClaimKind.FEE_NOTICES, 2),
        ("no_notices", "本年度未发出收费通知。", ClaimKind.FEE_NOTICES, 0),
    ],
)
def test_fee_claims(_case: str, sentence: str, kind: ClaimKind, value: int) -> None:
    claims = [c for c in extract_claims({"other": sentence}) if c.kind is kind]

    assert [c.value for c in claims] == [value]


def test_one_fee_defect_is_one_finding_with_one_name_for_its_cell() -> None:
    """发出收费通知1件 while (六)2 = 3: one reader of section 六, one finding, not a rule's
    warning and a narrative warning that name the same cell differently."""
    report = build(
        year=2021,
        unit="某局",
        t3={"other.fee_unpaid": row(3, 0, 0, 0, 0, 0)},
        narrative={"other": "本年度发出收费通知1件，未收取信息处理费。"},
    )

    unpaid = CellRef(table="t3", row="other.fee_unpaid", column="total")
    findings = [
        f
        for f in check_report(report) + check_narrative(report)
        if unpaid in f.cells and f.category is Category.NARRATIVE
    ]

    assert [(f.rule, f.severity, f.message) for f in findings] == [
        (
            "fees.coherence",
            Severity.WARNING,
            "表三「其他处理 逾期未缴费」总计 3 件，但第六部分写明发出收费通知 1 件，"
            "逾期未缴费的件数不能多于收费通知的件数",
        )
    ]


# --------------------------------------------------------------------------------------------
# Breakdowns: totals, nested breakdowns, duplicates.
# --------------------------------------------------------------------------------------------


def categories(sentence: str) -> list[tuple[ClaimKind, str, object]]:
    return [
        (c.kind, c.label, c.value)
        for c in extract_claims({"proactive": sentence})
        if c.kind in (ClaimKind.CATEGORY_TOTAL, ClaimKind.CATEGORY)
    ]


def test_a_bracketed_sub_breakdown_is_not_more_lines() -> None:
    """001: 预决算公开197条（政府预决算32条、部门预决算公开165条） is one line of 197."""
    sentence = (
        "今年共发布380条财政资金信息，其中专项资金152条，预决算公开197条（政府预决算32条、"
        "部门预决算公开165条）、“三公”经费27条、债券发行4条。"
    )

    assert [value for _, _, value in categories(sentence)] == [380, 152, 197, 27, 4]
    assert summary(build(year=2019, unit="平潭", t3={}, narrative={"proactive": sentence})) == []


def test_a_breakdown_in_brackets_after_its_total() -> None:
    """001 (2019): 「共公布政府信息2599条，(其中…856条)」 — its lines sum to 2533."""
    sentence = (
        "今年，我区政府信息公开单位共公布政府信息2599条，(其中机构职能类信息25条，政策、规范性"
        "文件类信息68条，规划计划类信息28条，行政许可类信息69条，重大建设项目信息90条，为民办实事"
        "类信息175条，民政扶贫救灾社会保障就业类信息67条，国土资源城乡建设环保能源类信息983条，"
        "科教文体卫生类信息48条，安全生产、应急管理类信息124条，其他应主动公开政府信息856条)"
        "对于主动公开的政府信息，主要通过政府门户网站、办公场所的宣传栏、《平潭时报》、"
        "电视广播等媒介发布公开。"
    )
    report = build(year=2019, unit="平潭综合实验区", t3={}, narrative={"proactive": sentence})

    assert summary(report) == [
        (
            "narrative.category_sum",
            Severity.WARNING,
            "正文称「我区政府信息公开单位共公布政府信息2599条」，所列 11 个分类合计为 2533 条，"
            "比总数少 66 条",
        )
    ]


@pytest.mark.parametrize("run_on", ["5" * 60_000, "如" * 60_000])
def test_a_total_in_a_clause_that_runs_on_is_quoted_by_its_ends(run_on: str) -> None:
    """A damaged text (found by fuzzing): 60,000 characters with no punctuation before the
    total. The finding quotes the clause's start and end, with the number, not the whole
    clause; a run of digits is told by its digit count (gongkai.core.findings)."""
    sentence = (
        "今年，我区政府信息" + run_on + "公开单位共公布政府信息2599条，(其中机构职能类"
        "信息25条，规划计划类信息28条，其他应主动公开政府信息856条)"
    )
    report = build(year=2019, unit="平潭综合实验区", t3={}, narrative={"proactive": sentence})

    [(rule, _, message)] = summary(report)
    assert rule == "narrative.category_sum" and len(message) < 200
    assert message.startswith("正文称「我区政府信息")
    assert "…" in message and "公开单位共公布政府信息2599条」" in message


def test_the_same_category_name_twice_is_an_error() -> None:
    sentence = (
        "主动公开政府信息总数30条，其中机构职能类信息10条，行政许可类信息10条，机构职能类信息10条。"
    )
    report = build(year=2021, unit="某局", t3={}, narrative={"proactive": sentence})

    assert summary(report) == [
        (
            "narrative.duplicate_category",
            Severity.ERROR,
            "正文将分类「机构职能类信息」列出两次（两次均为 10 条）",
        )
    ]


def test_different_categories_with_the_same_count_are_not_duplicates() -> None:
    sentence = "主动公开政府信息总数64条，其中政府预决算信息32条，部门预决算信息32条。"
    report = build(year=2021, unit="某局", t3={}, narrative={"proactive": sentence})

    assert check_narrative(report) == []


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        # a list that says it names only some categories may add up to less
        ("全年主动公开政府信息1555条，其中机构职能类211条、政策文件类300条等。", False),
        ("全年主动公开政府信息1555条，其中主要有机构职能类211条、政策文件类300条。", False),
        ("全年主动公开政府信息1555条，其中重点领域信息300条，政策解读信息50条等。", False),
        # but never to more, and a list that does not say so is told as before
        ("全年主动公开政府信息1555条，其中主要有机构职能类1211条、政策文件类500条。", True),
        ("全年主动公开政府信息1555条，其中机构职能类211条、政策文件类300条。", True),
        # 重点 in the first line's label names a category (重点领域信息), not some of them
        ("全年主动公开政府信息1555条，其中重点领域信息300条，政策解读信息50条。", True),
        ("全年主动公开政府信息1555条，其中，重点公开机构职能类211条、政策文件类300条。", False),
    ],
)
def test_a_list_of_some_categories_may_sum_to_less(sentence: str, told: bool) -> None:
    report = build(year=2021, unit="某局", t3={}, narrative={"proactive": sentence})

    rules = [rule for rule, _, _ in summary(report)]
    assert rules == (["narrative.category_sum"] if told else [])


def test_omitted_results_need_a_breakdown_in_the_prose() -> None:
    """A report that only states totals is not asked to list its result categories."""
    report = build(
        year=2021,
        unit="某局",
        t3={
            "new": row(3, 0, 0, 0, 0, 0),
            "disclosed": row(2, 0, 0, 0, 0, 0),
            "partly_disclosed": row(1, 0, 0, 0, 0, 0),
            "results_total": row(3, 0, 0, 0, 0, 0),
        },
        narrative={"overview": "全年收到政府信息公开申请3件，已办结3件。"},
    )

    assert check_narrative(report) == []


@pytest.mark.parametrize(
    ("sentence", "omitted"),
    [
        # every result listed, two in older or looser words: none omitted
        ("答复中，同意公开36件，同意部分公开2件，信息不存在15件，其他8件。", []),
        ("予以公开36件，部分公开2件，本机关不掌握相关信息的15件，申请人撤回8件。", []),
        # still told: a result the listing leaves out
        ("予以公开36件，部分公开2件，无法提供15件。", ["（六）其他处理"]),
    ],
)
def test_a_result_named_in_other_words_is_not_omitted(
    seed: AnnualReport, sentence: str, omitted: list[str]
) -> None:
    """The seed: 予以公开 36, 部分公开 2, 无法提供 15, 其他处理 8."""
    said = seed.model_copy(update={"narrative": {"requests": sentence}})
    told = [f.message for f in check_narrative(said) if f.rule == "narrative.omitted_result"]
    assert [m.split("总计")[0].removeprefix("表三") for m in told] == omitted


def test_a_count_read_as_another_result_does_not_name_an_omitted_one(
    seed: AnnualReport,
) -> None:
    """无法提供 of 2, left out of a list whose 部分公开 is 2 too: 「部分公开2件」 is the
    count of that result, not another name for this one; 「其他处理8件」 still names 其他."""
    tables = {
        code: {r: dict(cells) for r, cells in rows.items()} for code, rows in seed.tables.items()
    }
    tables[T3][f"{T3_UNAVAILABLE}.not_held"][COL_TOTAL] = 2
    sentence = "予以公开36件，部分公开2件，其他处理8件。"
    said = seed.model_copy(update={"tables": tables, "narrative": {"requests": sentence}})

    told = [f.message for f in check_narrative(said) if f.rule == "narrative.omitted_result"]

    assert [m.split("总计")[0].removeprefix("表三") for m in told] == ["（四）无法提供"]


def test_a_sum_of_two_results_is_not_a_breakdown() -> None:
    """「予以公开和部分公开共38件」 sums two categories; it does not list the results, so the
    others are not asked for. Two categories named each on its own still are."""
    t3: dict[str, Row7] = {
        "new": row(40, 0, 0, 0, 0, 0),
        "disclosed": row(28, 0, 0, 0, 0, 0),
        "partly_disclosed": row(10, 0, 0, 0, 0, 0),
        "unavailable.not_held": row(2, 0, 0, 0, 0, 0),
        "results_total": row(40, 0, 0, 0, 0, 0),
    }
    summed = build(
        year=2021, unit="某局", t3=t3, narrative={"overview": "予以公开和部分公开共38件。"}
    )
    listed = build(
        year=2021, unit="某局", t3=t3, narrative={"overview": "予以公开28件，部分公开10件。"}
    )

    assert check_narrative(summed) == []
    assert [f.rule for f in check_narrative(listed)] == ["narrative.omitted_result"]


def test_received_said_to_include_the_carried_over() -> None:
    """「受理申请73件（含上年结转3件）」 says its count is new plus carried over: no warning
    that the prose counts the carried-over as received; without the words, the warning."""
    t3: dict[str, Row7] = {"new": row(70, 0, 0, 0, 0, 0), "carried_in": row(3, 0, 0, 0, 0, 0)}
    said = "2021年，全区共受理政府信息公开申请73件（含上年结转3件）。"
    unsaid = "2021年，全区共受理政府信息公开申请73件。"

    assert check_narrative(build(year=2021, unit="某区", t3=t3, narrative={"overview": said})) == []
    assert [
        f.rule
        for f in check_narrative(
            build(year=2021, unit="某区", t3=t3, narrative={"overview": unsaid})
        )
    ] == ["narrative.received_includes_carried_in"]


def test_claims_of_an_empty_narrative() -> None:
    assert extract_claims({}) == []
    assert extract_claims({"overview": "", "other": "   "}) == []


def test_claim_keeps_sentence_and_section() -> None:
    (claim,) = extract_claims({"requests": "第一段。\n全年收到政府信息公开申请3件，已全部办理。"})

    assert claim == Claim(
        kind=ClaimKind.CELL,
        value=3,
        unit="件",
        phrase="「收到申请」3 件",
        sentence="全年收到政府信息公开申请3件，已全部办理。",
        section="requests",
        target=Target("t3", ("new",)),
        alternative=Target("t3", ("new", "carried_in")),
    )


# --------------------------------------------------------------------------------------------
# The sentences above are verbatim from the published reports.
# --------------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("017.html", SHANGHAI_2019["overview"]),
        ("004.txt", PINGTAN_2022["overview"]),
        ("004.txt", PINGTAN_2022["other"]),
    ],
)
def test_corpus_sentences_are_verbatim(shared_dir: Path, source: str, text: str) -> None:
    raw = (shared_dir / "reports" / source).read_text(encoding="utf-8")
    if source.endswith(".html"):
        raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
    published = _squash(raw)
    for sentence in re.split(r"(?<=。)", text):
        assert _squash(sentence) in published, sentence


@pytest.mark.parametrize(
    ("section", "plain", "radicals"),
    [
        ("remedies", "行政复议案件 3 件，维持 3 件。", "⾏政复议案件 3 件，维持 3 件。"),
        ("requests", "不予处理一件，无法提供十二件。", "不予处理⼀件，⽆法提供⼗⼆件。"),
        (
            "requests",
            "人民群众通过门户网站申请，予以公开36件。",
            "⼈⺠群众通过⻔户⽹站申请，予以公开36件。",
        ),
        ("other", "2022年，无收取信息处理费情况。", "2022年，⽆收取信息处理费情况。"),
    ],
)
def test_prose_written_with_cjk_radicals_reads_like_the_ideographs(
    section: str, plain: str, radicals: str
) -> None:
    def read(text: str) -> list[tuple[Target | None, object, ClaimKind]]:
        return [(c.target, c.value, c.kind) for c in extract_claims({section: text})]

    assert read(plain) and read(radicals) == read(plain)


def test_fee_statement_written_with_cjk_radicals() -> None:
    statement = read_fee_statement("本年度⽆发出收费通知，⽆收取信息处理费。")

    assert (statement.mentioned, statement.notices, statement.collected_yuan) == (True, 0, 0)


@pytest.mark.parametrize(
    ("sentence", "read"),
    [
        ("本机关被申请行政复议3件，复议机关均予维持。", [("total", 3), ("upheld", 3)]),
        (
            "因政府信息公开被申请行政复议3件，经复议机关审理，均维持原答复。",
            [("total", 3), ("upheld", 3)],
        ),
        ("被申请行政复议3件，复议机关已受理2件，尚在审理中。", [("total", 3)]),
    ],
)
def test_the_review_body_named_after_the_respondents_count_is_the_other_body(
    sentence: str, read: list[tuple[str, int]]
) -> None:
    """「被申请行政复议3件，复议机关均予维持」: the office answered the reviews, and the
    复议机关 after the count decided them; its count and outcome are table 四's."""
    claims = extract_claims({"remedies": sentence})
    got = [(c.target.columns[0], c.value) for c in claims if c.target and "复议" in c.phrase]
    assert got == read


def test_a_wrong_count_before_the_review_body_is_told(seed: AnnualReport) -> None:
    """The seed has 3 reconsiderations, all upheld: 2 is wrong, and so is 2 upheld."""
    said = seed.model_copy(
        update={"narrative": {"remedies": "本机关被申请行政复议2件，复议机关均予维持。"}}
    )
    messages = [f.message for f in check_narrative(said) if f.rule == "narrative.mismatch"]
    assert messages == [
        "正文称「行政复议」2 件，表四行政复议总计为 3 件",
        "正文称行政复议 2 件「均获维持」，表四行政复议结果维持为 3 件",
    ]


@pytest.mark.parametrize(
    ("_case", "sentence", "read"),
    [
        (
            "after_qizhong",
            "不予公开3件，其中属于国家秘密1件。",
            [(("withheld",), 3), (("withheld.state_secret",), 1)],
        ),
        (
            "in_brackets",
            "无法提供16件（其中本机关不掌握相关政府信息15件，没有现成信息需要另行制作1件）。",
            [
                (("unavailable",), 16),
                (("unavailable.not_held",), 15),
                (("unavailable.needs_creation",), 1),
            ],
        ),
        (
            "the_category_named_last",
            "予以公开36件，不予处理3件，其中重复申请2件、信访举报投诉类申请1件。",
            [
                (("disclosed",), 36),
                (("not_processed",), 3),
                (("not_processed.repeat",), 2),
                (("not_processed.petition",), 1),
            ],
        ),
        (
            "other_processing",
            "其他处理8件，其中申请人无正当理由逾期不补正1件。",
            [(("other",), 8), (("other.no_correction",), 1)],
        ),
        # A breakdown that counts something besides reasons splits the category otherwise
        # than the table: none of its counts is read as a sub-row's.
        (
            "split_otherwise",
            "无法提供15件，其中告知申请人向有关机关申请10件、本机关不掌握5件。",
            [(("unavailable",), 15)],
        ),
        # The rest counted without a reason (「其他7件」): several sub-rows, not compared;
        # the reasons named beside it are the table's own.
        (
            "a_reason_and_the_rest",
            "其他处理8件，其中申请人逾期不补正1件，其他7件。",
            [(("other",), 8), (("other.no_correction",), 1)],
        ),
        (
            "reasons_and_the_rest",
            "不予公开10件，其中属于国家秘密3件、保护第三方合法权益2件，其他5件。",
            [(("withheld",), 10), (("withheld.state_secret",), 3), (("withheld.third_party",), 2)],
        ),
        (
            "the_rest_for_other_reasons",
            "无法提供15件（其中本机关不掌握相关政府信息10件，其他原因5件）。",
            [(("unavailable",), 15), (("unavailable.not_held",), 10)],
        ),
        (
            "the_rest_named_after_its_count",
            "不予公开10件，其中属于国家秘密3件，其余7件为过程性信息。",
            [(("withheld",), 10), (("withheld.state_secret",), 3)],
        ),
        # 「其他」 inside a word is no rest: the breakdown counts something else.
        (
            "other_inside_a_word",
            "无法提供15件，其中本机关不掌握10件、其他部门职责5件。",
            [(("unavailable",), 15)],
        ),
        (
            "a_breakdown_in_brackets_then_another_category",
            "无法提供15件（其中本机关不掌握15件），其他处理8件。",
            [(("unavailable",), 15), (("unavailable.not_held",), 15), (("other",), 8)],
        ),
        # Not a breakdown: the reason's count is not its sub-row's.
        ("no_opening", "不予公开3件，属于国家秘密1件。", [(("withheld",), 3)]),
        # A reason of another category than the one broken down.
        ("another_category", "无法提供16件，其中属于国家秘密1件。", [(("unavailable",), 16)]),
        # The reason before its category: the category's part, not read (as before).
        (
            "reason_then_category",
            "无法提供16件，其中因本机关不掌握相关政府信息无法提供的15件。",
            [(("unavailable",), 16)],
        ),
        # A reason with no category before it in the sentence.
        ("no_category", "其中本机关不掌握相关政府信息15件。", []),
    ],
)
def test_a_breakdown_of_a_category_reads_its_reasons(
    _case: str, sentence: str, read: list[tuple[tuple[str, ...], int]]
) -> None:
    """「无法提供16件，其中本机关不掌握相关政府信息15件」: inside a breakdown of its result
    category, a reason's count is its sub-row's (an evaluator holds it against that row)."""
    claims = extract_claims({"overview": sentence})
    assert [(c.target.rows, c.value) for c in claims if c.target is not None] == read
