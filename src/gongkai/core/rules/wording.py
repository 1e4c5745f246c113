"""Wording of the prose: a word written twice in a row (「审核审核」), a year that is not the
report's, and a sentence that the tables contradict (「全部申请均已按期办结」 with a carry-over).

Only the sections without tables are read (一, 五, 六): in 二–四 the tables' own labels run
together in extracted text.

Doubled words, by a rule that Chinese reduplication cannot break: a repeated unit of three or
more characters is always a slip (no word is reduplicated whole at that length: 「政务公开政务
公开」); a repeated unit of two characters is a slip only when it is one of the words of report
prose that are never reduplicated (:data:`NEVER_DOUBLED`: 工作, 信息, 审核 …). Two-character
verbs that are reduplicated in speech (「研究研究」「讨论讨论」「学习学习」, "try doing") and
descriptive ABAB forms (「雪白雪白」) are not in the list; AABB forms (「认认真真」) and
one-character repeats (常常, 人人, 天天, 各个) are not matched at all. A repeated unit that starts
with 一 is a deliberate reduplication (「一个一个」「一步一步」), not a typo.

Years. A year in the prose is read only where it is anchored to the report's own year, so that
comparisons with last year, the dates of cited documents (〔2021〕), plans (「十四五」「到2025
年」) and history are never taken for slips:

- ``wording.this_year`` (warning): a year written as the report's own year — 「本年度（2022年）」
  「今年即2022年」, or the statistics period 「统计期限自2022年1月1日起至2022年12月31日止」 —
  that is not the report's year;
- ``wording.other_year`` (info): a sentence that opens with a year (「2021年，我局……」 in a
  2023 report, the mark of a paragraph copied from an older report), when it is neither the
  report's year, nor the year before (comparisons), nor the year after (plans, the
  signature's date). A sentence may still open with a target year or a date in history, so
  this one is info.

The title's year against the statistics period before section 一 is the parser's finding
(``parse.year_conflict``): that text is no section's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity, quote
from gongkai.core.formats import COL_TOTAL, T3, T3_CARRIED_OUT
from gongkai.core.narrative.sentences import split_sentences
from gongkai.core.rules.engine import Context, Issue, rule

# A sentence that opens with a year: 「2021年，」「2021 年度,」 at the start of the text or after a
# sentence mark, spaces between.
_OPENING_YEAR: Final = re.compile(r"(?:^|(?<=[。；;！!？?\n]))\s*((?:19|20)\d\d)\s*年度?\s*[，,]")
# The same year and comma anywhere: the engine finds these at the speed of a plain scan (the
# pattern above tries its assertions at every character), and what stands before each tells
# whether it opens a sentence (see _opening_years).
_YEAR_COMMA: Final = re.compile(r"((?:19|20)\d\d)\s*年度?\s*[，,]")
# Two to six ideographs written twice in a row.
_DOUBLED: Final = re.compile(r"([\u4e00-\u9fff]{2,6})\1")
# Two-character words of report prose that are never reduplicated (see the module docstring).
NEVER_DOUBLED: Final = frozenset(
    """
    工作 信息 公开 政府 政务 申请 审核 审查 发布 办理 部门 单位 机关 机构 机制 制度
    平台 网站 文件 情况 管理 服务 建设 数据 政策 解读 落实 推进 加强 完善 规范 提升
    开展 公示 答复 依法 组织 领导 培训 专栏 栏目 内容 事项 问题 改进 年度 报告 主动
    规章 目录 指南 要求 条例 决策 执行 结果 监督 保障 考核 评议 回应 关切 渠道 力度
    质量 水平 队伍 人员 群众 企业 社会 公众 资金 项目 标准 流程 环节 措施 意见 通知
    会议 系统 载体 新闻 媒体 宣传 安全 保密 档案 处理 受理 办结 转办 反馈 咨询 热线
    窗口 实施 编制 修订 废止 清理 更新 维护 整改 督查 民生 经济 发展 法治 基层 社区
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
_DOUBLE_ALWAYS: Final = 3  # units this long are never reduplicated
# The shortest and longest units _DOUBLED finds.
_UNIT_SIZES: Final = range(2, 7)
# Runs of ASCII (digits, spaces, Latin letters), which _DOUBLED never finds.
_ASCII_RUNS: Final = re.compile(r"[\x00-\x7f]+")
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
    "正文不应有连写两次的词语（如「工作工作」；口语重叠如「研究研究」除外）",
    Severity.WARNING,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def doubled_word(ctx: Context) -> Iterator[Issue]:
    for section in ctx.fmt.sections:
        if section.holds_tables:
            continue
        original, text = ctx.prose(section.code)  # radicals read as ideographs
        if not may_double(text):
            continue
        for match in _DOUBLED.finditer(text):
            unit = match.group(1)
            if unit.startswith("一"):
                continue
            if len(unit) < _DOUBLE_ALWAYS and unit not in NEVER_DOUBLED:
                continue
            yield Issue(
                f"第{section.number}部分「{section.number}、{section.heading}」"
                f"「{_quote(original, match.start(), match.end())}」中"
                f"「{original[match.start() : match.start() + len(match.group(1))]}」"
                "连写了两次，疑为多打"
            )


