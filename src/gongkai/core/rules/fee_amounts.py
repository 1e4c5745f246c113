"""行政事业性收费 in the prose against section 二's 本年收费金额 (2021 format on).

``fees.admin_amount`` — 「全年收取行政事业性收费22.6万元」 against the cell 22.5981 万元: the
prose and the table must give the same amount within the precision either of them is written
to (a unit of the last digit of the coarser one, so 22.6 万元, 225,981 元 and 23 万元 all agree
with 22.5981; 「约」 doubles it), converted between 元, 万元 and 亿元. 「未收取行政事业性收费」 with
a nonzero cell, or an amount with a cell of 0, is the same contradiction. A prose amount equal
to the cell's digits but written in 元 is the cell's unit in doubt, which ``s2.fee_unit``
reports; it is not said twice here.

Section 六 saying 「未收取任何费用」 without naming the fee, while the cell is nonzero, is an
info finding: section 六's statement concerns 信息处理费 (a different fee, with no cell of its
own), but read alone it also denies the 行政事业性收费 the table states.

What is not read (nothing is said): amounts waived, refunded or cut (减免、退还、降低), fee
standards (元/次), fee items, and 信息处理费 (``fees.statement`` and ``fees.coherence``).

``fees.stated_twice`` — the 信息处理费 stated outside section 六 (「全年收取信息处理费200元」 in
the overview) against section 六's own statement: none in one place and an amount in the other
is a contradiction within the prose.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity, quote
from gongkai.core.formats import S2_ADMIN_FEES, S2_ART20_8, S2_FEE_AMOUNT, SECTION_OTHER
from gongkai.core.names import cell_name, number
from gongkai.core.narrative.fees import info_fee_mentions, no_fees_at_all, read_admin_fees
from gongkai.core.rules.engine import Context, Issue, rule, versions_where

_CELL: Final = (S2_ART20_8, S2_ADMIN_FEES, S2_FEE_AMOUNT)
_WAN: Final = Decimal(10_000)


def _written_unit(value: Decimal) -> Decimal:
    """One unit of the cell's last printed digit, in yuan (22.5981 万元: 1 元)."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0) * _WAN


def _wan(yuan: Decimal) -> str:
    return number((yuan / _WAN).normalize()) if yuan else "0"


@rule(
    "fees.admin_amount",
    "正文所写的行政事业性收费金额应与第二部分「本年收费金额（单位：万元）」一致（按所写位数）",
    Severity.WARNING,
    Category.NARRATIVE,
    f"{law.ANNUAL_REPORT_ACCURACY_NOTICE}；第二部分第二十条第（八）项",
    versions=versions_where(
        lambda fmt: any(c.code == S2_FEE_AMOUNT for c in fmt.table(S2_ART20_8).columns)
    ),
)
def admin_fee_amount(ctx: Context) -> Iterator[Issue]:
    value = ctx.tables[S2_ART20_8][S2_ADMIN_FEES][S2_FEE_AMOUNT]
    if value is None or value < 0:
        return  # blank, or negative (cells.non_negative): nothing to compare with
    amount = Decimal(value)
    table_yuan = amount * _WAN
    name = cell_name(ctx.fmt.version, _CELL)
    for mention in read_admin_fees(ctx.report.narrative):
        if mention.unit == 0:  # 「未收取行政事业性收费」
            if table_yuan > 0:
                yield Issue(
                    f"正文「{quote(mention.excerpt)}」称{mention.words}，"
                    f"而{name}为 {number(amount)} 万元",
                    (_CELL,),
                )
            continue
        margin = max(mention.unit, _written_unit(amount)) * (2 if mention.approximate else 1)
        if abs(mention.yuan - table_yuan) <= margin:
            continue
        if mention.yuan == amount:
            continue  # the cell's digits written in 元: s2.fee_unit's question
        hint = ""
        if table_yuan and mention.yuan and mention.yuan == table_yuan * _WAN:
            hint = "；正文是表中数字的一万倍，可能把以元计的金额写成了万元"
        yield Issue(
            f"正文「{quote(mention.excerpt)}」称「{mention.words}」"
            f"（即 {_wan(mention.yuan)} 万元），"
            f"而{name}为 {number(amount)} 万元{hint}",
            (_CELL,),
        )
    if table_yuan > 0:
        said = no_fees_at_all(ctx.report.narrative.get(SECTION_OTHER, ""))
        if said is not None:
            words, excerpt = said
            yield Issue(
                f"第六部分「{quote(excerpt)}」称{words}，而{name}为 {number(amount)} 万元；"
                "如所指仅为政府信息公开信息处理费，宜写明「未收取信息处理费」",
                (_CELL,),
                Severity.INFO,
            )


@rule(
    "fees.stated_twice",
    "正文其他部分所写的信息处理费收取情况应与第六部分一致（不能一处称未收取、一处写有金额）",
    Severity.WARNING,
    Category.NARRATIVE,
    law.FEE_ARTICLE,
    versions=versions_where(lambda fmt: fmt.has_fee_unpaid_row),
)
def fee_stated_twice(ctx: Context) -> Iterator[Issue]:
    """Section 六 is where the fee is stated; an overview that says otherwise contradicts it.

    Only none against some is told: the same amount may be written in 元 in one place and
    rounded to 万元 in the other, and the statement's reader does not keep the precision.
    """
    six = ctx.fee_statement().collected_yuan
    if six is None:
        return  # section 六 states no amount: fees.statement says so
    section = next(s for s in ctx.fmt.sections if s.code == SECTION_OTHER)
    for code, excerpt, yuan in info_fee_mentions(ctx.report.narrative, skip=SECTION_OTHER):
        if (yuan == 0) == (six == 0):
            continue
        where = next(s for s in ctx.fmt.sections if s.code == code)
        said = "未收取信息处理费" if six == 0 else f"收取信息处理费 {number(six.normalize())} 元"
        yield Issue(
            f"第{where.number}部分「{quote(excerpt)}」与第{section.number}部分（{said}）不一致"
            + ("" if yuan == 0 else f"：前者写明收取 {number(yuan.normalize())} 元")
        )
