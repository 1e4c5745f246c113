"""Percentages written in words (「百分之三十」「百分之九十五点五」「百分之百」), read as digits.

The share and rate rules (:mod:`~gongkai.core.rules.rates`, :mod:`~gongkai.core.rules.shares`)
match a percentage with :data:`PERCENT`, which takes either form: the digits and 「%」 in group
``pct``, or the words after 「百分之」 in group ``words``. :func:`written` gives the figure as the
digits that say the same (「九十五点五」 → ``"95.5"``), so that it is compared as the digit form
is, with the tolerance of its written precision (one decimal written, a tenth of a point).

The whole part is read by :func:`gongkai.core.narrative._numbers.han_numeral` (the reading of
Chinese numerals the prose checks use); the decimals after 「点」 are digit by digit
(「点零五」 → ``.05``). A figure the words do not make (「百分之二〇」, a run of bare digits, or
more than 100 per cent: 「百分之一百五十」 is a rise, not a share) is not read, and the rules
then say nothing of it.
"""

from __future__ import annotations

import re
from typing import Final

from gongkai.core.narrative._numbers import han_numeral

_DIGITS: Final = "零〇一二三四五六七八九"
_WHOLE: Final = _DIGITS + "两十百"
# 「百分之」 and the numeral after it; decimals only after 「点」.
WORDS: Final = rf"百分之(?P<words>[{_WHOLE}]+(?:点[{_DIGITS}]+)?)"
# A percentage in either form: ``pct`` (digits, then 「%」) or ``words`` (after 「百分之」).
PERCENT: Final = rf"(?:(?P<pct>\d+(?:\.\d+)?)\s*%|{WORDS})"
# What marks a sentence as holding a percentage, for the rules' quick pre-filters.
MARKS: Final = ("%", "百分之")
_VALUE: Final = {char: str(i) for i, char in enumerate("零一二三四五六七八九")} | {"〇": "0"}
_MOST: Final = 100


def has_percent(text: str) -> bool:
    """Whether ``text`` may hold a percentage in either form (never False when it does)."""
    return "%" in text or "百分之" in text


def next_percent(text: str, start: int) -> int:
    """Where the next percentage mark (「%」 or 「百分之」) at or after ``start`` is; −1 if none."""
    found = [at for at in (text.find(mark, start) for mark in MARKS) if at != -1]
    return min(found) if found else -1


def read(words: str) -> str | None:
    """「九十五点五」 → ``"95.5"``; None when the words are not a percentage of 0–100."""
    whole, _, decimals = words.partition("点")
    value = han_numeral(whole)
    if value is None or value > _MOST or (value == _MOST and decimals.strip("零〇")):
        return None
    return f"{value}.{''.join(_VALUE[d] for d in decimals)}" if decimals else str(value)


def written(match: re.Match[str]) -> str | None:
    """The figure a :data:`PERCENT` match states, as digits (None: words that are no figure)."""
    digits = match.group("pct")
    if digits is not None:
        return digits
    return read(match.group("words"))


def start(match: re.Match[str]) -> int:
    """Where the percentage of a :data:`PERCENT` match begins (its digits, or 「百分之」)."""
    if match.group("pct") is not None:
        return match.start("pct")
    return match.start("words") - len("百分之")


def as_written(match: re.Match[str]) -> str:
    """The percentage as the prose writes it: 「33.9%」 or 「百分之三十三点九」."""
    digits = match.group("pct")
    return f"{digits}%" if digits is not None else f"百分之{match.group('words')}"
