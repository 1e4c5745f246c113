"""Numbers as report prose writes them, found with their unit and their place in the text.

Prose writes counts as ASCII digits (``67 件``), full-width digits (``６７件``), with thousands
separators (``1,555条``) and, less often, as Chinese numerals (``三件``, ``零``). A number that
is a percentage (``33.9%``, ``百分之十``) or an ordinal (``第一件``) is not a count and is
returned marked as such, so that callers never compare it with a table cell.

Scanning is one pass of a linear regular expression over the text: it cannot hang on any
input, which the property tests check.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final, NamedTuple

from gongkai.core.cjk_equivalents import EQUIVALENT_UNIFIED, SparseTranslation
from gongkai.core.narrative.sentences import forget_with_sentences

# Full-width digits and percent sign map one-to-one to ASCII, and the CJK radicals that PDF
# text layers print for ideographs (「⺠」 for 民) to their ideograph, so offsets in the
# normalised text are offsets in the original, and excerpts can be cut from either.
_FULL_WIDTH: Final = str.maketrans("０１２３４５６７８９％", "0123456789%") | EQUIVALENT_UNIFIED
_full_width: Final = SparseTranslation(_FULL_WIDTH)

# Measure words after a count. 万元 before 元 so that the longer unit wins.
UNITS: Final = ("万元", "件", "条", "份", "项", "个", "元")

_HAN_DIGITS: Final = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_POWERS: Final = {"十": 10, "百": 100, "千": 1000}
# The characters of a Chinese numeral.
HAN_CHARS: Final = "".join(_HAN_DIGITS) + "".join(_HAN_POWERS) + "万"

# A Chinese numeral counts only with a unit after it (scan_numbers skips it otherwise): the
# lookahead keeps the many that have none (一是, 进一步) from reaching Python at all. The
# leading lookahead (the first character of either kind) lets the engine skip other
# characters at once: 40% less time per scan. The unit after the number, or else a percent
# sign, is read by trailing lookaheads in the same match: they leave the match's end at the
# number's, so the next number is looked for right after it, as if they were separate reads,
# and the Python loop does one call per number instead of three.
_UNIT_WORDS: Final = "|".join(UNITS)
_NUMBER: Final = re.compile(
    rf"(?=[\d{HAN_CHARS}])(?:"
    r"(?P<arabic>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    rf"|(?<![{HAN_CHARS}])(?P<han>[{HAN_CHARS}]+)(?=\s*(?:{_UNIT_WORDS})))"
    rf"(?:(?=\s*(?P<unit>{_UNIT_WORDS}))|(?=(?P<percent>\s*%)))?"
)
# A number glued to letters or to a dot is part of a code, a version or an address.
_CODE_BEFORE: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-/_")


def normalise(text: str) -> str:
    """Full-width digits to ASCII and CJK radicals to ideographs, keeping every offset."""
    if len(text) < _NORMAL_MIN:
        return _full_width(text)
    normal = _NORMAL.get(text)
    if normal is None:
        normal = _full_width(text)
        if len(_NORMAL) >= _NORMAL_LIMIT:
            _NORMAL.clear()
        _NORMAL[text] = normal
    return normal


# The prose sections normalised last, by their text: the prose check and several rules each
# normalise the same sections of one report (a scan of the whole section each time). Emptied
# with the report's sentences (:func:`~gongkai.core.narrative.sentences.forget_sentences`), and
# bounded; a short text is normalised faster than it is looked up.
_NORMAL: dict[str, str] = {}
_NORMAL_LIMIT: Final = 64
_NORMAL_MIN: Final = 200
forget_with_sentences(_NORMAL.clear)


def han_numeral(text: str) -> int | None:
    """The value of a Chinese numeral such as 三, 十二, 一百零五, 两千; None if it is not one.

    Runs of bare digits (二〇二一, 一二) are years or lists, not counts, and give None.
    """
    if not text or text[0] == "万":
        return None
    total = 0
    section = 0
    digit: int | None = None
    previous_was_digit = False
    for char in text:
        if char in _HAN_DIGITS:
            value = _HAN_DIGITS[char]
            if previous_was_digit and digit != 0:
                return None
            digit = value
            previous_was_digit = True
        elif char in _HAN_POWERS:
            section += (1 if digit is None else digit) * _HAN_POWERS[char]
            digit = None
            previous_was_digit = False
        elif char == "万":
            total += (section + (digit or 0)) * 10_000
            section = 0
            digit = None
            previous_was_digit = False
        else:
            return None
    return total + section + (digit or 0)


class Number(NamedTuple):
    """One number in a text; ``start``/``end`` cover the number and its unit.

    A named tuple, not a frozen dataclass: every sentence's numbers are built, and a frozen
    dataclass's ``__init__`` costs several times a tuple's.
    """

    start: int
    end: int
    value: int | Decimal
    unit: str | None
    # A percentage or an ordinal: never a count.
    is_count: bool
    # Written in Chinese numerals (only trusted when followed by a unit).
    is_han: bool


# A quantifier in front of the number makes it a manner, not a count: 「每一件申请都依法答复」
# 「对任何一件申请」.
_EVERY_BEFORE: Final = re.compile(r"(?:每|各|任何|任一|逐)\s*$")
# What follows 「一件」 in a slogan: 「一件事一次办」「办好一件事」「一件一策」「一件一档」.
_ONE_BY_ONE: Final = ("事", "一", "实事")
# Any of the quantifiers' first characters: the test for a text that has none.
_QUANTIFIER: Final = re.compile(r"[每各任逐]")
# A tuple's own constructor: a named tuple's keyword ``__new__`` costs more than the scan.
_new_number: Final = tuple.__new__


def scan_numbers(text: str) -> list[Number]:
    """Every number of ``text`` (already normalised), in order.

    Chinese numerals without a unit are skipped: 一是, 十九届 and 二〇二一年 are not counts.
    A slogan or a description is marked as no count: a number after a quantifier (「每一件申请
    都依法答复」), and 「一件」 followed by 事 or by 一 (「一件事一次办」「一件一策」).
    """
    found: list[Number] = []
    # Most texts have no quantifier at all: then no number needs the look behind it.
    quantified = _QUANTIFIER.search(text) is not None
    percent_words = "百分之" in text
    ordinals = "第" in text
    for match in _NUMBER.finditer(text):
        arabic, han, unit, percent = match.group(1, 2, 3, 4)
        start = match.start()
        value: int | Decimal
        if arabic is not None:
            if start > 0 and text[start - 1] in _CODE_BEFORE:
                continue
            plain = arabic.replace(",", "") if "," in arabic else arabic
            try:
                value = Decimal(plain) if "." in plain else int(plain)
            except (InvalidOperation, ValueError):  # more digits than int() reads
                continue
            is_han = False
        else:
            if unit is None:
                continue
            han_value = han_numeral(han)
            if han_value is None:
                # 一二三件 and the like: keep only the numeral touching the unit, if any.
                continue
            value = han_value
            is_han = True
        if unit is not None:
            stop = match.end(3)
        elif percent is not None:
            stop = match.end(4)
        else:
            stop = match.end()
        is_count = not (
            percent is not None
            or (percent_words and text.endswith("百分之", 0, start))
            or (ordinals and text.endswith("第", 0, start))
            or (quantified and _EVERY_BEFORE.search(text, max(0, start - 4), start) is not None)
            or (is_han and value == 1 and unit is not None and text.startswith(_ONE_BY_ONE, stop))
        )
        found.append(_new_number(Number, (start, stop, value, unit, is_count, is_han)))
    return found
