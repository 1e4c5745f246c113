"""The report's structure: the format's six sections are there, in order, numbered 一–六, and
section 五 says something.

Only what the parser found is judged: a report read without any text (tables only) gives no
finding here (on the 2021 format ``fees.statement`` says its text was not checked). Section
六's fee statement is ``fees.statement``'s, not repeated here.

Numbering and order are judged on the headings as the parser found them printed
(``Context.headings``); a report that did not come from a published document (built from the
registers, read from JSON) has none and gets no finding. The parser finds a heading printed
under another numeral only with its exact words at the start of a line, so a numbering
finding always quotes a real heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.formats import SECTION_PROBLEMS, SECTIONS
from gongkai.core.rules.engine import Context, Issue, rule

# What is left of a section that says nothing: 「无」「暂无」「无。」, with any punctuation.
_NOTHING = re.compile(r"暂无|无|没有")
_PUNCTUATION = re.compile(r"[\s。．.，,；;：:、!！]+")


def _says_nothing(text: str) -> bool:
    return _NOTHING.fullmatch(_PUNCTUATION.sub("", text)) is not None


@rule(
    "structure.sections",
    "年度报告应包括格式规定的六个部分",
    Severity.WARNING,
    Category.FORMAT,
    law.ANNUAL_REPORT_CONTENT_ARTICLE,
)
def structure_sections(ctx: Context) -> Iterator[Issue]:
    found = ctx.report.narrative
    if not any(text.strip() for text in found.values()):
        return  # no text read at all: nothing to say about its sections
    printed = {code for code, _, _ in ctx.headings or ()}  # out of order: structure.order
    for section in ctx.fmt.sections:
        if section.code not in found and section.code not in printed:
            yield Issue(
                f"未找到第{section.number}部分「{section.number}、{section.heading}」，"
                "请核对报告是否遗漏该部分或标题写法不同"
            )


@rule(
    "structure.problems",
    "第五部分应写明存在的主要问题及改进情况，不能为空或只写「无」",
    Severity.WARNING,
    Category.FORMAT,
    law.ANNUAL_REPORT_CONTENT_ARTICLE,
)
def structure_problems(ctx: Context) -> Iterator[Issue]:
    text = ctx.report.narrative.get(SECTION_PROBLEMS)
    if text is None:
        return  # structure.sections says the section was not found
    section = next(s for s in ctx.fmt.sections if s.code == SECTION_PROBLEMS)
    heading = f"{section.number}、{section.heading}"
    if not text.strip():
        yield Issue(f"第{section.number}部分「{heading}」为空，没有写存在的主要问题及改进情况")
    elif _says_nothing(text):
        yield Issue(
            f"第{section.number}部分「{heading}」只写了「{text.strip()}」，"
            "应写明存在的主要问题及改进情况"
        )


_NUMERALS = "一二三四五六七八九十"


def _rank(numeral: str) -> int:
    return _NUMERALS.index(numeral) + 1 if len(numeral) == 1 and numeral in _NUMERALS else 0


@rule(
    "structure.numbering",
    "六个部分应依次编号为一至六（总体情况为第一部分），编号不能重新开始",
    Severity.WARNING,
    Category.FORMAT,
    law.ANNUAL_REPORT_CONTENT_ARTICLE,
)
def structure_numbering(ctx: Context) -> Iterator[Issue]:
    headings = ctx.headings or ()
    numbers = {s.code: s.number for s in SECTIONS}
    wrong = [(p, numbers[code]) for code, numeral, p in headings if numeral != numbers[code]]
    if not wrong:
        return
    previous = 0
    for code, numeral, printed in headings:
        rank = _rank(numeral)
        if numeral != numbers[code] and rank and previous and rank <= previous:
            yield Issue(
                f"部分编号重新开始：「{printed}」编为「{numeral}」，而前面已编到"
                f"「{_NUMERALS[previous - 1]}」；六个部分应连续编号为一至六"
                f"（该部分应为「{numbers[code]}」）"
            )
            return
        previous = max(previous, rank)
    listed = "；".join(f"「{printed}」应编为「{number}」" for printed, number in wrong)
    shifted = not any(code == "overview" for code, _, _ in headings) and all(
        _rank(numeral) == _rank(numbers[code]) - 1 for code, numeral, _ in headings
    )
    if shifted and len(wrong) > 1:
        yield Issue(
            f"报告把格式的第二至第六部分编为一至五（总体情况没有作为第一部分编号）：{listed}"
        )
    else:
        yield Issue(f"部分编号与格式不符：{listed}")


@rule(
    "structure.order",
    "六个部分应按格式规定的顺序排列",
    Severity.WARNING,
    Category.FORMAT,
    law.ANNUAL_REPORT_CONTENT_ARTICLE,
)
def structure_order(ctx: Context) -> Iterator[Issue]:
    order = {s.code: index for index, s in enumerate(SECTIONS)}
    headings = ctx.headings or ()
    for (code, _, printed), (later, _, after) in pairwise(headings):
        if order[later] < order[code]:
            yield Issue(f"「{after}」印在「{printed}」之后，格式规定的顺序正相反")
