"""Claims: the numbers a report's prose states about its own tables.

Officers write the prose of an annual report by hand, and evaluators' commonest finding is prose
that contradicts the tables (LEGAL.md §2.7 rule 9, §6 items 5 and 8). :func:`extract_claims`
reads every number the prose states about something the tables also state — applications
received and carried over, each result category, reconsideration and litigation, normative
documents, proactive-disclosure totals and their category breakdowns, fees — and keeps the
sentence it came from, so that a finding can quote it.

How a number is read. The prose is cut into sentences (。！？ and line breaks) and clauses
(，；：and brackets). A number with its measure word is tied to the keyword nearest before it
in its clause (``“无法提供”的 16 件``); when the clause has none, to a keyword after it
(``1件结转下年度继续办理``). The topic of a sentence carries over its clauses, so that
``行政复议案件 3 件，维持 3 件`` reads as 3 reconsiderations, 3 upheld.

What is deliberately not read (conservative by design — a claim that does not surely name a
cell must not turn into an error):

- counts of *information items* (unit 条, or ``…信息数``, ``…类信息``): ``依申请公开信息数22条``
  and ``不予公开政府信息4条`` are categories of information, not application results;
- ``办理申请218件``: 办理 can mean received or closed, so it names no single row;
- sub-rows of a result category (``本机关不掌握``) outside a breakdown of that category: prose
  that names a reason usually means the whole category (``因本机关不掌握等原因无法提供``).
  Inside one (``无法提供15件，其中本机关不掌握相关政府信息10件``) the reason's count is its
  sub-row's, when the breakdown counts nothing but reasons and the rest (``其他5件``, which
  is several sub-rows and itself not read);
- a bare ``结转 N 件`` that says neither 上年 nor 下年.

The reading is split along its seams: :mod:`~gongkai.core.narrative.sentences` cuts sentences
and clauses, :mod:`~gongkai.core.narrative._numbers` finds the numbers,
:mod:`~gongkai.core.narrative.keywords` holds the keyword tables,
:mod:`~gongkai.core.narrative.breakdown` reads category breakdowns, and this module assembles
the claims (:mod:`~gongkai.core.narrative.claim` is what a claim is).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Final

from gongkai.core.formats import (
    COL_TOTAL,
    LATEST_FORMAT,
    ORGANISATION_GROUP_LABEL,
    S2_DECISIONS,
    S2_NORMATIVE,
    SECTIONS,
    T3,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_NEW,
    T3_RESULT_GROUPS,
    T3_RESULTS_TOTAL,
    T4,
    T4_LITIGATION_AFTER,
    T4_LITIGATION_DIRECT,
    T4_LITIGATION_ROWS,
    T4_PENDING,
    T4_RECONSIDERATION,
    T4_UPHELD,
    ReportFormat,
)
from gongkai.core.narrative._numbers import HAN_CHARS, Number, normalise, scan_numbers
from gongkai.core.narrative.breakdown import read_breakdown
from gongkai.core.narrative.claim import Claim, ClaimKind, Target, show
from gongkai.core.narrative.keywords import (
    ALL_CLOSED,
    ALL_UPHELD,
    APPLICANTS,
    APPLICATION_AFTER,
    APPLICATION_WORD,
    CARRIED_IN_FRAME,
    CARRIED_REMEDY,
    CHANGE,
    DOC_ABOUT,
    DOC_COLUMNS,
    DOC_PART,
    DOC_RUNNING_TOTAL,
    DOC_VERBS,
    FEE_COLLECT,
    FEE_NONE,
    FEE_NOTICE_NONE,
    LAST_YEAR_SAID,
    MATTER_BEFORE_APPLICATION,
    MATTER_OR_APPLICATION,
    NONE_REMEDY,
    NONE_REMEDY_NOT,
    NOT_APPLICATION_COUNT,
    NOT_APPLICATIONS,
    NOT_DECISIONS,
    NOT_DOCUMENTS,
    ON_BEHALF,
    OTHER_MATTERS,
    PART_OF_YEAR,
    PAST_YEAR,
    REASON_BEFORE,
    REASONS,
    REMEDIES,
    REMEDIES_JOINED,
    REMEDY_CORRECTION,
    REMEDY_OUTCOME_BETWEEN,
    ROWS,
    SEVERAL_YEARS,
    T3_ROWS,
    WHOLE_YEAR,
    WRITTEN_YEAR,
    DocVerb,
    Family,
    Hit,
    as_review_body,
    review_body_named,
)
from gongkai.core.narrative.sentences import (
    Clauses,
    Sentence,
    cut_sentences,
    forget_with_sentences,
)

# Names this module exported before the codes moved to formats.
LITIGATION_ROWS: Final = T4_LITIGATION_ROWS
RESULT_GROUPS: Final = T3_RESULT_GROUPS


def extract_claims(
    narrative: Mapping[str, str], *, fmt: ReportFormat = LATEST_FORMAT
) -> list[Claim]:
    """Every number the prose states about the tables, in reading order.

    ``narrative`` maps section codes (``formats.SECTIONS``) to text; unknown codes are read
    after the known ones. ``fmt`` decides which section 二 column a 规范性文件 count names
    (2019: 本年新制作/新公开; 2021: 制发/废止/现行有效); table 三 and 四 codes are the same in
    both. Never raises on any text.
    """
    order = [s.code for s in SECTIONS if s.code in narrative]
    order += [code for code in narrative if code not in order]
    claims: list[Claim] = []
    groups = iter(range(1, 1_000_000_000))
    for section in order:
        text = narrative[section]
        if not isinstance(text, str) or not text.strip():
            continue
        for sentence in cut_sentences(normalise(text), text):
            if _may_claim(sentence.text):
                claims.extend(_read_sentence_once(sentence, section, fmt, groups))
    return claims


def sentence_claims(
    sentence: Sentence, section: str, *, fmt: ReportFormat = LATEST_FORMAT
) -> Sequence[Claim]:
    """The claims of one sentence cut from a section's prose, as :func:`extract_claims` reads
    that sentence alone, each quoting the sentence as the report printed it.

    For the rules that read single sentences (shares, rates): given the sentence as cut, not
    its normalised text as a narrative of its own, the prose check's later reading of the
    whole prose finds the kept claims quoting the same excerpt and uses them as they are,
    rather than cutting the sentence again and copying every claim to quote the report.
    """
    if sentence.text.isspace() or not _may_claim(sentence.text):
        return ()
    return _read_sentence_once(sentence, section, fmt, iter(range(1, 1_000_000_000)))


def _may_claim(words: str) -> bool:
    """Whether a sentence has the words a claim needs (a count in 件, 份 or 条; 行政复议/行政诉讼;
    信息处理费 or 收费通知), looked for as plain substrings: most sentences state no count, and
    this skips them for less than one regular-expression search would cost."""
    return "件" in words or "条" in words or "份" in words or "行政" in words or "费" in words


# What a sentence must hold for its counts to give anything: a count in 件, 份 or 条 (a 条
# total may be written 「1,555条」, or 「1,条」 when mistyped, so a comma counts as a count's
# last character), or a sum in 元 in a sentence on 信息处理费. A sentence without either can
# only make the wording-only claims.
_COUNTS: Final = re.compile(rf"[\d{HAN_CHARS},]\s*(?:件|份|条)")
_YUAN: Final = re.compile(rf"[\d{HAN_CHARS}]\s*元")


# The claims of sentences read already, by (sentence text, section, format version), with the
# excerpt they quote. The rules on shares and rates read single sentences that the prose check
# reads again in the whole prose (a few per cent of an audit), as the normalised text without
# its full stop: the reading is a pure function of the key but for the quoted excerpt, so a
# kept list is the list a new read would give, once it quotes the new excerpt. Only a sentence
# whose reading numbered a breakdown group is not kept, since its group numbers depend on the
# sentences before it. Like the sentences, it is emptied around each report (and bounded for
# callers outside the auditor).
_READ: dict[tuple[str, str, str], tuple[str, tuple[Claim, ...]]] = {}
_READ_LIMIT: Final = 2048
forget_with_sentences(_READ.clear)


class _Counted:
    """The group numbers, noting whether a sentence's reading took one."""

    __slots__ = ("groups", "used")

    def __init__(self, groups: Iterator[int]) -> None:
        self.groups = groups
        self.used = False

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        self.used = True
        return next(self.groups)


