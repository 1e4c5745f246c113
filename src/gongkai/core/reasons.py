"""The case-specific reasons a decision must record for the reply letter to state them.

The article a result rests on is general (:mod:`gongkai.core.results`); the law also wants the
facts of *this* case in the reply:

* 部分公开 ([R] Art 37): which part is withheld, on which ground (one of the 不予公开 rows, so
  its article — 第十四、十五、十六条, 第三十六条第（七）项 — comes from the same table), and why;
* 不予公开 ([R] Art 36 (三)): "告知申请人不予公开并说明理由" — why this information falls
  under the ground chosen;
* 无法提供 ([R] Art 36 (四), Art 38, Art 30): what was searched, or why nothing can be provided;
* 不予处理 ([R] Art 35, 36 (六), 39): why the request is not handled.

予以公开 and 其他处理 (results the workflow reaches: no supplement, fee unpaid, withdrawn)
need none. :data:`REQUIRED_REASONS` is the table, by result group; the decision form asks for
exactly these fields, and a reply letter missing one is refused naming it. Pure Python.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from gongkai.core.formats import (
    FORMATS,
    LATEST_FORMAT,
    T3_NOT_PROCESSED,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE,
    T3_WITHHELD,
)
from gongkai.core.results import result_rows


class ReasonField(enum.StrEnum):
    """The reason fields a decision records (the ``Decided`` event's fields of the same name)."""

    FACTS = "facts"
    WITHHELD_PART = "withheld_part"
    WITHHELD_GROUND = "withheld_ground"


# Each reason's name on the form, in refusals, on the printed case file and on the portal, in
# the order a reply letter states them: what is withheld, on which ground, why.
REASON_NAMES: Final = {
    ReasonField.WITHHELD_PART: "不予公开的部分",
    ReasonField.WITHHELD_GROUND: "不予公开部分的情形",
    ReasonField.FACTS: "具体理由",
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """One reason a result needs, with the label the form and the refusal print."""

    field: ReasonField
    label: str


REQUIRED_REASONS: Final[dict[str, tuple[Requirement, ...]]] = {
    T3_PARTLY_DISCLOSED: (
        Requirement(ReasonField.WITHHELD_PART, "不予公开的部分（哪些内容不予公开）"),
        Requirement(ReasonField.WITHHELD_GROUND, "不予公开部分的情形（适用的条款）"),
        Requirement(ReasonField.FACTS, "不予公开部分的具体理由"),
    ),
    T3_WITHHELD: (Requirement(ReasonField.FACTS, "不予公开的具体理由"),),
    T3_UNAVAILABLE: (
        Requirement(ReasonField.FACTS, "检索情况或无法提供的具体理由（检索了哪些范围）"),
    ),
    T3_NOT_PROCESSED: (Requirement(ReasonField.FACTS, "不予处理的具体理由"),),
}


def _groups() -> dict[str, str]:
    groups: dict[str, str] = {}
    for fmt in FORMATS.values():
        for row, group in result_rows(fmt.table3):
            groups[row.code] = (group or row).code
    return groups


_GROUP_OF: Final = _groups()
# Every result-row code of every format (2019's single 其他处理 included).
RESULT_CODES: Final = frozenset(_GROUP_OF)

# The grounds a withheld part may rest on: the rows of the 不予公开 group, in table order.
WITHHELD_GROUNDS: Final = tuple(
    row.code
    for row, group in result_rows(LATEST_FORMAT.table3)
    if group and group.code == T3_WITHHELD
)


def group_of(result: str) -> str:
    """The code of ``result``'s group in table 三 (a stand-alone row is its own group).

    Raises ``KeyError`` for a code that is no result row of any format.
    """
    return _GROUP_OF[result]


def required_reasons(result: str) -> tuple[Requirement, ...]:
    """The reasons a decision with ``result`` must record (none for 予以公开, 其他处理)."""
    return REQUIRED_REASONS.get(group_of(result), ())


def missing_reasons(result: str, recorded: dict[ReasonField, str]) -> tuple[Requirement, ...]:
    """The requirements of ``result`` that ``recorded`` leaves blank, or names wrongly (a
    withheld ground that is no 不予公开 row)."""
    missing: list[Requirement] = []
    for need in required_reasons(result):
        value = recorded.get(need.field, "").strip()
        if not value or (
            need.field is ReasonField.WITHHELD_GROUND and value not in WITHHELD_GROUNDS
        ):
            missing.append(need)
    return tuple(missing)
