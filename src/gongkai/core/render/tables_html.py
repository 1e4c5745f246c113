"""A report's tables as HTML, drawn from the format declaration alone.

The layout is the official one (国办公开办函〔2021〕30号 and its 2019 trial predecessor, as
published, e.g. ``shared/reports/017.html``): section 二 as one table of 第二十条 blocks, each
with its block header and 「信息内容」 header row; table 三 with the balance note in the top-left
cell, the three-row applicant header and its row groups drawn as ``rowspan`` cells beside their
members; table 四 as one record under the 行政复议 / 行政诉讼 column groups. Nothing here names
a row: rows, labels, levels and groups come from :mod:`gongkai.core.formats`, so a row added
there appears here unchanged.

The output is accessible (``<caption>``, ``<th scope>``, and ``headers`` on every data cell so
that a screen reader announces row and column), escapes every string, and shows a blank cell
(``None``) visibly differently from 0. Cells named by findings are highlighted by severity with a
tooltip and a footnote number linking to the finding (``#finding-N``); a finding an evaluator has
*dismissed* keeps its footnote, struck through, on a cell left unlit (unless an open finding lights
it), so the reader still sees which cell it concerns and that it is no longer an error. Every data
cell has a stable id (:func:`cell_id`), and the caller may collect where each named cell was drawn
(``anchors``) so that a list of findings links back to the highlighted cells. The module knows
nothing about audits: it is also the renderer of the generated report for publication.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Final

from gongkai.core.findings import WHOLE_ROW, CellRef, Finding, sort_findings
from gongkai.core.formats import (
    APPLICANT_COLUMNS,
    APPLICANT_GROUP_LABEL,
    ORGANISATION_GROUP_LABEL,
    S2_CONTENT_HEADER,
    T3,
    T3_BALANCE_NOTE,
    T3_TOTAL_COLUMN,
    T4,
    Column,
    ReportFormat,
    Row,
    Table,
)
from gongkai.core.model import AnnualReport, CellValue
from gongkai.core.parse.result import UNREAD_CODES
from gongkai.core.render.labels import enclosing_groups, section_for

Highlights = Mapping[CellRef, Sequence[Finding]]
# Where each cell named by a finding was drawn: the id of the first element highlighted for it.
Anchors = dict[CellRef, str]
# The footnote numbers of each finding (:func:`number_findings`): one per time it is listed.
Numbering = Mapping[Finding, Sequence[int]]
Cells = Mapping[str, Mapping[str, Mapping[str, CellValue]]]


# Column groups drawn above a table's columns, outermost first; each spans contiguous columns.
# Table 三: 申请人情况 over all seven; 法人或其他组织 over the organisation columns, which the
# declaration lists after the natural-person column (APPLICANT_COLUMNS[0]).
COLUMN_GROUPS: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    T3: (
        (APPLICANT_GROUP_LABEL, (*(c.code for c in APPLICANT_COLUMNS), T3_TOTAL_COLUMN.code)),
        (ORGANISATION_GROUP_LABEL, tuple(c.code for c in APPLICANT_COLUMNS[1:])),
    ),
}
# The note printed in a table's top-left cell.
TABLE_NOTES: Final[dict[str, str]] = {T3: T3_BALANCE_NOTE}
# Tables published as a single record: each declared row becomes a group of columns.
TRANSPOSED: Final = frozenset({T4})

BLANK_TITLE: Final = "空白：原报告此处未填写（不同于 0）"
# A cell of a row the parser says it could not read is empty here for that reason: the report
# may well print a number there, and calling it blank would be the page's own false alarm.
UNREAD_TITLE: Final = "未读出：原报告此处的数字未能读出（不一定空白，也不是 0），见所标的解析问题"
# The findings that say so: the parser's problems whose cells were not read.
_UNREAD_RULES: Final = frozenset(f"parse.{code}" for code in UNREAD_CODES)
FINDING_ANCHOR: Final = "finding-"


def unread_rows(findings: Iterable[Finding]) -> frozenset[tuple[str, str]]:
    """(table, row) of every row the parser's findings say it could not read."""
    return frozenset(
        (ref.table, ref.row) for f in findings if f.rule in _UNREAD_RULES for ref in f.cells
    )


