"""What section 六 says about fees: the one reader of the prose fee statement.

Read with a few small regular expressions, on purpose limited: they recognise
"收费通知 N 件/份" and "N 件收费通知", "未发出收费通知", "收取（信息处理费）N 元/万元" and
"未收取"; a figure written in Chinese numerals, or a sentence like "件数和金额分别为 2 件、
600 元", is not read, and the fee rules then say that the figure is missing rather than guess.

The fee rules (``fees.statement``, ``fees.coherence`` in :mod:`gongkai.core.rules.fees`) are
the only readers of this statement; the narrative checks do not compare fee figures again, so
one defect in section 六 is one finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from gongkai.core.narrative._numbers import normalise
from gongkai.core.narrative.sentences import split_sentences

_NUMBER: Final = r"(\d+(?:\.\d+)?)"
_FEE_MENTION: Final = re.compile(r"信息处理费|收费通知|处理费|收取[^。；\n]{0,8}费")
_NOTICE_COUNT: Final = (
    re.compile(
        r"收费通知书?(?:的)?(?:件数|数量)?\s*(?:(?:为|共|合计|计)\s*)?(\d+)\s*(?:件|份|次|个)"
    ),
    re.compile(r"(?<!\d)(\d+)\s*(?:件|份|次|个)\s*收费通知"),
)
_NOTICE_NONE: Final = re.compile(
    r"(?:未|没有|无|均未)(?:发出|出具|制发|送达|下发|发送)?(?:任何)?收费通知"
)
_COLLECTED: Final = re.compile(
    r"(?:收取|收缴|征收)了?(?:信息处理费|费用)?(?:共计|共|合计|总额|金额)?\s*(?:为\s*)?"
    + _NUMBER
    + r"\s*(万?元)"
)
_COLLECTED_NONE: Final = re.compile(r"(?:未|没有|无|不存在|均未|未曾)(?:实际)?(?:收取|收缴|征收)")


@dataclass(frozen=True, slots=True)
class FeeStatement:
    """What section 六 says about fees, as far as the small regexes can read it."""

    mentioned: bool
    notices: int | None  # fee notices issued; None = not stated
    collected_yuan: Decimal | None  # None = not stated


def read_fee_statement(text: str) -> FeeStatement:
    """Read the fee figures of section 六 (see the module docstring for what is not read)."""
    text = normalise(text)
    notices: int | None = None
    for pattern in _NOTICE_COUNT:
        match = pattern.search(text)
        if match:
            notices = int(match.group(1))
            break
    if notices is None and _NOTICE_NONE.search(text):
        notices = 0
    collected: Decimal | None = None
    match = _COLLECTED.search(text)
    if match:
        try:
            collected = Decimal(match.group(1)) * (10000 if match.group(2) == "万元" else 1)
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            collected = None
    elif _COLLECTED_NONE.search(text):
        collected = Decimal(0)
    return FeeStatement(bool(_FEE_MENTION.search(text)), notices, collected)


# -- 行政事业性收费 in the prose: the amount section 二 (八) states ------------------------
#
# Not the 信息处理费 above: 行政事业性收费 are the fees the office charges in its own work
# (licences, registrations), reported in section 二 in 万元; the 信息处理费 of disclosure have no
# cell of their own. Only a sentence naming 行政事业性收费 is compared with that cell.

_ADMIN_FEE_AMOUNT: Final = re.compile(
    r"行政事业性收费(?P<mid>[^。；;，,、\d%]{0,10}?)"
    r"(?P<cmp>约|近|逾|超过)?\s*(?P<n>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)(?![/每])"
)
_ADMIN_FEE_NONE: Final = re.compile(
    r"(?:未|没有|无|不存在|均未)(?:收取|征收|收缴|产生|发生|涉及)?(?:过)?(?:任何)?"
    r"行政事业性收费(?!项目|标准|目录|清单|政策)"
    r"|行政事业性收费(?:收入|金额)?(?:为|是)\s*(?:0|零)(?!\s*[\d.万元])"
)
# Amounts that are not what was charged this year: waived, refunded, standards, items.
_NOT_CHARGED: Final = re.compile(
    r"减|免|降|退|清理|取消|停征|缓|返还|节约|让利|标准|项目|目录|清单|每"
)
_CLAUSE_BEFORE: Final = re.compile(r"[^。；;，,]{0,12}$")
# The section 二 table as the parser kept it in the prose: not prose.
_TABLE_TEXT: Final = re.compile(r"第二十条第|信息内容|单位：万元")
_YUAN_PER: Final = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
# 「未收取任何费用」 without naming the fee: a reader may take it for every fee.
_NO_FEES_AT_ALL: Final = re.compile(
    r"(?:未|没有|无|不|均未|从未)(?:收取|收缴|征收|产生)(?:过)?(?:任何)?(?:费用|收费)"
)


@dataclass(frozen=True, slots=True)
class AdminFeeMention:
    """A sentence stating this year's 行政事业性收费 (an amount, or that there was none)."""

    section: str
    excerpt: str  # the sentence as written
    words: str  # the words that state it
    yuan: Decimal  # 0 for "none"
    unit: Decimal  # one unit of the last written digit, in yuan (0 for "none")
    approximate: bool


