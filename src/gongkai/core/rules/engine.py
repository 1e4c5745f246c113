"""The rule engine: what a rule is, the registry, and running the rules over a report.

A rule returns :class:`Issue` values (message, cells, optional severity); the engine turns them
into :class:`~gongkai.core.findings.Finding` objects stamped with the rule's id, category and
citation. Which format versions a rule applies to is derived from the format declaration (a
property such as "table 三 has (六)2"), never a list of versions typed here, so a new format
version is one declaration in :mod:`gongkai.core.formats`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from gongkai.core import law
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category, CellRef, Finding, Severity, sort_findings
from gongkai.core.formats import FORMATS, SECTION_OTHER, ReportFormat, get_format
from gongkai.core.model import AnnualReport, CellValue, TableCells, unit_key
from gongkai.core.names import Cell
from gongkai.core.narrative._numbers import normalise
from gongkai.core.narrative.fees import FeeStatement, read_fee_statement
from gongkai.core.rules import fast

ALL_VERSIONS: Final = frozenset(FORMATS)
# Every statutory format document, for the citation of rules that hold in all of them.
DOCUMENTS: Final = "、".join(f.document for f in FORMATS.values())


def versions_where(has: Callable[[ReportFormat], bool]) -> frozenset[str]:
    """The versions whose declaration has a property (a row, a column, a kind of cell)."""
    return frozenset(version for version, fmt in FORMATS.items() if has(fmt))


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule found; the engine adds the rule's id, category and citation."""

    message: str
    cells: tuple[Cell, ...] = ()
    severity: Severity | None = None  # None: the rule's own severity


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a rule may read. ``previous`` is None unless it is the unit's year − 1."""

    report: AnnualReport
    fmt: ReportFormat
    tables: dict[str, TableCells]
    previous: AnnualReport | None
    previous_given: AnnualReport | None
    today: dt.date | None
    publication: law.PublicationPolicy = law.DEFAULT_PUBLICATION_POLICY
    # The section headings as the parser found them printed, in order (section code, numeral,
    # heading); None when the report did not come from a published document.
    headings: tuple[tuple[str, str, str], ...] | None = None
    # Cells the parser could not read: of rows or tables it could not read, and of rows that
    # printed only some numbers, their blanks gone (the total read, the members not placed).
    # They are None like a blank cell, but nobody knows they are blank.
    unread: frozenset[Cell] = frozenset()
    _flat: dict[str, list[CellValue]] = field(default_factory=dict)
    _fees: list[FeeStatement] = field(default_factory=list)
    _prose: dict[str, tuple[str, str]] = field(default_factory=dict)

    def values(self, table_code: str) -> list[CellValue]:
        """Every cell value of one table, flattened once per report for the cell rules."""
        flat = self._flat.get(table_code)
        if flat is None:
            flat = self._flat[table_code] = fast.flatten(self.tables[table_code])
        return flat

    def prose(self, section_code: str) -> tuple[str, str]:
        """A section's prose as written and normalised (same offsets), normalised once per
        report for the several rules that read it."""
        kept = self._prose.get(section_code)
        if kept is None:
            original = self.report.narrative.get(section_code, "")
            kept = self._prose[section_code] = (original, normalise(original))
        return kept

    def fee_statement(self) -> FeeStatement:
        """What section 六 says about fees, read once per report for both fee rules."""
        if not self._fees:
            self._fees.append(read_fee_statement(self.report.narrative.get(SECTION_OTHER, "")))
        return self._fees[0]


