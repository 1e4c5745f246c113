"""The auditor: published reports in, findings out — one file or a hundred thousand.

``audit_file(path)`` reads one report in any published form, parses it, runs every
consistency rule and every narrative check, and returns an :class:`AuditResult`.
``audit_paths(paths)`` does the same for files, folders and zip archives in parallel on all
cores, pairs reports of the same unit across years for the cross-year rules and the
copy-paste check, and returns the results in input order whatever the order in which the
workers finished. Nothing in a batch can stop it: a file that cannot be read becomes an
unreadable result with the reason.

The unit of parallel work is the pure function :func:`audit_document`, so the same code runs
in a local process pool or, for the whole country's reports, mapped by a distributed engine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from gongkai.core.audit_result import COPY_RULE, AuditResult, from_report, unreadable
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import (
    WHOLE_ROW,
    Category,
    CellRef,
    Finding,
    Severity,
    cap_per_rule,
    sort_findings,
)
from gongkai.core.formats import ReportFormat
from gongkai.core.inputs import Document, iter_documents
from gongkai.core.model import AnnualReport, unit_key
from gongkai.core.names import (
    Cell,
    Number,
    describe_cells,
    number,
    row_names,
    table_names_in_messages,
)
from gongkai.core.narrative import check_narrative, copy_paste_check
from gongkai.core.narrative.sentences import forget_sentences
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.parse.result import UNREAD_CODES, ParseProblem, ParseResult
from gongkai.core.rules import check_report, prose_rules, rule_by_id

Progress = Callable[[AuditResult], None]

# How many documents may wait for a worker at once: enough to keep every core busy, few
# enough that a batch of 100,000 files never holds more than a handful of them in memory.
_PENDING_PER_WORKER: Final = 4

# Seconds one file may take in a batch. A real report takes well under a second (a long PDF a
# few); a file that takes a minute is hostile or broken, and must not hold the batch up.
FILE_TIME_LIMIT: Final = 60.0

# The reason written for a document whose process died while auditing it, here or on a
# cluster worker (:mod:`gongkai.core.audit_child`).
PROCESS_DIED: Final = "处理该文件的进程意外终止（可能内存不足或被系统结束），已跳过该文件"


def over_time(seconds: float) -> str:
    """The reason written for a document stopped at its time limit, wherever it was stopped."""
    return f"处理超时：超过每份文件的时间上限（{seconds:g} 秒），已停止读取该文件"


class _OverTime(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` guard eats it."""


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds``, by the alarm, in a main thread only.

    No signal reaches another thread, and the other way to interrupt one — an asynchronous
    exception sent from a timer thread — was tried and removed: it can land inside a
    Python-level locked section (threading's own, a tracer's, a server's) and leave the process
    hung, which it did under coverage and on a Dask worker. A Dask worker's task thread
    therefore audits in a child process of its own, in whose main thread this alarm rings
    (:mod:`gongkai.core.audit_child`); elsewhere the size caps bound the work instead.
    """
    if (
        seconds is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    with _alarm(seconds):
        yield


# Seconds between repeated alarms once the time is up (see :func:`_alarm`).
_ALARM_REPEAT: Final = 0.05


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`_OverTime` in this thread after ``seconds``, and again until it stops.

    One alarm is not enough: Python swallows an exception raised while it runs a finaliser
    (``__del__``, ``weakref.finalize``, which pypdfium2 uses for every page) or a ctypes
    callback, printing "Exception ignored", and a document whose single alarm landed there
    ran on to the end. So the alarm repeats every :data:`_ALARM_REPEAT` seconds until the
    block is left, and an alarm swallowed that way is not printed (it is expected, and the
    next one stops the document). Leaving is itself guarded: an alarm that lands while the
    timer is being stopped is caught and the stop is done again, so no alarm outlives the block.
    """
    armed = True

    def on_alarm(signum: int, frame: object) -> None:
        if armed:
            raise _OverTime

    def unraisable(event: Any) -> None:
        if not isinstance(event.exc_value, _OverTime):
            previous_hook(event)

    previous_hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, _ALARM_REPEAT)
    try:
        yield
    finally:
        while True:
            try:
                armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                sys.unraisablehook = previous_hook
                break
            except _OverTime:
                continue


