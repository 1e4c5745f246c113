"""The six parts: present, in order, numbered 一–六, as the report printed its headings.

Each case is a report text in the published layout whose headings are changed the way real
reports change them; the parser records the headings as printed and the rules
``structure.numbering`` and ``structure.order`` judge them. The tables must still be read in
full whatever the numbering.
"""

from __future__ import annotations

import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.model import AnnualReport
from gongkai.core.parse.text import parse_text
from gongkai.core.rules import check_report
from tests.parse.synth import render

HEADINGS = {
    "一": "总体情况",
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
    "五": "存在的主要问题及改进情况",
    "六": "其他需要报告的事项",
}


def _renumber(text: str, numbering: dict[str, str]) -> str:
    """The headings printed with other numerals (「」 for none)."""
    for number, printed in numbering.items():
        heading = HEADINGS[number]
        text = text.replace(f"{number}、{heading}\n", f"{printed}{heading}\n", 1)
    return text


def _swap_five_and_six(text: str) -> str:
    five = "五、存在的主要问题及改进情况\n无。\n"
    six = "六、其他需要报告的事项\n无。\n"
    return text.replace(five + six, six + five)


CASES = [
    pytest.param(
        {"一": "", "二": "一、", "三": "二、", "四": "三、", "五": "四、", "六": "五、"},
        "structure.numbering",
        "报告把格式的第二至第六部分编为一至五（总体情况没有作为第一部分编号）："
        "「一、主动公开政府信息情况」应编为「二」",
        id="the five statutory parts numbered 一–五",
    ),
    pytest.param(
        {"三": "一、", "四": "二、", "五": "三、", "六": "四、"},
        "structure.numbering",
        "部分编号重新开始：「一、收到和处理政府信息公开申请情况」编为「一」，而前面已编到「二」",
        id="numbering restarts at 一",
    ),
    pytest.param(
        {"四": "五、", "五": "六、", "六": "七、"},
        "structure.numbering",
        "部分编号与格式不符：「五、政府信息公开行政复议、行政诉讼情况」应编为「四」",
        id="a numeral skipped",
    ),
    pytest.param(
        "swap",
        "structure.order",
        "「五、存在的主要问题及改进情况」印在「六、其他需要报告的事项」之后",
        id="sections 五 and 六 swapped",
    ),
]


@pytest.mark.parametrize(("change", "rule", "message"), CASES)
def test_a_report_numbered_or_ordered_otherwise_is_told_so(
    seed: AnnualReport, change: dict[str, str] | str, rule: str, message: str
) -> None:
    text = render(seed, sep="\t")
    text = _swap_five_and_six(text) if change == "swap" else _renumber(text, change)  # type: ignore[arg-type]
    parsed = parse_text(text)
    assert parsed.report is not None
    assert parsed.report.tables == seed.tables  # the tables are read whatever the headings
    findings = [f for f in audit_parsed("r.txt", "text", parsed).findings if f.rule == rule]
    assert len(findings) == 1, [f.message for f in findings]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message.startswith(message)


@pytest.mark.parametrize(
    "numbering",
    [
        {},
        {"三": "三三、"},  # a doubled numeral is the same numeral
        {"二": "二.", "三": "三，"},  # other punctuation after the numeral
    ],
)
def test_the_format_numbering_gives_no_finding(
    seed: AnnualReport, numbering: dict[str, str]
) -> None:
    parsed = parse_text(_renumber(render(seed, sep="\t"), numbering))
    findings = audit_parsed("r.txt", "text", parsed).findings
    assert not [f for f in findings if f.rule in ("structure.numbering", "structure.order")]


def test_the_printed_headings_are_recorded_in_order(seed: AnnualReport) -> None:
    parsed = parse_text(_swap_five_and_six(render(seed, sep="\t")))
    assert [(code, numeral) for code, numeral, _ in parsed.headings] == [
        ("overview", "一"),
        ("proactive", "二"),
        ("requests", "三"),
        ("remedies", "四"),
        ("other", "六"),
        ("problems", "五"),
    ]


def test_a_report_without_printed_headings_is_not_judged(seed: AnnualReport) -> None:
    """Built from the registers or read from JSON: nothing was printed to judge."""
    findings = check_report(seed, headings=None)
    assert not [f for f in findings if f.rule in ("structure.numbering", "structure.order")]