def may_double(text: str) -> bool:
    """Whether :data:`_DOUBLED` may find something in ``text``: false only when it cannot.

    Searched for at every character, trying each length there, the pattern was a tenth of an
    audit; most prose has no run of characters written twice in a row at all. Told first of
    the text itself, then (when digits or spaces repeat: 「10000」, table text in the prose)
    of the text less its ASCII, which joins no ideographs that were not joined already.
    """
    return _repeats(text) and _repeats(_ASCII_RUNS.sub("", text))


def _repeats(text: str) -> bool:
    """Whether some run of 2–6 characters of ``text`` may be written twice in a row (false
    only when none is).

    In a few passes over the whole text in C, not a Python step per character: read as one
    integer, a fixed-width code unit per character, the text XOR itself shifted by ``size``
    characters is zero exactly where a character is the one ``size`` after it, and a run of
    ``size`` characters written twice is ``size`` such zeros in a row: as many zero bytes in
    a row, at least, in the result (more of them, not aligned, only make this say yes)."""
    if len(text) < 2 * _UNIT_SIZES.start:
        return False
    data = text.encode("utf-16-le", "surrogatepass")
    width = 2
    if len(data) != 2 * len(text):  # beyond the BMP a character is two UTF-16 units
        data = text.encode("utf-32-le", "surrogatepass")
        width = 4
    whole = int.from_bytes(data, "little")
    for size in _UNIT_SIZES:
        same = (whole ^ (whole >> (8 * width * size))).to_bytes(len(data), "little")
        if bytes(width * size) in same:
            return True
    return False


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
        original, text = ctx.prose(section.code)
        for match in _opening_years(text):
            if int(match.group(1)) in expected:
                continue
            start = match.start(1)
            yield Issue(
                f"第{section.number}部分「{section.number}、{section.heading}」"
                f"「{_quote(original, start, match.end())}」以 {match.group(1)} 年开头，"
                f"本报告是 {year} 年度的，请核对是否沿用了往年报告的文字"
            )


def _opening_years(text: str) -> Iterator[re.Match[str]]:
    """What ``_OPENING_YEAR.finditer(text)`` gives, by group 1 and end (all the rule uses).

    A year-and-comma opens a sentence when only whitespace stands between it and the start of
    the text or a sentence mark (a line break is both). Two candidates cannot overlap (a
    candidate's digits are followed by no fifth digit), and a comma is no sentence mark, so
    none hides another.
    """
    for match in _YEAR_COMMA.finditer(text):
        start = match.start()
        while start and text[start - 1] not in _SENTENCE_OPENERS and text[start - 1].isspace():
            start -= 1
        if start == 0 or text[start - 1] in _SENTENCE_OPENERS:
            yield match


