"""What a parser hands back: the report it could read, and exactly what it could not.

Every front end (text, HTML, DOCX, PDF, OFD) returns a :class:`ParseResult`, so the auditor treats
them alike. A parser never guesses: a cell it cannot read is ``None`` in the report and the
reason is a :class:`ParseProblem` naming the table and row, with the candidate readings when
the source allows several.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Final

from pydantic import ValidationError

from gongkai.core.findings import Severity, bound_message
from gongkai.core.formats import ReportFormat
from gongkai.core.model import (
    AnnualReport,
    CellValue,
    ReportKind,
    ReportMeta,
    TableCells,
    describe_validation,
)

Reading = tuple[CellValue, ...]

# The problems that say cells were not read: those cells are None because they could not be
# read, not because the report left them blank, and nothing may call them blank. Each names
# its table, and its row where it is about one (a whole table missing names no row).
UNREAD_CODES: Final = frozenset(
    {
        "missing_table",
        "missing_row",
        "ambiguous_row",
        "unreadable_row",
        "search_capped",
        "too_many_cells",
        "collapsed_group",
        "total_only",  # the row's total was read, its other cells were not
    }
)


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """One thing the parser could not read, or read with a caveat.

    ``code`` is a stable machine name (``ambiguous_row``, ``missing_table`` …) so that tests
    and the auditor can match on it; ``message`` is the Chinese sentence for people.
    """

    code: str
    message: str
    severity: Severity = Severity.WARNING
    table: str | None = None
    row: str | None = None
    # For an ambiguous row: every reading that satisfies all constraints (capped).
    candidates: tuple[Reading, ...] = ()

    def __post_init__(self) -> None:
        # The message quotes the source (a row label, a line of text), which a damaged file can
        # make 60,000 characters long: bounded here as a finding's is, for the parser's own
        # JSON (``gongkai parse``) as much as for the audit.
        object.__setattr__(self, "message", bound_message(self.message))

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "table": self.table,
            "row": self.row,
            "message": self.message,
            "candidates": [[_jsonable(v) for v in c] for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class DetectedMeta:
    """Metadata read from the text; any item may be missing (``None``)."""

    title: str | None = None
    unit: str | None = None
    year: int | None = None
    format_version: str | None = None
    published: dt.date | None = None
    kind: ReportKind | None = None
    # How each item was found ("标题", "发布时间", "表格标志" …), for the audit trail.
    evidence: dict[str, str] = field(default_factory=dict)
    # The year of the statistics period (「统计期限自2022年1月1日」), wherever the year came from.
    period_year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "unit": self.unit,
            "year": self.year,
            "format_version": self.format_version,
            "published": self.published.isoformat() if self.published else None,
            "kind": self.kind.value if self.kind else None,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The outcome of parsing one document; ``report`` is None when no report was recognised."""

    report: AnnualReport | None
    meta: DetectedMeta
    narrative: dict[str, str]
    problems: tuple[ParseProblem, ...]
    source: str = ""
    # Why no report could be built (Chinese), when ``report`` is None.
    reason: str = ""
    # The section headings as printed, in order: (section code, numeral, heading).
    headings: tuple[tuple[str, str, str], ...] = ()

    @property
    def ambiguous(self) -> tuple[ParseProblem, ...]:
        return tuple(p for p in self.problems if p.code == "ambiguous_row")

    def to_dict(self) -> dict[str, Any]:
        tables = (
            {
                t: {r: {c: _jsonable(v) for c, v in cols.items()} for r, cols in rows.items()}
                for t, rows in self.report.tables.items()
            }
            if self.report
            else None
        )
        return {
            "source": self.source,
            "meta": self.meta.to_dict(),
            "reason": self.reason,
            "tables": tables,
            "problems": [p.to_dict() for p in self.problems],
        }


def _jsonable(value: CellValue) -> int | str | None:
    if isinstance(value, Decimal):
        return str(value)
    return value


def failure(source: str, reason: str) -> ParseResult:
    """A document from which no report could be read, with the reason in Chinese."""
    return ParseResult(None, DetectedMeta(), {}, (), source, reason)


# The code of the note on pictures where a table is missing (a table published as a picture
# of it), whatever the file: the code the PDF reader's note has had, so that an evaluator's
# verdict on one stays with it.
PICTURES: Final = "picture_pages"


