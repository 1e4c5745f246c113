"""Percentages the prose states: shares of a total, and year-on-year rates.

``narrative.share`` — 「予以公开及部分公开258件，占33.9%」: the share must be the stated count
over one of the totals such a share is taken of (table 三's （七）总计, 一、本年新收, or 一+二).
The count is the one the prose states (whether it agrees with the table is
``narrative.mismatch``'s question); only counts that name a table 三 row are read. A count of
section 二 (一) of the year (制发, 废止 规章 or 规范性文件, 2021 format) is read too, but only
where 「占」 names the documents in force (「制发规范性文件21件，占现行有效规范性文件的8.7%」): it
is then the count over the same row's 现行有效件数. A share of section 二 whose base the prose
does not name is not judged: it could be of anything.

``cross_year.yoy_rate`` — 「收到申请120件，同比增长2.3%」: with last year's report of the same unit
(the pairing the audit already makes), the rate must be (this year − last year) / last year,
this year being the count the sentence states and last year the same cells of last year's
report. A rise stated as a fall, or the other way round, is also told.

Rounding tolerance (both rules): a percentage written with *d* decimals agrees when it differs
from the exact figure by at most 10^−d percentage points — so both rounding and truncation to
the written precision pass (33.9% for 33.94% or 33.96%; 3% for 2.6%–3.99%), and 2.3% for 2.9%
does not. Both are warnings: the prose may take a share of another base than the three above,
or last year's figures may have been revised since they were published.

A count said of another year (``Claim.year``: 「2020年收到申请60件，同比增长…」 in the report on
2021) gives no share or rate of this year's, as it is not compared as a count either.

``narrative.change`` — 「收到申请67件，较上年的55件增长21.8%」「较2020年（55件）增加12件」: where
the sentence writes last year's count itself, the change it states (a rate or a number of 件)
must follow from that count and the count written before it; no other report is needed. When
the sentence writes several counts before the comparison (「受理67件，办结61件，较上年的55件
增长21.8%」, which does not say which one is compared), a change any of them gives passes.

What is not read here: a percentage without a count before it in its sentence (bound by its
subject instead, in :mod:`gongkai.core.rules.shares`), rates of remedies (复议纠错率), and a
last year of zero (no rate exists). A percentage written in words (「占百分之三十」) is read as
its digits (:mod:`gongkai.core.rules.percent_words`), with the tolerance of the decimals it
writes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity, quote
from gongkai.core.formats import (
    COL_TOTAL,
    S2_IN_FORCE,
    S2_ISSUED,
    S2_NORMATIVE,
    S2_REPEALED,
    T3,
    T3_CARRIED_IN,
    T3_NEW,
    T3_RESULTS_TOTAL,
)
from gongkai.core.model import AnnualReport
from gongkai.core.names import describe_cells, number
from gongkai.core.narrative.check import target_value
from gongkai.core.narrative.claim import Claim, ClaimKind, Target
from gongkai.core.narrative.claims import sentence_claims
from gongkai.core.narrative.leading import leading
from gongkai.core.narrative.sentences import Sentence, split_sentences
from gongkai.core.rules import percent_words
from gongkai.core.rules.engine import Context, Issue, rule
from gongkai.core.rules.percent_words import PERCENT, has_percent

# A count's digits: where its digits start (not after a digit, nor after a digit and its
# separator), at most 21 characters. Tried at each digit of a run that is no count and
# scanned to the run's end from each, the two patterns below took 15 s over 30,000 digits,
# 7 s over 15,000 「9,」, in one sentence with a share; no count has more digits.
_COUNT_DIGITS: Final = r"(?<!\d)(?<!\d,)(?P<n>\d[\d,]{0,20})"
# 「258件，占33.9%」「258件，占办结总数的33.9%」「258件，所占比例为33.9%」
_SHARE: Final = re.compile(
    _COUNT_DIGITS + r"\s*件(?P<between>[^。；;\d%]{0,10}?)占(?P<of>[^。；;\d%]{0,14}?)\s*" + PERCENT
)
# Between the count and 占, a part of it named as the share's subject (「收到申请67件，其中网上
# 申请占85%」): the share is that part's, of a count the prose does not state.
_OTHER_SUBJECT: Final = re.compile(r"其中|中|通过|来自|涉及|申请|提出")
# 「同比增长2.3%」「较上年下降10%」「比去年增加了5.5%」「与上年相比减少3%」
_YOY: Final = leading(
    r"(?:同比|较上一?年度?|比上一?年度?|较去年|比去年|与上一?年度?相比|与去年相比)"
    r"[^。；;\d%]{0,8}?(?P<dir>增长|增加|上升|提高|提升|下降|减少|降低|回落)了?\s*" + PERCENT
)
_FALL: Final = frozenset({"下降", "减少", "降低", "回落"})
# A base wider than the office (「占全市的10%」「占全区各单位收到申请总数的15.2%」): a share
# of the region's or the system's applications, which no table of this report holds.
_WIDER: Final = re.compile(
    r"全(?:市|区|县|省|国|州|盟|旗|镇|乡|系统|行业)|各(?:单位|部门|地|区|县|市|乡镇|级)"
    r"|本(?:市|区|县|省|系统)|(?:市|区|县|省)级|同级|上级|全部门"
)
_COUNT: Final = re.compile(_COUNT_DIGITS + r"\s*件")


def tolerance(written: str) -> Decimal:
    """10^−d for a percentage written with d decimals (see the module docstring)."""
    decimals = len(written.split(".")[1]) if "." in written else 0
    return Decimal(1).scaleb(-decimals)


def agrees(exact: Decimal, written: str) -> bool:
    return abs(exact - Decimal(written)) <= tolerance(written)


def _show(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}%"


def _sentences(ctx: Context, *marks: str) -> Iterator[tuple[str, Sentence]]:
    """(section code, sentence) of the prose sections, only those that hold a percentage and
    every one of ``marks`` (told first of the whole section)."""
    for section in ctx.fmt.sections:
        original, normal = ctx.prose(section.code)
        if not has_percent(normal) or not all(mark in normal for mark in marks):
            continue
        if not original.strip():
            continue
        for sentence in split_sentences(normal, original):
            text = sentence.text
            if has_percent(text) and all(mark in text for mark in marks):
                yield section.code, sentence


def _of_another_period(ctx: Context, claim: Claim) -> bool:
    """Whether the count is said of another year than the report's (「2020年收到申请58件」),
    as the prose check reads it: its share or rate is that year's, not this table's."""
    return claim.year is not None and claim.year != ctx.report.meta.year


class CountsBefore:
    """The count claims of one sentence, told by the count written last before a place in it.

    Built once a sentence and asked for each of its percentages: the counts are found in one
    pass and kept in order, and the claims by table and value, the last of each set of
    columns kept. Looked for again before each percentage (the counts from the start, the
    claims back from the end), a sentence of 2,000 shares took 3 s."""

    def __init__(self, text: str, claims: Callable[[], Sequence[Claim]]) -> None:
        self._ends: list[int] = []
        self._values: list[int] = []
        for found in _COUNT.finditer(text):
            self._ends.append(found.end())
            self._values.append(int(found.group(1).replace(",", "")))
        self._claims = claims
        self._last: dict[tuple[str, int | Decimal], dict[frozenset[str], tuple[int, Claim]]]
        self._last = {}
        self._indexed = False

    def claim(
        self, at: int, table: str = T3, columns: frozenset[str] | None = None
    ) -> Claim | None:
        """The count claim of ``table`` (and, if given, of one of ``columns``) whose number is
        the last count that ends before ``at`` in the sentence: a count written across ``at``
        is none, as a count of the sentence's head alone would not be."""
        written = bisect_right(self._ends, at)
        if not written:
            return None
        if not self._indexed:  # the claims are read only for a sentence with a count
            self._index(self._claims())
        last = self._last.get((table, self._values[written - 1]))
        if not last:
            return None
        fits = [kept for cols, kept in last.items() if columns is None or cols <= columns]
        return max(fits, key=lambda kept: kept[0])[1] if fits else None

    def _index(self, claims: Sequence[Claim]) -> None:
        self._indexed = True
        for i, claim in enumerate(claims):
            if claim.kind is ClaimKind.CELL and claim.target is not None:
                key = (claim.target.table, claim.value)
                self._last.setdefault(key, {})[frozenset(claim.target.columns)] = (i, claim)