def _read_sentence_once(
    sentence: Sentence, section: str, fmt: ReportFormat, groups: Iterator[int]
) -> Sequence[Claim]:
    text = sentence.text
    if _COUNTS.search(text) is None and ("信息处理费" not in text or _YUAN.search(text) is None):
        # No count a claim can be made of: only the wording-only claims can be in it, and
        # each of those names 行政复议/行政诉讼, 信息处理费 or 收费通知.
        if "行政" not in text and "信息处理费" not in text and "收费通知" not in text:
            return ()
        return _sentence_wide(sentence, section, [])
    key = (text, section, fmt.version)
    kept = _READ.get(key)
    if kept is not None:
        excerpt, claims = kept
        if excerpt == sentence.excerpt:
            return claims
        return [replace(claim, sentence=sentence.excerpt) for claim in claims]
    counted = _Counted(groups)
    read = _read_sentence(sentence, section, fmt, counted)
    if not counted.used:
        if len(_READ) >= _READ_LIMIT:
            _READ.clear()
        _READ[key] = (sentence.excerpt, tuple(read))
    return read


class _Periods:
    """Where a sentence writes a year (「2022年」), a part of the year (「第四季度」), the whole
    year (「全年」), several years (「近三年」) and other matters than applications (热线,
    提案…), found once: each count asks what stands before it, and asking by scanning the
    sentence's head again for each count is quadratic in a sentence of many.

    A match counts before an offset when it ends there or earlier. Nothing is looked for
    before the first question: most sentences read have numbers with units (「条」 lines of a
    breakdown, 「元」) but no keyword before any, and ask none."""

    __slots__ = (
        "_matters",
        "_part_ends",
        "_read",
        "_said",
        "_several_end",
        "_text",
        "_whole_ends",
        "_whole_starts",
        "_year_ends",
        "_year_starts",
        "_years",
    )

    def __init__(self, text: str) -> None:
        self._text = text
        self._matters: tuple[list[int], list[bool]] | None = None  # found when first asked
        self._said: tuple[list[int], list[int]] | None = None  # found when first asked
        self._read = False

    def _find(self) -> None:
        """Find the years, parts of the year and whole years of the sentence, once."""
        self._read = True
        text = self._text
        self._several_end = _several_years_end(text)
        years = list(WRITTEN_YEAR.finditer(text)) if "年" in text else []
        self._year_starts = [m.start() for m in years]
        self._year_ends = [m.end() for m in years]
        self._years = [int(m.group(1)) for m in years]
        some = "季" in text or "半年" in text or "月" in text
        parts = PART_OF_YEAR.finditer(text) if some else iter(())
        self._part_ends = [m.end() for m in parts if m.group("whole") is None]
        wholes = list(WHOLE_YEAR.finditer(text)) if self._part_ends else []
        self._whole_starts = [m.start() for m in wholes]
        self._whole_ends = [m.end() for m in wholes]

    def about_other_matters(self, end: int) -> bool:
        """Whether a count closed or answered (办结, 答复) at ``end`` is of other matters than
        disclosure applications: the nearest of those matters and 申请 before it is a matter.

        Offices report the hotline orders, deputies' proposals and letters they answered in
        the same prose; a sentence that names no matter at all (「已办结23件」) is about
        applications, as the section it stands in is."""
        if self._matters is None:
            found = list(MATTER_OR_APPLICATION.finditer(self._text))
            self._matters = ([m.end() for m in found], [m.group() != "申请" for m in found])
        ends, other = self._matters
        index = bisect_right(ends, end) - 1
        return index >= 0 and other[index]

    def several_years(self, end: int) -> bool:
        """Whether several years are named before ``end`` (「近三年累计收到申请180件」)."""
        if not self._read:
            self._find()
        return self._several_end <= end

    def year_before(self, end: int) -> int | None:
        """The last year written before ``end`` (the year a count there may be of)."""
        if not self._read:
            self._find()
        index = bisect_right(self._year_ends, end) - 1
        return self._years[index] if index >= 0 else None

    def another_period(self, end: int, year: int) -> bool:
        """:func:`of_another_period` at ``end``, from what was found once."""
        if not self._read:
            self._find()
        if self.part_of_year(end):
            return True
        if self._text.find("年", 0, end) == -1:
            return False
        if self.several_years(end):
            return True
        index = bisect_right(self._year_ends, end) - 1
        written = self._year_starts[index] if index >= 0 else -1
        if self._said is None:
            found = list(LAST_YEAR_SAID.finditer(self._text))
            self._said = ([m.end() for m in found], [m.start() for m in found])
        ends, starts = self._said
        said = bisect_right(ends, end) - 1
        if said >= 0 and starts[said] > written:
            return True  # last year named after the last year written
        return index >= 0 and self._years[index] != year

    def part_of_year(self, end: int) -> bool:
        """Whether a part of the year is named before ``end``, and not the whole year after
        it (「上半年开展培训，全年收到申请67件」)."""
        if not self._read:
            self._find()
        index = bisect_right(self._part_ends, end) - 1
        if index < 0:
            return False
        after = bisect_left(self._whole_starts, self._part_ends[index])
        return after == len(self._whole_ends) or self._whole_ends[after] > end