def number_findings(findings: Iterable[Finding]) -> dict[Finding, tuple[int, ...]]:
    """Footnote numbers 1, 2, … N: each finding's position in the list as given (and as shown,
    so the list is numbered with ``enumerate(findings, 1)``), keyed by the finding's value.

    A reader counts the list by its numbers, so each entry needs its own number and anchor,
    even when two entries are equal in every field (garbage input can repeat one: a run of
    「并且」 gives doubled words with the same words around them). Equal findings share a key,
    so the key holds all their numbers, and a cell they name shows each: every entry that
    names a cell is reachable from it.
    """
    numbers: dict[Finding, tuple[int, ...]] = {}
    for number, finding in enumerate(findings, 1):
        numbers[finding] = (*numbers.get(finding, ()), number)
    return numbers


def highlights_for(findings: Iterable[Finding]) -> dict[CellRef, list[Finding]]:
    """Which findings name each cell, in the order given."""
    marks: dict[CellRef, list[Finding]] = {}
    for finding in findings:
        for ref in finding.cells:
            marks.setdefault(ref, [])
            if finding not in marks[ref]:
                marks[ref].append(finding)
    return marks


def table_parts(fmt: ReportFormat) -> list[tuple[Table, ...]]:
    """The published tables in order: section 二's blocks together, then each other table."""
    parts: list[tuple[Table, ...]] = []
    section2 = fmt.section2
    for table in fmt.tables:
        if table in section2:
            if not parts or parts[-1][0] not in section2:
                parts.append(())
            parts[-1] = (*parts[-1], table)
        else:
            parts.append((table,))
    return parts


def part_caption(fmt: ReportFormat, part: Sequence[Table]) -> str:
    section = section_for(fmt, part[0])
    return f"{section.number}、{section.heading}" if section else part[0].title


def part_id(part: Sequence[Table]) -> str:
    return "table-" + part[0].code.split(".")[0]


def render_report_tables(
    report: AnnualReport,
    *,
    highlights: Highlights | None = None,
    numbering: Numbering | None = None,
    anchors: Anchors | None = None,
    dismissed: Collection[Finding] = (),
) -> str:
    return render_tables(
        report.format,
        report.tables,
        highlights=highlights,
        numbering=numbering,
        anchors=anchors,
        dismissed=dismissed,
    )


def render_published_part(fmt: ReportFormat, part: Sequence[Table], cells: Cells) -> str:
    """One table as published by the unit: a blank cell prints empty, as in the format."""
    return render_part(fmt, part, cells, publish=True)


def render_tables(
    fmt: ReportFormat,
    cells: Cells,
    *,
    highlights: Highlights | None = None,
    numbering: Numbering | None = None,
    anchors: Anchors | None = None,
    dismissed: Collection[Finding] = (),
) -> str:
    """Every table of the format, in published order. A cell missing from ``cells`` is blank.

    ``numbering`` gives each finding its footnote numbers (as listed on the page); without it
    the highlighted findings are numbered errors first. ``anchors`` and ``dismissed``: see
    :func:`render_part`.
    """
    return "\n".join(
        render_part(
            fmt,
            part,
            cells,
            highlights=highlights,
            numbering=numbering,
            anchors=anchors,
            dismissed=dismissed,
        )
        for part in table_parts(fmt)
    )


