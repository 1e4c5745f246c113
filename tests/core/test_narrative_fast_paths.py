"""The prose reader's shortcuts give what reading everything the plain way gives.

The reader skips sentences by plain substring tests, reads a number's unit in the same search
as the number, and keeps a sentence's reading for the next caller. Each shortcut is checked
here against the plain reading it stands for, on generated prose made of the words real
prose is made of, so that a shortcut that drops a claim fails here, not in an audit.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal, InvalidOperation
from string import ascii_letters

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai.core.formats import LATEST_FORMAT
from gongkai.core.narrative import breakdown
from gongkai.core.narrative import claims as claims_module
from gongkai.core.narrative._numbers import HAN_CHARS, Number, han_numeral, normalise, scan_numbers
from gongkai.core.narrative.claims import extract_claims
from gongkai.core.narrative.keywords import (
    APPLICANTS,
    LAST_YEAR_SAID,
    MATTER_OR_APPLICATION,
    REMEDIES,
    ROWS,
    SEVERAL_YEARS,
    T3_ROWS,
    KeywordSet,
)
from gongkai.core.narrative.leading import anchor_words, first_chars, leading
from gongkai.core.narrative.sentences import (
    SENTENCE_END,
    Sentence,
    forget_sentences,
    split_sentences,
)
from gongkai.core.rules import rates, shares
from tests.core.test_narrative_properties import FRAGMENTS

WORDS = [
    *FRAGMENTS,
    "行政诉讼",
    "没有发生行政复议",
    "未收取信息处理费",
    "收取信息处理费",
    "未发出收费通知",
    "在主动公开的90条信息中",
    "1,条",
    "每",
    "任何",
    "一件事",
    "v",
    "项",
    "个",
    "第",
    "百分之",
    "！",
    "\u3000",
]
prose = st.lists(
    st.one_of(st.sampled_from(WORDS), st.integers(0, 100_000).map(str), st.text(max_size=4)),
    max_size=60,
).map("".join)


def plain_sentences(normal: str, original: str) -> list[Sentence]:
    """Sentences cut one terminator run at a time, as the reader first cut them."""
    out = []
    start = 0
    for match in SENTENCE_END.finditer(normal):
        end = match.start()
        stop = match.end() if match.group().startswith("。") else end
        if normal[start:end].strip():
            out.append(Sentence(normal[start:end], original[start:stop]))
        start = match.end()
    if normal[start:].strip():
        out.append(Sentence(normal[start:], original[start:]))
    return out


@settings(max_examples=300)
@given(st.one_of(st.text(), prose))
@example("收到申请1件。\n予以公开1件！。其他处理0件\n。 \n不予处理0件")  # runs of several marks
def test_sentences_are_cut_as_one_terminator_run_at_a_time_cuts_them(text: str) -> None:
    forget_sentences()
    assert list(split_sentences(normalise(text), text)) == plain_sentences(normalise(text), text)


_UNITS = "万元|件|条|份|项|个|元"
_PLAIN_NUMBER = re.compile(
    rf"(?P<arabic>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?:\.\d+)?)|(?P<han>[{HAN_CHARS}]+)(?=\s*(?:{_UNITS}))"
)


def plain_numbers(text: str) -> list[Number]:
    """Numbers read with a separate search for each unit, percent sign and quantifier."""
    found = []
    for match in _PLAIN_NUMBER.finditer(text):
        start, end = match.span()
        unit_match = re.compile(rf"\s*({_UNITS})").match(text, end)
        unit = unit_match.group(1) if unit_match else None
        stop = unit_match.end() if unit_match else end
        value: int | Decimal
        if match.group("arabic") is not None:
            if start > 0 and (text[start - 1] in ".-/_" or text[start - 1] in ascii_letters):
                continue
            plain = match.group("arabic").replace(",", "")
            try:
                value = Decimal(plain) if "." in plain else int(plain)
            except (InvalidOperation, ValueError):
                continue
            is_han = False
        else:
            han = han_numeral(match.group("han"))
            if unit is None or han is None:
                continue
            value, is_han = han, True
        percent = re.compile(r"\s*%").match(text, stop) if unit is None else None
        slogan = re.search(r"(?:每|各|任何|任一|逐)\s*$", text[max(0, start - 4) : start])
        one_thing = is_han and value == 1 and unit is not None
        is_count = not (
            percent is not None
            or text[:start].endswith(("百分之", "第"))
            or slogan is not None
            or (one_thing and text[stop:].startswith(("事", "一", "实事")))
        )
        found.append(
            Number(start, percent.end() if percent else stop, value, unit, is_count, is_han)
        )
    return found


# Numerals, units and the words that make a number no count, packed close together.
numeral_texts = st.lists(
    st.sampled_from(
        [*HAN_CHARS, *_UNITS.split("|"), " ", "是", "第", "百分之", "%", "1", "2,000", "3.5"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500)
@given(st.one_of(st.text(), prose, numeral_texts))
def test_numbers_are_what_separate_searches_for_unit_and_percent_find(text: str) -> None:
    text = normalise(text)
    assert scan_numbers(text) == plain_numbers(text)


def read_every_sentence(narrative: dict[str, str]) -> list[object]:
    """Every sentence read in full: no sentence skipped, no reading kept."""
    groups = itertools.count(1)
    out: list[object] = []
    for section, text in narrative.items():
        if not text.strip():
            continue
        for sentence in plain_sentences(normalise(text), text):
            out.extend(claims_module._read_sentence(sentence, section, LATEST_FORMAT, groups))
    return out


@settings(max_examples=300)
@given(prose, prose)
def test_skipping_sentences_drops_no_claim(first: str, second: str) -> None:
    narrative = {"overview": first, "requests": second}
    forget_sentences()
    assert extract_claims(narrative) == read_every_sentence(narrative)


@settings(max_examples=100)
@given(prose)
def test_a_reading_kept_from_a_single_sentence_quotes_the_sentence_as_printed(text: str) -> None:
    """The rules read a sentence alone (normalised, without its full stop) before the prose
    check reads the whole prose: the kept reading must quote the whole prose's excerpt."""
    forget_sentences()
    narrative = {"overview": text + "。"}
    for sentence in split_sentences(normalise(text), text):
        extract_claims({"overview": sentence.text})
    kept = extract_claims(narrative)
    forget_sentences()
    assert kept == extract_claims(narrative)