Check = Callable[[Context], Iterable[Issue]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str  # Chinese, one line: what the rule requires
    severity: Severity
    category: Category
    citation: str
    versions: frozenset[str]
    needs_previous: bool
    check: Check
    # Its findings grow with the prose (one per sentence or figure), not with the format: it
    # is capped per report as the prose rules are (findings.cap_per_rule). Every rule of the
    # narrative category is; this marks the others that read the prose.
    reads_prose: bool = False

    def applies(self, version: str, *, has_previous: bool) -> bool:
        return version in self.versions and (has_previous or not self.needs_previous)

    def finding(self, issue: Issue) -> Finding:
        # Validated, though every field already has its declared type: with CellRefs shared
        # by _cell_refs (validation keeps model instances as they are), pydantic's compiled
        # validation builds a finding in half the time of model_construct, which is Python.
        return Finding(
            rule=self.id,
            severity=issue.severity or self.severity,
            category=self.category,
            message=issue.message,
            citation=self.citation,
            cells=_cell_refs(issue.cells) if issue.cells else (),
        )


_CELL_REFS: dict[Cell, CellRef] = {}
_CELL_REFS_LIMIT: Final = 4096


def _cell_refs(cells: tuple[Cell, ...]) -> tuple[CellRef, ...]:
    """One shared (frozen) reference per cell: a rule can name a hundred cells, and building
    a pydantic model for each was 5% of an audit. The codes come from the format
    declarations, so the distinct cells are a few hundred (the bound is for safety only)."""
    known = tuple(map(_CELL_REFS.get, cells))
    if all(known):  # a CellRef is always true; None is a cell not seen yet
        return known  # type: ignore[return-value]
    if len(_CELL_REFS) + len(cells) > _CELL_REFS_LIMIT:
        _CELL_REFS.clear()
    for cell in cells:
        if cell not in _CELL_REFS:
            table, row, column = cell
            _CELL_REFS[cell] = CellRef(table=table, row=row, column=column)
    return tuple(map(_CELL_REFS.__getitem__, cells))


RULES: list[Rule] = []


def rule(
    rule_id: str,
    title: str,
    severity: Severity,
    category: Category,
    citation: str,
    *,
    versions: frozenset[str] = ALL_VERSIONS,
    needs_previous: bool = False,
    reads_prose: bool = False,
) -> Callable[[Check], Check]:
    """Register a rule; ``versions`` comes from :func:`versions_where`, never a literal set."""

    def register(check: Check) -> Check:
        RULES.append(
            Rule(
                rule_id,
                title,
                severity,
                category,
                citation,
                versions,
                needs_previous,
                check,
                reads_prose or category is Category.NARRATIVE,
            )
        )
        return check

    return register


def prose_rules() -> frozenset[str]:
    """The ids of the rules whose findings grow with the prose (see :attr:`Rule.reads_prose`),
    for :func:`gongkai.core.findings.cap_per_rule`."""
    return frozenset(r.id for r in RULES if r.reads_prose)


def rule_by_id(rule_id: str) -> Rule:
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    known = "、".join(r.id for r in RULES)
    raise GongkaiError(f"没有编号为 {rule_id!r} 的规则，现有规则：{known}")


def check_report(
    report: AnnualReport,
    *,
    previous: AnnualReport | None = None,
    today: dt.date | None = None,
    publication: law.PublicationPolicy = law.DEFAULT_PUBLICATION_POLICY,
    headings: tuple[tuple[str, str, str], ...] | None = None,
    unread: frozenset[Cell] = frozenset(),
) -> list[Finding]:
    """Run every rule that applies to the report's format version; never stop early.

    ``publication`` adds a deployment's local publication deadlines (townships) to Art 49.
    ``headings`` are the section headings as printed (from the parser), for the rules on the
    sections' numbering and order. ``unread`` names blank cells that were not read rather
    than printed blank (see :attr:`Context.unread`).
    """
    if not isinstance(report, AnnualReport):
        raise GongkaiError(f"只能核对年度报告（AnnualReport），收到的是 {type(report).__name__}")
    if previous is not None and not isinstance(previous, AnnualReport):
        raise GongkaiError(
            f"上一年度报告应为年度报告（AnnualReport），收到的是 {type(previous).__name__}"
        )
    meta = report.meta
    usable = previous if previous is not None and is_previous_of(previous, report) else None
    ctx = Context(
        report=report,
        fmt=get_format(meta.format_version),
        tables=report.tables,
        previous=usable,
        previous_given=previous,
        today=today,
        publication=publication,
        headings=headings,
        unread=unread,
    )
    findings: list[Finding] = []
    for applicable in _applicable(meta.format_version, previous is not None, len(RULES)):
        findings.extend(map(applicable.finding, applicable.check(ctx)))
    return sort_findings(findings) if findings else findings


@cache
def _applicable(version: str, has_previous: bool, registered: int) -> tuple[Rule, ...]:
    """The rules to run; ``registered`` keys the cache so a rule added later is not missed."""
    return tuple(r for r in RULES[:registered] if r.applies(version, has_previous=has_previous))


def is_previous_of(previous: AnnualReport, report: AnnualReport) -> bool:
    """The same unit (by :func:`~gongkai.core.model.unit_key`, as the batch pairs them), a year
    before."""
    return (
        unit_key(previous.meta.unit) == unit_key(report.meta.unit)
        and previous.meta.year == report.meta.year - 1
    )