def audit_document(
    doc: Document, *, today: dt.date | None = None, time_limit: float | None = None
) -> AuditResult:
    """Audit one document on its own (no other years): parse, rules, narrative checks.

    Never raises: whatever goes wrong is the document's unreadable result with the reason.
    """
    kind = doc.kind.value
    if doc.data is None:
        return unreadable(doc.name, kind, doc.error or "无法读取")
    try:
        with _time_limit(time_limit):
            return _audit_data(doc.name, kind, doc.data, today=today)
    except _OverTime:
        return unreadable(doc.name, kind, over_time(time_limit or 0))
    except RecursionError:
        return unreadable(doc.name, kind, "文件结构嵌套过深，无法读取")
    except MemoryError:
        return unreadable(doc.name, kind, "文件过大，读取时内存不足")
    except Exception as exc:  # the last guard of the batch: report, never crash
        return unreadable(
            doc.name, kind, f"审查时发生内部错误（{type(exc).__name__}），请将该文件报告给开发者"
        )


def _audit_data(name: str, kind: str, data: bytes, *, today: dt.date | None) -> AuditResult:
    try:
        parsed = parse_document(data, name=name)
    except GongkaiError as exc:
        return unreadable(name, kind, str(exc))
    if parsed.report is None:
        return unreadable(name, kind, parsed.reason or "未能识别出年度报告的表格")
    return audit_parsed(name, kind, parsed, today=today)


def audit_parsed(
    name: str, kind: str, parsed: ParseResult, *, today: dt.date | None = None
) -> AuditResult:
    report = parsed.report
    assert report is not None
    forget_sentences()  # the prose's sentences are cut once for this report's checks
    try:
        return _audit_report(name, kind, parsed, report, today=today)
    finally:
        forget_sentences()


def _audit_report(
    name: str, kind: str, parsed: ParseResult, report: AnnualReport, *, today: dt.date | None
) -> AuditResult:
    # A row left blank because the source was empty is what cells.blank reports, in one
    # finding per table; a row left blank because it could not be read (ambiguous, missing)
    # is the parser's finding, and cells.blank must not also say "没有数据应填 0" about it.
    problems = [p for p in parsed.problems if p.code != "empty_row"]
    # A row of which only the total was read: its members are unread, cell by cell, and
    # nothing may call them blank or compare them; its total is read and is checked.
    unplaced = _unplaced_cells(report, problems)
    findings = _problem_findings(problems, report.format)
    findings += check_report(
        report, today=today, headings=parsed.headings, unread=_not_read(report, problems)
    )
    findings += check_narrative(
        report, unread=_unread_reasons(report, problems), unread_cells=unplaced
    )
    return from_report(
        name, kind, report, cap_per_rule(sort_findings(findings), prose=prose_rules())
    )


# Why a row was not read, as the prose check says it (from the parser's problem codes).
_UNREAD_REASONS: Final = {
    "missing_row": "未找到",
    "missing_table": "所在的表未找到",
    "ambiguous_row": "的数字有多种拆分",
    "unreadable_row": "的数字无法拆分",
    "search_capped": "的数字拆分过多",
    "too_many_cells": "的单元格多于格式",
    "collapsed_group": "只印了合计行、没有分列各项",
}


# Why a cell of a row read in part was not read (problem codes of such rows).
_UNPLACED_REASONS: Final = {
    "total_only": "只读出总计（该行只印出部分数字，各项留空的位置无法确定）",
}


if set(_UNREAD_REASONS) | set(_UNPLACED_REASONS) != UNREAD_CODES:
    raise RuntimeError(
        "每个表示单元格未读出的解析问题都要说明原因："
        f"{sorted(UNREAD_CODES ^ (set(_UNREAD_REASONS) | set(_UNPLACED_REASONS)))}"
    )