def test_a_breakdown_whose_total_has_a_stray_comma_is_still_read() -> None:
    """「在…的1,条…中」 is a breakdown total (its number has no unit of its own): a sentence
    whose only unit is 项 must not be skipped for want of a count in 条."""
    narrative = {"overview": "在公开的1,条信息中，甲类2，乙类3，丙类5项。"}
    forget_sentences()

    claims = extract_claims(narrative)

    assert [c.label for c in claims] == ["在公开的1", "甲类", "乙类"]
    assert claims == read_every_sentence(narrative)


def plain_depths(text: str) -> tuple[list[int], list[bool]]:
    """Bracket depth and 其中-bracket flag, one character at a time."""
    depth = 0
    stack: list[bool] = []
    depths, inside = [], []
    for index, char in enumerate(text):
        if char in "（(":
            depth += 1
            stack.append(text.startswith("其中", index + 1))
        elif char in "）)" and depth > 0:
            depth -= 1
            stack.pop()
        depths.append(depth)
        inside.append(bool(stack) and stack[-1])
    return depths, inside


@settings(max_examples=300)
@given(st.text(alphabet="（()）其中条1a", max_size=40))
def test_bracket_depths_filled_between_brackets_are_the_depths_counted_one_by_one(
    text: str,
) -> None:
    assert breakdown._depths(text) == plain_depths(text)


def plain_last(keywords: KeywordSet, text: str) -> tuple[object, int, int, str] | None:
    """Every match of every keyword, the one ending last (the longer, then the first listed)."""
    hits = [
        (keyword, match.start(), match.end(), match.group())
        for keyword in keywords.keywords
        for match in keyword.pattern.finditer(text)
    ]
    if not hits:
        return None
    end = max(h[2] for h in hits)
    size = max(len(h[3]) for h in hits if h[2] == end)
    return next(h for h in hits if h[2] == end and len(h[3]) == size)


@settings(max_examples=300)
@given(prose)
def test_the_last_keyword_is_the_one_every_match_of_every_keyword_gives(text: str) -> None:
    for keywords in (ROWS, APPLICANTS, REMEDIES):
        hit = keywords.last(text)
        found = None if hit is None else (hit.keyword, hit.start, hit.end, hit.text)
        assert found == plain_last(keywords, text)


SETS = (ROWS, APPLICANTS, REMEDIES, T3_ROWS)
# The characters of the keywords' patterns, and words that match them, so that generated
# text matches keywords often, in every way their patterns allow.
KEYWORD_CHARS = "".join(
    sorted({c for s in SETS for k in s.keywords for c in k.pattern.pattern if ord(c) > 127})
)
KEYWORD_WORDS = [
    "上一年度结转",
    "去年度遗留",
    "结转至下一年度",
    "下年继续办理",
    "未经复议直接提起行政诉讼",
    "诉讼请求",
    "同意公开与部分公开",
    "不同意公开",
    "收费通知要求",
]
keyword_text = st.lists(
    st.one_of(st.sampled_from(KEYWORD_WORDS), st.text(alphabet=KEYWORD_CHARS, max_size=6)),
    max_size=8,
).map("".join)