@dataclass(slots=True)
class _State:
    """What a sentence is about so far, carried from clause to clause."""

    periods: _Periods
    t3_row: tuple[str, ...] | None = None
    t3_end: int = 0  # where the count of t3_row ends in the sentence
    t3_phrase: str = ""
    t3_alternative: bool = False
    remedy: tuple[str, ...] | None = None
    remedy_word: str = ""
    doc_verb: DocVerb | None = None
    # The section 二 (一) row of the last document claim: 「制发规范性文件21件，废止40件」.
    doc_hit: Hit | None = None
    # Where each 其中 or bracket of the sentence starts and ends, found at the first reason.
    openers: tuple[list[int], list[int]] | None = None


def _read_sentence(
    sentence: Sentence, section: str, fmt: ReportFormat, groups: Iterator[int]
) -> list[Claim]:
    text = sentence.text
    numbers = scan_numbers(text)
    if not any(n.unit is not None for n in numbers):
        # Most sentences state no count; only the wording-only claims can be in them.
        return _sentence_wide(sentence, section, [])
    clauses = Clauses(text)
    fee_sentence = "信息处理费" in text  # FEE_WORD, as a plain substring
    claims: list[Claim] = []
    at: dict[int, int] = {}  # where each claim's number stands, by id
    state = _State(_Periods(text))
    previous_end = 0
    for index, number in enumerate(numbers):
        if not number.is_count:
            previous_end = number.end
            continue
        if number.unit is None:
            continue
        left_start = max(clauses.start(number.start), previous_end)
        left = text[left_start : number.start]
        if "依申请" in left:  # NOT_APPLICATIONS
            left = NOT_APPLICATIONS.sub("＿＿＿", left)
        right_end = clauses.end(number.end)
        if index + 1 < len(numbers):
            right_end = min(right_end, numbers[index + 1].start)
        right = text[number.end : right_end]
        claim = _read_number(number, left, right, fee_sentence, state, sentence, section, fmt)
        if claim is not None:
            if claim.target is not None:
                year = state.periods.year_before(number.start)
                if year is not None:
                    claim = replace(claim, year=year)
            claims.append(claim)
            at[id(claim)] = number.start
        previous_end = number.end
    claims = _without_parts(claims)
    if any(_is_reason(claim) for claim in claims):
        claims = _whole_breakdowns(claims, at, numbers, text)
    claims.extend(_sentence_wide(sentence, section, claims, at))
    claims.extend(read_breakdown(sentence, section, numbers, clauses, groups))
    return claims


