"""Percentages the prose states without a count before them, bound to the tables by their subject.

``narrative.rate`` — 「予以公开占全部办结件数的30%」「其中自然人申请占比约65%」「办结率95%」: no
「N件」 stands before the figure, so :mod:`~gongkai.core.rules.rates` (``narrative.share``) does
not read it; the subject does. A subject binds only when it names cells of table 三 without
doubt, stands right before 「占」 (only 「的」「申请」「数量」 and the like in between) and nothing
before it in its clause narrows it (「因不掌握相关政府信息而无法提供的」 is one sub-row, not the
group; only 「其中」「全年」 and the like may stand there):

- a result group (予以公开, 部分公开, 予以公开及部分公开, 不予公开, 无法提供, 不予处理, 其他处理):
  its 总计 over （七）总计, 一、本年新收 or 一+二 — the base the prose names (「占全部办结件数的」
  is （七）总计, 「占收到申请的」 一 or 一+二) or, when it names none, any of the three;
- an applicant column (自然人, 法人或其他组织, 商业企业…): that column of 一, of 一+二 or of
  （七）总计 over the same row's 总计;
- 办结率 / 答复率: （七）总计 over 一+二 (or over 一 alone); not 按期/按时/及时办结率, which the
  table cannot tell, and not 「办结率100%」, which says every application was closed
  (``narrative.all_closed`` compares that with the carry-over).

A base the prose names that is not applications (「占主动公开信息的」「占全部事项的」), 公开率,
and a sentence that says nothing of applications (申请, 办结, 答复) bind nothing, and nothing is
said: an unbound percentage is never called wrong.

``cross_year.yoy_subject`` — 「申请数量较上年下降12.5%」「行政复议案件同比增长20%」: a
year-on-year rate with a subject but no count. This year's figure is the table's, last year's
the same cells of last year's paired report. Subjects: applications (一, or 一+二, by column when
an applicant is named; not 专利申请 or 网上申请), a result group, 办结 ((七)总计), 行政复议 and
行政诉讼 (table 四 总计, only in a sentence that says 信息公开: a 司法局's own reconsiderations are
not table 四's), 行政许可/处罚/强制决定, and 行政事业性收费 (本年收费金额). A rate with a count
before it is ``cross_year.yoy_rate``'s and is left to it.

A percentage may be written in words (「占办结总数的百分之五十九」「办结率百分之九十一」): it
is read as its digits (:mod:`gongkai.core.rules.percent_words`) and judged as they would be.

A figure said of another year (「2020年予以公开占比40%」 in the report on 2021, 「上年度，办结率
95%」, 「近三年…」; :func:`~gongkai.core.narrative.claims.of_another_period`) is that year's, and is
not compared, as the prose check does not compare a count said of another year; 「较上年」「与
2020年相比，2021年…」 compare with another year and are this year's.

Tolerance: as :func:`gongkai.core.rules.rates.agrees` — one unit of the last written digit,
so both rounding and truncation pass. 「约」「左右」「近」 widen it to two units (at least two
points); 「超过」「以上」 only bound the figure from below, 「不足」「以下」 from above. Every
cell involved must have been read (a blank cell, as a row the parser could not read is left,
binds nothing). Both rules are warnings, as ``narrative.share`` is.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity, quote
from gongkai.core.formats import (
    COL_COMMERCIAL,
    COL_LEGAL_SERVICES,
    COL_NATURAL_PERSON,
    COL_PUBLIC_INTEREST,
    COL_RESEARCH,
    COL_TOTAL,
    ORGANISATION_COLUMNS,
    S2_ADMIN_FEES,
    S2_ART20_5,
    S2_ART20_6,
    S2_ART20_8,
    S2_COERCION,
    S2_DECISIONS,
    S2_FEE_AMOUNT,
    S2_LICENSING,
    S2_PENALTY,
    T3,
    T3_CARRIED_IN,
    T3_DISCLOSED,
    T3_NEW,
    T3_NOT_PROCESSED,
    T3_OTHER,
    T3_PARTLY_DISCLOSED,
    T3_RESULTS_TOTAL,
    T3_UNAVAILABLE,
    T3_WITHHELD,
    T4,
    T4_LITIGATION_ROWS,
    T4_RECONSIDERATION,
    ReportFormat,
)
from gongkai.core.model import AnnualReport
from gongkai.core.names import Cell, describe_cells, number
from gongkai.core.narrative.claims import of_another_period, sentence_claims
from gongkai.core.narrative.keywords import as_review_body, review_body_named
from gongkai.core.narrative.leading import leading
from gongkai.core.narrative.sentences import Sentence
from gongkai.core.rules import percent_words
from gongkai.core.rules.engine import Context, Issue, rule
from gongkai.core.rules.percent_words import PERCENT, has_percent, next_percent
from gongkai.core.rules.rates import _FALL, CountsBefore, tolerance

# -- what a subject names -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cells:
    """Some cells of one table whose sum is a figure of the report."""

    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...] = (COL_TOTAL,)

    def cells(self) -> tuple[Cell, ...]:
        return tuple((self.table, r, c) for r in self.rows for c in self.columns)


def value_of(report: AnnualReport, cells: Cells) -> Decimal | None:
    """The sum of the cells, or None if any of them is blank or the format lacks it.

    Strict on purpose (unlike the narrative checks' ``target_value``, which sums the cells
    that were read): a share of a partly read figure is not the share the prose states. A
    blank 总计 is the sum of its applicant cells when all of them were read.
    """
    try:
        table = report.format.table(cells.table)
        total = Decimal(0)
        for row in cells.rows:
            for column in cells.columns:
                value = report.group_sum(cells.table, row, column)
                if value is None:
                    parts = table.column(column).sum_of
                    values = [report.group_sum(cells.table, row, c) for c in parts]
                    if not parts or any(v is None for v in values):
                        return None
                    value = sum(v for v in values if v is not None)
                total += Decimal(value)
    except KeyError:
        return None
    return total


_ROW_SUBJECTS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (r"予以公开(?:及|和|与|、|以及)部分公开", (T3_DISCLOSED, T3_PARTLY_DISCLOSED)),
    (r"(?<!不)(?:予以|同意|全部)公开", (T3_DISCLOSED,)),
    (r"部分公开", (T3_PARTLY_DISCLOSED,)),
    (r"不予公开", (T3_WITHHELD,)),
    (r"无法提供", (T3_UNAVAILABLE,)),
    (r"不予处理", (T3_NOT_PROCESSED,)),
    (r"其他处理", (T3_OTHER,)),
)
_APPLICANT_SUBJECTS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (r"自然人", (COL_NATURAL_PERSON,)),
    (r"法人(?:或|和|及)其他组织", ORGANISATION_COLUMNS),
    (r"商业企业", (COL_COMMERCIAL,)),
    (r"科研机构", (COL_RESEARCH,)),
    (r"社会公益组织", (COL_PUBLIC_INTEREST,)),
    (r"法律服务机构", (COL_LEGAL_SERVICES,)),
)


def _alternation(subjects: tuple[tuple[str, tuple[str, ...]], ...], prefix: str) -> str:
    return "|".join(f"(?P<{prefix}{i}>{pattern})" for i, (pattern, _) in enumerate(subjects))


def _bound(
    match: re.Match[str], subjects: tuple[tuple[str, tuple[str, ...]], ...], prefix: str
) -> tuple[str, ...] | None:
    for i, (_, codes) in enumerate(subjects):
        if match.group(f"{prefix}{i}") is not None:
            return codes
    return None


# -- narrative.rate -------------------------------------------------------------------------------

# Between the subject and 占: only words that keep it the same figure (申请, 件数, 的).
_FILLER: Final = (
    r"(?:类|的)?(?:政府信息公开)?(?:的)?(?:申请)?(?:的)?"
    r"(?:件数|数量|总数|案件|量|数)?(?:的)?(?:共|合计)?"
)
_COMPARE: Final = (
    r"(?P<cmp>约为|约|大约|近|接近|将近|超过|逾|不足|不到|低于|高于"
    r"|达到了|达到|达|仅为|仅|只有|为|是)?"
)
_PERCENT: Final = r"\s*" + PERCENT + r"(?P<after>以上|以下|左右|多)?"
_SHARE_SUBJECT: Final = leading(
    r"(?:"
    + _alternation(_ROW_SUBJECTS, "r")
    + "|"
    + _alternation(_APPLICANT_SUBJECTS, "a")
    + r")"
    + _FILLER
    + r"占(?![用据领有])(?P<of>[^。；;，,、：:（）()\d%]{0,16}?)"
    + _COMPARE
    + _PERCENT
)
# 办结率 / 答复率, not on time (按期…), which the table does not say, nor the replies of one
# result (「全部公开答复率」「不予公开答复率」: 公开 but 信息公开, 依申请公开).
_CLOSED_RATE: Final = leading(
    r"(?<!按期)(?<!按时)(?<!及时)(?<!限时)(?<!当场)(?<!期内)(?<!时限)"
    r"(?:(?<!公开)|(?<=信息公开)|(?<=依申请公开))(?:办结|答复)率" + _COMPARE + _PERCENT
)
# The prose is about applications (and not about a hotline's or a service hall's cases).
_APPLICATIONS: Final = re.compile(r"申请|办结|答复")
_OTHER_CASES: Final = re.compile(r"热线|工单|诉求|政务服务|办件|提案|建议|信访|投诉|留言|咨询")
# What 「占…的」 may name, once 的/比例/全部… are dropped.
_BASE_NOISE: Final = re.compile(r"的|比例|比重|比率|比|全部|所有|全年|本年度?|共|总体")
_NOT_APPLICATIONS: Final = re.compile(
    r"信息(?!公开申请)|条|主动|网站|访问|留言|咨询|热线|事项|文件|人数|人次|公开率"
)
_BASE_CLOSED: Final = re.compile(r"办结|办理|答复|处理|总计")
_BASE_RECEIVED: Final = re.compile(r"收到|受理|新收|申请|接收")
_BASE_ANY: Final = re.compile(r"^(?:件数|总数|总量|数量|总件数|案件)?$")

# What may stand before the subject in its clause. Anything else may narrow it: 「因不掌握而
# 无法提供的」 is one sub-row of 无法提供, 「网上申请中」 a part of the applications.
_CLAUSE_MARKS: Final = "，,；;：:（()）"
_PLAIN_PREFIX: Final = re.compile(
    r"(?:\d{4}年度?)?(?:全年|本年度?|今年|当年)?(?:其中|另外|此外|同时)?(?:的)?"
    r"(?:在?(?:办结|收到|受理)的?(?:政府信息公开)?(?:申请)?中)?(?:来自)?"
)
# 办结率 of something else than applications: 复议案件办结率, 事项办结率.
_NOT_APPLICATION_RATE: Final = re.compile(r"复议|诉讼|案件|事项|工单|热线|办件")
_ABOUT: Final = frozenset({"约为", "约", "大约", "近", "接近", "将近"})
_AT_LEAST: Final = frozenset({"超过", "逾", "高于", "以上", "多"})
_AT_MOST: Final = frozenset({"不足", "不到", "低于", "以下"})

_RESULTS: Final = "（七）总计"
_NEW: Final = "一、本年新收"
_NEW_AND_CARRIED: Final = "一、本年新收与二、上年结转之和"


def stated_agrees(exact: Decimal, written: str, qualifier: str) -> bool:
    """Whether the exact percentage is what the prose says, with 约/超过/不足 read as said."""
    unit = tolerance(written)
    stated = Decimal(written)
    if qualifier in _AT_LEAST:
        return exact >= stated - unit
    if qualifier in _AT_MOST:
        return exact <= stated + unit
    if qualifier in _ABOUT:
        return abs(exact - stated) <= max(2 * unit, Decimal(2))
    return abs(exact - stated) <= unit


def _show(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}%"


@dataclass(frozen=True, slots=True)
class _Found:
    """A match of one of the patterns, with the sentence it is in."""

    section: str
    match: re.Match[str]
    sentence: str  # normalised
    at: int  # where the match starts in the sentence
    excerpt: str  # the sentence as written

    def clause(self) -> str:
        """The clause of the sentence up to the match: from the last mark of a clause before
        it (found in the marks kept for the sentence's next matches), its last
        :data:`_CLAUSE_MAX` characters at most."""
        marks = _clause_marks(self.sentence)
        before = bisect_left(marks, self.at)
        start = marks[before - 1] + 1 if before else 0
        return self.sentence[max(start, self.at - _CLAUSE_MAX) : self.at]


# How much of a clause is read before a match. The words that narrow a subject or name a
# review body stand right before it, and no real clause comes near (the corpus's longest
# sentence has 245 characters); a run of thousands of rates with no mark between them is one
# clause, and searched whole before each rate it took seconds.
_CLAUSE_MAX: Final = 500


_SENTENCE_MARKS: Final = "。！？!?\n"
_SENTENCE_END: Final = re.compile(f"[{_SENTENCE_MARKS}]")


def _found(ctx: Context, patterns: tuple[re.Pattern[str], ...]) -> Iterator[_Found]:
    """Every match of the patterns in the sentences of the prose that hold a percentage.

    The sentences are found from their 「%」 or 「百分之」, without splitting the rest of the
    prose (most of it has none), and cut as ``split_sentences`` cuts them. A sentence's start
    is looked for back from its percentage only as far as the last sentence's end (a mark, so
    always found by then): back to the prose's start, a mark the prose does not use was looked
    for over all of it, for each sentence with a percentage.
    """
    for section in ctx.fmt.sections:
        original, text = ctx.prose(section.code)
        if not has_percent(text):
            continue
        end = 0
        percent = next_percent(text, 0)
        while percent != -1:
            start = max(text.rfind(mark, end, percent) for mark in _SENTENCE_MARKS) + 1
            end_mark = _SENTENCE_END.search(text, percent)
            end = end_mark.start() if end_mark else len(text)
            stop = end + 1 if end_mark and text[end] == "。" else end
            sentence, excerpt = text[start:end], original[start:stop].strip()
            for pattern in patterns:
                for match in pattern.finditer(text, start, end):
                    yield _Found(section.code, match, sentence, match.start() - start, excerpt)
            percent = next_percent(text, end)


def _base_words(of: str) -> str:
    return _BASE_NOISE.sub("", of)


def _row_bases(of: str) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """The totals 「占…」 names for a result group; None when it names something else."""
    words = _base_words(of)
    everything = (
        (_RESULTS, (T3_RESULTS_TOTAL,)),
        (_NEW, (T3_NEW,)),
        (_NEW_AND_CARRIED, (T3_NEW, T3_CARRIED_IN)),
    )
    if _NOT_APPLICATIONS.search(words):
        return None
    if _BASE_CLOSED.search(words):
        return everything[:1]
    if _BASE_RECEIVED.search(words):
        return everything[1:]
    return everything if _BASE_ANY.match(words) else None


@dataclass(frozen=True, slots=True)
class _Pair:
    label: str  # the base as a reader finds it
    part: Cells
    whole: Cells


def _share_pairs(match: re.Match[str]) -> list[_Pair]:
    rows = _bound(match, _ROW_SUBJECTS, "r")
    bases = _row_bases(match.group("of"))
    if bases is None:
        return []
    if rows is not None:
        return [_Pair(label, Cells(T3, rows), Cells(T3, base_rows)) for label, base_rows in bases]
    columns = _bound(match, _APPLICANT_SUBJECTS, "a")
    assert columns is not None  # one of the two alternations matched
    return [
        _Pair(label, Cells(T3, base_rows, columns), Cells(T3, base_rows))
        for label, base_rows in bases
    ]


def _closed_pairs() -> list[_Pair]:
    closed = Cells(T3, (T3_RESULTS_TOTAL,))
    return [
        _Pair(_NEW_AND_CARRIED, closed, Cells(T3, (T3_NEW, T3_CARRIED_IN))),
        _Pair(_NEW, closed, Cells(T3, (T3_NEW,))),
    ]


def _judge(
    report: AnnualReport, pairs: list[_Pair], written: str, qualifier: str
) -> tuple[list[tuple[_Pair, Decimal, Decimal, Decimal]], bool]:
    """Every computable share (pair, part, whole, exact %), and whether one agrees."""
    computed = []
    for pair in pairs:
        part, whole = value_of(report, pair.part), value_of(report, pair.whole)
        if part is None or not whole:
            continue
        exact = part * 100 / whole
        computed.append((pair, part, whole, exact))
        if stated_agrees(exact, written, qualifier):
            return computed, True
    return computed, False


@rule(
    "narrative.rate",
    "正文未写件数的占比、办结率，能对应到表三单元格的，应与表中数字算出的比例一致",
    Severity.WARNING,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def stated_rate(ctx: Context) -> Iterator[Issue]:
    report = ctx.report
    for found in _found(ctx, (_SHARE_SUBJECT, _CLOSED_RATE)):
        match = found.match
        stated = percent_words.written(match)
        if stated is None or not _speaks_of(found.sentence, _APPLICATION_WORDS):
            continue
        if of_another_period(found.sentence, found.at, report.meta.year):
            continue  # 「2020年予以公开占比40%」: another year's share, not this table's
        clause = found.clause().strip()
        if match.re is _SHARE_SUBJECT:
            if not _PLAIN_PREFIX.fullmatch(clause):
                continue
            pairs = _share_pairs(match)
        elif Decimal(stated) == 100 or _NOT_APPLICATION_RATE.search(clause):
            # 「办结率100%」 says every application closed: narrative.all_closed's question.
            continue
        else:
            pairs = _closed_pairs()
        computed, ok = _judge(report, pairs, stated, _qualifier(match))
        if ok or not computed:
            continue
        yield Issue(
            f"正文「{quote(found.excerpt)}」称「{match.group(0)}」，而{_computed(ctx, computed)}",
            tuple(
                dict.fromkeys(
                    c for pair, *_ in computed for c in (*pair.part.cells(), *pair.whole.cells())
                )
            ),
        )


@lru_cache(maxsize=16)
def _clause_marks(sentence: str) -> list[int]:
    """Where the marks of a clause stand in a sentence, in order: found once and kept for
    the sentence's next matches. Collected from the start again for each, a sentence of
    8,000 rates took 15 s; looked for back from each (``rfind``), a sentence of rates with
    no mark between them was still read once a rate."""
    return [i for i, char in enumerate(sentence) if char in _CLAUSE_MARKS]


def _computed(ctx: Context, computed: list[tuple[_Pair, Decimal, Decimal, Decimal]]) -> str:
    """What the table gives: 「表三（一）予以公开总计 36 件占（七）总计（61）的 59.02%，…」."""
    first = computed[0][0].part
    if all(pair.part == first for pair, *_ in computed):
        shares = "，".join(
            f"占{pair.label}（{number(whole)}）的 {_show(exact)}"
            for pair, _, whole, exact in computed
        )
        return f"{_name(ctx, first)} {number(computed[0][1])} 件{shares}"
    return "；".join(
        f"{_name(ctx, pair.part)} {number(part)} 件"
        f"占{pair.label}（{number(whole)}）的 {_show(exact)}"
        for pair, part, whole, exact in computed
    )


def _name(ctx: Context, cells: Cells) -> str:
    return describe_cells(ctx.fmt, cells.table, cells.rows, cells.columns)


def _qualifier(match: re.Match[str]) -> str:
    return match.group("cmp") or match.group("after") or ""


# -- cross_year.yoy_subject -----------------------------------------------------------------------

# A bare 申请 or 办结 must stand alone, not qualify another noun (专利申请, 事项办结): before it
# only the start, a verb of receiving, a total word or a mark.
_ALONE: Final = r"(?<![^到理收计共年度的中，,、：:（(。！？!?；;\s])"
_APPLICATION_WORDS: Final = "applications"  # the sentence speaks of applications
_DISCLOSURE_WORDS: Final = "disclosure"  # the sentence speaks of 信息公开

_YOY_SUBJECTS: Final[tuple[tuple[str, tuple[Cells, ...], str], ...]] = (
    (
        _ALONE + r"(?:政府信息公开)?申请(?!人|公开)",
        (Cells(T3, (T3_NEW,)), Cells(T3, (T3_NEW, T3_CARRIED_IN))),
        _APPLICATION_WORDS,
    ),
    *(
        (
            rf"{pattern}(?:的)?(?:政府信息公开)?申请(?!人)",
            (Cells(T3, (T3_NEW,), columns), Cells(T3, (T3_NEW, T3_CARRIED_IN), columns)),
            _APPLICATION_WORDS,
        )
        for pattern, columns in _APPLICANT_SUBJECTS
    ),
    *((pattern, (Cells(T3, rows),), _APPLICATION_WORDS) for pattern, rows in _ROW_SUBJECTS),
    (_ALONE + r"办结", (Cells(T3, (T3_RESULTS_TOTAL,)),), _APPLICATION_WORDS),
    # A 司法局's own reconsiderations are not table 四's: only where 信息公开 is said.
    (r"行政复议", (Cells(T4, (T4_RECONSIDERATION,)),), _DISCLOSURE_WORDS),
    (r"行政诉讼", (Cells(T4, T4_LITIGATION_ROWS),), _DISCLOSURE_WORDS),
    (r"行政许可决定", (Cells(S2_ART20_5, (S2_LICENSING,), (S2_DECISIONS,)),), ""),
    (r"行政处罚决定", (Cells(S2_ART20_6, (S2_PENALTY,), (S2_DECISIONS,)),), ""),
    (r"行政强制决定", (Cells(S2_ART20_6, (S2_COERCION,), (S2_DECISIONS,)),), ""),
    (r"行政事业性收费", (Cells(S2_ART20_8, (S2_ADMIN_FEES,), (S2_FEE_AMOUNT,)),), ""),
)
_YOY_SUBJECT: Final = leading(
    r"(?:"
    + "|".join(f"(?P<y{i}>{pattern})" for i, (pattern, *_) in enumerate(_YOY_SUBJECTS))
    + r")(?:的)?(?:案件|决定|收入|申请)?(?:的)?(?:数量|件数|总数|总量|量|数|金额|总额)?(?:的)?"
    r"(?P<yoy>同比|较上一?年度?|比上一?年度?|较去年|比去年|与上一?年度?相比|与去年相比)"
    r"[^。；;，,\d%]{0,6}?(?P<dir>增长|增加|上升|提高|提升|下降|减少|降低|回落)了?"
    r"(?P<cmp>约|近|超过|逾)?" + _PERCENT
)


@lru_cache(maxsize=16)
def _review_body_named(sentence: str) -> int | None:
    """:func:`review_body_named`, kept for the sentence's next rates (searched again for
    each, a sentence of thousands of rates took seconds)."""
    return review_body_named(sentence)


def _counts(found: _Found, fmt: ReportFormat) -> CountsBefore:
    """The counts of a rate's sentence, its claims read only if a count stands before one."""
    sentence = Sentence(found.sentence, found.excerpt)
    return CountsBefore(found.sentence, lambda: sentence_claims(sentence, found.section, fmt=fmt))


