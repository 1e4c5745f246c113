"""Wording: doubled words, years that are not the report's, prose the tables contradict.

The seed is 泉港区's 2021 report (四、结转下年度继续办理 6). Each sentence is put in a prose
section the way a report prints it; the rule must fire on the slip and stay silent on the
legitimate forms next to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.findings import Severity
from gongkai.core.model import AnnualReport
from gongkai.core.parse.text import parse_text
from gongkai.core.rules import check_report, wording
from tests.parse.synth import render


def _messages(report: AnnualReport, section: str, text: str, rule: str) -> list[str]:
    said = report.model_copy(update={"narrative": {**report.narrative, section: text}})
    return [f.message for f in check_report(said) if f.rule == rule]


# -- a word written twice ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "加强工作工作机制建设。",  # a word of report prose, never reduplicated
        "二是规范审核审核发布机制。",
        "及时更新信息信息。",
        "提高政务公开政务公开质量。",  # three characters or more: always a slip
        "推进政府信息公开政府信息公开标准化。",
    ],
)
def test_a_doubled_word_is_a_slip(seed: AnnualReport, text: str) -> None:
    assert len(_messages(seed, "overview", text, "wording.doubled_word")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "这个问题要研究研究。",  # a verb reduplicated in speech (try doing)
        "大家再讨论讨论，学习学习先进经验。",
        "认认真真、扎扎实实抓好落实。",  # AABB
        "常常更新，人人参与，天天公开，各个部门协同。",  # one-character repeats
        "一个一个落实，一步一步推进。",  # reduplication with 一
        "公开工作，工作公开。",  # not adjacent
        "雪白雪白的墙。",  # descriptive ABAB
    ],
)
def test_legitimate_reduplication_is_not_a_slip(seed: AnnualReport, text: str) -> None:
    assert _messages(seed, "overview", text, "wording.doubled_word") == []


# -- a year written as the report's own year ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("本年度（2020年），我局认真贯彻《条例》。", True),
        ("今年即2019年，我局完善制度。", True),
        ("本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。", True),
        ("统计期限自2021年1月1日起至2020年12月31日止。", True),  # the end year copied
        ("本年度（2021年），我局认真贯彻《条例》。", False),
        ("统计期限自2021年1月1日起至2021年12月31日止。", False),
        ("与2020年相比，本年度申请数量增加。", False),  # a comparison
        ("落实《2020年政务公开工作要点》。", False),  # a cited document
        ("本年度围绕“十四五”规划，到2025年基本建成。", False),  # plans
        ("本年2021年3月5日召开会议。", False),  # a date in the year
        ("本年2022年1月发布的年报中公开了相关数据。", False),  # a date, in the next year
        ("本年度2020年结转的申请已全部办结。", False),  # the year of what follows
        ("本年度2019年以来的文件已全部清理。", False),
        ("今年2022年春节前完成整改。", False),  # 今年: the year of writing
        ("今年即2020年，我局完善制度。", True),
        ("本年度2020年，我局完善制度。", True),
    ],
)
def test_a_year_anchored_to_this_year(seed: AnnualReport, text: str, fires: bool) -> None:
    messages = _messages(seed, "overview", text, "wording.this_year")
    assert bool(messages) is fires
    if fires:
        assert "本报告是 2021 年度的" in messages[0]


def test_the_title_year_against_the_statistics_period_is_the_parsers_finding(
    seed: AnnualReport,
) -> None:
    text = render(seed, sep="\t").replace(
        "一、总体情况\n",
        "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。\n一、总体情况\n",
    )
    parsed = parse_text(text)
    [problem] = [p for p in parsed.problems if p.code == "year_conflict"]
    assert problem.severity is Severity.WARNING
    assert "标题中的年度为 2021 年，而统计期限写的是 2020 年" in problem.message
    same = parse_text(text.replace("2020年1月1日", "2021年1月1日"))
    assert not [p for p in same.problems if p.code == "year_conflict"]


# -- all closed, while the table carries applications over ------------------------------------


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("全年收到的申请均已按期办结。", True),
        ("政府信息公开申请已全部办结。", True),
        ("依申请公开办结率达100%。", True),
        ("依申请公开办结率为100.0%。", True),
        ("本年度无申请结转下年度。", True),
        ("除6件结转下年度办理外，其余申请均已办结。", False),  # the carry-over allowed for
        ("收到的申请均在法定期限内予以答复。", False),  # on time, not all closed
        ("行政复议案件均已办结。", False),  # remedies, not applications
        ("各项工作均已按期办结。", False),  # not about applications
        ("予以公开的申请占全部办结件数的30%。", False),  # 全部办结 names a base, not a claim
        ("全部办结的申请中，予以公开20件。", False),
        ("予以公开和部分公开合计38件，占全部办结申请的62.3%。", False),  # a base too
        ("无法提供15件，占全部办结政府信息公开申请的24.6%。", False),
        ("本年度申请全部办结，无结转。", True),
        ("全年收到申请67件，已全部答复完毕61件，6件结转下年度。", False),  # counted
        ("申请均已办结，结转下年度办理6件。", False),
        ("申请均已办结，无申请结转下年度。", True),
        ("本年度2020年结转的申请已全部办结。", False),  # the carried ones
        ("结转下年度的申请已于次年1月全部办结。", False),
        ("上年结转申请0件，本年度申请均已办结。", True),  # another clause
        # The rate of those closed on time, and a plan, say nothing of a carry-over.
        ("办结政府信息公开申请68件，按时办结率100%。", False),
        ("依申请公开按期办结率为100%。", False),
        ("2022年，将进一步规范申请办理流程，确保办结率100%。", False),
    ],
)
def test_all_closed_next_to_a_carry_over(seed: AnnualReport, text: str, fires: bool) -> None:
    said = seed.model_copy(update={"narrative": {**seed.narrative, "overview": text}})
    findings = [f for f in check_report(said) if f.rule == "narrative.all_closed"]
    assert bool(findings) is fires
    if fires:
        assert findings[0].severity is Severity.WARNING
        assert "表三「四、结转下年度继续办理」为 6 件" in findings[0].message
        assert [(c.table, c.row, c.column) for c in findings[0].cells] == [
            ("t3", "carried_out", "total")
        ]


def test_all_closed_without_a_carry_over_is_true(seed: AnnualReport) -> None:
    report = seed.with_cell("t3", "carried_out", "total", 0)
    assert _messages(report, "overview", "申请均已按期办结。", "narrative.all_closed") == []


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="。；;！!？?\n \t\u3000\xa0\u2028\r，,年度1920345x中", max_size=40))
def test_opening_years_are_those_of_the_anchored_pattern(text: str) -> None:
    """The scan for years that open a sentence finds what the pattern anchored at sentence
    starts finds (the pattern is the definition; the scan is the fast way)."""

    def key(matches: Iterable[re.Match[str]]) -> list[tuple[str, int, int]]:
        return [(m.group(1), m.start(1), m.end()) for m in matches]

    assert key(wording._opening_years(text)) == key(wording._OPENING_YEAR.finditer(text))


def test_a_year_after_a_line_break_opens_a_sentence() -> None:
    text = "（一）主动公开方面\n 2019年，通过网站公开。"
    assert [m.group(1) for m in wording._opening_years(text)] == ["2019"]
    assert list(wording._opening_years("方面 2019年，通过")) == []


@pytest.mark.parametrize(
    "phrase",
    [
        *(
            f"{q}{m}{v}"
            for q in ("全部", "均", "均已", "都", "都已", "已全部", "一律")
            for m in ("", "按期")
            for v in ("办结", "办理完毕", "办理完成")
        ),
        *(
            f"{n}{a}{c}"
            for n in ("无", "没有", "未有", "不存在")
            for a in ("", "申请")
            for c in ("结转", "转入下年度")
        ),
        "办结率100%",
        "办结率达到100.0 %",
    ],
)
def test_all_closed_finds_every_wording_after_its_first_character_check(phrase: str) -> None:
    """The look-ahead on the first character only speeds the search: each alternative is still
    found, at the same place, as by the patterns without it."""
    plain = "|".join((wording._ALL_CLOSED_VERB, wording._NO_CARRY_OVER, wording._FULL_RATE))
    text = f"本机关{phrase}的"
    expected = re.compile(plain).search(text)
    found = wording._ALL_CLOSED_ANYWHERE.search(text)
    assert expected is not None and found is not None
    assert found.span() == expected.span()