def _read_number(
    number: Number,
    left: str,
    right: str,
    fee_sentence: bool,
    state: _State,
    sentence: Sentence,
    section: str,
    fmt: ReportFormat,
) -> Claim | None:
    unit = number.unit or ""
    value = number.value
    if fee_sentence and unit in ("元", "万元") and FEE_COLLECT.search(left + right):
        yuan = value * 10_000 if unit == "万元" else value
        return Claim(
            kind=ClaimKind.FEE_COLLECTED,
            value=yuan,
            unit="元",
            phrase=f"收取信息处理费 {show(yuan)} 元",
            sentence=sentence.excerpt,
            section=section,
        )
    if unit not in ("件", "份"):
        return None
    hit = ROWS.last(left)
    applicant = APPLICANTS.last(left)
    if hit is None:
        # Nothing before the number in its clause: a keyword after it (1件结转下年度继续办理).
        after = T3_ROWS.first(right)
        if after is not None and after.keyword.key in ((T3_CARRIED_OUT,), (T3_CARRIED_IN,)):
            hit = after
    if hit is None and applicant is None:
        reason = _reason_claim(number, left, state, sentence, section)
        if reason is not None:
            return reason
        verb = _doc_verb(left)
        if state.doc_hit is not None and verb is not None and not DOC_PART.search(left):
            # 「…规范性文件21件，废止40件」: the documents of the clause before, a new verb;
            # not 「其中以区政府名义制发15件」, a part of them.
            state.doc_verb = verb
            return _doc_claim(state.doc_hit, value, unit, state, sentence, section, fmt, left)
        return None
    family = hit.keyword.family if hit is not None else Family.APPLICANT
    if hit is not None and CHANGE.search(left, hit.end):
        return None  # 「行政复议案件较上年减少2件」: a difference, not a count
    if hit is not None and family is not Family.DOCS and state.periods.several_years(number.start):
        return None  # 「近三年累计收到申请180件」: the years', not the year's
    if hit is not None and state.periods.part_of_year(number.start):
        return None  # 「第四季度收到申请20件」: a part of the year's
    if family is Family.DECISIONS and hit is not None:
        return _decisions_claim(hit, left, value, unit, sentence, section)
    if unit == "份" and family is not Family.DOCS and family is not Family.FEE_NOTICE:
        return None
    # Update the sentence's topics from the words before the number.
    remedy_hit = REMEDIES.last(left)
    if remedy_hit is not None:
        state.remedy = remedy_hit.keyword.key
        state.remedy_word = _remedy_word(remedy_hit.keyword.key)

    if family is Family.FEE_NOTICE:
        return Claim(
            kind=ClaimKind.FEE_NOTICES,
            value=value,
            unit=unit,
            phrase=f"收费通知 {show(value)} {unit}",
            sentence=sentence.excerpt,
            section=section,
        )
    if family is Family.DOCS and hit is not None:
        if (
            NOT_DOCUMENTS.search(left[hit.end :])
            or NOT_DOCUMENTS.search(left[: hit.start])
            or DOC_ABOUT.search(left, hit.end)
            or LAST_YEAR_SAID.search(left, 0, hit.start)
        ):
            # 「公开规范性文件解读材料15份」, 「清理行政规范性文件86件，其中废止12件」: other
            # papers, or documents reviewed, whose later counts are not the table's either;
            # 「上年度制发规范性文件30件」: last year's.
            state.doc_verb = state.doc_hit = None
            return None
        # The verb is in the same clause, or carried from a list of documents just before
        # (主动公开规章13件，行政规范性文件60件); never from an unrelated clause.
        state.doc_verb = _doc_verb(left) or state.doc_verb
        state.doc_hit = hit if state.doc_verb is not None else None
        return _doc_claim(hit, value, unit, state, sentence, section, fmt, left)
    state.doc_verb = None
    state.doc_hit = None
    if family in (Family.REMEDY, Family.OUTCOME) and hit is not None:
        if family is Family.REMEDY and as_review_body(
            left[: hit.start],
            at=number.start,
            named=review_body_named(sentence.text),
            after=left[hit.end :],
        ):
            state.remedy = None  # its results are the body's decisions, not this table's
            return None
        if family is Family.REMEDY and (
            PAST_YEAR.search(left, 0, hit.start) or CARRIED_REMEDY.search(left, 0, hit.start)
        ):
            state.remedy = None
            return None  # 「上年度行政诉讼1件尚未审结」「上年度结转的行政复议」: last year's
        if family is Family.REMEDY and REMEDY_OUTCOME_BETWEEN.search(left, hit.end):
            return None  # 「复议纠错2件」: one outcome's cases, not all
        if family is Family.REMEDY and REMEDIES_JOINED.search(left, max(0, hit.start - 12)):
            state.remedy = None
            return None  # 「行政复议和行政诉讼案件共5件」: the two together
        return _remedy_claim(hit, value, state, sentence, section)
    if family in (Family.NEW, Family.T3) and hit is not None:
        between = left[hit.end :]
        if NOT_APPLICATION_COUNT.search(between) or "中" in between:
            # 「对答复满意的205件」, 「收到申请人补正材料4件」; 「部分公开中涉及个人隐私的
            # 8件」: a part of what the keyword names.
            return None
        if hit.keyword.key not in ((T3_CARRIED_IN,), (T3_CARRIED_OUT,)) and PAST_YEAR.search(
            left, 0, hit.start
        ):
            return None  # 「上年度收到申请58件」: last year's count

    if family is Family.NEW and hit is not None:
        if not (APPLICATION_WORD.search(left[hit.start :]) or APPLICATION_AFTER.match(right)):
            return None
        if OTHER_MATTERS.search(left[hit.start :]) or MATTER_BEFORE_APPLICATION.search(
            left[hit.start :] + right[:2]
        ):
            return None  # 「受理行政许可申请1200件」: applications of another kind
        state.t3_row = (T3_NEW,)
        state.t3_phrase = f"{hit.text}申请"
        state.t3_alternative = True
        column = _applicant_columns(applicant)
        claim = _t3_claim((T3_NEW,), column, value, state, sentence, section, alternative=True)
        acting = ON_BEHALF.search(left[: hit.start])
        return replace(claim, on_behalf=acting.group(1)) if acting else claim
    if family is Family.T3 and hit is not None:
        rows = hit.keyword.key
        if rows in ((T3_RESULTS_TOTAL,), (T3_CARRIED_OUT,)) and state.periods.about_other_matters(
            number.start
        ):
            return None
        if rows == (T3_RESULTS_TOTAL,) and (
            _REPLY_OF_A_KIND.match(left, hit.end) or _RESULT_BEFORE.search(left, 0, hit.start)
        ):
            # 「答复申请人相关信息已主动公开的6件」「无法提供类答复15件」: replies of one kind
            return None
        if rows[0] in _RESULT_ROWS and (
            REASON_BEFORE.search(left, max(0, hit.start - _REASON_SPAN), hit.start)
            or CARRIED_IN_FRAME.search(
                sentence.text, max(0, number.start - _FRAME_SPAN), number.start
            )
        ):
            # 「因属于国家秘密不予公开2件」: one reason's part of the category; 「上年结转的
            # 3件申请中，予以公开2件」: the carried-over ones' part.
            return None
        state.t3_row = rows
        state.t3_end = number.end
        state.t3_phrase = _t3_phrase(rows, hit.text)
        state.t3_alternative = False
        return _t3_claim(rows, _applicant_columns(applicant), value, state, sentence, section)
    if family is Family.APPLICANT and applicant is not None and state.t3_row is not None:
        return _t3_claim(
            state.t3_row,
            applicant.keyword.key,
            value,
            state,
            sentence,
            section,
            alternative=state.t3_alternative,
        )
    return None