def render_part(
    fmt: ReportFormat,
    part: Sequence[Table],
    cells: Cells,
    *,
    highlights: Highlights | None = None,
    numbering: Numbering | None = None,
    publish: bool = False,
    anchors: Anchors | None = None,
    dismissed: Collection[Finding] = (),
) -> str:
    """One published table: section 二 (all its blocks) or one other table.

    With ``publish`` a blank cell is an empty cell, as the unit publishes it; otherwise (audit
    pages) it is marked 「空白」 so that a reader tells it from 0. ``anchors``, if given, receives
    for each reference of ``highlights`` drawn here the id of the first element highlighted for
    it (a whole row: its first cell; a group printed as one row: its header): a list of
    findings links there, and a cell that was not drawn gets no entry, so no dead link.

    ``dismissed``: findings of ``highlights`` an evaluator has dismissed. Their cells keep the
    finding's number (struck through, 「已排除」 in the tooltip) and their anchors, but are lit
    only by the open findings; a row the parser could not read stays 「未读出」 whatever the
    verdict on the finding that says so.
    """
    marks = highlights or {}
    if numbering is None:
        named = dict.fromkeys(f for fs in marks.values() for f in fs)  # each finding once
        numbering = number_findings(sort_findings(list(named)))
    struck = frozenset(n for f in dismissed for n in numbering.get(f, ()))
    painter = _Painter(cells, marks, numbering, publish, {} if anchors is None else anchors, struck)
    # A published table sits under its section heading, which says the same as a caption
    # would; printed twice, the heading would be read back as the section's first sentence.
    caption = "" if publish else f"<caption>{escape(part_caption(fmt, part))}</caption>"
    if len(part) > 1 or part[0].header:
        body = _blocks(part, painter)
    elif part[0].code in TRANSPOSED:
        body = _transposed(part[0], painter)
    else:
        body = _grid(part[0], painter)
    codes = " ".join(t.code for t in part)
    return (
        f'<table class="report-table" id="{escape(part_id(part))}" data-tables="{escape(codes)}">'
        f"{caption}{body}</table>"
    )


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Painter:
    cells: Cells
    marks: Highlights
    numbering: Numbering
    publish: bool = False
    anchors: Anchors = field(default_factory=dict)
    # The footnote numbers of dismissed findings: printed struck through, lighting nothing.
    struck: frozenset[int] = frozenset()

    def value(self, table: str, row: str, column: str) -> CellValue:
        return self.cells.get(table, {}).get(row, {}).get(column)

    def data(
        self, table: Table, row: Row, column: Column, headers: Sequence[str], span: int
    ) -> str:
        ref = CellRef(table=table.code, row=row.code, column=column.code)
        value = self.value(table.code, row.code, column.code)
        classes = ["num"]
        titles: list[str] = []
        rows = self.whole_rows(table, row)
        if value is None and self.publish:
            classes.append("blank")
            content = ""
        elif value is None and self.unread(rows):
            classes += ["blank", "unread"]
            titles.append(UNREAD_TITLE)
            content = '<span class="blank-mark">未读出</span>'
        elif value is None:
            classes.append("blank")
            titles.append(BLANK_TITLE)
            content = '<span class="blank-mark">空白</span>'
        else:
            content = escape(format_value(value))
        ident = cell_id(ref)
        mark_classes, mark_titles, notes = self.mark(ident, ref, *rows)
        classes += mark_classes
        titles += mark_titles
        attrs = {
            "id": ident,
            "class": " ".join(classes),
            "data-cell": f"{table.code}/{row.code}/{column.code}",
            "headers": " ".join(headers),
        }
        if notes:
            attrs["data-findings"] = " ".join(str(n) for n in notes)
            dismissed = [n for n in notes if n in self.struck]
            if dismissed:
                attrs["data-dismissed"] = " ".join(str(n) for n in dismissed)
        if titles:
            attrs["title"] = "\n".join(titles)
        if span > 1:
            attrs["colspan"] = str(span)
        return f"<td{_attrs(attrs)}>{content}{_footnotes(notes, self.struck)}</td>"

    def whole_rows(self, table: Table, row: Row) -> tuple[CellRef, ...]:
        """References to the whole of this row or of a group it sits in: a row the parser could
        not read, or a group printed as one row, marks every cell the reader must look at."""
        if not any(ref.column == WHOLE_ROW for ref in self.marks):
            return ()
        rows = (row, *enclosing_groups(table, row))
        return tuple(CellRef(table=table.code, row=r.code, column=WHOLE_ROW) for r in rows)

    def unread(self, rows: tuple[CellRef, ...]) -> bool:
        """Whether the parser says it could not read this row, or the group it sits in."""
        return any(
            finding.rule in _UNREAD_RULES for ref in rows for finding in self.marks.get(ref, ())
        )

    def mark(self, ident: str, *refs: CellRef) -> tuple[list[str], list[str], list[int]]:
        """Classes, tooltip lines and footnote numbers of the findings naming these cells,
        drawn as the element ``ident``, which becomes the anchor of the references that have
        none yet."""
        findings: list[Finding] = []
        for ref in refs:
            named = self.marks.get(ref, ())
            if named:
                self.anchors.setdefault(ref, ident)
            findings += [f for f in named if f not in findings]
        if not findings:
            return [], [], []
        findings = sort_findings(findings)
        # A finding listed more than once (equal findings) shows each of its numbers.
        notes = [n for f in findings for n in self.numbering.get(f, ())]
        titles = []
        open_findings = []
        for f in findings:
            numbers = self.numbering.get(f, ())
            gone = bool(numbers) and all(n in self.struck for n in numbers)
            label = f"已排除的{f.severity.label}" if gone else f.severity.label
            titles.append(f"{_numbers(numbers)}{label}：{f.message}")
            if not gone:
                open_findings.append(f)
        if not open_findings:
            return ["hl-dismissed"], titles, notes
        return ["hl", f"hl-{open_findings[0].severity.value}"], titles, notes


