"""Wording of the prose: a word written twice in a row (「审核审核」).

Only the sections without tables are read (一, 五, 六): in 二–四 the tables' own labels run
together in extracted text. A repeated unit that starts with 一 is a deliberate reduplication
(「一个一个」「一步一步」), not a typo, and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.narrative._numbers import normalise
from gongkai.core.rules.engine import Context, Issue, rule

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