_RESULT_ROWS: Final = frozenset(T3_RESULT_GROUPS)
# What was answered, ended by 的, between 答复/办结 and a count: 「办结的申请68件」 is all, but
# 「答复申请人相关信息已主动公开的6件」 is the replies of that kind (「答复完毕的」 is all).
_REPLY_OF_A_KIND: Final = re.compile(r"(?!完毕的|完的|了的).+的")
# A result right before 答复/办结 (「无法提供类答复15件」「不予公开的答复」) makes the replies
# that result's, a part of all (the keyword itself passes over 「予以公开答复」 only).
_RESULT_BEFORE: Final = re.compile(
    r"(?:(?:予以|同意|全部|部分|不予)公开|无法提供|不予处理|其他处理)(?:类|的|类的|性质的)?$"
)


# Each sub-row of a result category, and its category (the header row that sums it).
_CATEGORY_OF: Final = {
    member: group.code
    for group in LATEST_FORMAT.table3.rows
    if group.code in T3_RESULT_GROUPS
    for member in group.sum_of
}
# What opens a breakdown of a count: 「无法提供15件，其中…」「无法提供15件（…）」.
_BREAKDOWN: Final = re.compile(r"其中|[（(]")
_OPENING: Final = re.compile(r"^[\s，、；：（(]*(?:其中|包括)?[\s：:，]*(?:因|为|属于)?")
_AROUND: Final = " 　，、；：的“”\"'（）()"
_REASON_WORDS: Final = 30


