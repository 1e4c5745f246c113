"""The prose checked against the tables, and against itself (LEGAL.md §2.7 rule 9; §6 item 5).

Rules (ids as they appear in findings):

``narrative.mismatch`` (error; warning when the wording maps to the cell only loosely)
    A number of the prose differs from the table cell it names, compared with the 总计 column
    (for a header row such as （四）无法提供, the sum of its member rows). Where the 总计 cell
    is blank, the sum of the applicant columns is used and the message says so (the 2019
    上海 report leaves 总计 blank on most result rows). A claim whose cells are all blank is
    not checked: there is nothing to compare with, and the blank is the table rules' finding.
``narrative.received_includes_carried_in`` (warning)
    ``收到申请 N 件`` where N is not 一、本年新收 but equals 一+二 (new plus carried over).
    Many units write the applications they *handled* this year as "received"; the number is
    then right but the word is wrong, so this is a warning with both readings, not an error.
``narrative.omitted_result`` (warning)
    When the prose lists results by category at all (two or more of 予以公开, 部分公开, 不予公开,
    无法提供, 不予处理, 其他处理), a category with a non-zero 总计 in table 三 that the prose
    never mentions. A report that states no breakdown is not asked for one.
``narrative.duplicate_category`` (error for the same name; warning for a near-identical name
    with the same count)
    A category line listed twice in one breakdown. Two names count as the same category when
    they are equal once 类/信息/政府 and spacing are ignored. A near-identical name with the
    same count — one name's characters contained in order in the other (国土城乡建设环保能源类
    in 国土资源城乡建设环保能源类), or a similarity of at least 0.85 — is reported as a probable
    duplicate: provinces name categories slightly differently, but no category list has two
    lines that differ by a word and carry the same number by chance often enough to stay silent.
``narrative.category_sum`` (warning)
    A stated total differs from the sum of its listed categories. A warning, not an error: a
    list after 其中 is not always meant to be exhaustive, and categories may overlap.

The fee figures of section 六 are not compared here: the rules ``fees.statement`` and
``fees.coherence`` (:mod:`gongkai.core.rules.fees`) read them once, with one reader
(:mod:`gongkai.core.narrative.fees`), so one defect is one finding.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

from gongkai.core.findings import Category, CellRef, Finding, Severity
from gongkai.core.formats import (
    COL_NATURAL_PERSON,
    COL_TOTAL,
    T3,
    T3_CARRIED_IN,
    T3_NOT_PROCESSED,
    T3_OTHER,
    T3_PARTLY_DISCLOSED,
    T3_RESULT_GROUPS,
    T3_UNAVAILABLE,
    T3_WITHHELD,
    T4,
    T4_CORRECTED,
    T4_PENDING,
    T4_UPHELD,
    ReportFormat,
    Row,
    Table,
)
from gongkai.core.model import AnnualReport, TableCells
from gongkai.core.names import describe_cells, numbered_row_name
from gongkai.core.narrative.claims import (
    Claim,
    ClaimKind,
    Target,
    extract_claims,
)

CITATION: Final = "《政府信息公开工作年度报告格式》；正文数字应与表格一致（LEGAL.md §2.7 第9条）"
SIMILAR_NAME_RATIO: Final = 0.85

_CATEGORY_NOISE: Final = re.compile(r"[\s类信息政府的、，,“”\"']")


def check_narrative(
    report: AnnualReport,
    *,
    unread: Mapping[tuple[str, str], str] | None = None,
    unread_cells: Mapping[tuple[str, str, str], str] | None = None,
) -> list[Finding]:
    """Every contradiction between the report's prose and its tables, or within its prose.

    ``unread`` names the rows the parser could not read (``(table, row)``, row ``"*"`` for a
    whole table) with the reason, and ``unread_cells`` the cells of rows read only in part
    (``(table, row, column)``: a row whose total was read but not its members). A prose
    figure whose cells include one of them is not compared: the part that was read would be
    compared with the whole the prose states, and a correct sentence would be called wrong.
    It gets one info finding saying why instead. A figure for a cell that was read (the
    total of such a row) is compared as usual.
    """
    claims = extract_claims(report.narrative, fmt=report.format)
    findings: list[Finding] = []
    cells = unread_cells or {}
    for claim in claims:
        if claim.year is not None and claim.year != report.meta.year:
            continue  # 「2022年收到申请58件」 in the report on 2023: another year's count
        if claim.kind is ClaimKind.CELL:
            missing = _unread_rows(report, claim.target, unread or {}, cells)
            finding = (
                _not_checked(report, claim, missing) if missing else _check_cell(report, claim)
            )
            if finding is not None and finding.rule == "narrative.mismatch":
                # The second reading (new plus carried over) would explain the figure, but
                # its rows were not read: the mismatch cannot be told from that reading.
                other = _unread_rows(report, claim.alternative, unread or {}, cells)
                finding = _not_checked(report, claim, other) if other else finding
            if finding is not None:
                findings.append(finding)
    findings.extend(_omitted_results(report, claims))
    findings.extend(_breakdowns(claims))
    return _unique(findings)


# -- claims against cells ------------------------------------------------------------------------


def target_value(report: AnnualReport, target: Target) -> tuple[int | Decimal | None, bool]:
    """The sum of the target's cells, and whether a blank 总计 had to be summed from its row.

    None when every cell involved is blank: such a claim cannot be checked.
    """
    table = report.format.table(target.table)
    cells = report.tables[target.table]
    total: int | Decimal = 0
    known = False
    fallback = False
    for row_code in target.rows:
        row = table.row(row_code)
        for column_code in target.columns:
            value, used_fallback = _cell_value(cells, table, row, column_code)
            fallback = fallback or used_fallback
            if value is not None:
                total += value
                known = True
    return (total if known else None), fallback


def _cell_value(
    cells: TableCells, table: Table, row: Row, column_code: str
) -> tuple[int | Decimal | None, bool]:
    """A cell's value, as :meth:`AnnualReport.group_sum` reads it (a header row: the sum of
    its members, None if any is blank), else what can be summed of its parts. Read from the
    table's cells and the row's declaration at hand, not looked up again by code: the prose
    check and the share rules ask a few dozen of these a report."""
    if row.has_cells:
        value = cells[row.code][column_code]
        if value is not None:
            return value, False
    else:
        values = [cells[member][column_code] for member in row.sum_of]
        if values and None not in values:
            return sum(values), False  # type: ignore[arg-type]
        parts = [_cell_value(cells, table, table.row(m), column_code) for m in row.sum_of]
        known = [v for v, _ in parts if v is not None]
        return (sum(known) if known else None), any(f for _, f in parts)
    column = table.column(column_code)
    if column.sum_of:
        values = [cells[row.code][c] for c in column.sum_of]
        known = [v for v in values if v is not None]
        if known:
            return sum(known), True
    return None, False


def describe_target(fmt: ReportFormat, target: Target) -> str:
    """A target as a reader finds it in the printed table: 表三（四）无法提供总计."""
    return describe_cells(fmt, target.table, target.rows, target.columns)


def _cells(report: AnnualReport, target: Target) -> tuple[CellRef, ...]:
    table = report.format.table(target.table)
    refs: list[CellRef] = []
    for row_code in target.rows:
        row = table.row(row_code)
        members = row.sum_of if not row.has_cells else (row.code,)
        refs.extend(
            CellRef(table=target.table, row=member, column=column)
            for member in members
            for column in target.columns
        )
    return tuple(refs)


def _unread_rows(
    report: AnnualReport,
    target: Target | None,
    unread: Mapping[tuple[str, str], str],
    unread_cells: Mapping[tuple[str, str, str], str],
) -> list[tuple[str, str]]:
    """The rows of the target's cells that were not read, with the reason for each."""
    if target is None or not (unread or unread_cells):
        return []
    try:
        table = report.format.table(target.table)
        rows = [table.row(code) for code in target.rows]
    except KeyError:
        return []
    out: list[tuple[str, str]] = []
    for row in rows:
        members = row.sum_of if not row.has_cells else (row.code,)
        for member in (row.code, *members):
            reason = unread.get((target.table, member)) or unread.get((target.table, "*"))
            for column in target.columns if reason is None and unread_cells else ():
                reason = unread_cells.get((target.table, member, column))
                if reason is not None:
                    break
            if reason is not None:
                label = table.row(member).label
                out.append((label, reason))
    return list(dict.fromkeys(out))


