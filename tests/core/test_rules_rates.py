"""Shares and year-on-year rates the prose states (``narrative.share``, ``cross_year.yoy_rate``).

The seed (泉港区 2021): 一、本年新收 67, 二、上年结转 0, （七）总计 61, 予以公开 36. Last year is
the seed a year earlier with 60 new applications, so 67 is a rise of 11.67%.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.findings import Severity
from gongkai.core.model import AnnualReport
from gongkai.core.rules import check_report
from gongkai.core.rules.rates import agrees, tolerance


def _rule(report: AnnualReport, sentence: str, rule: str, **kwargs: object) -> list[str]:
    said = report.model_copy(update={"narrative": {**report.narrative, "overview": sentence}})
    return [f.message for f in check_report(said, **kwargs) if f.rule == rule]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "exact", "ok"),
    [
        ("33.9", "33.94", True),  # rounded
        ("33.9", "33.96", True),  # truncated
        ("2.3", "2.9", False),  # the example
        ("3", "2.6", True),
        ("3", "3.99", True),
        ("3", "4.01", False),
        ("4.34", "4.3478", True),  # truncated at two decimals (017's 35 of 805)
        ("4.34", "4.36", False),
    ],
)
def test_the_rounding_tolerance_is_one_unit_of_the_last_written_digit(
    written: str, exact: str, ok: bool
) -> None:
    assert tolerance(written) == Decimal(1).scaleb(-len(written.partition(".")[2]))
    assert agrees(Decimal(exact), written) is ok


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("予以公开36件，占59.0%。", False),  # of （七）总计 61
        ("予以公开36件，占办结总数的59%。", False),
        ("予以公开36件，占53.7%。", False),  # of 一、本年新收 67
        ("予以公开36件，所占比例为59.02%。", False),
        ("予以公开36件，占33.9%。", True),
        ("予以公开36件，占60.5%。", True),
        ("网站访问量同比增长5%，公开率达90.2%。", False),  # no count of table 三
        ("主动公开政府信息1555条，占全部信息的80%。", False),  # 条 are information items
        # a base wider than the office: the region's or the system's applications
        ("收到申请67件，占全市的10%。", False),
        ("本年度收到申请67件，占全区各单位收到申请总数的15.2%。", False),
        ("予以公开36件，占本系统予以公开总数的5%。", False),
        # a part of the count is the share's subject
        ("全年共收到申请67件，其中网上申请占85%以上。", False),
        ("收到申请67件，通过网络提交的占80%。", False),
        ("予以公开36件，所占比例为33.9%。", True),
    ],
)
def test_a_share_is_the_count_over_one_of_the_totals(
    seed: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _rule(seed, sentence, "narrative.share")
    assert bool(messages) is fires
    if fires:
        assert "（七）总计（61）的 59.02%" in messages[0]
        assert "一、本年新收（67）的 53.73%" in messages[0]


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("收到申请67件，同比增长11.7%。", False),
        ("收到申请67件，较上年增长11.67%。", False),
        ("收到申请67件，较上年增长12%。", False),
        ("收到申请67件，与上年相比增加了11.6%。", False),  # truncated
        ("收到申请67件，同比增长2.3%。", True),
        ("收到申请67件，同比下降11.7%。", True),  # a rise stated as a fall
        ("收到申请67件，比去年增长13%。", True),
        ("网站访问量同比增长5%。", False),  # not a table count
    ],
)
def test_a_year_on_year_rate_is_computed_from_last_years_report(
    seed: AnnualReport, last_year: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _rule(seed, sentence, "cross_year.yoy_rate", previous=last_year)
    assert bool(messages) is fires
    if fires:
        assert "上一年度报告（2020 年度）为 60 件，按 67 件计算应为增长 11.67%" in messages[0]


def test_without_last_year_a_rate_is_not_judged(seed: AnnualReport) -> None:
    assert _rule(seed, "收到申请67件，同比增长2.3%。", "cross_year.yoy_rate") == []


def test_a_rate_over_a_last_year_of_zero_is_not_judged(seed: AnnualReport) -> None:
    """上年结转 0 last year: no rate exists, whatever the prose says."""
    previous = seed.with_meta(year=2020)
    assert (
        _rule(seed, "上年结转申请0件，同比增长100%。", "cross_year.yoy_rate", previous=previous)
        == []
    )


def test_the_findings_are_warnings(seed: AnnualReport, last_year: AnnualReport) -> None:
    said = seed.model_copy(
        update={
            "narrative": {
                **seed.narrative,
                "overview": "收到申请67件，同比增长2.3%，予以公开36件，占33.9%。",
            }
        }
    )
    findings = [
        f
        for f in check_report(said, previous=last_year)
        if f.rule in ("narrative.share", "cross_year.yoy_rate")
    ]
    assert sorted(f.rule for f in findings) == ["cross_year.yoy_rate", "narrative.share"]
    assert {f.severity for f in findings} == {Severity.WARNING}


@pytest.mark.parametrize(
    ("sentence", "rule", "fires"),
    [
        # a count said of this year: its share and rate are judged
        ("2021年予以公开36件，占33.9%。", "narrative.share", True),
        ("2021年予以公开36件，占59.0%。", "narrative.share", False),
        ("2021年收到申请67件，同比增长2.3%。", "cross_year.yoy_rate", True),
        ("2021年收到申请67件，同比增长11.7%。", "cross_year.yoy_rate", False),
        ("2021年制发规范性文件21件，占现行有效规范性文件的12%。", "narrative.share", True),
        # of another year: its share is of that year's totals, its rate of the year before
        ("2020年予以公开36件，占33.9%。", "narrative.share", False),
        ("2020年收到申请67件，同比增长2.3%。", "cross_year.yoy_rate", False),
        ("2020年制发规范性文件21件，占现行有效规范性文件的12%。", "narrative.share", False),
    ],
)
def test_a_count_of_another_period_gives_no_share_or_rate_of_this_one(
    seed: AnnualReport, last_year: AnnualReport, sentence: str, rule: str, fires: bool
) -> None:
    assert seed.meta.year == 2021
    messages = _rule(seed, sentence, rule, previous=last_year)
    assert bool(messages) is fires, messages


# -- narrative.share of section 二 (一): 制发/废止 over the documents in force ------------
# The seed's 行政规范性文件: 本年制发 21, 本年废止 40, 现行有效 242
# (21 of 242 = 8.68%, 40 of 242 = 16.53%).


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("本年制发规范性文件21件，占现行有效规范性文件的8.7%。", False),
        ("本年制发规范性文件21件，占现行有效规范性文件的8.6%。", False),  # truncated
        ("制发行政规范性文件21件，占现行有效件数的百分之八点七。", False),
        ("废止规范性文件40件，占现行有效规范性文件的16.5%。", False),
        ("本年制发规范性文件21件，占现行有效规范性文件的12%。", True),
        ("制发行政规范性文件21件，占现行有效件数的百分之十二。", True),
        ("废止规范性文件40件，占现行有效规范性文件总数的20%。", True),
        # false-alarm guards: the base is not named beyond doubt, or is no cell
        ("本年制发规范性文件21件，占12%。", False),
        ("现行有效规范性文件242件，其中本年制发21件，占12%。", False),
        ("制发规范性文件21件，占全部主动公开信息的12%。", False),
        ("制发规范性文件21件，占现行有效规范性文件的百分之一百五十。", False),
        ("现行有效规范性文件242件，占全部文件的50%。", False),  # 现行有效 itself: no base
    ],
)
def test_a_section_two_share_is_over_the_documents_in_force(
    seed: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _rule(seed, sentence, "narrative.share")
    assert bool(messages) is fires, messages
    if fires:
        assert messages[0].startswith(f"正文「{sentence}」称")
        assert "行政规范性文件现行有效件数（242）的" in messages[0]


def test_a_section_two_share_names_the_base_cell(seed: AnnualReport) -> None:
    said = seed.model_copy(
        update={
            "narrative": {
                **seed.narrative,
                "overview": "本年制发规范性文件21件，占现行有效规范性文件的12%。",
            }
        }
    )
    (finding,) = [f for f in check_report(said) if f.rule == "narrative.share"]
    assert [(c.table, c.row, c.column) for c in finding.cells] == [
        ("s2.art20_1", "normative_documents", "in_force")
    ]
    assert finding.message.endswith(
        "而 21 件占主动公开情况表（第二十条第（一）项）行政规范性文件现行有效件数（242）的 8.68%"
    )


@pytest.mark.parametrize("in_force", [None, 0])
def test_a_blank_or_zero_in_force_binds_nothing(seed: AnnualReport, in_force: int | None) -> None:
    report = seed.with_cell("s2.art20_1", "normative_documents", "in_force", in_force)
    sentence = "本年制发规范性文件21件，占现行有效规范性文件的12%。"
    assert _rule(report, sentence, "narrative.share") == []


def test_a_section_two_share_is_not_read_in_the_2019_format(fixtures_dir: Path) -> None:
    """2019's section 二 has no 现行有效件数: the share has no cell to be taken of."""
    path = fixtures_dir / "reports" / "shanghai_2019.json"
    report = AnnualReport.from_json(path.read_text(encoding="utf-8"))
    sentence = "本年制发规范性文件21件，占现行有效规范性文件的12%。"
    assert _rule(report, sentence, "narrative.share") == []


