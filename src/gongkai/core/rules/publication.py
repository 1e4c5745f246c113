"""The format version a report uses, and whether it was published by the statutory deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.formats import FormatError, format_for_year
from gongkai.core.model import ReportKind
from gongkai.core.rules.engine import DOCUMENTS, Context, Issue, rule


@rule(
    "format.year_mismatch",
    "报告年度应使用当年适用的年度报告格式（2019、2020 年度用试行格式，2021 年度起用新格式）",
    Severity.ERROR,
    Category.FORMAT,
    DOCUMENTS,
)
def format_year_mismatch(ctx: Context) -> Iterator[Issue]:
    year = ctx.report.meta.year
    try:
        expected = format_for_year(year)
    except FormatError as exc:
        yield Issue(str(exc))
        return
    if expected.version != ctx.fmt.version:
        yield Issue(
            f"{year} 年度报告应使用《{expected.name}》（{expected.document}），"
            f"但本报告采用的是《{ctx.fmt.name}》（{ctx.fmt.document}）"
        )


_DEADLINE_LABELS: Final = {
    law.ReportDeadlineKind.DEPARTMENT: "政府部门报告",
    law.ReportDeadlineKind.GOVERNMENT: "政府报告",
}


@rule(
    "publication.deadline",
    f"年度报告应在{law.ANNUAL_REPORT_ARTICLE}规定的期限内公布（"
    + "，".join(
        f"{_DEADLINE_LABELS[kind][:-2]} {day.month} 月 {day.day} 日"
        for kind, day in law.ANNUAL_REPORT_DEADLINE.items()
    )
    + "）",
    Severity.ERROR,
    Category.PUBLICATION,
    law.ANNUAL_REPORT_ARTICLE,
)
def publication_deadline(ctx: Context) -> Iterator[Issue]:
    meta = ctx.report.meta
    year_end = dt.date(meta.year, 12, 31)
    department = law.ANNUAL_REPORT_DEADLINE[law.ReportDeadlineKind.DEPARTMENT].in_year(
        meta.year + 1
    )
    government = law.ANNUAL_REPORT_DEADLINE[law.ReportDeadlineKind.GOVERNMENT].in_year(
        meta.year + 1
    )
    if meta.kind is ReportKind.TOWNSHIP:
        local = ctx.publication.township_deadline
        if local is None:
            yield from _township_without_deadline(ctx)
            return
        deadline = local.in_year(meta.year + 1)
        source = ctx.publication.township_deadline_source or "本地规定"
        whose = f"乡镇（街道）报告适用{source}的期限，{law.ANNUAL_REPORT_ARTICLE}未规定"
    elif meta.kind is None:
        deadline, whose = government, "单位类别未填写，按最晚的政府报告期限"
    else:
        deadline_kind = meta.kind.deadline_kind
        deadline = law.ANNUAL_REPORT_DEADLINE[deadline_kind].in_year(meta.year + 1)
        whose = f"{meta.kind.label}适用{_DEADLINE_LABELS[deadline_kind]}的期限"
    published = meta.published
    if published is None:
        if ctx.today is not None and ctx.today > deadline:
            days = (ctx.today - deadline).days
            yield Issue(
                f"{meta.year} 年度报告尚未填写发布日期；应于 {deadline.isoformat()} 前公布"
                f"（{whose}），至今日（{ctx.today.isoformat()}）已超过 {days} 天",
                severity=Severity.WARNING,
            )
        else:
            yield Issue(
                f"{meta.year} 年度报告没有发布日期，无法核对是否在 {deadline.isoformat()} 前公布"
                f"（{whose}）",
                severity=Severity.INFO,
            )
        return
    if published <= year_end:
        yield Issue(
            f"发布日期 {published.isoformat()} 早于统计年度结束（{year_end.isoformat()}），"
            f"请核对报告年度 {meta.year} 和发布日期",
            severity=Severity.WARNING,
        )
    elif published > deadline:
        days = (published - deadline).days
        yield Issue(
            f"发布日期 {published.isoformat()} 晚于公布期限 {deadline.isoformat()}（{whose}），"
            f"逾期 {days} 天"
        )
    elif meta.kind is None and published > department:
        yield Issue(
            f"发布日期 {published.isoformat()} 晚于政府部门报告的公布期限 "
            f"{department.isoformat()}；单位类别未填写，若本报告为部门报告则已逾期 "
            f"{(published - department).days} 天",
            severity=Severity.INFO,
        )


def _township_without_deadline(ctx: Context) -> Iterator[Issue]:
    """Art 49 names county-level-and-above departments and governments only: a township report
    has no national deadline, so it cannot be late; only its date is checked for sense."""
    meta = ctx.report.meta
    published = meta.published
    if published is not None and published <= dt.date(meta.year, 12, 31):
        yield Issue(
            f"发布日期 {published.isoformat()} 早于统计年度结束（{meta.year}-12-31），"
            f"请核对报告年度 {meta.year} 和发布日期",
            severity=Severity.WARNING,
        )
        return
    yield Issue(
        f"乡镇（街道）年度报告：{law.ANNUAL_REPORT_ARTICLE}只规定了县级以上人民政府及其部门的"
        "公布期限，没有全国统一的乡镇报告公布期限，未按期限核对；本省（市、县）另有规定的，"
        "可在设置中配置",
        severity=Severity.INFO,
    )
