"""Wording of the prose: a word written twice in a row (「审核审核」), a sentence dated to a
year that is not the report's.

Only the sections without tables are read (一, 五, 六): in 二–四 the tables' own labels run
together in extracted text. A repeated unit that starts with 一 is a deliberate reduplication
(「一个一个」「一步一步」), not a typo, and is left alone.

A year is flagged only where a sentence opens with it (「2021年，我局……」 in a 2023 report, the
mark of a paragraph copied from an older report), and only when it is neither the report's
year, nor the year before (comparisons), nor the year after (plans, the signature's date);
years elsewhere (cited documents 《…》〔2021〕, plans 「到2025年」, history) are not read. Even
so a sentence may open with a target year or a date in history, so the finding is info.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.narrative._numbers import normalise
from gongkai.core.rules.engine import Context, Issue, rule

# A sentence that opens with a year: 「2021年，」「2021 年度,」.
_OPENING_YEAR: Final = re.compile(r"(?:^|(?<=[。；;！!？?\n]))\s*((?:19|20)\d\d)\s*年度?\s*[，,]")
# Two to six ideographs written twice in a row.
_DOUBLED: Final = re.compile(r"([\u4e00-\u9fff]{2,6})\1")
_CONTEXT: Final = 8
_SENTENCE_MARKS: Final = "。；;！!？?\n"


def _quote(text: str, start: int, end: int) -> str:
    """The doubled words with a few characters of their sentence either side."""
    left = start
    while left > max(0, start - _CONTEXT) and text[left - 1] not in _SENTENCE_MARKS:
        left -= 1
    right = end
    while right < min(len(text), end + _CONTEXT) and text[right] not in _SENTENCE_MARKS:
        right += 1
    return text[left:right].strip()


@rule(
    "wording.doubled_word",
    "正文不应有连写两次的词语（如「工作工作」）",
    Severity.WARNING,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def doubled_word(ctx: Context) -> Iterator[Issue]:
    for section in ctx.fmt.sections:
        if section.holds_tables:
            continue
        original = ctx.report.narrative.get(section.code, "")
        text = normalise(original)  # radicals read as ideographs; offsets unchanged
        for match in _DOUBLED.finditer(text):
            if match.group(1).startswith("一"):
                continue
            yield Issue(
                f"第{section.number}部分「{section.number}、{section.heading}」"
                f"「{_quote(original, match.start(), match.end())}」中"
                f"「{original[match.start() : match.start() + len(match.group(1))]}」"
                "连写了两次，疑为多打"
            )


@rule(
    "wording.other_year",
    "正文以其他年份开头的句子（既非本年度、上一年度，也非下一年度），可能是沿用往年报告的文字",
    Severity.INFO,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def other_year(ctx: Context) -> Iterator[Issue]:
    year = ctx.report.meta.year
    last = ctx.fmt.last_year if ctx.fmt.last_year is not None else year
    if not ctx.fmt.first_year <= year <= last:
        return  # the year itself is in doubt: format.year_mismatch says so
    expected = {year - 1, year, year + 1}
    for section in ctx.fmt.sections:
        if section.holds_tables:
            continue
        original = ctx.report.narrative.get(section.code, "")
        for match in _OPENING_YEAR.finditer(normalise(original)):
            if int(match.group(1)) in expected:
                continue
            start = match.start(1)
            yield Issue(
                f"第{section.number}部分「{section.number}、{section.heading}」"
                f"「{_quote(original, start, match.end())}」以 {match.group(1)} 年开头，"
                f"本报告是 {year} 年度的，请核对是否沿用了往年报告的文字"
            )