def format_value(value: CellValue) -> str:
    """As printed: integers plainly, amounts with their decimals and never in exponent form."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


def _numbers(numbers: Sequence[int]) -> str:
    """A tooltip line's numbers: 「[5] 」, or 「[5][6] 」 for a finding listed twice."""
    return "".join(f"[{n}]" for n in numbers) + " " if numbers else ""


def _footnotes(numbers: Sequence[int], struck: Collection[int] = ()) -> str:
    """Links to the findings; a dismissed one's number struck through (and said so aloud)."""
    if not numbers:
        return ""
    links = "".join(
        f'<a href="#{FINDING_ANCHOR}{n}" class="dismissed" aria-label="问题 {n}（已排除）">'
        f"<s>{n}</s></a>"
        if n in struck
        else f'<a href="#{FINDING_ANCHOR}{n}" aria-label="问题 {n}">{n}</a>'
        for n in numbers
    )
    return f'<sup class="fn">{links}</sup>'


def _attrs(attrs: Mapping[str, str]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in attrs.items())


def _th(
    text: str, attrs: Mapping[str, str], notes: Sequence[int] = (), struck: Collection[int] = ()
) -> str:
    return f"<th{_attrs(attrs)}>{escape(text)}{_footnotes(notes, struck)}</th>"


def _cid(table: Table, kind: str, code: str) -> str:
    return f"{table.code}-{kind}-{code}"


def cell_id(ref: CellRef) -> str:
    """The id of a data cell (「t3-d-new-total」): stable, from the codes, so that a link to it
    holds across runs; its kind 「d」 keeps it apart from the header ids of :func:`_cid`."""
    return f"{ref.table}-d-{ref.row}-{ref.column}"


# --------------------------------------------------------------------------------------------
# Column headers: nested groups over contiguous columns (table 三, table 四)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Leaf:
    key: str  # unique within the table
    label: str
    chain: tuple[tuple[str, str], ...]  # (group id, group label), outermost first


def _column_header_rows(table: Table, leaves: Sequence[_Leaf], corner: str) -> list[str]:
    """``<tr>``s of a nested column header; ``corner`` is the top-left cell, already rendered."""
    depth = 1 + max((len(leaf.chain) for leaf in leaves), default=0)
    rows: list[list[str]] = [[] for _ in range(depth)]
    if corner:
        rows[0].append(corner)
    for level in range(depth):
        index = 0
        while index < len(leaves):
            leaf = leaves[index]
            if len(leaf.chain) == level:
                attrs = {"scope": "col", "id": _cid(table, "c", leaf.key)}
                if depth - level > 1:
                    attrs["rowspan"] = str(depth - level)
                rows[level].append(_th(leaf.label, attrs))
                index += 1
            elif len(leaf.chain) > level:
                group_id, group_label = leaf.chain[level]
                span = 1
                while (
                    index + span < len(leaves)
                    and len(leaves[index + span].chain) > level
                    and leaves[index + span].chain[level][0] == group_id
                ):
                    span += 1
                attrs = {"scope": "colgroup", "id": _cid(table, "g", group_id)}
                if span > 1:
                    attrs["colspan"] = str(span)
                rows[level].append(_th(group_label, attrs))
                index += span
            else:
                index += 1
    return ["<tr>" + "".join(cells) + "</tr>" for cells in rows]


