"""Percentages written in words (「百分之三十」) in the share and rate rules.

The seed (泉港区 2021), as in test_rules_rates and test_rules_prose_figures: 一、本年新收 67 (all
自然人), 二、上年结转 0, （七）总计 61, 予以公开 36, 无法提供 15. Last year has 60 new
applications (a rise of 11.67%). Each sentence in words is checked as its digit form is, with the
tolerance of the decimals it writes, and the digit form of each case is checked alongside, so a
word form can never be judged otherwise than the same figure in digits.
"""

from __future__ import annotations

import pytest

from gongkai.core.model import AnnualReport
from gongkai.core.rules import check_report
from gongkai.core.rules.percent_words import has_percent, next_percent, read


def _messages(report: AnnualReport, sentence: str, rule: str, **kwargs: object) -> list[str]:
    said = report.model_copy(update={"narrative": {**report.narrative, "overview": sentence}})
    return [f.message for f in check_report(said, **kwargs) if f.rule == rule]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("三十", "30"),
        ("九十五点五", "95.5"),
        ("百", "100"),
        ("一百", "100"),
        ("十", "10"),
        ("两", "2"),
        ("零点五", "0.5"),
        ("三十三点九", "33.9"),
        ("五十九点零二", "59.02"),
        ("一百点零", "100.0"),
        # not a share of 0–100
        ("一百五十", None),
        ("一百点五", None),
        ("二〇", None),  # a run of bare digits: a year or a list
        ("三五", None),
    ],
)
def test_words_are_read_as_the_digits_they_say(words: str, digits: str | None) -> None:
    assert read(words) == digits


def test_a_percentage_mark_is_found_in_either_form() -> None:
    assert has_percent("占33.9%") and has_percent("占百分之三十") and not has_percent("百分")
    text = "甲百分之三十，乙20%。"
    assert next_percent(text, 0) == 1
    assert next_percent(text, 2) == text.index("%")
    assert next_percent(text, text.index("%") + 1) == -1


# -- narrative.share: a count, then its share ------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "digits", "fires"),
    [
        ("百分之五十九", "59%", False),  # 36 of （七）总计 61 = 59.02%
        ("百分之五十三点七", "53.7%", False),  # of 一、本年新收 67
        ("百分之五十九点零二", "59.02%", False),
        ("百分之三十三点九", "33.9%", True),
        ("百分之六十点五", "60.5%", True),
        ("百分之六十", "60%", False),  # written as an integer: one point of tolerance
        ("百分之五十九点九", "59.9%", True),  # one decimal: a tenth of a point
    ],
)
def test_a_share_in_words_is_judged_as_its_digits(
    seed: AnnualReport, words: str, digits: str, fires: bool
) -> None:
    said = _messages(seed, f"予以公开36件，占{words}。", "narrative.share")
    as_digits = _messages(seed, f"予以公开36件，占{digits}。", "narrative.share")
    assert bool(said) is bool(as_digits) is fires
    if fires:
        assert f"36 件占 {words}，而 36 件占（七）总计（61）的 59.02%" in said[0]


# -- cross_year.yoy_rate: a count, then its rate ---------------------------------------------------


@pytest.mark.parametrize(
    ("words", "fires"),
    [
        ("同比增长百分之十一点七", False),
        ("较上年增长百分之十二", False),
        ("同比增长百分之二点三", True),
        ("同比下降百分之十一点七", True),  # a rise stated as a fall
    ],
)
def test_a_year_on_year_rate_in_words_is_judged(
    seed: AnnualReport, last_year: AnnualReport, words: str, fires: bool
) -> None:
    messages = _messages(
        seed, f"收到申请67件，{words}。", "cross_year.yoy_rate", previous=last_year
    )
    assert bool(messages) is fires
    if fires:
        assert "百分之" in messages[0]
        assert "为 60 件，按 67 件计算应为增长 11.67%" in messages[0]


# -- narrative.rate and cross_year.yoy_subject: bound by their subject -----------------------------


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("收到申请67件，予以公开占办结总数的百分之五十九。", False),
        ("收到申请67件，予以公开占办结总数的百分之三十。", True),
        ("无法提供的申请占办结总数的百分之二十四点五。", False),  # 24.59%, truncated
        ("无法提供的申请占办结总数的百分之二十四点七。", True),
        ("其中自然人申请占比百分之百。", False),
        ("其中自然人申请占比约百分之六十五。", True),
        ("全年办结率百分之九十一，收到申请67件。", False),
        ("全年办结率百分之九十五点五，收到申请67件。", True),
        # false-alarm guards: nothing is said
        ("收到申请67件，办结率百分之百。", False),  # narrative.all_closed's question
        ("收到申请67件，办结率百分之一百点零。", False),
        ("收到申请67件，做到应公开尽公开，百分之百依法答复。", False),  # a slogan, no subject
        ("收到申请67件，公开率达百分之九十五。", False),  # 公开率 names no cells
        ("收到申请67件，予以公开占全部信息的百分之三十。", False),  # not applications
        ("收到申请67件，予以公开占办结总数的百分之一百五十。", False),  # no share of 0–100
        ("收到申请67件，予以公开占办结总数的百分之二〇。", False),  # not a numeral
    ],
)
def test_a_share_in_words_without_a_count_is_bound_by_its_subject(
    seed: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _messages(seed, sentence, "narrative.rate")
    assert bool(messages) is fires, messages
    if fires:
        assert messages[0].startswith(f"正文「{sentence}」称「")
        assert "百分之" in messages[0]


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("申请数量较上年增长百分之十一点七。", False),
        ("收到申请同比增长百分之十二。", False),
        ("申请数量较上年下降百分之十二点五。", True),
        ("收到申请同比增长百分之二十。", True),
        ("网站访问量同比增长百分之五。", False),  # not bound
    ],
)
def test_a_subject_rate_in_words_is_computed_from_both_tables(
    seed: AnnualReport, last_year: AnnualReport, sentence: str, fires: bool
) -> None:
    messages = _messages(seed, sentence, "cross_year.yoy_subject", previous=last_year)
    assert bool(messages) is fires, messages


def test_every_rule_is_silent_on_a_slogan_in_words(
    seed: AnnualReport, last_year: AnnualReport
) -> None:
    """「百分之百」 as a manner (「百分之百满意」), beside correct figures: no finding at all."""
    sentence = "收到申请67件，予以公开36件，群众百分之百满意，办理工作百分之百规范。"
    said = seed.model_copy(update={"narrative": {**seed.narrative, "overview": sentence}})
    rules = {"narrative.share", "narrative.rate", "cross_year.yoy_rate", "cross_year.yoy_subject"}
    assert [f for f in check_report(said, previous=last_year) if f.rule in rules] == []