@lru_cache(maxsize=16)
def _speaks_of(text: str, needs: str) -> bool:
    """Whether the sentence speaks of what a subject needs. Kept for the sentence's next
    percentages: searched again for each, a sentence of 8,000 rates took 4 s."""
    if needs == _APPLICATION_WORDS:
        return bool(_APPLICATIONS.search(text)) and not _OTHER_CASES.search(text)
    if needs == _DISCLOSURE_WORDS:
        return "信息公开" in text
    return True


@rule(
    "cross_year.yoy_subject",
    "正文未写件数的同比增减幅度，能对应到表格单元格的，应等于两年报告表中数字的增减比例",
    Severity.WARNING,
    Category.CROSS_YEAR,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
    needs_previous=True,
    reads_prose=True,
)
def year_on_year_by_subject(ctx: Context) -> Iterator[Issue]:
    previous = ctx.previous
    if previous is None:
        return  # not the same unit's last year: cross_year.previous says so
    report = ctx.report
    counts: dict[str, CountsBefore] = {}
    for found in _found(ctx, (_YOY_SUBJECT,)):
        match = found.match
        if of_another_period(found.sentence, found.at, report.meta.year):
            continue  # 「2020年申请数量较上年下降12.5%」: a rate of two years before
        # A count before the rate may be the rate's own: then it is yoy_rate's.
        said = counts.get(found.sentence)
        if said is None:
            said = counts[found.sentence] = _counts(found, ctx.fmt)
        if said.claim(found.at) is not None:
            continue
        choices, needs = next(
            (cells, needs)
            for i, (_, cells, needs) in enumerate(_YOY_SUBJECTS)
            if match.group(f"y{i}") is not None
        )
        if not _speaks_of(found.sentence, needs):
            continue
        if needs == _DISCLOSURE_WORDS and as_review_body(
            found.clause(), at=found.at, named=_review_body_named(found.sentence)
        ):
            continue  # 「作为复议机关…受理…行政复议案件同比增长50%」: not table 四's cases
        stated = percent_words.written(match)
        if stated is None:
            continue
        qualifier = match.group("cmp") or match.group("after") or ""
        fall = match.group("dir") in _FALL
        computed = []
        agreed = False
        for cells in choices:
            now, last = value_of(report, cells), value_of(previous, cells)
            if now is None or not last:
                continue
            exact = (now - last) * 100 / last
            computed.append((cells, now, last, exact))
            # In the stated direction: a fall of 12.5% is -12.5% read as 12.5.
            if stated_agrees(-exact if fall else exact, stated, qualifier):
                agreed = True
                break
        if agreed or not computed:
            continue
        cells, now, last, exact = computed[0]
        direction = "下降" if exact < 0 else "增长"
        unit = "万元" if cells.table == S2_ART20_8 else "件"
        yield Issue(
            f"正文「{quote(found.excerpt)}」称「{match.group(0)}」；"
            f"{describe_cells(ctx.fmt, cells.table, cells.rows, cells.columns)}本年为 "
            f"{number(now)} {unit}，上一年度报告（{previous.meta.year} 年度）为 "
            f"{number(last)} {unit}，应为{direction} {_show(abs(exact))}",
            cells.cells(),
        )