def _reason_claim(
    number: Number, left: str, state: _State, sentence: Sentence, section: str
) -> Claim | None:
    """One reason's count inside a breakdown of its result category: 「无法提供15件，其中本机关
    不掌握相关政府信息10件，没有现成信息需要另行制作5件」 (module docstring)."""
    rows = state.t3_row
    if rows is None or len(rows) != 1 or rows[0] not in T3_RESULT_GROUPS:
        return None
    found = REASONS.last(left)
    if found is None or _CATEGORY_OF.get(found.keyword.key[0]) != rows[0]:
        return None
    if not _opened_between(state, sentence.text, state.t3_end, number.start):
        return None
    row = found.keyword.key[0]
    # The reason as written, from the start of its clause (「本机关不掌握相关政府信息」).
    words = _OPENING.sub("", left).strip(_AROUND)[-_REASON_WORDS:] or found.text
    return Claim(
        kind=ClaimKind.CELL,
        value=number.value,
        unit="件",
        phrase=f"「{state.t3_phrase}」中「{words}」{show(number.value)} 件",
        sentence=sentence.excerpt,
        section=section,
        target=Target(T3, (row,)),
    )


def _opened_between(state: _State, text: str, start: int, end: int) -> bool:
    """Whether a 其中 or bracket stands wholly between ``start`` and ``end``. The openers are
    found once a sentence and bisected: searched for from the category's count to each reason,
    a sentence of a category and thousands of reasons with no opener was read again for each."""
    if state.openers is None:
        found = list(_BREAKDOWN.finditer(text))
        state.openers = ([m.start() for m in found], [m.end() for m in found])
    starts, ends = state.openers
    first = bisect_left(starts, start)
    return first < len(starts) and ends[first] <= end


def _is_reason(claim: Claim) -> bool:
    target = claim.target
    return (
        target is not None
        and target.table == T3
        and len(target.rows) == 1
        and target.rows[0] in _CATEGORY_OF
    )


# The rest of a breakdown, counted without a reason of its own: 「其他5件」「其余7件」
# 「其他原因3件」, right after a separator.
_REST: Final = re.compile(r"(?:^|[，、；,;：:\s（(])(?:其他|其余)(?:原因|情形|情况|类)?的?\s*$")
_REST_WORDS: Final = 8


def _whole_breakdowns(
    claims: list[Claim], at: Mapping[int, int], numbers: Sequence[Number], text: str
) -> list[Claim]:
    """The claims less the reasons of a breakdown that counts anything but reasons of its
    category: 「无法提供15件，其中告知申请人向有关机关申请10件、本机关不掌握5件」 splits the
    category otherwise than the table does (both parts are 本机关不掌握 there), and its 5 is
    not the sub-row's. The breakdown runs from its category's count to the first claim that
    is not one of its reasons (or the sentence's end); every count in it must be a reason or
    the rest (「其中属于国家秘密3件、其他5件」: the rest is several sub-rows, not compared, and
    the reasons named are the table's own)."""
    end = len(text)
    counts = [n.start for n in numbers if n.is_count and n.unit == "件"]  # in order
    dropped: set[int] = set()
    index = 0
    while index < len(claims):
        head = claims[index]
        index += 1
        if head.target is None or head.target.table != T3 or len(head.target.rows) != 1:
            continue
        category = head.target.rows[0]
        run: list[Claim] = []
        while index < len(claims) and _is_reason(claims[index]):
            run.append(claims[index])
            index += 1
        if not run or id(head) not in at:
            continue
        stop = at.get(id(claims[index]), end) if index < len(claims) else end
        members = {at.get(id(claim)) for claim in run}
        # The counts between head and stop by bisection: each breakdown costs its own counts,
        # not the sentence's (a sentence of 2,000 breakdowns took 1 s).
        inside = counts[bisect_right(counts, at[id(head)]) : bisect_left(counts, stop)]
        wrong_category = any(_CATEGORY_OF[c.target.rows[0]] != category for c in run if c.target)
        if wrong_category or any(
            place not in members and not _REST.search(text, max(0, place - _REST_WORDS), place)
            for place in inside
        ):
            dropped.update(id(claim) for claim in run)
    return [claim for claim in claims if id(claim) not in dropped]


def _several_years_end(text: str) -> int:
    """Where the first words of several years in ``text`` end at the earliest (past the end
    when there are none): the sentence up to a number speaks of several years exactly when
    the number starts there or later. Found once per sentence, by halving between the first
    match's start and end, instead of a search over the sentence head for each of its
    numbers (2 s for a sentence of 5,000 counts)."""
    first = SEVERAL_YEARS.search(text)
    if first is None:
        return len(text) + 1
    low, high = first.start() + 1, first.end()  # the smallest end with a match is in here
    while low < high:
        middle = (low + high) // 2
        if SEVERAL_YEARS.search(text, first.start(), middle) is None:
            low = middle + 1
        else:
            high = middle
    return high


def _without_parts(claims: list[Claim]) -> list[Claim]:
    """The claims less those of a table 三 cell stated twice with different counts.

    A sentence names one cell once; the same wording twice with two counts names parts of
    it or other things (「书面答复118件，电子邮件答复7件」, 「上年度收到58件，本年度收到70件」),
    and neither count can be held against the cell."""
    if len(claims) < 2:
        return claims
    seen: dict[Target, set[int | Decimal]] = {}
    for claim in claims:
        if claim.target is not None and claim.target.table == T3:
            seen.setdefault(claim.target, set()).add(claim.value)
    doubled = {target for target, values in seen.items() if len(values) > 1}
    if not doubled:
        return claims
    return [claim for claim in claims if claim.target not in doubled]