def with_pictures_note(result: ParseResult, note: str) -> ParseResult:
    """``note`` on pictures that may be the tables not read: a warning beside the report, or
    said with the reason when no report was read."""
    if result.report is None:
        return replace(result, reason=f"{result.reason}（{note}）")
    problem = ParseProblem(PICTURES, note, Severity.WARNING)
    return replace(result, problems=(*result.problems, problem))


# What to do about a report that names its year nowhere the parsers look.
NO_YEAR_HINT: Final = (
    "标题、统计期限、正文和文件名中都没有写明年度；"
    "可按报告标题命名文件（如「某局2023年政府信息公开工作年度报告.pdf」）后再审查"
)


def _assumed(meta: DetectedMeta) -> list[ParseProblem]:
    """What the report does not say of itself, and where the audit took it from instead."""
    problems = []
    said = meta.evidence.get("year", "")
    unsaid = "报告正文没有写明年度（没有带年度的标题，也没有统计期限）"
    if said == "文件名":
        note = f"{unsaid}：按文件名中的 {meta.year} 年审查"
        problems.append(ParseProblem("year_from_name", note, Severity.INFO))
    elif said.endswith("（推断）"):
        problems.append(
            ParseProblem(
                "year_inferred",
                f"{unsaid}：从{said.removesuffix('（推断）')}推断为 {meta.year} 年，请核对",
                Severity.WARNING,
            )
        )
    if not meta.unit:
        problems.append(
            ParseProblem("missing_unit", "未能从标题中识别发布单位名称", Severity.WARNING)
        )
    elif meta.evidence.get("unit") in _UNIT_ELSEWHERE:
        code, where, caveat = _UNIT_ELSEWHERE[meta.evidence["unit"]]
        note = f"报告正文的标题中没有单位名称：按{where}取为「{meta.unit}」{caveat}"
        problems.append(ParseProblem(code, note, Severity.INFO))
    return problems


# Where a unit the title does not name was taken from (the evidence detect_meta gives): the code
# of the note that says so, the place in its words, and what to mind.
_UNIT_ELSEWHERE: Final = {
    "文件名": ("unit_from_name", "文件名", ""),
    "页面信息表的发布机构": (
        "unit_from_publisher",
        "页面信息表的「发布机构」",
        "；发布机构也可能是代为发布的单位（如县政府办公室发布乡镇的报告），请核对",
    ),
}


def finish(
    meta: DetectedMeta,
    fmt: ReportFormat,
    tables: dict[str, TableCells],
    narrative: dict[str, str],
    problems: list[ParseProblem],
    source: str,
    headings: tuple[tuple[str, str, str], ...] = (),
) -> ParseResult:
    """The last step every front end shares: check the metadata, then build the report.

    Without a year there is no report (every rule and the format depend on it); a missing unit
    or a format that does not fit the year is a problem, not a failure.
    """
    if meta.year is None:
        return ParseResult(
            None, meta, narrative, tuple(problems), source, f"无法确定报告年度：{NO_YEAR_HINT}"
        )
    problems = [*problems, *_assumed(meta)]
    if meta.period_year is not None and meta.period_year != meta.year:
        problems.append(
            ParseProblem(
                "year_conflict",
                f"标题中的年度为 {meta.year} 年，而统计期限写的是 {meta.period_year} 年："
                "两者应一致，请核对是否沿用了往年报告的文字",
                Severity.WARNING,
            )
        )
    if not fmt.applies_to(meta.year):
        last = f"–{fmt.last_year} 年度" if fmt.last_year else " 年度及以后"
        problems.append(
            ParseProblem(
                "format_year_mismatch",
                f"报告年度为 {meta.year} 年，但表格使用的是{fmt.name}（{fmt.document}），"
                f"该格式适用于 {fmt.first_year}{last}",
                Severity.WARNING,
            )
        )
    try:
        report = AnnualReport.from_parsed(
            ReportMeta(
                unit=meta.unit or "",
                year=meta.year,
                format_version=fmt.version,
                kind=meta.kind,
                published=meta.published,
                source=source or None,
            ),
            tables,
            narrative,
        )
    except ValidationError as exc:
        return ParseResult(
            None,
            meta,
            narrative,
            tuple(problems),
            source,
            f"读出的数据不符合格式：{describe_validation(exc)}",
        )
    return ParseResult(report, meta, narrative, tuple(problems), source, headings=headings)
