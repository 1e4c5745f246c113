"""Fees: table 三 (六)2 逾期未缴费 against what section 六 says about fees.

Across the year end: a case carried over from last year may have had its fee notice in
December and run out unpaid (or paid) in January, so this year's 逾期未缴费 row or fees
collected may exceed this year's notices by at most the cases carried over (表三「二、上年
结转政府信息公开申请数量」); within that margin it is an info finding, not a contradiction.

Only in formats whose table 三 has (六)2 (2021 on; the fee measures date from late 2020).
Section 六 is read by :func:`gongkai.core.narrative.fees.read_fee_statement`, once per report;
these two rules are the only findings about it.
"""

from __future__ import annotations

from collections.abc import Iterator

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.formats import COL_TOTAL, SECTION_OTHER, T3, T3_CARRIED_IN, T3_FEE_UNPAID
from gongkai.core.model import AnnualReport
from gongkai.core.names import number, row_name
from gongkai.core.rules.engine import Context, Issue, rule, versions_where


def _has_narrative(report: AnnualReport) -> bool:
    return any(text.strip() for text in report.narrative.values())


@rule(
    "fees.statement",
    "第六部分应说明信息处理费情况（发出收费通知的件数、金额和实际收取的金额）",
    Severity.WARNING,
    Category.NARRATIVE,
    law.FEE_ARTICLE,
    versions=versions_where(lambda fmt: fmt.has_fee_unpaid_row),
)
def fees_statement(ctx: Context) -> Iterator[Issue]:
    report = ctx.report
    if not _has_narrative(report):
        yield Issue("报告没有正文，未核对第六部分的信息处理费说明", severity=Severity.INFO)
        return
    text = report.narrative.get(SECTION_OTHER, "")
    section = next(s for s in ctx.fmt.sections if s.code == SECTION_OTHER)
    if not text.strip():
        yield Issue(
            f"第{section.number}部分「{section.heading}」为空，没有说明信息处理费的收取情况"
        )
    elif not ctx.fee_statement().mentioned:
        yield Issue(
            f"第{section.number}部分「{section.heading}」没有提到信息处理费，应说明发出收费通知的"
            "件数和金额以及实际收取的金额（未收取的也应写明）"
        )


@rule(
    "fees.coherence",
    "表三「（六）其他处理 2.逾期未缴费」与第六部分的收费通知件数、收费金额应一致",
    Severity.WARNING,
    Category.NARRATIVE,
    law.FEE_ARTICLE,
    versions=versions_where(lambda fmt: fmt.has_fee_unpaid_row),
)
def fees_coherence(ctx: Context) -> Iterator[Issue]:
    report = ctx.report
    if not _has_narrative(report):
        return  # fees.statement already says the report has no text to check
    statement = ctx.fee_statement()
    row = row_name(ctx.fmt.version, T3, T3_FEE_UNPAID)
    cell = (T3, T3_FEE_UNPAID, COL_TOTAL)
    unpaid = ctx.tables[T3][T3_FEE_UNPAID][COL_TOTAL]
    carried_cell = (T3, T3_CARRIED_IN, COL_TOTAL)
    carried = ctx.tables[T3][T3_CARRIED_IN][COL_TOTAL] or 0  # 上年结转: cases open since last year
    if unpaid is None:
        yield Issue(
            f"表三「{row}」「总计」{'未读出' if cell in ctx.unread else '空白'}，"
            "无法与第六部分的收费通知件数核对",
            (cell,),
            Severity.INFO,
        )
    elif unpaid > 0 and statement.notices is None:
        yield Issue(
            f"表三「{row}」总计 {unpaid} 件（申请人逾期未缴费），但第六部分没有写明"
            "发出收费通知的件数",
            (cell,),
        )
    elif unpaid > 0 and statement.notices is not None and statement.notices < unpaid:
        excess = unpaid - statement.notices
        if excess <= carried:
            # A notice sent in December of the year before, for a case carried over, runs out
            # unpaid in January: counted in this year's row, not in this year's notices.
            yield Issue(
                f"表三「{row}」总计 {unpaid} 件，多于第六部分写明的本年发出收费通知 "
                f"{statement.notices} 件；差额 {excess} 件不超过上年结转的 {carried} 件申请，"
                "可能是上年年底发出收费通知、本年缴费期满未缴费的，不视为矛盾，请核对",
                (cell, carried_cell),
                Severity.INFO,
            )
        else:
            yield Issue(
                f"表三「{row}」总计 {unpaid} 件，但第六部分写明发出收费通知 "
                f"{statement.notices} 件，逾期未缴费的件数不能多于收费通知的件数"
                + (f"（上年结转的 {carried} 件至多解释其中 {carried} 件）" if carried else ""),
                (cell,),
            )
    collected = statement.collected_yuan
    if collected is not None and collected > 0:
        if statement.notices == 0 and carried > 0:
            yield Issue(
                f"第六部分写明收取信息处理费 {number(collected)} 元，又写明本年没有发出收费通知；"
                f"本年有上年结转的申请 {carried} 件，可能是上年年底发出的收费通知在本年缴费，"
                "不视为矛盾，请核对",
                severity=Severity.INFO,
            )
        elif statement.notices == 0:
            yield Issue(
                f"第六部分写明收取信息处理费 {number(collected)} 元，却又写明没有发出收费通知"
                "（收费必须先发出收费通知）"
            )
        elif statement.notices is None:
            yield Issue(
                f"第六部分写明收取信息处理费 {number(collected)} 元，但没有写明发出收费通知的"
                "件数，无法核对",
                severity=Severity.INFO,
            )
