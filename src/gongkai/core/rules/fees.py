"""Fees: table 三 (六)2 逾期未缴费 against what section 六 says about fees.

Only in formats whose table 三 has (六)2 (2021 on; the fee measures date from late 2020).
Section 六 is read by :func:`gongkai.core.narrative.fees.read_fee_statement`, once per report;
these two rules are the only findings about it.
"""

from __future__ import annotations

from collections.abc import Iterator

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.formats import COL_TOTAL, SECTION_OTHER, T3, T3_FEE_UNPAID
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
    if unpaid is None:
        yield Issue(
            f"表三「{row}」「总计」空白，无法与第六部分的收费通知件数核对",
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
        yield Issue(
            f"表三「{row}」总计 {unpaid} 件，但第六部分写明发出收费通知 "
            f"{statement.notices} 件，逾期未缴费的件数不能多于收费通知的件数",
            (cell,),
        )
    collected = statement.collected_yuan
    if collected is not None and collected > 0:
        if statement.notices == 0:
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
