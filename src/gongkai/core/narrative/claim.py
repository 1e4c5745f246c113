"""A claim: one number the prose states, what part of the tables it names, and where."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from gongkai.core.formats import COL_TOTAL


class ClaimKind(enum.StrEnum):
    CELL = "cell"  # a quantity of a table: the sum of the cells its target names
    CATEGORY_TOTAL = "category_total"  # a stated total of information items, with a breakdown
    CATEGORY = "category"  # one line of that breakdown (机构职能类信息 211 条)
    FEE_COLLECTED = "fee_collected"  # 信息处理费 actually collected, in yuan
    FEE_NOTICES = "fee_notices"  # number of fee notices (收费通知) sent


@dataclass(frozen=True, slots=True)
class Target:
    """Cells of one table whose sum the claim states.

    ``rows`` may name a header row (``unavailable`` for （四）无法提供), which stands for the
    sum of its member rows; several rows are summed (予以公开及部分公开). ``columns`` are
    column codes of :mod:`gongkai.core.formats`; several are summed (法人或其他组织).
    """

    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...] = (COL_TOTAL,)


@dataclass(frozen=True, slots=True)
class Claim:
    """One number the prose states, what it is about, and where it was said."""

    kind: ClaimKind
    value: int | Decimal
    unit: str
    # How the claim reads in a message: 「无法提供」16 件, 行政复议 7 件「均获维持」.
    phrase: str
    # The sentence the number came from, as written (the finding's excerpt).
    sentence: str
    section: str
    target: Target | None = None
    # A second reading common in practice (收到 N 件 meaning 一+二, new plus carried over): a
    # match on it is worth a warning, not an error.
    alternative: Target | None = None
    # False when the wording maps to the cell only loosely (发布规范性文件 N 件 may or may not
    # be 制发; 没有…行政复议 is read from a negation): a mismatch is then a warning.
    firm: bool = True
    # The words naming a breakdown line (CATEGORY), or quoting the total (CATEGORY_TOTAL).
    label: str = ""
    # Links a CATEGORY_TOTAL to its CATEGORY lines; unique within one extraction.
    group: int | None = None
    # A CATEGORY_TOTAL whose list says it names only some categories (「其中主要有…」
    # 「……等」): its lines may add up to less than it, not to more.
    partial: bool = False
    # Said by an office acting for the unit (「区政府办代表区政府受理…」): the count may be only
    # that office's share, so a difference from the table cannot be called a contradiction.
    on_behalf: str = ""
    # A year written before the number in its sentence (「2022年收到申请58件」): the count may
    # be that year's, so it is compared only in the report on that year.
    year: int | None = None


def show(value: int | Decimal) -> str:
    return f"{value:,}" if isinstance(value, int) and value >= 10_000 else str(value)