def _leaf_headers(table: Table, leaf: _Leaf) -> list[str]:
    return [_cid(table, "g", group_id) for group_id, _ in leaf.chain] + [_cid(table, "c", leaf.key)]


def _column_leaves(table: Table) -> list[_Leaf]:
    groups = COLUMN_GROUPS.get(table.code, ())
    leaves = []
    for column in table.columns:
        chain = tuple(
            (f"{i}", label) for i, (label, members) in enumerate(groups) if column.code in members
        )
        leaves.append(_Leaf(column.code, column.label, chain))
    return leaves


# --------------------------------------------------------------------------------------------
# Row layouts
# --------------------------------------------------------------------------------------------


def _grid(table: Table, painter: _Painter) -> str:
    """Rows down, columns across; header rows drawn as ``rowspan`` cells beside their members."""
    chains = {row.code: enclosing_groups(table, row) for row in table.rows}
    members: dict[str, int] = {}
    for row in table.cell_rows:
        for group in chains[row.code]:
            members[group.code] = members.get(group.code, 0) + 1
    label_columns = 1 + max((len(chains[r.code]) for r in table.cell_rows), default=0)
    leaves = _column_leaves(table)
    depth = 1 + max((len(leaf.chain) for leaf in leaves), default=0)
    note = TABLE_NOTES.get(table.code, "")
    corner_attrs = {
        "scope": "col",
        "class": "note" if note else "corner",
        "id": f"{table.code}-corner",
    }
    if label_columns > 1:
        corner_attrs["colspan"] = str(label_columns)
    if depth > 1:
        corner_attrs["rowspan"] = str(depth)
    corner = _th(note, corner_attrs) if note else _th("", corner_attrs)
    head = _column_header_rows(table, leaves, corner)
    columns = {
        leaf.key: (column, _leaf_headers(table, leaf))
        for leaf, column in zip(leaves, table.columns, strict=True)
    }

    body: list[str] = []
    opened: set[str] = set()
    for row in table.rows:
        chain = chains[row.code]
        if not row.has_cells:
            if members.get(row.code):
                continue  # drawn as a rowspan cell beside its first member
            # A header row with no members: still shown, so the declaration is visible.
            body.append(
                "<tr>"
                + _row_header(table, row, chain, label_columns, painter)
                + f'<td class="nocell" colspan="{len(table.columns)}"></td></tr>'
            )
            continue
        cells: list[str] = []
        for group in chain:
            if group.code in opened:
                continue
            opened.add(group.code)
            refs = [CellRef(table=table.code, row=group.code, column=c.code) for c in table.columns]
            group_id = _cid(table, "r", group.code)
            classes, titles, notes = painter.mark(group_id, *refs)
            attrs = {
                "scope": "rowgroup",
                "id": group_id,
                "class": " ".join(["group", f"level-{group.level}", *classes]),
                "data-row": group.code,
            }
            if members[group.code] > 1:
                attrs["rowspan"] = str(members[group.code])
            if titles:
                attrs["title"] = "\n".join(titles)
            cells.append(_th(group.label, attrs, notes, painter.struck))
        cells.append(_row_header(table, row, chain, label_columns, painter))
        row_headers = [_cid(table, "r", g.code) for g in chain] + [_cid(table, "r", row.code)]
        cells.extend(
            painter.data(table, row, column, row_headers + columns[column.code][1], 1)
            for column in table.columns
        )
        total = ' class="total"' if row.sum_of else ""
        body.append(f'<tr data-row="{escape(row.code)}"{total}>' + "".join(cells) + "</tr>")
    return "<thead>" + "".join(head) + "</thead><tbody>" + "".join(body) + "</tbody>"