def _not_checked(report: AnnualReport, claim: Claim, missing: list[tuple[str, str]]) -> Finding:
    assert claim.target is not None
    described = describe_target(report.format, claim.target)
    why = "；".join(f"「{label}」{reason}" for label, reason in missing[:3])
    more = f"等 {len(missing)} 行" if len(missing) > 3 else ""
    return Finding(
        rule="narrative.unchecked",
        severity=Severity.INFO,
        category=Category.NARRATIVE,
        message=(
            f"正文称{claim.phrase}，未与{described}核对：表格中{why}{more}，"
            "只读出部分单元格时核对会把正确的数字误判为矛盾"
        ),
        citation=CITATION,
        cells=_cells(report, claim.target),
        excerpt=claim.sentence,
    )


def _check_cell(report: AnnualReport, claim: Claim) -> Finding | None:
    target = claim.target
    if target is None:
        return None
    fmt = report.format
    try:
        actual, fallback = target_value(report, target)
    except KeyError:
        # A row or column this format does not have (e.g. a 2021 column in a 2019 report).
        return None
    if actual is None or actual == claim.value:
        return None
    described = describe_target(fmt, target)
    blank = "（总计栏空白，按各申请人栏合计）" if fallback else ""
    unit = claim.unit
    if claim.alternative is not None:
        alternative, _ = target_value(report, claim.alternative)
        if alternative == claim.value:
            if STATES_CARRIED_IN.search(claim.sentence):
                return None  # 「受理申请73件（含上年结转3件）」 says what it counts
            carried, _ = target_value(report, Target(T3, (T3_CARRIED_IN,), target.columns))
            return Finding(
                rule="narrative.received_includes_carried_in",
                severity=Severity.WARNING,
                category=Category.NARRATIVE,
                message=(
                    f"正文称{claim.phrase}，{described}为 {actual} {unit}{blank}；"
                    f"{claim.value} {unit}等于一、本年新收与二、上年结转（{carried} {unit}）之和，"
                    f"正文把上年结转的申请也计为本年收到"
                ),
                citation=CITATION,
                cells=_cells(report, target) + _cells(report, claim.alternative),
                excerpt=claim.sentence,
            )
    if claim.on_behalf:
        return Finding(
            rule="narrative.unchecked",
            severity=Severity.INFO,
            category=Category.NARRATIVE,
            message=(
                f"正文称{claim.phrase}，{described}为 {actual} {unit}{blank}；这是"
                f"「{claim.on_behalf}」的数字，可能只是一个机构办理的部分，未作为矛盾核对"
            ),
            citation=CITATION,
            cells=_cells(report, target),
            excerpt=claim.sentence,
        )
    hint = _hint(report, claim, target)
    return Finding(
        rule="narrative.mismatch",
        severity=Severity.ERROR if claim.firm else Severity.WARNING,
        category=Category.NARRATIVE,
        message=f"正文称{claim.phrase}，{described}为 {actual} {unit}{blank}{hint}",
        citation=CITATION,
        cells=_cells(report, target),
        excerpt=claim.sentence,
    )