def _sentences(text: str) -> list[tuple[str, str]]:
    return [(s.text, s.excerpt) for s in split_sentences(normalise(text), text)]


def read_admin_fees(narrative: dict[str, str]) -> list[AdminFeeMention]:
    """Every sentence of the prose that states the year's 行政事业性收费, in order."""
    mentions: list[AdminFeeMention] = []
    for section, original in narrative.items():
        if "行政事业性收费" not in original:
            continue
        for text, excerpt in _sentences(original):
            if "行政事业性收费" not in text or _TABLE_TEXT.search(text):
                continue
            mentions.extend(_mentions(section, text, excerpt))
    return mentions


def _mentions(section: str, text: str, excerpt: str) -> list[AdminFeeMention]:
    found: list[AdminFeeMention] = []
    for match in _ADMIN_FEE_AMOUNT.finditer(text):
        before = _CLAUSE_BEFORE.search(text, 0, match.start())
        if _NOT_CHARGED.search(match.group("mid")) or (
            before and _NOT_CHARGED.search(before.group())
        ):
            continue
        written = match.group("n").replace(",", "")
        per = _YUAN_PER[match.group("unit")]
        decimals = len(written.partition(".")[2])
        found.append(
            AdminFeeMention(
                section,
                excerpt,
                match.group(0),
                Decimal(written) * per,
                Decimal(1).scaleb(-decimals) * per,
                match.group("cmp") is not None,
            )
        )
    if not found:
        for match in _ADMIN_FEE_NONE.finditer(text):
            found.append(
                AdminFeeMention(section, excerpt, match.group(0), Decimal(0), Decimal(0), False)
            )
            break
    return found


def no_fees_at_all(text: str) -> tuple[str, str] | None:
    """A sentence of section 六 saying no fee at all was charged, without naming the fee.

    Returns (the words, the sentence as written), or None.
    """
    if "费" not in text:
        return None
    for sentence, excerpt in _sentences(text):
        match = _NO_FEES_AT_ALL.search(sentence)
        if match and "信息处理费" not in sentence and "行政事业性收费" not in sentence:
            return match.group(0), excerpt
    return None


def info_fee_mentions(narrative: dict[str, str], *, skip: str) -> list[tuple[str, str, Decimal]]:
    """(section, sentence as written, yuan) of every sentence outside ``skip`` (section 六)
    that names 信息处理费 and says how much was collected (0 for none)."""
    found: list[tuple[str, str, Decimal]] = []
    for section, original in narrative.items():
        if section == skip or "信息处理费" not in original:
            continue
        for text, excerpt in _sentences(original):
            if "信息处理费" not in text:
                continue
            collected = read_fee_statement(text).collected_yuan
            if collected is not None:
                found.append((section, excerpt, collected))
    return found
