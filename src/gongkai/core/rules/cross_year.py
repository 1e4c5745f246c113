"""Cross-year rules: they need last year's report of the same unit.

Last year's report is the same unit's (by :func:`~gongkai.core.model.unit_key`, the key the
batch pairs reports by) for the year before; any other report given as "previous" is refused
by ``cross_year.previous`` and the other rules do not run on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from gongkai.core.findings import Category, Severity
from gongkai.core.formats import (
    S2_IN_FORCE,
    S2_ISSUED,
    S2_ITEMS_LAST_YEAR,
    S2_NORMATIVE,
    S2_REPEALED,
    T3,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    ValueKind,
)
from gongkai.core.names import Cell, number, signed, table_names_in_messages
from gongkai.core.rules.engine import Context, Issue, rule, versions_where
from gongkai.core.rules.messages import unchecked_issue

_CROSS_YEAR_NOTE: Final = "（评估惯例，格式文件未明文规定）"


@rule(
    "cross_year.previous",
    "用于跨年度核对的报告应是同一单位上一年度的报告",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "跨年度核对的前提" + _CROSS_YEAR_NOTE,
    needs_previous=True,
)
def cross_year_previous(ctx: Context) -> Iterator[Issue]:
    given = ctx.previous_given
    if given is None or ctx.previous is not None:
        return
    meta = ctx.report.meta
    yield Issue(
        f"提供的上一年度报告是「{given.meta.unit}」{given.meta.year} 年度，"
        f"不是「{meta.unit}」{meta.year - 1} 年度，跨年度规则未执行"
    )


@rule(
    "cross_year.carry_in",
    "表三每一列：本年「二、上年结转」等于上年报告的「四、结转下年度继续办理」",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "表三「二、上年结转政府信息公开申请数量」与上年「四、结转下年度继续办理」" + _CROSS_YEAR_NOTE,
    needs_previous=True,
)
def cross_year_carry_in(ctx: Context) -> Iterator[Issue]:
    previous = ctx.previous
    if previous is None:
        return
    this = ctx.tables[T3][T3_CARRIED_IN]
    last = previous.tables[T3][T3_CARRIED_OUT]
    unchecked: list[str] = []
    blanks: list[Cell] = []
    for column in ctx.fmt.table3.columns:
        c = column.code
        now, before = this.get(c), last.get(c)
        if now is None or before is None:
            unchecked.append(f"「{column.label}」列")
            if now is None:
                blanks.append((T3, T3_CARRIED_IN, c))
            continue
        if now != before:
            yield Issue(
                f"「{column.label}」列：本年「上年结转」为 {now}，但 {previous.meta.year} 年度报告"
                f"「结转下年度继续办理」为 {before}",
                ((T3, T3_CARRIED_IN, c),),
            )
    if unchecked:
        what = f"上年结转是否等于 {previous.meta.year} 年度报告的结转下年度（上年报告空白不列出）"
        yield unchecked_issue(what, unchecked, blanks, ctx.fmt.version, ctx.unread)


@rule(
    "cross_year.in_force",
    "第二部分第二十条第（一）项：现行有效件数 ≈ 上年现行有效件数 + 本年制发件数 − 本年废止件数",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "第二部分第二十条第（一）项" + _CROSS_YEAR_NOTE,
    versions=versions_where(lambda fmt: fmt.has_in_force_column),
    needs_previous=True,
)
def cross_year_in_force(ctx: Context) -> Iterator[Issue]:
    """Only between two reports in a format with 现行有效件数 (2021 on); amendments and
    clean-ups break it legitimately, hence a warning."""
    previous = ctx.previous
    if previous is None or previous.meta.format_version != ctx.fmt.version:
        return
    table = ctx.fmt.table(S2_NORMATIVE)
    this, last = ctx.tables[S2_NORMATIVE], previous.tables[S2_NORMATIVE]
    labels = {c: table.column(c).label for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)}
    unchecked: list[str] = []
    blanks: list[Cell] = []
    for row in table.cell_rows:
        issued, repealed, in_force = (
            this[row.code][c] for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)
        )
        before = last[row.code][S2_IN_FORCE]
        if issued is None or repealed is None or in_force is None or before is None:
            unchecked.append(f"「{row.label}」")
            blanks.extend(
                (S2_NORMATIVE, row.code, c)
                for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)
                if this[row.code][c] is None
            )
            continue
        expected = before + issued - repealed
        if expected != in_force:
            yield Issue(
                f"「{row.label}」：{previous.meta.year} 年度{labels[S2_IN_FORCE]} {before} + "
                f"{labels[S2_ISSUED]} {issued} − {labels[S2_REPEALED]} {repealed} = {expected}，"
                f"但本年{labels[S2_IN_FORCE]}为 {in_force}",
                tuple((S2_NORMATIVE, row.code, c) for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)),
            )
    if unchecked:
        yield unchecked_issue("现行有效件数的增减", unchecked, blanks, ctx.fmt.version)


@rule(
    "s2.items_change_2019",
    "试行格式第二部分：本年「上一年项目数量」等于上年报告的「上一年项目数量」加「本年增/减」",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "国办公开办函〔2019〕60号 第二部分（上一年项目数量、本年增/减）" + _CROSS_YEAR_NOTE,
    versions=versions_where(lambda fmt: fmt.has_item_changes),
    needs_previous=True,
)
def s2_items_change_2019(ctx: Context) -> Iterator[Issue]:
    """Last year's count plus last year's 本年增/减 is the count this year's table starts from."""
    previous = ctx.previous
    if previous is None or previous.meta.format_version != ctx.fmt.version:
        return
    version = ctx.fmt.version
    unchecked: list[str] = []
    blanks: list[Cell] = []
    for table in ctx.fmt.section2:
        change = next((c for c in table.columns if c.kind is ValueKind.SIGNED), None)
        if change is None:
            continue
        base = table.column(S2_ITEMS_LAST_YEAR)
        this, last = ctx.tables[table.code], previous.tables[table.code]
        for row in table.cell_rows:
            now = this[row.code][base.code]
            before, delta = last[row.code][base.code], last[row.code][change.code]
            name = f"{table_names_in_messages(version)[table.code]}「{row.label}」"
            if now is None or before is None or delta is None:
                unchecked.append(name)
                if now is None:
                    blanks.append((table.code, row.code, base.code))
                continue
            if before + delta != now:
                yield Issue(
                    f"{name}：{previous.meta.year} 年度{base.label} {before} + {change.label} "
                    f"{signed(delta)} = {number(before + delta)}，但本年{base.label}为 {now}",
                    ((table.code, row.code, base.code),),
                )
    if unchecked:
        yield unchecked_issue("上一年项目数量与上年报告的衔接", unchecked, blanks, version)
