"""Prose copied from last year's report (LEGAL.md §6 item 8; 30号 part 二(四) 内容雷同).

Evaluators report annual reports "copied from previous years, identical data three years
running". The check compares each narrative section with the same section of the same unit's
report for the year before, and says how similar they are.

Similarity is the Jaccard index of the two texts' 5-character shingles, after dropping spacing
and punctuation and writing every run of digits as ``#``: a section copied with this year's
numbers typed over last year's is still a copy, and it is the wording that was copied. Shingles
are linear in the text's length (difflib's ratio is quadratic on long sections) and do not care
in which order paragraphs were moved.

The threshold, :data:`COPY_THRESHOLD` = 0.8, sits well above what one template gives two honest
years: in the corpus, consecutive years of one unit (平潭 财政金融局 2019/2020, 管委会办公室
2020/2021, 实验区 2021/2022) score 0.03–0.25 on 总体情况 and 0.02–0.18 on 存在的主要问题,
although they share headings and stock phrases; a section re-published with only its figures
changed scores 1.0 (tests/core/test_narrative_copy_paste.py). Sections
shorter than :data:`MIN_CHARS` characters (``无。``) are not compared: short stock answers are
legitimately the same every year.
"""

from __future__ import annotations

import re
from typing import Final

from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category, Finding, Severity
from gongkai.core.formats import SECTIONS
from gongkai.core.model import AnnualReport
from gongkai.core.narrative._numbers import normalise

COPY_THRESHOLD: Final = 0.8
MIN_CHARS: Final = 80
SHINGLE: Final = 5
# Counts in prose; a year (2021年) changes every year by itself and is left out.
MIN_NUMBERS: Final = 3
CITATION: Final = (
    "国办公开办函〔2021〕30号 第二部分（四）：年度报告内容雷同的，依《条例》第四十七条追责"
)

_NOISE: Final = re.compile(r"[^\w#]|_", re.UNICODE)
_DIGITS: Final = re.compile(r"\d+(?:\.\d+)?")
_COUNT: Final = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?!\s*年(?!度报告))(?![\d.])")
_YEAR: Final = re.compile(r"(?:19|20)\d\d")


def _canonical(text: str) -> str:
    return _NOISE.sub("", _DIGITS.sub("#", normalise(text)))


def _shingles(text: str) -> set[str]:
    if len(text) < SHINGLE:
        return {text} if text else set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def similarity(first: str, second: str) -> float:
    """How much of two texts' wording is shared, from 0 (nothing) to 1 (the same words)."""
    a, b = _shingles(_canonical(first)), _shingles(_canonical(second))
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def counts_in(text: str) -> list[str]:
    """The numbers a text states, in order, without the years."""
    return [
        match.group()
        for match in _COUNT.finditer(normalise(text))
        if not (_YEAR.fullmatch(match.group()))
    ]


def copy_paste_check(
    report: AnnualReport, previous: AnnualReport, *, earlier: AnnualReport | None = None
) -> list[Finding]:
    """Sections of ``report`` that repeat ``previous`` (the same unit's report a year before).

    With ``earlier`` (the report two years before), a section whose numbers are the same
    three years running is reported even when its wording was changed.

    Raises GongkaiError when the reports are not the same unit's consecutive years: comparing
    other reports would call unrelated similarity copying.
    """
    _same_unit_year_before(report, previous, 1)
    if earlier is not None:
        _same_unit_year_before(report, earlier, 2)
    findings: list[Finding] = []
    for section in (s for s in SECTIONS if not s.holds_tables):
        text = report.narrative.get(section.code, "")
        before = previous.narrative.get(section.code, "")
        if len(_canonical(text)) < MIN_CHARS or len(_canonical(before)) < MIN_CHARS:
            continue
        where = f"第{section.number}部分「{section.heading}」"
        numbers = counts_in(text)
        same_numbers = len(numbers) >= MIN_NUMBERS and numbers == counts_in(before)
        score = similarity(text, before)
        if score >= COPY_THRESHOLD:
            tail = f"，且其中 {len(numbers)} 个数字与上年完全相同" if same_numbers else ""
            findings.append(
                Finding(
                    rule="narrative.copy_paste",
                    severity=Severity.WARNING,
                    category=Category.NARRATIVE,
                    message=(
                        f"{where}正文与 {previous.meta.year} 年度报告的相似度为 {score:.0%}"
                        f"（达到 {COPY_THRESHOLD:.0%} 即提示），疑为照搬上年内容{tail}"
                    ),
                    citation=CITATION,
                    excerpt=text.strip()[:200],
                )
            )
        if (
            earlier is not None
            and same_numbers
            and numbers == counts_in(earlier.narrative.get(section.code, ""))
        ):
            findings.append(
                Finding(
                    rule="narrative.same_numbers",
                    severity=Severity.WARNING,
                    category=Category.NARRATIVE,
                    message=(
                        f"{where}正文中的 {len(numbers)} 个数字"
                        f"（{'、'.join(numbers[:6])}{'等' if len(numbers) > 6 else ''}）"
                        f"连续三年（{earlier.meta.year}—{report.meta.year} 年度）完全相同"
                    ),
                    citation=CITATION,
                    excerpt=text.strip()[:200],
                )
            )
    return findings


def _same_unit_year_before(report: AnnualReport, other: AnnualReport, years: int) -> None:
    unit, other_unit = report.meta.unit.strip(), other.meta.unit.strip()
    if unit != other_unit:
        raise GongkaiError(
            f"对比的报告发布单位为「{other_unit}」，与本报告「{unit}」不同，"
            f"不能判断正文是否照搬上年"
        )
    if other.meta.year != report.meta.year - years:
        raise GongkaiError(
            f"对比的报告为 {other.meta.year} 年度，应为 {report.meta.year - years} 年度"
            f"（本报告为 {report.meta.year} 年度）"
        )