# 「受理申请73件（含上年结转3件）」: the sentence says its count includes the carried-over.
STATES_CARRIED_IN: Final = re.compile(
    r"(?:含|包含|包括|其中)(?:了)?(?:上一?年度?|去年|往年)?(?:度)?(?:结转|转入|遗留)"
)


def _hint(report: AnnualReport, claim: Claim, target: Target) -> str:
    """Where the prose's number does appear in the table, which usually explains the slip."""
    table = report.format.table(target.table)
    if target.table == T4 and target.columns == (T4_UPHELD,):
        pending, _ = target_value(report, Target(T4, target.rows, (T4_PENDING,)))
        corrected, _ = target_value(report, Target(T4, target.rows, (T4_CORRECTED,)))
        notes = []
        if corrected:
            notes.append(f"结果纠正 {corrected} 件")
        if pending:
            notes.append(f"尚未审结 {pending} 件")
        return f"（另有{'、'.join(notes)}）" if notes else ""
    if target.table != T3 or target.columns != (COL_TOTAL,):
        return ""
    for row_code in target.rows:
        row = table.row(row_code)
        for member in row.sum_of if not row.has_cells else ():
            value, _ = target_value(report, Target(T3, (member,), (COL_TOTAL,)))
            if value == claim.value:
                return f"；{claim.value} 件只是其中「{table.row(member).label}」一项"
        if len(target.rows) > 1 or row.has_cells:
            value, _ = target_value(report, Target(T3, (row_code,), (COL_NATURAL_PERSON,)))
            if value == claim.value:
                return f"；{claim.value} 件只是{numbered_row_name(row)}的自然人一栏"
    return ""