# How far before a result its reason, and before a count the frame of the carried-over ones,
# are looked for: real ones are a few dozen characters; the bounds keep a run-on clause of
# thousands of 「因」 from being scanned from each of them (2 s a number, before).
_REASON_SPAN: Final = 60
_FRAME_SPAN: Final = 200


def of_another_period(text: str, end: int, year: int) -> bool:
    """Whether a figure stated at ``end`` of the sentence ``text`` may be of another period
    than ``year``, the report's: the last year written before it is another
    (「2020年依申请公开占比为40%」 in the report on 2021), or last year is named after it as
    the time spoken of (「上年度，办结率为95%」, not 「较上年」), or several years are
    (「近三年办结率…」), or a part of the year is (「第四季度办结率…」).

    The rules on shares and rates that bind a percentage by its subject ask this: a figure
    of another period is not this year's table's, whatever the words.

    What the sentence names is found once and kept for its next figures (:class:`_Periods`):
    searched again over the sentence's head for each, a sentence of 4,000 figures took 11 s."""
    return _periods_of(text).another_period(end, year)


@lru_cache(maxsize=8)
def _periods_of(text: str) -> _Periods:
    return _Periods(text)


def _applicant_columns(hit: Hit | None) -> tuple[str, ...]:
    return (COL_TOTAL,) if hit is None else hit.keyword.key


def _t3_phrase(rows: tuple[str, ...], words: str) -> str:
    """Carrying over is named as the table names it (上年结转); anything else as written."""
    if rows in ((T3_CARRIED_IN,), (T3_CARRIED_OUT,)):
        return LATEST_FORMAT.table3.row(rows[0]).name
    return words


def _t3_claim(
    rows: tuple[str, ...],
    columns: tuple[str, ...],
    value: int | Decimal,
    state: _State,
    sentence: Sentence,
    section: str,
    *,
    alternative: bool = False,
) -> Claim:
    phrase = f"「{state.t3_phrase}」"
    if columns != (COL_TOTAL,):
        phrase = f"「{state.t3_phrase}」中{_applicant_label(columns)} "
    return Claim(
        kind=ClaimKind.CELL,
        value=value,
        unit="件",
        phrase=f"{phrase}{show(value)} 件",
        sentence=sentence.excerpt,
        section=section,
        target=Target(T3, rows, columns),
        alternative=Target(T3, (T3_NEW, T3_CARRIED_IN), columns) if alternative else None,
    )


def _applicant_label(columns: tuple[str, ...]) -> str:
    if len(columns) > 1:
        return ORGANISATION_GROUP_LABEL
    return LATEST_FORMAT.table3.column(columns[0]).label


_REMEDY_WORDS: Final[dict[tuple[str, ...], str]] = {
    (T4_RECONSIDERATION,): "行政复议",
    (T4_LITIGATION_AFTER,): "复议后起诉",
    (T4_LITIGATION_DIRECT,): "直接起诉",
}


def _remedy_word(rows: tuple[str, ...]) -> str:
    return _REMEDY_WORDS.get(rows, "行政诉讼")


def _remedy_claim(
    hit: Hit, value: int | Decimal, state: _State, sentence: Sentence, section: str
) -> Claim | None:
    if hit.keyword.family is Family.REMEDY:
        rows = hit.keyword.key
        return Claim(
            kind=ClaimKind.CELL,
            value=value,
            unit="件",
            phrase=f"「{_remedy_word(rows)}」{show(value)} 件",
            sentence=sentence.excerpt,
            section=section,
            target=Target(T4, rows, (COL_TOTAL,)),
        )
    if state.remedy is None:
        return None
    column = hit.keyword.key[0]
    label = LATEST_FORMAT.table4.column(column).label
    return Claim(
        kind=ClaimKind.CELL,
        value=value,
        unit="件",
        phrase=f"{state.remedy_word}「{label}」{show(value)} 件",
        sentence=sentence.excerpt,
        section=section,
        target=Target(T4, state.remedy, (column,)),
    )


def _decisions_claim(
    hit: Hit, left: str, value: int | Decimal, unit: str, sentence: Sentence, section: str
) -> Claim | None:
    """「作出行政处罚决定292件」 against section 二's 本年处理决定数量.

    Loose (a warning when it differs): prose may count cases or items where the table counts
    decisions. Applications about licensing, information items and lists are not read.
    """
    if unit != "件" or NOT_DECISIONS.search(left):
        return None
    table, row = hit.keyword.key
    return Claim(
        kind=ClaimKind.CELL,
        value=value,
        unit=unit,
        phrase=f"「{hit.text}」{show(value)} {unit}",
        sentence=sentence.excerpt,
        section=section,
        target=Target(table, (row,), (S2_DECISIONS,)),
        firm=False,
    )


def _doc_verb(text: str) -> DocVerb | None:
    for pattern, verb in DOC_VERBS:
        if pattern.search(text):
            return verb
    return None