def _unplaced_cells(
    report: AnnualReport, problems: Iterable[ParseProblem]
) -> dict[tuple[str, str, str], str]:
    """The cells of rows read in part that were not read, with the reason for each: the
    blank cells of a row whose problem says only its total was read."""
    cells: dict[tuple[str, str, str], str] = {}
    for problem in problems:
        reason = _UNPLACED_REASONS.get(problem.code)
        if reason is None or not problem.table or not problem.row:
            continue
        values = report.tables.get(problem.table, {}).get(problem.row, {})
        for column, value in values.items():
            if value is None:
                cells.setdefault((problem.table, problem.row, column), reason)
    return cells


def _not_read(report: AnnualReport, problems: Iterable[ParseProblem]) -> frozenset[Cell]:
    """Every cell that is None because the parser could not read it, not because the report
    left it blank: the cells of the rows (and tables) it has a problem with, a group printed as
    one row's members, the unplaced cells of rows read for their total only, and every cell
    of a table of which not one number was read while rows of it were not found (a table
    pasted as a picture: the rows found, empty, were words of the prose, not blank rows).

    The rules call none of them blank (cells.blank) and say they were not read where they
    could not check a sum (the parser's own findings say why)."""
    problems = list(problems)
    # Any row the parser has a word about (not found, ambiguous, text after the label that is
    # no numbers…): where its cells are None, they were not read as blank.
    rows = {
        (p.table, p.row or "*") for p in problems if p.table and p.code not in _UNPLACED_REASONS
    }
    if not rows and not any(p.code in _UNPLACED_REASONS for p in problems):
        return frozenset()
    rows |= _group_members(report, rows)
    cells: set[Cell] = set(_unplaced_cells(report, problems))
    for table, table_rows in report.tables.items():
        unread_rows = {row for code, row in rows if code == table}
        if not unread_rows:
            continue
        whole = "*" in unread_rows or all(
            value is None for values in table_rows.values() for value in values.values()
        )
        for row, values in table_rows.items():
            if whole or row in unread_rows:
                cells.update((table, row, c) for c, v in values.items() if v is None)
    return frozenset(cells)


def _not_read_in(report: AnnualReport, findings: Iterable[Finding]) -> frozenset[Cell]:
    """:func:`_not_read` again, from an audit's findings (a batch keeps findings, not the
    parser's problems): the rows its ``parse.`` findings name as not read, or read in part."""
    rules = {f"parse.{code}" for code in UNREAD_CODES}
    problems = [
        ParseProblem(f.rule.removeprefix("parse."), "", table=cell.table, row=cell.row)
        for f in findings
        if f.rule in rules
        for cell in f.cells
    ]
    return _not_read(report, problems) if problems else frozenset()


def _unread_reasons(
    report: AnnualReport, problems: Iterable[ParseProblem]
) -> dict[tuple[str, str], str]:
    """Each row whose cells were not read, with the parser's reason (a collapsed group's rows
    get the group's). Notes about rows that were read (a guessed label, text after the
    cells) name no unread row."""
    reasons: dict[tuple[str, str], str] = {}
    for problem in problems:
        if problem.table and problem.code in _UNREAD_REASONS:
            reasons.setdefault((problem.table, problem.row or "*"), _UNREAD_REASONS[problem.code])
    for key in list(reasons):
        for member in _group_members(report, {key}):
            reasons.setdefault(member, reasons[key])
    return reasons