def _counts(sentence: Sentence, section: str, ctx: Context) -> CountsBefore:
    return CountsBefore(sentence.text, lambda: sentence_claims(sentence, section, fmt=ctx.fmt))


# A section 二 (一) figure of the year (制发, 废止) as a share of the documents in force: only
# where 「占」 names them (「占现行有效规范性文件的4.2%」), so that the base is beyond doubt.
_OF_IN_FORCE: Final = re.compile(r"现行有效")
_OF_YEAR: Final = frozenset({S2_ISSUED, S2_REPEALED})


def _section_two_share(
    ctx: Context, counts: CountsBefore, excerpt: str, match: re.Match[str]
) -> Issue | None:
    """「本年制发规范性文件5件，占现行有效规范性文件的4.2%」 against section 二's cells."""
    if not _OF_IN_FORCE.search(match.group("of")):
        return None
    claim = counts.claim(percent_words.start(match), S2_NORMATIVE, _OF_YEAR)
    written = percent_words.written(match)
    if claim is None or claim.target is None or written is None or _of_another_period(ctx, claim):
        return None
    (row,) = claim.target.rows
    base_cell = (S2_NORMATIVE, row, S2_IN_FORCE)
    try:
        base = ctx.report.cell(*base_cell)
    except KeyError:
        return None  # a format without 现行有效件数 (2019)
    if not base:
        return None  # blank (not read) or zero: no share exists
    exact = Decimal(claim.value) * 100 / Decimal(base)
    if agrees(exact, written):
        return None
    name = describe_cells(ctx.fmt, S2_NORMATIVE, (row,), (S2_IN_FORCE,))
    return Issue(
        f"正文「{excerpt}」称{claim.phrase}占 {percent_words.as_written(match)}，"
        f"而 {claim.value} 件占{name}（{number(base)}）的 {_show(exact)}",
        (base_cell,),
    )