def _doc_claim(
    hit: Hit,
    value: int | Decimal,
    unit: str,
    state: _State,
    sentence: Sentence,
    section: str,
    fmt: ReportFormat,
    left: str,
) -> Claim | None:
    if state.doc_verb is None:
        return None
    if state.doc_verb is not DocVerb.IN_FORCE and DOC_RUNNING_TOTAL.search(left):
        return None  # 「累计公开规范性文件368件」: all the years', not this year's
    table = fmt.table(S2_NORMATIVE)
    has = {c.code for c in table.columns}
    mapped = next(((c, firm) for c, firm in DOC_COLUMNS[state.doc_verb] if c in has), None)
    if mapped is None:
        return None
    column, firm = mapped
    row = hit.keyword.key[0]
    return Claim(
        kind=ClaimKind.CELL,
        value=value,
        unit=unit,
        phrase=f"{state.doc_verb.value}「{hit.text}」{show(value)} {unit}",
        sentence=sentence.excerpt,
        section=section,
        target=Target(S2_NORMATIVE, (row,), (column,)),
        firm=firm,
    )


def _all_scopes(
    text: str, remedy_totals: list[Claim], at: Mapping[int, int]
) -> Iterator[tuple[re.Match[str], list[Claim]]]:
    """Each 均获维持/均已结案 of the sentence with the remedy totals it speaks of: those stated
    after the one before it and before it, or the same as the one before it when none is
    (「行政复议3件均已审结，行政诉讼2件，其中1件尚在审理中」 says nothing of the lawsuits'
    being closed)."""
    words = sorted(
        [*ALL_UPHELD.finditer(text), *ALL_CLOSED.finditer(text)], key=lambda m: m.start()
    )
    since = -1
    scope: list[Claim] = []
    for match in words:
        # 「行政复议3件，均已审结，结果均为维持」: two such words in a row share their remedies.
        stated = [c for c in remedy_totals if since < at.get(id(c), -1) < match.start()]
        scope = stated or scope
        yield match, scope
        since = match.end()


def _sentence_wide(
    sentence: Sentence, section: str, claims: list[Claim], at: Mapping[int, int] | None = None
) -> list[Claim]:
    """Claims that a sentence makes about its other claims, or without any number."""
    text = sentence.text
    extra: list[Claim] = []
    remedy_totals = [
        c
        for c in claims
        if c.target is not None and c.target.table == T4 and c.target.columns == (COL_TOTAL,)
    ]
    stated = (
        {(c.target.rows, c.target.columns) for c in claims if c.target is not None}
        if remedy_totals
        else set()
    )
    for match, scope in _all_scopes(text, remedy_totals, at or {}) if remedy_totals else ():
        upheld = ALL_UPHELD.fullmatch(match.group()) is not None
        for claim in scope:
            assert claim.target is not None
            word = _remedy_word(claim.target.rows)
            if upheld and (claim.target.rows, (T4_UPHELD,)) not in stated:
                extra.append(
                    replace(
                        claim,
                        phrase=f"{word} {show(claim.value)} 件「均获维持」",
                        target=Target(T4, claim.target.rows, (T4_UPHELD,)),
                    )
                )
            if not upheld and (claim.target.rows, (T4_PENDING,)) not in stated:
                extra.append(
                    replace(
                        claim,
                        value=0,
                        phrase=f"{word} {show(claim.value)} 件「均已结案」（尚未审结 0 件）",
                        target=Target(T4, claim.target.rows, (T4_PENDING,)),
                    )
                )
    if not remedy_totals and "行政" in text:  # NONE_REMEDY names 行政复议 or 行政诉讼
        for match in NONE_REMEDY.finditer(text):
            span = match.group("span")
            if REMEDY_CORRECTION.search(span) or NONE_REMEDY_NOT.search(span):
                continue
            for word, rows in (
                ("行政复议", (T4_RECONSIDERATION,)),
                ("行政诉讼", T4_LITIGATION_ROWS),
            ):
                if word in span:
                    extra.append(
                        Claim(
                            kind=ClaimKind.CELL,
                            value=0,
                            unit="件",
                            phrase=f"没有{word}（0 件）",
                            sentence=sentence.excerpt,
                            section=section,
                            target=Target(T4, rows, (COL_TOTAL,)),
                            firm=False,
                        )
                    )
    if (
        "信息处理费" in text  # FEE_WORD, as a plain substring
        and not any(c.kind is ClaimKind.FEE_COLLECTED for c in claims)
        and FEE_NONE.search(text)
    ):
        extra.append(
            Claim(
                kind=ClaimKind.FEE_COLLECTED,
                value=0,
                unit="元",
                phrase="未收取信息处理费",
                sentence=sentence.excerpt,
                section=section,
            )
        )
    if (
        "收费通知" in text
        and not any(c.kind is ClaimKind.FEE_NOTICES for c in claims)
        and FEE_NOTICE_NONE.search(text)
    ):
        extra.append(
            Claim(
                kind=ClaimKind.FEE_NOTICES,
                value=0,
                unit="件",
                phrase="未发出收费通知",
                sentence=sentence.excerpt,
                section=section,
            )
        )
    return extra


__all__ = [
    "LITIGATION_ROWS",
    "RESULT_GROUPS",
    "Claim",
    "ClaimKind",
    "Target",
    "extract_claims",
    "of_another_period",
    "sentence_claims",
]
