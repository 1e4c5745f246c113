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

_NUMBER: Final = r"(\d+(?:\.\d+)?)"
_FEE_MENTION: Final = re.compile(r"信息处理费|收费通知|处理费|收取[^。；\n]{0,8}费")
_NOTICE_COUNT: Final = (
    re.compile(r"收费通知书?(?:的)?(?:件数|数量)?\s*(?:为|共|合计|计)?\s*(\d+)\s*(?:件|份|次|个)"),
    re.compile(r"(\d+)\s*(?:件|份|次|个)\s*收费通知"),
)
_NOTICE_NONE: Final = re.compile(
    r"(?:未|没有|无|均未)(?:发出|出具|制发|送达|下发|发送)?(?:任何)?收费通知"
)
_COLLECTED: Final = re.compile(
    r"(?:收取|收缴|征收)了?(?:信息处理费|费用)?(?:共计|共|合计|总额|金额)?\s*(?:为)?\s*"
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