# -- a breakdown of results that leaves a category out ------------------------------------------


def _omitted_results(report: AnnualReport, claims: list[Claim]) -> list[Finding]:
    table = report.format.table3
    mentioned: set[str] = set()
    # Groups named each by a claim of its own: 「予以公开和部分公开共38件」 sums two, which
    # is not a list of the results by category.
    alone: set[str] = set()
    first: Claim | None = None
    listing: set[str] = set()  # the sentences that list results, as written
    counted: set[int | Decimal] = set()  # the counts those results were read with
    for claim in claims:
        if claim.kind is not ClaimKind.CELL or claim.target is None:
            continue
        if claim.target.table != T3:
            continue
        groups = {
            group
            for row_code in claim.target.rows
            if (group := _result_group(table, row_code)) is not None
        }
        if groups:
            mentioned |= groups
            first = first or claim
            listing.add(claim.sentence)
            counted.add(claim.value)
        if len(groups) == 1:
            alone |= groups
    if len(alone) < 2 or first is None:
        return []
    findings = []
    for group in T3_RESULT_GROUPS:
        if group in mentioned:
            continue
        value, _ = target_value(report, Target(T3, (group,)))
        if not value or _named_otherwise(group, value, listing, counted):
            continue
        row = table.row(group)
        listed = "、".join(table.row(g).name for g in T3_RESULT_GROUPS if g in mentioned)
        findings.append(
            Finding(
                rule="narrative.omitted_result",
                severity=Severity.WARNING,
                category=Category.NARRATIVE,
                message=(
                    f"表三{numbered_row_name(row)}总计为 {value} 件，正文列举办理结果（{listed}）"
                    f"时未提及「{row.name}」"
                ),
                citation=CITATION,
                cells=_cells(report, Target(T3, (group,))),
                excerpt=first.sentence,
            )
        )
    return findings


# A result named in older or looser words than the table's (「信息不存在15件」「其他8件」).
_OTHER_NAMES: Final[dict[str, re.Pattern[str]]] = {
    T3_PARTLY_DISCLOSED: re.compile(r"部分同意|部分予以公开"),
    T3_WITHHELD: re.compile(r"不同意公开|不公开"),
    T3_UNAVAILABLE: re.compile(r"不存在|不掌握|非本机关|没有现成|无法提供"),
    T3_NOT_PROCESSED: re.compile(r"信访|重复申请|出版物|大量反复|重新出具"),
    T3_OTHER: re.compile(r"其他|其它|撤回|视为放弃|补正"),
}