# -- narrative.change: last year's count written in the sentence ------------------------------


@pytest.mark.parametrize(
    ("sentence", "computed"),
    [
        ("收到申请67件，较上年的55件增长21.8%。", None),
        ("收到申请67件，较上年（55件）增长22%。", None),
        ("收到申请67件，较2020年的55件增加12件。", None),
        ("收到申请67件，与去年同期的55件相比增长百分之二十一点八。", None),
        ("行政复议3件，较上年的5件减少2件。", None),
        ("行政复议3件，较上年的5件下降40%。", None),
        # which count is compared is not said: one of them gives the change
        ("受理申请67件，办结61件，较上年的55件增长21.8%。", None),
        ("受理申请67件，办结61件，较上年的55件增长10.9%。", None),
        ("收到申请67件，较上年的55件增长25%。", "而 67 件较 55 件增长 21.82%"),
        ("收到申请67件，比去年同期的55件增加10件。", "而 67 件较 55 件增加 12 件"),
        ("行政复议3件，较上年的5件增加2件。", "而 3 件较 5 件减少 2 件"),  # a fall said as a rise
        ("收到申请67件，较上年的55件下降21.8%。", "而 67 件较 55 件增长 21.82%"),
        # no change can be computed, or none is stated with its base
        ("收到申请67件，较上年的0件增长100%。", None),
        ("收到申请67件，较上年增长25%。", None),  # cross_year.yoy_rate's, with last year
        ("网站访问量12000次，较上年的10000次增长50%。", None),  # no count of 件
    ],
)
def test_a_change_from_a_count_the_sentence_writes_follows_from_it(
    seed: AnnualReport, sentence: str, computed: str | None
) -> None:
    """「较上年的55件增长25%」: the prose gives both counts, so the change is checked without
    last year's report."""
    messages = _rule(seed, sentence, "narrative.change")
    if computed is None:
        assert messages == []
    else:
        (message,) = messages
        assert message.startswith(f"正文「{sentence}」称「") and message.endswith(computed)