@settings(max_examples=400)
@given(st.one_of(keyword_text, prose))
def test_every_keyword_that_matches_is_searched(text: str) -> None:
    """A keyword is searched when one of its anchor words (or, without any, its characters)
    stands in the text: never skipped where its pattern matches."""
    for keywords in SETS:
        searched = keywords._candidates(text)
        for keyword in keywords.keywords:
            if keyword.pattern.search(text):
                assert keyword in searched, (keyword.pattern.pattern, text)


LEADING = [
    shares._SHARE_SUBJECT,
    shares._CLOSED_RATE,
    shares._YOY_SUBJECT,
    rates._YOY,
    MATTER_OR_APPLICATION,
    SEVERAL_YEARS,
    LAST_YEAR_SAID,
]
SUBJECT_WORDS = [
    "予以公开及部分公开",
    "不予公开",
    "同意公开",
    "自然人",
    "法人或其他组织",
    "办结率",
    "按期办结率",
    "信息公开答复率",
    "占",
    "占全部办结件数的",
    "申请数量",
    "行政复议案件",
    "较上年",
    "同比",
    "下降",
    "增长",
    "近三年",
    "上一年度",
    "热线",
    "提案",
    "约",
    "百分之五十",
    "95%",
    "12.5%",
]
subject_text = st.lists(
    st.one_of(st.sampled_from(SUBJECT_WORDS), st.sampled_from(WORDS), st.text(max_size=3)),
    max_size=20,
).map("".join)


def spans(fast: re.Pattern[str], text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The matches of a pattern behind its first characters, and of the pattern alone."""
    assert fast.pattern.startswith("(?=[")
    plain = re.compile(fast.pattern.partition("])")[2])  # without the look-ahead
    return [m.span() for m in fast.finditer(text)], [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "其中自然人申请占比约65%，法人或其他组织占35%",
        "予以公开及部分公开占全部办结件数的59%，不予公开占10%，无法提供占5%，其他处理占1%",
        "社会公益组织占1%，商业企业占2%，科研机构占3%，同意公开占4%，全部公开占5%",
        "办结率95%，信息公开答复率百分之九十",
        "申请数量较上年下降12.5%，行政复议案件同比增长20%，办结同比增长1%",
        "收到申请120件，同比增长2.3%，与上年相比减少3%，比去年增加了5.5%",
        "近三年累计收到申请180件，上年度办结热线工单95件，历年来去年的咨询",
    ],
)
def test_a_pattern_behind_its_first_characters_finds_each_match(text: str) -> None:
    found = [spans(fast, text) for fast in LEADING]
    assert found == [(plain, plain) for _, plain in found]
    assert sum(len(plain) for _, plain in found) >= 2


@settings(max_examples=300)
@given(st.one_of(subject_text, prose))
def test_a_pattern_behind_its_first_characters_finds_what_it_finds_alone(text: str) -> None:
    for fast in LEADING:
        found, plain = spans(fast, text)
        assert found == plain


def test_the_first_characters_are_told_only_when_they_are_plain_characters() -> None:
    assert first_chars(r"(?<!不)(?:予以|同意)?公开|部分") == frozenset("予同公部")
    assert first_chars(r"(?:上一?年度?|去年)结转") == frozenset("上去")
    assert first_chars(r"\d+件") is None  # a class
    assert first_chars(r"(?:共)?") is None  # may match nothing
    assert first_chars(r"[甲乙]丙") == frozenset("甲乙")
    assert first_chars(r"[一-龥]") is None  # a range
    assert leading(r"\d件").pattern == r"\d件"


def test_a_pattern_s_anchor_words_are_words_every_match_holds() -> None:
    assert anchor_words(r"(?<!不)(?:予以|同意)?公开|部分") == ("公开", "部分")
    assert anchor_words(r"(?:上一?年度?|去年)结转") == ("结转",)
    assert anchor_words(r"(?:上一?年度?|去年)(?:度)?") == ("上", "去年")
    assert anchor_words(r"(?:行政诉讼|起诉)(?![^，]{0,6}请求)") == ("行政诉讼", "起诉")
    assert anchor_words(r"(?:共)?\d+") is None
