"""Percentages without a count, and 行政事业性收费 amounts, in the prose against the tables.

``narrative.rate``, ``cross_year.yoy_subject``, ``fees.admin_amount`` and ``fees.stated_twice``.
The seed (泉港区 2021):
一、本年新收 67 (all 自然人), 二、上年结转 0, （七）总计 61, 予以公开 36, 部分公开 2, 无法提供 15,
四、结转下年度 6, 行政复议 3, 本年收费金额 22.5981 万元. Last year is the seed a year earlier with
60 new applications (a rise of 11.67%). The sentences are shaped like those of real reports
(「办结率100%」 in 004 and 018, 「申请数量较去年回落12.3%」 in 017, 「全年收取政府信息公开信息处理费
3940 元」 in 024).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.findings import Severity
from gongkai.core.formats import (
    COL_NATURAL_PERSON,
    COL_TOTAL,
    S2_ADMIN_FEES,
    S2_ART20_8,
    S2_FEE_AMOUNT,
    SECTION_OTHER,
    T3,
    T3_CARRIED_IN,
    T3_DISCLOSED,
    T3_NEW,
    T3_PARTLY_DISCLOSED,
    T3_RESULTS_TOTAL,
    T3_UNAVAILABLE,
)
from gongkai.core.model import AnnualReport
from gongkai.core.narrative.claims import of_another_period
from gongkai.core.narrative.fees import read_admin_fees
from gongkai.core.rules import check_report, rule_by_id
from gongkai.core.rules.shares import stated_agrees
from tests.core.test_rules_properties import consistent_report

NEW_RULES = ("narrative.rate", "cross_year.yoy_subject", "fees.admin_amount", "fees.stated_twice")


def _said(report: AnnualReport, sentence: str, section: str = "overview") -> AnnualReport:
    return report.model_copy(update={"narrative": {**report.narrative, section: sentence}})


def _findings(report: AnnualReport, sentence: str, rule: str, **kwargs: object) -> list[str]:
    said = _said(report, sentence)
    return [f.message for f in check_report(said, **kwargs) if f.rule == rule]  # type: ignore[arg-type]


# -- narrative.rate --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        # the shapes, bound to table 三
        ("收到申请67件，予以公开占办结总数的59%。", False),  # 36 of 61 = 59.02%
        ("收到申请67件，予以公开占办结总数的59.02%。", False),
        ("收到申请67件，予以公开占办结总数的30%。", True),
        ("予以公开的申请占收到申请总数的53.7%。", False),  # of 一 (67): 53.73%
        ("予以公开的申请占收到申请总数的59%。", True),  # the base it names is 一, not （七）
        ("予以公开及部分公开占比62.3%，收到申请67件。", False),  # 38 of 61 = 62.295%
        ("无法提供的申请占办结总数的24.5%。", False),  # 15 of 61 = 24.59%, truncated
        ("无法提供的申请占办结总数的24.7%。", True),  # one decimal: 0.11 points off
        ("无法提供的申请占办结总数的25%。", False),  # rounded to an integer
        ("其中自然人申请占比100%。", False),
        ("其中自然人申请占比约65%。", True),  # every applicant was a natural person
        ("法人或其他组织申请占比不足1%。", False),
        ("法人或其他组织申请占比超过10%。", True),
        ("全年办结率91%，收到申请67件。", False),  # 61 of 67
        ("全年办结率95.5%，收到申请67件。", True),
        # unbound: nothing is said
        ("收到申请67件，按期办结率95.5%。", False),  # on time: not in the table
        ("收到申请67件，办结率100%。", False),  # narrative.all_closed's question
        ("收到申请67件，公开率达95.2%。", False),  # 公开率 names no cells
        # the replies of one result, or on time: not all replies
        ("收到申请67件，全部公开答复率为59.02%。", False),
        ("不予公开答复率为0%，收到申请67件。", False),
        ("收到申请67件，按规定时限答复率95.5%。", False),
        ("依申请公开办结率95.5%。", True),  # 依申请公开 names the work, not a result
        ("政府信息公开答复率95.5%。", True),
        ("依申请公开办结率91%。", False),
        ("收到申请67件，予以公开占全部信息的30%。", False),  # a base that is not applications
        ("收到申请67件，予以公开占主动公开总量的30%。", False),
        ("网站访问量同比增长5%，自然人占65%。", False),  # not about applications
        ("12345热线工单办结率98%。", False),
        ("政府信息公开申请办理工作满意率达99%。", False),  # a slogan
        ("予以公开36件，占33.9%。", False),  # a count before it: narrative.share's
        ("收到申请。因本机关不掌握相关政府信息而无法提供的占办结总数的10%。", False),  # a sub-row
        ("公开率（予以公开和部分公开占比）达62%，收到申请67件。", False),
        ("收到申请67件，行政复议案件办结率90%。", False),
        ("2021年，来自自然人的申请占比约65%。", True),
        ("商业企业申请占比仅5%。", True),
        ("收到申请67件，办结率90%。", True),  # 91.04%: one point and more off
    ],
)
def test_a_share_without_a_count_is_bound_by_its_subject(
    seed: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _findings(seed, sentence, "narrative.rate")
    assert bool(messages) is fires, messages
    if fires:
        assert messages[0].startswith(f"正文「{sentence}」称「")


def test_the_message_gives_what_the_table_gives(seed: AnnualReport) -> None:
    (message,) = _findings(seed, "收到申请67件，予以公开占办结总数的30%。", "narrative.rate")
    assert message == (
        "正文「收到申请67件，予以公开占办结总数的30%。」称「予以公开占办结总数的30%」，"
        "而表三（一）予以公开总计 36 件占（七）总计（61）的 59.02%"
    )


def test_the_finding_names_the_cells_to_highlight(seed: AnnualReport) -> None:
    said = _said(seed, "收到申请67件，予以公开占办结总数的30%。")
    (finding,) = [f for f in check_report(said) if f.rule == "narrative.rate"]
    assert {(c.table, c.row, c.column) for c in finding.cells} == {
        (T3, T3_DISCLOSED, COL_TOTAL),
        (T3, T3_RESULTS_TOTAL, COL_TOTAL),
    }
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize("row", [T3_DISCLOSED, T3_RESULTS_TOTAL])
def test_a_blank_or_unread_cell_binds_nothing(seed: AnnualReport, row: str) -> None:
    """A row the parser could not read is left blank: its share is not computed."""
    blank = seed.with_cell(T3, row, COL_TOTAL, None).with_cell(T3, row, COL_NATURAL_PERSON, None)
    assert _findings(blank, "收到申请67件，予以公开占办结总数的30%。", "narrative.rate") == []


@pytest.mark.parametrize(
    ("exact", "written", "qualifier", "ok"),
    [
        ("29.6", "30", "", True),  # the example: an integer percentage
        ("29.6", "30.0", "", False),
        ("63", "65", "约", True),
        ("62.9", "65", "约", False),
        ("75", "60", "超过", True),
        ("58.9", "60", "超过", False),
        ("0.4", "1", "不足", True),
        ("2.1", "1", "不足", False),
    ],
)
def test_qualifiers_are_read_as_said(exact: str, written: str, qualifier: str, ok: bool) -> None:
    assert stated_agrees(Decimal(exact), written, qualifier) is ok


# -- cross_year.yoy_subject -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("申请数量较上年增长11.7%。", False),
        ("收到申请同比增长12%。", False),
        ("收到的政府信息公开申请同比增长11.6%。", False),  # truncated
        ("其中自然人申请同比增长11.7%。", False),
        ("申请数量较上年下降12.5%。", True),  # a rise stated as a fall
        ("本年度工作有序推进。申请数量较上年下降12.5%。", True),  # after another sentence
        ("收到申请同比增长20%。", True),
        ("政府信息公开行政复议案件同比增长50%。", True),  # 3 both years
        ("行政事业性收费同比下降10%。", True),  # the same 22.5981 万元 both years
        # not bound, or someone else's
        ("专利申请数量同比增长40%。", False),
        ("行政复议案件同比增长50%。", False),  # a 司法局's own cases, not table 四
        # the office as the review body, in the prose check's wordings
        ("作为复议机关，本府受理政府信息公开类行政复议案件同比增长50%。", False),
        ("市政府作为复议机关办理的政府信息公开行政复议案件同比下降20%。", False),
        ("审结政府信息公开行政复议案件同比增长50%。", False),
        ("本机关被申请政府信息公开行政复议案件同比增长50%。", True),  # the respondent
        ("被申请政府信息公开行政复议案件同比增长50%，复议机关均予维持。", True),
        ("网站访问量同比增长5%。", False),
        ("收到申请67件，同比增长2.3%。", False),  # a count before it: cross_year.yoy_rate's
    ],
)
def test_a_rate_with_a_subject_is_computed_from_both_tables(
    seed: AnnualReport, last_year: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _findings(seed, sentence, "cross_year.yoy_subject", previous=last_year)
    assert bool(messages) is fires, messages


def test_the_rate_message_gives_both_years(seed: AnnualReport, last_year: AnnualReport) -> None:
    (message,) = _findings(
        seed, "申请数量较上年下降12.5%。", "cross_year.yoy_subject", previous=last_year
    )
    assert message == (
        "正文「申请数量较上年下降12.5%。」称「申请数量较上年下降12.5%」；"
        "表三一、本年新收总计本年为 67 件，上一年度报告（2020 年度）为 60 件，应为增长 11.67%"
    )


def test_without_last_year_a_subject_rate_is_not_judged(seed: AnnualReport) -> None:
    assert _findings(seed, "申请数量较上年下降12.5%。", "cross_year.yoy_subject") == []


def test_a_yoy_count_and_its_rate_are_one_finding(
    seed: AnnualReport, last_year: AnnualReport
) -> None:
    """「受理申请67件，申请数量较去年回落12.3%」 (017's shape): the count's rule reads it."""
    said = _said(seed, "受理申请67件，申请数量较去年回落12.3%。")
    rules = [f.rule for f in check_report(said, previous=last_year) if "yoy" in f.rule]
    assert rules == ["cross_year.yoy_rate"]


# -- the year a percentage is said of ------------------------------------------------------------
# A share or rate said of another year (「2020年…」 in the report on 2021, 「上年度…」, 「近三年…」)
# is not compared with this year's tables, as a count said of another year is not; one said of
# this year, or comparing this year with another, still is.


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        # this year's: still judged
        ("2021年予以公开占办结总数的30%。", True),
        ("2021年予以公开占办结总数的59%。", False),
        ("2021年，全年办结率95.5%，收到申请67件。", True),
        ("与2020年相比，2021年予以公开占办结总数的30%。", True),
        ("与上年相比，予以公开占办结总数的30%。", True),  # last year compared with, not spoken of
        ("收到申请数量较上年有所增加，办结率95.5%。", True),
        # another year's: not compared with this year's table
        ("2020年予以公开占办结总数的30%。", False),
        ("2020年度收到申请60件，予以公开占办结总数的30%。", False),
        ("2020年，全年办结率95.5%，收到申请60件。", False),
        ("上年度，予以公开占办结总数的30%。", False),
        ("去年办结率为95.5%。", False),
        ("近三年办结率95.5%，申请均依法答复。", False),
        ("第四季度予以公开占办结总数的30%。", False),  # a part of the year
        ("上半年办结率95.5%，申请均依法答复。", False),
        ("截至12月31日，办结率95.5%，申请均依法答复。", True),  # the year closed
    ],
)
def test_a_share_of_another_period_is_not_this_tables(
    seed: AnnualReport, sentence: str, fires: bool
) -> None:
    assert seed.meta.year == 2021
    messages = _findings(seed, sentence, "narrative.rate")
    assert bool(messages) is fires, messages


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("2021年申请数量较上年下降12.5%。", True),
        ("2021年申请数量较上年增长11.7%。", False),
        ("与2020年相比，2021年收到申请同比增长20%。", True),
        # another year's rate: two years before this report's, not this table's against last
        ("2020年申请数量较上年下降12.5%。", False),
        ("上年度申请数量同比下降12.5%。", False),
        ("去年收到申请同比增长20%。", False),
    ],
)
def test_a_subject_rate_of_another_period_is_not_this_tables(
    seed: AnnualReport, last_year: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _findings(seed, sentence, "cross_year.yoy_subject", previous=last_year)
    assert bool(messages) is fires, messages


@pytest.mark.parametrize(
    ("sentence", "another"),
    [
        ("2020年予以公开占比", True),
        ("2021年予以公开占比", False),
        ("与2020年相比，2021年予以公开占比", False),  # the last year written
        ("2021年收到申请较上年增加，上年度予以公开占比", True),  # named later
        ("上一年度予以公开占比", True),
        ("去年予以公开占比", True),
        ("近三年予以公开占比", True),
        ("2019年至2021年予以公开占比", True),
        ("较上年，予以公开占比", False),
        ("比上一年度增加，予以公开占比", False),
        ("与去年同期相比，予以公开占比", False),
        ("上年同期予以公开占比", False),  # a comparison's words
        ("上年度结转申请全部办结，予以公开占比", False),  # this year's carried-in row
        ("本年度予以公开占比", False),
        ("第三季度予以公开占比", True),
        ("1至6月予以公开占比", True),
        ("上半年收到申请较多，全年予以公开占比", False),
        ("予以公开占比", False),
    ],
)
def test_which_year_a_figure_is_said_of(sentence: str, another: bool) -> None:
    assert of_another_period(sentence, len(sentence), 2021) is another


# -- fees.admin_amount ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("全年收取行政事业性收费22.6万元。", False),
        ("全年收取行政事业性收费225981元。", False),  # 元 against 万元
        ("全年行政事业性收费收入22.5981万元。", False),
        ("全年行政事业性收费23万元。", False),  # rounded to 万元
        ("全年行政事业性收费约22万元。", False),
        ("全年行政事业性收费0.0023亿元。", False),
        ("全年行政事业性收费收入25万元。", True),
        ("全年行政事业性收费22.4万元。", True),
        ("行政事业性收费共计225981万元。", True),  # yuan written as 万元
        ("本年度未收取行政事业性收费。", True),
        # not the year's charge: nothing is said
        ("为企业减免行政事业性收费1200万元。", False),
        ("行政事业性收费标准为20元/次。", False),
        ("全年收取政府信息公开信息处理费3940元。", False),  # 024's sentence: another fee
        ("行政事业性收费22.5981元。", False),  # the cell's digits in 元: s2.fee_unit's
    ],
)
def test_an_admin_fee_in_the_prose_is_the_tables(
    seed: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _findings(seed, sentence, "fees.admin_amount")
    assert bool(messages) is fires, messages


def test_the_fee_message_converts_the_units(seed: AnnualReport) -> None:
    (message,) = _findings(seed, "行政事业性收费共计225981万元。", "fees.admin_amount")
    assert message == (
        "正文「行政事业性收费共计225981万元。」称「行政事业性收费共计225981万元」"
        "（即 225981 万元），而第二部分第二十条第（八）项「行政事业性收费」"
        "「本年收费金额（单位：万元）」为 22.5981 万元；正文是表中数字的一万倍，"
        "可能把以元计的金额写成了万元"
    )


@pytest.mark.parametrize(
    ("cell", "sentence", "fires"),
    [
        (Decimal(0), "全年收取行政事业性收费5万元。", True),
        (Decimal(0), "本年度未收取行政事业性收费。", False),
        (Decimal(0), "行政事业性收费为0。", False),
        (None, "全年收取行政事业性收费5万元。", False),  # blank: nothing to compare
    ],
)
def test_none_against_a_zero_or_blank_cell(
    seed: AnnualReport, cell: Decimal | None, sentence: str, fires: bool
) -> None:
    report = seed.with_cell(S2_ART20_8, S2_ADMIN_FEES, S2_FEE_AMOUNT, cell)
    assert bool(_findings(report, sentence, "fees.admin_amount")) is fires


@pytest.mark.parametrize(
    ("sentence", "info"),
    [
        ("本机关未收取任何费用。", True),
        ("本机关未收取任何信息处理费。", False),
        ("2021 年泉港区未收取信息处理费。", False),
    ],
)
def test_section_six_denying_every_fee_is_an_info(
    seed: AnnualReport, sentence: str, info: bool
) -> None:
    said = _said(seed, sentence, SECTION_OTHER)
    findings = [f for f in check_report(said) if f.rule == "fees.admin_amount"]
    assert bool(findings) is info
    assert all(f.severity is Severity.INFO for f in findings)


@pytest.mark.parametrize(
    ("overview", "six", "fires"),
    [
        ("全年收取信息处理费200元。", "2021 年泉港区未收取信息处理费。", True),
        ("全年未收取信息处理费。", "本年收取信息处理费0.02万元。", True),
        ("全年未收取信息处理费。", "2021 年泉港区未收取信息处理费。", False),
        ("全年收取信息处理费200元。", "本年收取信息处理费0.02万元。", False),
        ("全年收取信息处理费等费用。", "2021 年泉港区未收取信息处理费。", False),  # no amount
        ("全年收取信息处理费200元。", "本机关政府信息公开工作平稳有序。", False),  # 六 says nothing
    ],
)
def test_the_information_fee_is_stated_alike_everywhere(
    seed: AnnualReport, overview: str, six: str, fires: bool
) -> None:
    said = _said(_said(seed, six, SECTION_OTHER), overview)
    messages = [f.message for f in check_report(said) if f.rule == "fees.stated_twice"]
    assert bool(messages) is fires, messages
    if fires:
        assert messages[0].startswith(f"第一部分「{overview}」与第六部分（")


def test_the_table_as_kept_in_the_prose_is_not_read() -> None:
    text = "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费22.5万元"
    assert read_admin_fees({"proactive": text}) == []


def test_the_fee_rule_is_for_formats_with_the_amount() -> None:
    assert rule_by_id("fees.admin_amount").versions == frozenset({"2021"})


# -- consistent reports with prose written from their tables: never a finding ---------------------

ROUNDINGS = st.sampled_from([ROUND_HALF_UP, ROUND_DOWN])
PLACES = st.integers(min_value=0, max_value=2)


def _percent(part: int, whole: int, places: int, rounding: str) -> str:
    exact = Decimal(part) * 100 / Decimal(whole)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=rounding))


@settings(max_examples=60, deadline=None)
@given(consistent_report(), st.data())
def test_prose_written_from_the_tables_is_never_a_finding(
    report: AnnualReport, data: st.DataObject
) -> None:
    t3 = report.tables[T3]
    closed, new = t3[T3_RESULTS_TOTAL][COL_TOTAL], t3[T3_NEW][COL_TOTAL]
    received = new + t3[T3_CARRIED_IN][COL_TOTAL]
    assert isinstance(closed, int) and isinstance(new, int) and isinstance(received, int)
    sentences = []

    def pct(part: int, whole: int) -> str:
        return _percent(part, whole, data.draw(PLACES), data.draw(ROUNDINGS))

    if closed:
        for label, rows in (
            ("予以公开", (T3_DISCLOSED,)),
            ("予以公开及部分公开", (T3_DISCLOSED, T3_PARTLY_DISCLOSED)),
            ("无法提供的申请", (T3_UNAVAILABLE,)),
        ):
            part = sum(report.group_sum(T3, r, COL_TOTAL) or 0 for r in rows)
            sentences.append(f"{label}占办结总数的{pct(part, closed)}%。")
    if new:
        sentences.append(f"其中自然人申请占比{pct(t3[T3_NEW][COL_NATURAL_PERSON] or 0, new)}%。")
        sentences.append(f"予以公开占收到申请总数的{pct(t3[T3_DISCLOSED][COL_TOTAL] or 0, new)}%。")
    if received:
        sentences.append(f"全年办结率{pct(closed, received)}%。")
    last_new = data.draw(st.integers(min_value=1, max_value=400))
    change = Decimal(new - last_new) * 100 / last_new
    rate = str(abs(change).quantize(Decimal(1).scaleb(-data.draw(PLACES)), ROUND_HALF_UP))
    sentences.append(f"收到的政府信息公开申请同比{'下降' if change < 0 else '增长'}{rate}%。")
    previous = report.with_meta(year=report.meta.year - 1).with_cell(
        T3, T3_NEW, COL_TOTAL, last_new
    )
    if report.format.version == "2021":
        wan = Decimal(data.draw(st.integers(min_value=0, max_value=10**9))).scaleb(
            -data.draw(st.integers(min_value=0, max_value=4))
        )
        report = report.with_cell(S2_ART20_8, S2_ADMIN_FEES, S2_FEE_AMOUNT, wan)
        if data.draw(st.booleans()):
            yuan = (wan * 10000).quantize(Decimal(1), ROUND_HALF_UP)
            sentences.append(f"全年收取行政事业性收费{yuan}元。")
        else:
            shown = wan.quantize(Decimal(1).scaleb(-data.draw(PLACES)), ROUND_HALF_UP)
            sentences.append(f"全年收取行政事业性收费{shown}万元。")
    said = _said(report, "".join(sentences))
    findings = [f for f in check_report(said, previous=previous) if f.rule in NEW_RULES]
    assert findings == [], (sentences, [f.message for f in findings])


@settings(max_examples=40, deadline=None)
@given(consistent_report(), st.integers(min_value=3, max_value=40), st.data())
def test_a_figure_moved_off_the_tables_is_found(
    report: AnnualReport, shift: int, data: st.DataObject
) -> None:
    """The counterpart: the generated prose is read, and a wrong figure is told."""
    t3 = report.tables[T3]
    closed, new = t3[T3_RESULTS_TOTAL][COL_TOTAL], t3[T3_NEW][COL_TOTAL]
    assert isinstance(closed, int) and isinstance(new, int)
    if closed:
        disclosed = t3[T3_DISCLOSED][COL_TOTAL] or 0
        exact = Decimal(disclosed) * 100 / closed
        off = exact + shift if exact + shift <= 100 else exact - shift
        said = _said(report, f"予以公开占办结总数的{off.quantize(Decimal('0.1'))}%。")
        assert [f.rule for f in check_report(said)].count("narrative.rate") == 1
    last_new = data.draw(st.integers(min_value=1, max_value=400))
    change = Decimal(new - last_new) * 100 / last_new + shift
    previous = report.with_meta(year=report.meta.year - 1).with_cell(
        T3, T3_NEW, COL_TOTAL, last_new
    )
    said = _said(report, f"收到申请同比增长{change.quantize(Decimal('0.1'))}%。")
    if change > 0:
        rules = [f.rule for f in check_report(said, previous=previous)]
        assert rules.count("cross_year.yoy_subject") == 1