def _named_otherwise(
    group: str, value: int | Decimal, sentences: Iterable[str], counted: set[int | Decimal]
) -> bool:
    """Whether the sentences listing the results name this one after all: in other words
    (「信息不存在」 for 无法提供), or by its count (「…，其他8件」) when that count is not one
    read as another result's (「部分公开2件」 does not name a 无法提供 of 2)."""
    names = _OTHER_NAMES.get(group)
    if names is not None and any(names.search(text) for text in sentences):
        return True
    if value in counted:
        return False
    count = re.compile(rf"(?<![\d.,]){re.escape(str(value))}\s*件")
    return any(count.search(text) for text in sentences)


def _result_group(table: Table, row_code: str) -> str | None:
    if row_code in T3_RESULT_GROUPS:
        return row_code
    for group in T3_RESULT_GROUPS:
        if row_code in table.row(group).sum_of:
            return group
    return None


# -- breakdowns: sums and duplicated lines -------------------------------------------------------


def _breakdowns(claims: list[Claim]) -> list[Finding]:
    findings: list[Finding] = []
    totals = [c for c in claims if c.kind is ClaimKind.CATEGORY_TOTAL]
    for total in totals:
        parts = [c for c in claims if c.kind is ClaimKind.CATEGORY and c.group == total.group]
        findings.extend(_duplicates(parts))
        stated = sum(p.value for p in parts)
        if stated != total.value and not (total.partial and stated < total.value):
            gap = total.value - stated
            direction = f"少 {gap} 条" if gap > 0 else f"多 {-gap} 条"
            findings.append(
                Finding(
                    rule="narrative.category_sum",
                    severity=Severity.WARNING,
                    category=Category.NARRATIVE,
                    message=(
                        f"正文称{total.phrase}，所列 {len(parts)} 个分类合计为 {stated} 条，"
                        f"比总数{direction}"
                    ),
                    citation=CITATION,
                    excerpt=total.sentence,
                )
            )
    return findings


def _duplicates(parts: Iterable[Claim]) -> list[Finding]:
    findings: list[Finding] = []
    seen: list[tuple[Claim, str]] = []
    for part in parts:
        key = _category_key(part.label)
        for earlier, earlier_key in seen:
            if earlier_key == key:
                counts = (
                    f"两次均为 {part.value} 条"
                    if earlier.value == part.value
                    else f"分别为 {earlier.value} 条和 {part.value} 条"
                )
                findings.append(
                    Finding(
                        rule="narrative.duplicate_category",
                        severity=Severity.ERROR,
                        category=Category.NARRATIVE,
                        message=f"正文将分类「{earlier.label}」列出两次（{counts}）",
                        citation=CITATION,
                        excerpt=part.sentence,
                    )
                )
                break
            if earlier.value == part.value and _similar_keys(earlier_key, key):
                findings.append(
                    Finding(
                        rule="narrative.duplicate_category",
                        severity=Severity.WARNING,
                        category=Category.NARRATIVE,
                        message=(
                            f"正文将「{earlier.label}」{earlier.value} 条列出两次"
                            f"（第二次写作「{part.label}」{part.value} 条）"
                        ),
                        citation=CITATION,
                        excerpt=part.sentence,
                    )
                )
                break
        seen.append((part, key))
    return findings


def _category_key(label: str) -> str:
    return _CATEGORY_NOISE.sub("", label)


def _similar_keys(a: str, b: str) -> bool:
    """Whether two category keys (:func:`_category_key`) name near-identical categories."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and _is_subsequence(short, long):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME_RATIO


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(char in chars for char in short)


def _unique(findings: list[Finding]) -> list[Finding]:
    """The same contradiction stated twice in the prose is one finding."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for finding in findings:
        key = (finding.rule, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