def _bases(report: AnnualReport) -> list[tuple[str, Decimal]]:
    """The totals a share of applications is taken of, as the table states them."""
    out = []
    for label, rows in (
        ("（七）总计", (T3_RESULTS_TOTAL,)),
        ("一、本年新收", (T3_NEW,)),
        ("一、本年新收与二、上年结转之和", (T3_NEW, T3_CARRIED_IN)),
    ):
        value, _ = target_value(report, Target(T3, rows, (COL_TOTAL,)))
        if value:
            out.append((label, Decimal(value)))
    return out


@rule(
    "narrative.share",
    "正文所写的占比应等于所述件数除以总数（按所写位数四舍五入或截尾后一致）",
    Severity.WARNING,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def share(ctx: Context) -> Iterator[Issue]:
    bases: list[tuple[str, Decimal]] | None = None  # read at the first share stated
    for section, sentence in _sentences(ctx, "占"):
        text, excerpt = sentence.text, quote(sentence.excerpt)
        matches = list(_SHARE.finditer(text))
        if not matches:
            continue
        if bases is None:
            bases = _bases(ctx.report)
        counts = _counts(sentence, section, ctx)
        for match in matches:
            claim = counts.claim(percent_words.start(match))
            if claim is not None and _of_another_period(ctx, claim):
                continue  # 「2020年收到申请58件，占…」: another year's count and share
            if claim is None:
                issue = _section_two_share(ctx, counts, excerpt, match)
                if issue is not None:
                    yield issue
                continue
            written = percent_words.written(match)
            if (
                not bases
                or written is None
                or _WIDER.search(match.group("of"))
                or _OTHER_SUBJECT.search(match.group("between"))
            ):
                continue
            count = Decimal(claim.value)
            shares = [(label, count * 100 / base) for label, base in bases]
            if any(agrees(exact, written) for _, exact in shares):
                continue
            computed = "，".join(
                f"占{label}（{base}）的 {_show(exact)}"
                for (label, exact), (_, base) in zip(shares, bases, strict=True)
            )
            yield Issue(
                f"正文「{excerpt}」称{claim.phrase}占 {percent_words.as_written(match)}，"
                f"而 {count} 件{computed}"
            )


@rule(
    "cross_year.yoy_rate",
    "正文所写的同比增减幅度应等于（本年 − 上年）÷ 上年（按所写位数四舍五入或截尾后一致）",
    Severity.WARNING,
    Category.CROSS_YEAR,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
    needs_previous=True,
    reads_prose=True,
)
def year_on_year(ctx: Context) -> Iterator[Issue]:
    previous = ctx.previous
    if previous is None:
        return  # not the same unit's last year: cross_year.previous says so
    for section, sentence in _sentences(ctx):
        text, excerpt = sentence.text, quote(sentence.excerpt)
        matches = list(_YOY.finditer(text))
        if not matches:
            continue
        counts = _counts(sentence, section, ctx)
        for match in matches:
            claim = counts.claim(match.start())
            if claim is None or claim.target is None or _of_another_period(ctx, claim):
                continue  # none, or another year's count (「2020年收到申请60件，同比…」)
            try:
                last, _ = target_value(previous, claim.target)
            except KeyError:
                continue  # a row last year's format does not have
            if not last:
                continue
            now = Decimal(claim.value)
            exact = (now - Decimal(last)) * 100 / Decimal(last)
            written = percent_words.written(match)
            if written is None:
                continue
            fall = match.group("dir") in _FALL
            stated = -Decimal(written) if fall else Decimal(written)
            if abs(exact - stated) <= tolerance(written):
                continue
            direction = "下降" if exact < 0 else "增长"
            yield Issue(
                f"正文「{excerpt}」称{claim.phrase}，同比{match.group('dir')} "
                f"{percent_words.as_written(match)}；"
                f"上一年度报告（{previous.meta.year} 年度）为 {last} 件，"
                f"按 {now} 件计算应为{direction} {_show(abs(exact))}"
            )


# Last year's count written in the sentence, then the change: 「较上年的55件增长21.8%」
# 「比2020年（55件）增加12件」「与去年同期的55件相比下降10%」.
_STATED_CHANGE: Final = re.compile(
    r"(?:较|比|与)(?:上一?年度?|去年|(?:19|20)\d{2}\s*年度?)(?:同期)?(?:的|[（(])?\s*"
    r"(?P<base>\d[\d,]{0,20})\s*件\s*[）)]?\s*(?:相比|相较)?[，,]?\s*"
    r"(?P<dir>增长|增加|上升|提高|提升|下降|减少|降低|回落)了?\s*"
    rf"(?:{PERCENT}|(?P<diff>\d[\d,]{{0,20}})\s*件)"
)
# The counts before the comparison that may be the one compared (the nearest first).
_COMPARED: Final = 3


@rule(
    "narrative.change",
    "正文写出上年件数时，所称增减幅度或增减件数应与本年件数和上年件数一致"
    "（幅度按所写位数四舍五入或截尾后一致）",
    Severity.WARNING,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def stated_change(ctx: Context) -> Iterator[Issue]:
    for section in ctx.fmt.sections:
        original, normal = ctx.prose(section.code)
        if "件" not in normal or _STATED_CHANGE.search(normal) is None:
            continue
        for sentence in split_sentences(normal, original):
            changes = list(_STATED_CHANGE.finditer(sentence.text))
            if not changes:
                continue
            # The counts are found once a sentence and each comparison takes the ones
            # before it by bisection: found again for each, a sentence of 2,000
            # comparisons took 25 s.
            counts = [
                (c.end(), int(c.group("n").replace(",", "")))
                for c in _COUNT.finditer(sentence.text)
            ]
            ends = [end for end, _ in counts]
            for match in changes:
                written = bisect_right(ends, match.start())
                before = [n for _, n in counts[max(0, written - _COMPARED) : written]]
                issue = _change_issue(sentence, match, before)
                if issue is not None:
                    yield issue


def _change_issue(sentence: Sentence, match: re.Match[str], before: list[int]) -> Issue | None:
    """The issue of one stated change, ``before`` the counts written nearest before it."""
    if not before:
        return None
    base = int(match.group("base").replace(",", ""))
    fall = match.group("dir") in _FALL
    if match.group("diff") is not None:
        stated = int(match.group("diff").replace(",", ""))
        if any(now - base == (-stated if fall else stated) for now in before):
            return None
        now = before[-1]
        computed = f"{'减少' if now < base else '增加'} {abs(now - base)} 件"
    else:
        written = percent_words.written(match)
        if written is None or not base:
            return None  # words that are no figure, or a change from none
        signed = -Decimal(written) if fall else Decimal(written)
        exact = [(Decimal(now) - base) * 100 / base for now in before]
        if any(abs(rate - signed) <= tolerance(written) for rate in exact):
            return None
        now = before[-1]
        computed = f"{'下降' if exact[-1] < 0 else '增长'} {_show(abs(exact[-1]))}"
    return Issue(
        f"正文「{quote(sentence.excerpt)}」称「{match.group()}」，而 {now} 件较 {base} 件{computed}"
    )
