"""Breakdowns: a stated total of information items and its category lines.

「总数 1555 条，其中机构职能类信息 211 条，……」: the total and each line become claims of their
own, linked by a group number, so that the narrative checks can add the lines up and find one
listed twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from gongkai.core.narrative._numbers import Number
from gongkai.core.narrative.claim import Claim, ClaimKind, show
from gongkai.core.narrative.sentences import CLAUSE_MARKS, CLOSE, OPEN, Clauses, Sentence

_LABEL_TRIM: Final = re.compile(
    r"^[\s，,；;：:、（()）“”\"']*(?:其中|另有|包括|主要有|主要包括)?[\s，,：:]*(?:涉及|有)?"
)
# The words a label may end with before its number (「……共」「……数为」): the longer first.
_LABEL_TAIL_WORDS: Final = ("共计", "合计", "共", "数", "为", "计")
_QUOTES: Final = "“”\"'"
_BREAKDOWN_AFTER: Final = re.compile(r"\s*(?:[，,；;：:]\s*)?(?:[（(]\s*)?其中")
_YEAR_PREFIX: Final = re.compile(r"^.*\d{4}\s*年度?(?:全年)?")
_LABEL_MAX: Final = 60
# A list that says it names only some categories: 「其中主要有…」「其中重点公开…」 opening it,
# or 「……等」 right after its last line. Looked for where the list opens only, not over its
# first line's label: 「其中重点领域信息300条」 names a category (重点领域信息), not some.
_SOME: Final = re.compile(r"\s*[，,：:]?\s*(?:主要|例如|比如|诸如|重点(?!领域))")
_AND_OTHERS: Final = re.compile(r"\s*(?:条\s*)?等")
_AMONG: Final = re.compile(r"在[^，。；,;]{0,15}?(?P<n>\d[\d,]*)\s*条[^，。；,;]{0,12}?中")


_BRACKET: Final = re.compile("[" + re.escape("".join(sorted(OPEN | CLOSE))) + "]")
# What ends a category line written without its unit (不予公开信息数79、…).
_LINE_END: Final = CLAUSE_MARKS | {"、"}


def _depths(text: str) -> tuple[list[int], list[bool]]:
    """Bracket depth at each offset, and whether the innermost bracket opens with 其中.

    Only the brackets change either, so the offsets between two brackets are filled at once.
    """
    depth = 0
    stack: list[bool] = []
    depths: list[int] = []
    breakdown: list[bool] = []
    inside = False
    last = 0
    for match in _BRACKET.finditer(text):
        index = match.start()
        depths += [depth] * (index - last)
        breakdown += [inside] * (index - last)
        if text[index] in OPEN:
            depth += 1
            stack.append(text.startswith("其中", index + 1))
        elif depth > 0:
            depth -= 1
            stack.pop()
        inside = bool(stack) and stack[-1]
        depths.append(depth)
        breakdown.append(inside)
        last = index + 1
    depths += [depth] * (len(text) - last)
    breakdown += [inside] * (len(text) - last)
    return depths, breakdown


def read_breakdown(
    sentence: Sentence,
    section: str,
    numbers: list[Number],
    clauses: Clauses,
    groups: Iterator[int],
) -> list[Claim]:
    """A stated total of information items followed by its category lines, if the sentence has one.

    The total is a count in 条 followed by 其中 (``总数1555条，其中…``), or the phrase
    ``在…的90条…中``. Its lines are the later counts in the same unit (or with the unit left
    off at a clause end, as in ``不予公开信息数79。``), at the same bracket depth: counts in a
    bracket after a line are that line's own breakdown (``预决算公开197条（政府预决算32条、
    部门预决算公开165条）``), not more lines. A first line equal to the total restates it
    (``全文电子化的主动公开信息数共90条``) and is not a category.
    """
    text = sentence.text
    if "条" not in text or "中" not in text:
        # Either way of stating a total needs both: a count in 条, and 其中 or 在…中.
        return []
    total: Number | None = None
    parts_start = 0
    # 其中 after the total is one way of stating it (_BREAKDOWN_AFTER), 在…中 the other (_AMONG).
    for number in numbers if "其中" in text else ():
        if number.unit != "条" or not number.is_count:
            continue
        # 其中 right after the total, or at the start of the next clause when the rest of the
        # total's clause holds no other number (发布380条财政资金信息，其中…).
        match = _BREAKDOWN_AFTER.match(text, number.end)
        if match is None:
            clause_end = clauses.end(number.end)
            if not any(char.isdigit() for char in text[number.end : clause_end]):
                match = _BREAKDOWN_AFTER.match(text, clause_end)
        if match is not None:
            total = number
            parts_start = match.end()
            break
    among = _AMONG.search(text) if "在" in text else None
    if among is not None and (total is None or among.start() < total.start):
        candidates = [n for n in numbers if n.start == among.start("n")]
        if candidates:
            total = candidates[0]
            parts_start = among.end()
    if total is None:
        return []
    depths, in_breakdown = _depths(text)
    base = depths[parts_start - 1] if parts_start > 0 else 0
    parts: list[tuple[Number, str]] = []
    previous = parts_start
    for number in numbers:
        if number.start < parts_start or not number.is_count:
            continue
        if depths[number.start] < base:
            break
        if depths[number.start] > base and not in_breakdown[number.start]:
            continue
        at_clause_end = number.end >= len(text) or text[number.end] in _LINE_END
        if number.unit != total.unit and not (number.unit is None and at_clause_end):
            continue
        label = _label(text[max(previous, number.start - _LABEL_MAX) : number.start])
        previous = number.end
        if not label:
            continue
        parts.append((number, label))
    if parts and parts[0][0].value == total.value and len(parts) > 2:
        parts = parts[1:]
    if len(parts) < 2:
        return []
    group = next(groups)
    total_text = _YEAR_PREFIX.sub("", text[clauses.start(total.start) : total.end].strip())
    last = parts[-1][0]
    partial = bool(_SOME.match(text, parts_start) or _AND_OTHERS.match(text, last.end))
    claims = [
        Claim(
            kind=ClaimKind.CATEGORY_TOTAL,
            value=total.value,
            unit="条",
            phrase=f"「{total_text}」",
            sentence=sentence.excerpt,
            section=section,
            label=total_text,
            group=group,
            partial=partial,
        )
    ]
    for number, label in parts:
        claims.append(
            Claim(
                kind=ClaimKind.CATEGORY,
                value=number.value,
                unit="条",
                phrase=f"「{label}」{show(number.value)} 条",
                sentence=sentence.excerpt,
                section=section,
                label=label,
                group=group,
            )
        )
    return claims


def _label(text: str) -> str:
    text = text.strip()
    # Cut at the last clause mark: the label is the words right before the number.
    for index in range(len(text) - 1, -1, -1):
        if text[index] in CLAUSE_MARKS:
            text = text[index + 1 :]
            break
    text = _LABEL_TRIM.sub("", text)
    return _without_tail(text).strip()


def _without_tail(text: str) -> str:
    """``text`` without the quotes, spaces and one closing word (共, 合计, 数, 为 …) at its end.

    By string methods: a pattern of a class, an optional word and the class again, searched,
    tried every split of an inner run of spaces from each of its characters (quadratic)."""

    def trimmed(part: str) -> str:
        while True:
            shorter = part.rstrip().rstrip(_QUOTES)
            if shorter == part:
                return part
            part = shorter

    text = trimmed(text)
    for word in _LABEL_TAIL_WORDS:
        if text.endswith(word):
            return trimmed(text[: -len(word)])
    return text