def _group_members(report: AnnualReport, unread: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The rows of a group the parser names as a whole (a group printed as one row)."""
    tables = {t.code: t for t in report.format.tables}
    out: set[tuple[str, str]] = set()
    for code, row in unread:
        table = tables.get(code)
        if table is None or row == "*":
            continue
        spec = next((r for r in table.rows if r.code == row), None)
        if spec is not None and not spec.has_cells:
            out.update((code, member) for member in spec.sum_of)
    return out


# The most rows one finding names in its message (all are marked in the tables).
_ROWS_NAMED: Final = 6


def _problem_findings(problems: Sequence[ParseProblem], fmt: ReportFormat) -> list[Finding]:
    """The parser's problems as findings; the rows of one table read for their total only, or
    not found, are one finding per table, naming them all.

    A unit that prints blank cells for zeros, flattened by a crawler, has nearly every row of
    table 三 read for its total only; a table pasted as a picture has none of its rows found:
    one warning per row would be twenty warnings of one cause, swamping a batch's counts,
    where the evaluator needs to know it once, with the rows marked.
    """
    findings: list[Finding] = []
    grouped: dict[tuple[str, str], list[ParseProblem]] = {}
    for problem in problems:
        if problem.code in _GROUPED and problem.table and problem.row:
            grouped.setdefault((problem.code, problem.table), []).append(problem)
        else:
            findings.append(problem_finding(problem, fmt))
    for (code, table), rows in grouped.items():
        if len(rows) == 1:
            findings.append(problem_finding(rows[0], fmt))
            continue
        names = row_names(fmt.version)
        shown = "、".join(f"「{names[(table, p.row)]}」" for p in rows[:_ROWS_NAMED] if p.row)
        more = f"等 {len(rows)} 行" if len(rows) > _ROWS_NAMED else ""
        first = problem_finding(rows[0], fmt)
        findings.append(
            Finding(
                rule=first.rule,
                severity=min((p.severity for p in rows), key=lambda s: s.rank),
                category=first.category,
                message=_GROUPED[code].format(
                    table=table_names_in_messages(fmt.version)[table],
                    count=len(rows),
                    rows=f"{shown}{more}",
                ),
                citation=first.citation,
                cells=tuple(
                    CellRef(table=table, row=p.row, column=WHOLE_ROW) for p in rows if p.row
                ),
            )
        )
    return findings


# The problems said once per table for all its rows, and how.
_GROUPED: Final = {
    "total_only": "{table}有 {count} 行只印出部分数字（留空的单元格在原文中连写，位置无法确定）："
    "{rows}；这些行只读出总计，各项未读出（不是 0）",
    "missing_row": "{table}有 {count} 行未找到：{rows}；这些行已留空，各项未读出（不是 0）",
}


def problem_finding(problem: ParseProblem, fmt: ReportFormat) -> Finding:
    """What the parser could not read is a finding too: the evaluator must see it.

    It cites the statutory format the parser read the report against (``fmt``, the report's
    own: the one its tables were recognised as), whose tables, rows and labels the problem is
    measured by.
    """
    cells: tuple[CellRef, ...] = ()
    if problem.table and problem.row:
        cells = (CellRef(table=problem.table, row=problem.row, column=WHOLE_ROW),)
    elif problem.table and problem.code == "missing_table":
        # Every row of the table, so that pages mark each unread rather than blank.
        table = next((t for t in fmt.tables if t.code == problem.table), None)
        rows = table.rows if table is not None else ()
        cells = tuple(
            CellRef(table=problem.table, row=row.code, column=WHOLE_ROW)
            for row in rows
            if row.has_cells
        )
    return Finding(
        rule=f"parse.{problem.code}",
        severity=problem.severity,
        category=Category.FORMAT,
        message=problem.message,
        citation=f"{fmt.name}（{fmt.document}）",
        cells=cells,
    )


def _worker_task(doc: Document, *, today: dt.date | None, time_limit: float | None) -> AuditResult:
    """What a worker process runs (a name of its own, so that tests can make a worker die): the
    result packed, as it travels back and as the batch keeps it."""
    return audit_document(doc, today=today, time_limit=time_limit).pack()


def audit_file(
    path: str | Path, *, today: dt.date | None = None, time_limit: float | None = None
) -> AuditResult:
    """Audit one file (the first document in it, for an archive use :func:`audit_paths`)."""
    for doc in iter_documents([Path(path)]):
        return audit_document(doc, today=today, time_limit=time_limit)
    return unreadable(str(path), "unknown", "没有可审查的文件")


# ---------------------------------------------------------------------------------------------
# Batches
# ---------------------------------------------------------------------------------------------


def audit_paths(
    paths: Sequence[str | Path],
    *,
    jobs: int | None = None,
    previous: Sequence[str | Path] = (),
    earlier: Sequence[AuditResult] | None = None,
    pair_years: bool = True,
    today: dt.date | None = None,
    progress: Progress | None = None,
    time_limit: float | None = FILE_TIME_LIMIT,
) -> list[AuditResult]:
    """Audit every document under ``paths``; results in input order.

    ``previous`` names last year's reports explicitly (for the cross-year rules), or
    ``earlier`` gives them already audited (:func:`audit_previous`); with ``pair_years`` the
    batch also pairs its own reports of the same unit in consecutive years. Each file gets
    ``time_limit`` seconds.
    """
    docs = iter_documents([Path(p) for p in paths])
    workers = jobs or os.cpu_count() or 1
    results = list(_run(docs, jobs=workers, today=today, progress=progress, limit=time_limit))
    if earlier is None:
        earlier = audit_previous(previous, today=today, time_limit=time_limit)
    return cross_year(results, earlier=earlier, pair_years=pair_years)


def audit_previous(
    paths: Sequence[str | Path],
    *,
    today: dt.date | None = None,
    time_limit: float | None = FILE_TIME_LIMIT,
) -> list[AuditResult]:
    """Last year's reports, audited in this process (there are only a few)."""
    docs = iter_documents([Path(p) for p in paths])
    return [audit_document(doc, today=today, time_limit=time_limit).pack() for doc in docs]


def _run(
    docs: Iterator[Document],
    *,
    jobs: int,
    today: dt.date | None,
    progress: Progress | None = None,
    limit: float | None = None,
) -> Iterator[AuditResult]:
    if jobs <= 1:
        for doc in docs:
            # Packed as a worker's result is (_worker_task): a batch keeps every result.
            result = audit_document(doc, today=today, time_limit=limit).pack()
            if progress:
                progress(result)
            yield result
        return
    # Futures are collected in submission order, so the output order is the input order.
    window: list[tuple[Document, Future[AuditResult]]] = []
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        for doc in docs:
            try:
                window.append((doc, pool.submit(_worker_task, doc, today=today, time_limit=limit)))
            except BrokenProcessPool:
                window.append((doc, _broken()))
            while len(window) >= jobs * _PENDING_PER_WORKER:
                result, pool = _finish(window, pool, jobs=jobs, today=today, limit=limit)
                yield _report(result, progress)
        while window:
            result, pool = _finish(window, pool, jobs=jobs, today=today, limit=limit)
            yield _report(result, progress)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _broken() -> Future[AuditResult]:
    future: Future[AuditResult] = Future()
    future.set_exception(BrokenProcessPool("worker died"))
    return future


def _finish(
    window: list[tuple[Document, Future[AuditResult]]],
    pool: ProcessPoolExecutor,
    *,
    jobs: int,
    today: dt.date | None,
    limit: float | None,
) -> tuple[AuditResult, ProcessPoolExecutor]:
    """The oldest document's result; a dead worker costs the document that killed it only.

    When a worker dies (out of memory, a signal), every pending future of the pool fails. The
    results already made are kept; each document still pending is run again alone in a fresh
    process, so that only the one that kills its process again is lost, and the batch goes on
    in a new pool.
    """
    doc, future = window.pop(0)
    try:
        return future.result(), pool
    except BrokenProcessPool:
        pass
    pool.shutdown(wait=True, cancel_futures=True)
    pending = [(doc, future), *window]
    window.clear()
    redone: list[tuple[Document, Future[AuditResult]]] = []
    for each, old in pending:
        if old.done() and old.exception() is None:
            redone.append((each, old))
            continue
        result = _alone(each, today=today, limit=limit)
        done: Future[AuditResult] = Future()
        done.set_result(result)
        redone.append((each, done))
    window.extend(redone[1:])
    return redone[0][1].result(), ProcessPoolExecutor(max_workers=jobs)


def _alone(doc: Document, *, today: dt.date | None, limit: float | None) -> AuditResult:
    """Audit one document in a process of its own; its death is its unreadable result."""
    with ProcessPoolExecutor(max_workers=1) as single:
        try:
            return single.submit(_worker_task, doc, today=today, time_limit=limit).result()
        except BrokenProcessPool:
            return unreadable(doc.name, doc.kind.value, PROCESS_DIED)


def _report(result: AuditResult, progress: Progress | None) -> AuditResult:
    if progress:
        progress(result)
    return result


# A division above the unit's own, written in front of its name (「江苏省」「淮安市」).
_HIGHER_DIVISION = re.compile(r"[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区|市|自治州|地区|盟)")
# A name that begins with its own place (「洪泽区人民政府」), not with an organ (「人民政府」).
_PLACE_FIRST = re.compile(
    r"[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道)"
)


def unit_core(key: str) -> str:
    """The name without the divisions above it: 「淮安市洪泽区人民政府」 → 「洪泽区人民政府」.

    A division is only taken off while what remains still begins with a place of its own, so
    「淮安市人民政府」 stays whole (「人民政府」 alone names no unit).
    """
    core = key
    while (found := _HIGHER_DIVISION.match(core)) and _PLACE_FIRST.match(core[found.end() :]):
        core = core[found.end() :]
    return core


@dataclass(frozen=True, slots=True)
class _Pairing:
    """Last year's report of a unit, and the sentence that says why it is that unit's."""

    last: AuditResult
    basis: str
    rename: bool = False


class _YearIndex:
    """The batch's readable reports by unit and year, for finding a report's last year.

    A unit that renamed itself by adding (or dropping) the divisions above it (「洪泽区人民
    政府」 → 「淮安市洪泽区人民政府」) is still found, but only when the names of that core in
    the batch form one chain (each the end of the longest): 「南京市鼓楼区人民政府」 and
    「福州市鼓楼区人民政府」 are two units, and a bare 「鼓楼区人民政府」 could be either.
    """

    def __init__(self, results: Iterable[AuditResult]) -> None:
        self.exact: dict[tuple[str, int], AuditResult] = {}
        self.by_core: dict[tuple[str, int], dict[str, AuditResult]] = {}
        self.names: dict[str, set[str]] = {}
        for result in results:
            if not result.readable or result.unit is None or result.year is None:
                continue
            key = unit_key(result.unit)
            core = unit_core(key)
            self.exact.setdefault((key, result.year), result)
            self.by_core.setdefault((core, result.year), {}).setdefault(key, result)
            self.names.setdefault(core, set()).add(key)

    def find(self, unit: str, year: int) -> _Pairing | None:
        key = unit_key(unit)
        found = self.exact.get((key, year))
        if found is not None:
            return _Pairing(found, f"单位名称相同（「{found.unit}」）")
        core = unit_core(key)
        names = self.names.get(core, set())
        longest = max(names, key=len, default="")
        if not all(longest.endswith(name) for name in names):
            return None
        candidates = self.by_core.get((core, year), {})
        if len(candidates) != 1:
            return None
        [(other_key, other)] = candidates.items()
        short, long = sorted((key, other_key), key=len)
        added = long[: len(long) - len(short)]
        return _Pairing(
            other,
            f"单位名称由「{other.unit}」变为「{unit}」，两者只差上级行政区划「{added}」，"
            "视为同一单位",
            rename=True,
        )


def cross_year(
    results: list[AuditResult],
    *,
    earlier: Sequence[AuditResult] = (),
    pair_years: bool = True,
    before: Sequence[AuditResult] = (),
) -> list[AuditResult]:
    """Add the cross-year and copy-paste findings for reports whose last year is known, and
    the note on a second report of a unit's year (:func:`copy_note`).

    Every paired report gets a note (``cross_year.paired``) naming last year's file and the
    basis of the pairing, so that an evaluator can see which report each was compared with,
    and names that file in ``previous``, so that a page or a script need not read the note; a
    second report of a unit's year names the earlier one in ``copy_of`` likewise.
    Without ``pair_years`` the batch's own reports are compared with none of one another,
    neither across years nor as copies of one year.
    ``before`` are reports of the same batch that came before ``results`` (a cluster hands a
    report the one its note compares it with): a report of one of their units and years is a
    second one, as it is after one in ``results``. The note compares a second report with the
    same file listed before, else with the first report of its unit and year.
    """
    # Keys first, reports only when a pair is found: rebuilding every report would undo the
    # compression that keeps a large batch small.
    index = _YearIndex([*earlier, *(results if pair_years else [])])
    seen: dict[tuple[str, int], list[AuditResult]] = {}
    for result in before:
        if result.readable and result.unit is not None and result.year is not None:
            seen.setdefault((unit_key(result.unit), result.year), []).append(result)
    explicit = [r for r in earlier if r.readable]
    out: list[AuditResult] = []
    for result in results:
        if not result.readable or result.unit is None or result.year is None:
            out.append(result)
            continue
        unit, year = result.unit, result.year
        same = seen.setdefault((unit_key(unit), year), [])
        if same:
            first = next((r for r in same if r.file == result.file), same[0])
            note = copy_note(result, first)
            result = result.model_copy(
                update={"findings": sort_findings([*result.findings, note]), "copy_of": first.file}
            )
        if pair_years:
            same.append(result)
        pairing = index.find(unit, year - 1)
        if pairing is None and len(results) == 1 and len(explicit) == 1:
            # `--previous` given for a single report: trust the user
            pairing = _Pairing(explicit[0], "由 --previous 指定")
        if pairing is None:
            out.append(result)
            continue
        last = pairing.last
        report, last_report = result.report, last.report
        if report is None or last_report is None:
            out.append(result)
            continue
        if pairing.rename:
            # The rules compare last year's unit with this year's: it is the same unit.
            last_report = last_report.with_meta(unit=report.meta.unit)
        two = index.find(unit, year - 2)
        extra = previous_year_findings(
            report,
            last_report,
            earlier=two.last.report if two is not None else None,
            unread=_not_read_in(report, result.findings),
        )
        extra.append(_paired_note(last, pairing.basis))
        kept = [f for f in result.findings if not _fee_unit_settled(f, report, last_report)]
        findings = sort_findings([*kept, *extra])
        out.append(result.model_copy(update={"findings": findings, "previous": last.file}))
    return out


def _fee_unit_settled(finding: Finding, report: AnnualReport, last: AnnualReport) -> bool:
    """A whole number of 万元 is plausible when last year wrote a like amount with decimals.

    (2023: 7730.28 万元, 2024: 7545 万元.) s2.fee_unit only sees one year; last year's
    amount, clearly in 万元 and of the same size, settles the unit.
    """
    if finding.rule != "s2.fee_unit" or not finding.cells:
        return False
    for cell in finding.cells:
        try:
            now = report.cell(cell.table, cell.row, cell.column)
            before = last.cell(cell.table, cell.row, cell.column)
        except KeyError:
            return False
        if now is None or before is None or before <= 0 or before == int(before):
            return False
        if not Decimal(before) / 2 <= Decimal(now) <= Decimal(before) * 2:
            return False
    return True


def _paired_note(last: AuditResult, basis: str) -> Finding:
    return Finding(
        rule="cross_year.paired",
        severity=Severity.INFO,
        category=Category.CROSS_YEAR,
        message=f"跨年度核对使用的上一年度报告：{last.file}（{last.unit} {last.year} 年度）；"
        f"配对依据：{basis}",
        citation="跨年度核对的前提：同一单位的上一年度报告",
    )


# The most differing cells the note names in its message (all are marked in the tables).
_COPY_CELLS_NAMED: Final = 5
# Two versions of one report differ in a few figures (a corrected cell, a typo on the web
# page); when more than one in this many of the cells both read differ, the two are reports
# of two units the titles name alike (「人民政府办公室」), and no cell is called wrong.
_MOSTLY_OTHER: Final = 4


def copy_note(result: AuditResult, first: AuditResult) -> Finding:
    """The note on a report of a unit and year of which the batch holds one already.

    Sites publish a report twice (the web page and the PDF or OFD attached to it) and an
    evaluator's download keeps both. Each is audited on its own, so the note says which file
    came first and whether the two print the same tables: the same figures make two copies of
    one report (a note); different figures in the cells both read mean the unit published two
    versions of its report, which a reader cannot tell apart (a warning, with the cells marked
    in this report's tables). Cells either copy left unread are not compared. Tables that
    differ in most of their figures are not two versions but two units named alike: said so,
    with no cell marked.
    """
    said = f"本批次中已有同一单位（{first.unit}）{first.year} 年度的报告：{first.file}"
    if first.file == result.file:
        return _copy_finding(f"该文件在本批次中出现了不止一次（{result.file}），已重复审查")
    report, other = result.report, first.report
    if report is None or other is None:  # (readable results always keep their report)
        return _copy_finding(f"{said}，两份均已分别审查")
    if report.meta.format_version != other.meta.format_version:
        return _copy_finding(
            f"{said}；两份按不同的格式版本读出（本文件 {report.meta.format_version} 版，"
            f"另一份 {other.meta.format_version} 版），请核实哪一份是正式发布的版本",
            severity=Severity.WARNING,
        )
    compared, differing = _compare_tables(report, other)
    if not compared:
        return _copy_finding(f"{said}；两份表格中没有都读出的数字，无法比对，两份均已分别审查")
    if len(differing) * _MOSTLY_OTHER > compared:
        return _copy_finding(
            f"{said}；两份表格中都读出的 {compared} 个数字有 {len(differing)} 个不同，不像同一"
            "报告的两个版本，可能是名称相同的两个单位的报告，未逐项比对，两份均已分别审查"
        )
    if not differing:
        return _copy_finding(
            f"{said}；两份表格中都读出的 {compared} 个数字完全一致，应是同一报告的不同文件"
            "（如网页与附件），两份均已分别审查"
        )
    names = "；".join(
        f"{describe_cells(report.format, cell.table, (cell.row,), (cell.column,))}"
        f"（本文件 {number(mine)}，另一份 {number(theirs)}）"
        for cell, mine, theirs in differing[:_COPY_CELLS_NAMED]
    )
    more = "等" if len(differing) > _COPY_CELLS_NAMED else ""
    return _copy_finding(
        f"{said}；两份表格有 {len(differing)} 个数字不同：{names}{more}。同一报告的不同文件"
        "应当一致，请核实哪一份是正式发布的版本",
        severity=Severity.WARNING,
        cells=tuple(cell for cell, _, _ in differing),
    )


def _compare_tables(
    report: AnnualReport, other: AnnualReport
) -> tuple[int, list[tuple[CellRef, Number, Number]]]:
    """How many cells both reports read, and those of them that differ, in table order."""
    compared = 0
    differing: list[tuple[CellRef, Number, Number]] = []
    for table, rows in report.tables.items():
        their_rows = other.tables.get(table, {})
        for row, values in rows.items():
            theirs = their_rows.get(row, {})
            for column, mine in values.items():
                value = theirs.get(column)
                if mine is None or value is None:
                    continue
                compared += 1
                if mine != value:
                    differing.append((CellRef(table=table, row=row, column=column), mine, value))
    return compared, differing


def _copy_finding(
    message: str, *, severity: Severity = Severity.INFO, cells: tuple[CellRef, ...] = ()
) -> Finding:
    return Finding(
        rule=COPY_RULE,
        severity=severity,
        category=Category.PUBLICATION,
        message=message,
        citation="同一单位同一年度的年度报告只有一份：网页与附件等不同文件应当一致",
        cells=cells,
    )


def previous_year_findings(
    report: AnnualReport,
    previous: AnnualReport,
    *,
    earlier: AnnualReport | None = None,
    unread: frozenset[tuple[str, str, str]] = frozenset(),
) -> list[Finding]:
    """Only the findings that need last year: the single-year ones are already there.

    ``unread`` names this year's cells that were not read though their row was (see
    :func:`_not_read_in`)."""
    findings = [
        f
        for f in check_report(report, previous=previous, unread=unread)
        if rule_by_id(f.rule).needs_previous
    ]
    # Not the same unit's consecutive years: the rule cross_year.previous already says so, and
    # comparing the prose of unrelated reports would only produce noise.
    with contextlib.suppress(GongkaiError):
        findings += copy_paste_check(report, previous, earlier=earlier)
    return cap_per_rule(sort_findings(findings), prose=prose_rules())


def exit_status(results: Iterable[AuditResult]) -> int:
    """0: no report has an error; 1: some do; 2: some input could not be read at all."""
    status = 0
    for result in results:
        if not result.readable:
            return 2
        if any(f.severity is Severity.ERROR for f in result.findings):
            status = 1
    return status