_SENTENCE_OPENERS: Final = frozenset("。；;！!？?\n")


# The report's own year, written out: 「本年度（2022年）」「今年即2022年」「本年为2022年」; not a
# date in it (「本年2022年1月发布」), nor a year that qualifies what follows
# (「本年度2020年结转的申请」「本年度2019年以来」).
_THIS_YEAR: Final = re.compile(
    r"(?P<word>本年度|本年|今年)\s*(?:[（(]\s*)?(?:(?:即|为|是)\s*)?((?:19|20)\d\d)\s*年"
    r"(?!\s*\d{1,2}\s*月|\s*(?:结转|转入|以来|至|到|同期|相比|底|末))"
)
# The statistics period: 「统计期限自2022年1月1日起至2022年12月31日止」.
_PERIOD: Final = re.compile(
    r"统计(?:期限|时限|时间|期间)[^。]{0,12}?((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日"
    r"(?:[^。]{0,8}?((?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日)?"
)


@rule(
    "wording.this_year",
    "正文写明的本年度（「本年度（某年）」、统计期限）应是报告的年度",
    Severity.WARNING,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def this_year(ctx: Context) -> Iterator[Issue]:
    year = ctx.report.meta.year
    for section in ctx.fmt.sections:
        if section.holds_tables:
            continue
        original, text = ctx.prose(section.code)
        hits = [(m, m.start(2), [m.group(2)]) for m in _THIS_YEAR.finditer(text)]
        hits += [(m, m.start(1), [g for g in m.groups() if g]) for m in _PERIOD.finditer(text)]
        for match, _start, years in sorted(hits, key=lambda h: h[1]):
            # 「今年（2022年）」 may be the year of writing, early in the next.
            writing = match.re is _THIS_YEAR and match.group("word") == "今年"
            allowed = (year, year + 1) if writing else (year,)
            wrong = [y for y in years if int(y) not in allowed]
            if not wrong:
                continue
            yield Issue(
                f"第{section.number}部分「{section.number}、{section.heading}」"
                f"「{_quote(original, match.start(), match.end())}」把 {wrong[0]} 年写作本年度，"
                f"本报告是 {year} 年度的，请核对是否沿用了往年报告的文字"
            )


# 「全部申请均已按期办结」「均已办结」「无结转」: every application of the year closed. Not
# 「占全部办结件数的30%」「全部办结的申请中」「占全部办结申请的62.3%」: there 全部办结 names
# the closed ones, a base.
_ALL_CLOSED_VERB: Final = (
    r"(?:全部|均已?|都已?|已全部|一律)\s*(?:(?:按期|按时|依法|及时|在法定期限内)\s*)?"
    r"(?:办结|办理完毕|答复完毕|处理完毕|办理完成)"
)
_NO_CARRY_OVER: Final = r"(?:无|没有|未有|不存在)(?:申请)?(?:结转|转入下一?年度?)"
# 「按时办结率100%」 is of the closed ones, on time: not that none was carried over.
_FULL_RATE: Final = r"(?<!按期)(?<!时)办结率\s*(?:(?:为|达到?)\s*)?100(?:\.0+)?\s*%"
# Every match begins with one of these characters (the first of each alternative above): told
# first, in a look-ahead, the engine passes over other text about twice as fast as by trying
# every alternative at every character. The matches are the same.
_ALL_CLOSED_FIRST: Final = "(?=[全均都已一无没未不办])"
_ALL_CLOSED: Final = re.compile(
    _ALL_CLOSED_FIRST
    + f"(?:(?<!占){_ALL_CLOSED_VERB}(?!(?:政府信息公开)?(?:申请|案件)?[的件总数量])"
    + f"|{_NO_CARRY_OVER}|{_FULL_RATE})"
)
# The section-level pre-filter: the same without the look-ahead, so that whatever a sentence
# matches, its section matches too, whatever follows the sentence's end.
_ALL_CLOSED_ANYWHERE: Final = re.compile(
    _ALL_CLOSED_FIRST + f"(?:{_ALL_CLOSED_VERB}|{_NO_CARRY_OVER}|{_FULL_RATE})"
)
# What every match of the pre-filter holds, told by plain substrings first: each verb ends in
# 办结, 完毕 or 办理完成 (办结率 too), and only 「无结转」 and the like are left, looked for only
# where 结转 or 转入 is. Most sections hold none of these, and telling so costs a fraction of
# the pre-filter's search (its look-ahead is tried at every character).
_CLOSED_WORDS: Final = ("办结", "完毕", "办理完成")
_NO_CARRY_OVER_HEAD: Final = re.compile(r"(?:无|没有|未有|不存在)(?:申请)?(?:结转|转入)")


def _may_say_all_closed(text: str) -> bool:
    """Whether ``text`` may match :data:`_ALL_CLOSED_ANYWHERE` (false only when it cannot)."""
    if any(word in text for word in _CLOSED_WORDS):
        return True
    return ("结转" in text or "转入" in text) and _NO_CARRY_OVER_HEAD.search(text) is not None


# 「除2件结转下年度外，其余均已办结」: the sentence itself allows for the carry-over; so does
# one that counts it (「已全部答复完毕61件，6件结转下年度」). The count starts where its
# digits do: tried at each digit of a long run, it took 17 s over 40,000 digits.
_EXCEPT: Final = re.compile(
    r"其余|其他均|以外|外[，,]|除"
    r"|(?<!\d)\d+\s*件[^，,。；;\d]{0,6}?(?:结转|转入)(?:至|到)?下"
    r"|(?:结转|转入)(?:至|到)?下一?年度?[^，,。；;\d]{0,8}?\d+\s*件"
)
# 「上年结转的申请已全部办结」「结转下年度的申请已于1月全部办结」: the carried ones closed.
_CARRIED_SUBJECT: Final = re.compile(r"结转|转入|遗留")
# 「2022年将…确保按时办结率100%」: a plan, not what was done.
_PLAN: Final = re.compile(r"(?:将|要)(?:进一步|继续|持续|不断)|确保|力争|争取|计划")


@rule(
    "narrative.all_closed",
    "正文称申请全部办结时，表三「四、结转下年度继续办理」应为 0",
    Severity.WARNING,
    Category.NARRATIVE,
    law.ANNUAL_REPORT_ACCURACY_NOTICE,
)
def all_closed(ctx: Context) -> Iterator[Issue]:
    carried = ctx.report.cell(T3, T3_CARRIED_OUT, COL_TOTAL)
    if not carried:
        return
    for section in ctx.fmt.sections:
        original, normal = ctx.prose(section.code)
        if not original.strip():
            continue
        if not _may_say_all_closed(normal) or _ALL_CLOSED_ANYWHERE.search(normal) is None:
            continue
        for sentence in split_sentences(normal, original):
            text = sentence.text
            found = _ALL_CLOSED.search(text)
            if found is None or "申请" not in text or _EXCEPT.search(text) or _PLAN.search(text):
                continue
            clause = max(text.rfind(mark, 0, found.start()) for mark in "，,；;：:") + 1
            if _CARRIED_SUBJECT.search(text, clause, found.start()):
                continue  # 「2020年结转的申请已全部办结」: the carried ones, not all
            if "复议" in text or "诉讼" in text:
                continue  # remedies closed: narrative.mismatch reads 均已结案
            yield Issue(
                f"第{section.number}部分「{section.number}、{section.heading}」"
                f"「{quote(sentence.excerpt)}」称申请「{found.group()}」，而表三「四、结转下年度继续办理」"
                f"为 {carried} 件",
                cells=((T3, T3_CARRIED_OUT, COL_TOTAL),),
            )