def _row_header(
    table: Table, row: Row, chain: Sequence[Row], label_columns: int, painter: _Painter
) -> str:
    attrs = {
        "scope": "row",
        "id": _cid(table, "r", row.code),
        "class": f"level-{row.level}",
        "data-row": row.code,
    }
    span = label_columns - len(chain)
    if span > 1:
        attrs["colspan"] = str(span)
    notes: list[int] = []
    if not row.has_cells:
        refs = [CellRef(table=table.code, row=row.code, column=c.code) for c in table.columns]
        classes, titles, notes = painter.mark(attrs["id"], *refs)
        attrs["class"] = " ".join([attrs["class"], "group", *classes])
        if titles:
            attrs["title"] = "\n".join(titles)
    return _th(row.label, attrs, notes, painter.struck)


def _blocks(part: Sequence[Table], painter: _Painter) -> str:
    """Section 二: each block a ``<tbody>`` with its header and 「信息内容」 row; widths padded."""
    width = max(len(t.columns) for t in part)
    bodies: list[str] = []
    for table in part:
        block_id = _cid(table, "g", "block")
        header = _th(
            table.header or table.title,
            {"scope": "rowgroup", "colspan": str(width + 1), "class": "block", "id": block_id},
        )
        column_row = [_th(S2_CONTENT_HEADER, {"scope": "col", "id": _cid(table, "c", "content")})]
        for index, column in enumerate(table.columns):
            attrs = {"scope": "col", "id": _cid(table, "c", column.code)}
            span = _pad(index, len(table.columns), width)
            if span > 1:
                attrs["colspan"] = str(span)
            column_row.append(_th(column.label, attrs))
        rows = [f"<tr>{header}</tr>", "<tr>" + "".join(column_row) + "</tr>"]
        for row in table.cell_rows:
            row_id = _cid(table, "r", row.code)
            cells = [_th(row.label, {"scope": "row", "id": row_id, "data-row": row.code})]
            for index, column in enumerate(table.columns):
                headers = [block_id, row_id, _cid(table, "c", column.code)]
                span = _pad(index, len(table.columns), width)
                cells.append(painter.data(table, row, column, headers, span))
            rows.append(f'<tr data-row="{escape(row.code)}">' + "".join(cells) + "</tr>")
        bodies.append(f'<tbody data-table="{escape(table.code)}">' + "".join(rows) + "</tbody>")
    return "".join(bodies)


def _pad(index: int, count: int, width: int) -> int:
    """The last column of a narrower block spans the rest of the table's width."""
    return width - count + 1 if index == count - 1 else 1


def _transposed(table: Table, painter: _Painter) -> str:
    """One record: each declared row is a column group, grouped again by its qualified name.

    A row whose short name qualifies its label (「行政诉讼（复议后起诉）」 for 「复议后起诉」) sits
    under that qualifier (「行政诉讼」), as in the published table 四.
    """
    leaves: list[_Leaf] = []
    cells: list[tuple[Row, Column, _Leaf]] = []
    for row in table.cell_rows:
        outer = _qualifier(row)
        chain = ((f"q-{outer}", outer),) if outer else ()
        chain = (*chain, (f"row-{row.code}", row.label))
        for column in table.columns:
            leaf = _Leaf(f"{row.code}.{column.code}", column.label, chain)
            leaves.append(leaf)
            cells.append((row, column, leaf))
    head = _column_header_rows(table, leaves, "")
    tds = [
        painter.data(table, row, column, _leaf_headers(table, leaf), 1)
        for row, column, leaf in cells
    ]
    return (
        "<thead>"
        + "".join(head)
        + '</thead><tbody><tr data-row="'
        + escape(table.code)
        + '">'
        + "".join(tds)
        + "</tr></tbody>"
    )


def _qualifier(row: Row) -> str:
    short, label = row.short, row.label
    if short and short != label and short.endswith(f"（{label}）"):
        return short[: -len(label) - 2]
    return ""


__all__ = [
    "Anchors",
    "Highlights",
    "Numbering",
    "cell_id",
    "highlights_for",
    "number_findings",
    "render_part",
    "render_published_part",
    "render_report_tables",
    "render_tables",
    "table_parts",
]
