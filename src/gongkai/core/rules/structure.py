"""The report's structure: the format's six sections are there, and section 五 says something.

Only what the parser found is judged: a report read without any text (tables only) gives no
finding here (on the 2021 format ``fees.statement`` says its text was not checked). Section
六's fee statement is ``fees.statement``'s, not repeated here.

Not checked yet (the parser does not record the headings as printed): the order of the
sections and their numbering 一–六.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.formats import SECTION_PROBLEMS
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
    for section in ctx.fmt.sections:
        if section.code not in found:
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
