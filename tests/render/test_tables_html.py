"""The table renderer draws every table as the format declares it, in the official layout."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.findings import WHOLE_ROW, Category, CellRef, Finding, Severity
from gongkai.core.formats import (
    APPLICANT_COLUMNS,
    APPLICANT_GROUP_LABEL,
    FORMAT_2019,
    FORMAT_2021,
    LITIGATION_GROUP_LABEL,
    ORGANISATION_GROUP_LABEL,
    S2_CONTENT_HEADER,
    T3,
    T3_BALANCE_NOTE,
    T3_RESULTS_HEADER,
    ReportFormat,
    Row,
    get_format,
)
from gongkai.core.model import AnnualReport, ReportMeta
from gongkai.core.render.tables_html import (
    Anchors,
    cell_id,
    highlights_for,
    number_findings,
    render_report_tables,
    render_tables,
)
from tests.render.conftest import published_tables
from tests.render.htmltree import Element, grid_widths, parse

FORMATS = pytest.mark.parametrize("fmt", [FORMAT_2019, FORMAT_2021], ids=["2019", "2021"])


def empty(fmt: ReportFormat) -> AnnualReport:
    year = fmt.first_year
    return AnnualReport.empty(ReportMeta(unit="某局", year=year, format_version=fmt.version))


def drawn(fmt: ReportFormat, report: AnnualReport | None = None, **kwargs: object) -> Element:
    report = report or empty(fmt)
    return parse(render_tables(fmt, report.tables, **kwargs))  # type: ignore[arg-type]


def data_rows(table: Element) -> list[Element]:
    return [tr for tr in table.find("tbody").find_all("tr") if tr.find_all("td")]


def row_headers(table: Element) -> list[Element]:
    return [th for th in table.find("tbody").find_all("th") if th.attrs["scope"] != "col"]


def t3_of(doc: Element) -> Element:
    return doc.by_id("table-t3")


@FORMATS
def test_every_table_is_drawn_once_in_declared_order(fmt: ReportFormat) -> None:
    doc = drawn(fmt)
    codes = " ".join(t.attrs["data-tables"] for t in doc.find_all("table")).split()
    assert codes == [t.code for t in fmt.tables]


@pytest.mark.parametrize(
    ("fmt", "rows"), [(FORMAT_2019, 23), (FORMAT_2021, 25)], ids=["2019", "2021"]
)
def test_table3_has_one_data_row_per_declared_row_with_cells(fmt: ReportFormat, rows: int) -> None:
    t3 = t3_of(drawn(fmt))
    assert len(data_rows(t3)) == rows == len(fmt.table3.cell_rows)
    assert all(len(tr.find_all("td")) == len(fmt.table3.columns) for tr in data_rows(t3))


@FORMATS
def test_table3_row_labels_are_the_declared_labels_in_order(fmt: ReportFormat) -> None:
    t3 = t3_of(drawn(fmt))
    assert [th.own_text() for th in row_headers(t3)] == [row.label for row in fmt.table3.rows]
    for th in row_headers(t3):
        assert f"level-{fmt.table3.row(th.attrs['data-row']).level}" in th.classes


@pytest.mark.parametrize(
    ("fmt", "results_span", "other_span"), [(FORMAT_2019, 20, 1), (FORMAT_2021, 22, 3)]
)
def test_table3_groups_span_their_members_as_published(
    fmt: ReportFormat, results_span: int, other_span: int
) -> None:
    t3 = t3_of(drawn(fmt))
    results = t3.by_id("t3-r-results")
    assert results.own_text() == T3_RESULTS_HEADER
    assert (results.attrs["scope"], results.span("rowspan")) == ("rowgroup", results_span)
    assert t3.by_id("t3-r-withheld").span("rowspan") == 8
    assert t3.by_id("t3-r-unavailable").span("rowspan") == 3
    assert t3.by_id("t3-r-not_processed").span("rowspan") == 5
    other = t3.by_id("t3-r-other")
    assert other.span("rowspan") == other_span
    # 2019: one row of cells whose label spans both label columns; 2021: a group of three.
    assert other.attrs["scope"] == ("rowgroup" if other_span > 1 else "row")
    assert other.span("colspan") == (1 if other_span > 1 else 2)


@FORMATS
def test_table3_has_the_official_three_row_column_header(fmt: ReportFormat) -> None:
    head = t3_of(drawn(fmt)).find("thead").find_all("tr")
    cells = [
        [(th.text(), th.span("rowspan"), th.span("colspan")) for th in tr.find_all("th")]
        for tr in head
    ]
    organisations = [c.label for c in APPLICANT_COLUMNS[1:]]
    assert cells == [
        [(T3_BALANCE_NOTE, 3, 3), (APPLICANT_GROUP_LABEL, 1, 7)],
        [("自然人", 2, 1), (ORGANISATION_GROUP_LABEL, 1, 5), ("总计", 2, 1)],
        [(label, 1, 1) for label in organisations],
    ]


@FORMATS
def test_table4_is_one_record_under_reconsideration_and_litigation(fmt: ReportFormat) -> None:
    t4 = drawn(fmt).by_id("table-t4")
    head = [
        [(th.text(), th.span("colspan")) for th in tr.find_all("th")]
        for tr in t4.find("thead").find_all("tr")
    ]
    results = [c.label for c in fmt.table4.columns]
    assert head[0] == [("行政复议", 5), (LITIGATION_GROUP_LABEL, 10)]
    assert head[1] == [(label, 1) for label in results] + [
        ("未经复议直接起诉", 5),
        ("复议后起诉", 5),
    ]
    assert head[2] == [(label, 1) for label in results * 2]
    assert [len(tr.find_all("td")) for tr in data_rows(t4)] == [15]


def test_table4_matches_the_published_layout(shanghai_2019_html: str) -> None:
    published = published_tables(shanghai_2019_html)[2].find_all("tr")[:3]
    ours = drawn(FORMAT_2019).by_id("table-t4").find("thead").find_all("tr")

    def shape(rows: list[Element]) -> list[list[tuple[str, int, int]]]:
        return [
            [
                (c.text().strip(), c.span("rowspan"), c.span("colspan"))
                for c in tr.children
                if isinstance(c, Element)
            ]
            for tr in rows
        ]

    assert shape(ours) == shape(published)


def test_table3_matches_the_published_layout(shanghai_2019_html: str) -> None:
    """Labels, rowspans and colspans of every label cell equal those of a real published page."""

    def labels(table: Element) -> list[tuple[str, int, int]]:
        return [
            (c.own_text().replace("\xa0", "").strip(), c.span("rowspan"), c.span("colspan"))
            for tr in table.find_all("tr")
            for c in tr.children
            if isinstance(c, Element) and not _is_number(c.own_text())
        ]

    published = published_tables(shanghai_2019_html)[1]
    ours = t3_of(drawn(FORMAT_2019))
    assert labels(ours) == [x for x in labels(published) if x[0]]


def _is_number(text: str) -> bool:
    text = text.replace("\xa0", "").strip()
    return text.isdigit() or text in ("", "空白")


@FORMATS
def test_section2_blocks_carry_their_header_and_content_header_row(fmt: ReportFormat) -> None:
    table = drawn(fmt).by_id("table-s2")
    bodies = table.find_all("tbody")
    assert [b.attrs["data-table"] for b in bodies] == [t.code for t in fmt.section2]
    for body, block in zip(bodies, fmt.section2, strict=True):
        header, columns, *rows = body.find_all("tr")
        assert header.find("th").text() == block.header
        assert [th.text() for th in columns.find_all("th")] == [
            S2_CONTENT_HEADER,
            *(c.label for c in block.columns),
        ]
        assert [tr.find("th").text() for tr in rows] == [r.label for r in block.rows]


@FORMATS
def test_every_table_is_a_rectangular_grid(fmt: ReportFormat) -> None:
    for table in drawn(fmt).find_all("table"):
        widths = grid_widths(table)
        assert len(set(widths)) == 1, (table.attrs["id"], widths)


@FORMATS
def test_every_data_cell_names_existing_row_and_column_headers(fmt: ReportFormat) -> None:
    doc = drawn(fmt)
    ids = {e.attrs["id"] for e in doc.iter() if "id" in e.attrs}
    for td in doc.find_all("td"):
        headers = td.attrs["headers"].split()
        assert headers and set(headers) <= ids
        table, row, column = td.attrs["data-cell"].split("/")
        labels = {doc.by_id(h).text() for h in headers}
        declared = fmt.table(table)
        assert declared.column(column).label in labels
        assert declared.row(row).label in labels
    assert all("scope" in th.attrs for th in doc.find_all("th"))


def test_a_cell_deep_in_table3_is_announced_with_all_its_headers(seed: AnnualReport) -> None:
    doc = parse(render_report_tables(seed))
    td = doc.find("td", **{"data-cell": "t3/withheld.state_secret/commercial"})
    assert [doc.by_id(h).text() for h in td.attrs["headers"].split()] == [
        T3_RESULTS_HEADER,
        "（三）不予公开",
        "1.属于国家秘密",
        APPLICANT_GROUP_LABEL,
        ORGANISATION_GROUP_LABEL,
        "商业企业",
    ]


def test_values_are_shown_as_published(seed: AnnualReport) -> None:
    doc = parse(render_report_tables(seed))

    def text(ref: str) -> str:
        return doc.find("td", **{"data-cell": ref}).text()

    assert text("t3/new/natural_person") == "67"
    assert text("t3/results_total/total") == "61"
    assert text("s2.art20_8/admin_fees/amount") == "22.5981"
    assert text("t4/reconsideration/upheld") == "3"


def test_a_blank_cell_looks_different_from_zero(seed: AnnualReport) -> None:
    report = seed.with_cell("t3", "carried_in", "commercial", None)
    doc = parse(render_report_tables(report))
    blank = doc.find("td", **{"data-cell": "t3/carried_in/commercial"})
    zero = doc.find("td", **{"data-cell": "t3/carried_in/research"})
    assert "blank" in blank.classes and blank.text() == "空白" and "0" not in blank.text()
    assert "blank" not in zero.classes and zero.text() == "0"
    assert "不同于 0" in blank.attrs["title"]


def _parse_finding(code: str, row: str) -> Finding:
    return Finding(
        rule=f"parse.{code}",
        severity=Severity.WARNING,
        category=Category.FORMAT,
        message=f"表三「{row}」行的问题",
        citation="格式",
        cells=(CellRef(table="t3", row=row, column=WHOLE_ROW),),
    )


def test_a_cell_not_read_is_not_called_blank(seed: AnnualReport) -> None:
    """A row the parser could not read is 「未读出」, not 「空白」: the report may print a
    number there. A blank cell elsewhere is still 「空白」."""
    report = seed.with_cell("t3", "carried_in", "commercial", None)
    for column in FORMAT_2021.table3.columns:
        report = report.with_cell("t3", "disclosed", column.code, None)
    findings = [_parse_finding("ambiguous_row", "disclosed")]
    doc = parse(render_report_tables(report, highlights=highlights_for(findings)))
    unread = doc.find("td", **{"data-cell": "t3/disclosed/natural_person"})
    assert {"blank", "unread"} <= unread.classes and unread.own_text() == "未读出"
    assert "未能读出" in unread.attrs["title"] and "空白：" not in unread.attrs["title"]
    blank = doc.find("td", **{"data-cell": "t3/carried_in/commercial"})
    assert "unread" not in blank.classes and blank.text() == "空白"


def test_a_row_read_for_its_total_only_shows_the_total(seed: AnnualReport) -> None:
    report = seed
    for column in FORMAT_2021.table3.columns[:-1]:
        report = report.with_cell("t3", "new", column.code, None)
    doc = parse(
        render_report_tables(
            report, highlights=highlights_for([_parse_finding("total_only", "new")])
        )
    )
    assert doc.find("td", **{"data-cell": "t3/new/total"}).own_text() == "67"
    member = doc.find("td", **{"data-cell": "t3/new/natural_person"})
    assert member.own_text() == "未读出"


def test_a_note_that_reads_the_row_leaves_its_blanks_blank(seed: AnnualReport) -> None:
    """Not every parse note means cells were not read (a guessed label was read)."""
    report = seed.with_cell("t3", "new", "commercial", None)
    findings = [_parse_finding("label_guessed", "new")]
    doc = parse(render_report_tables(report, highlights=highlights_for(findings)))
    assert doc.find("td", **{"data-cell": "t3/new/commercial"}).own_text() == "空白"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=7, max_size=7))
def test_any_row_of_values_is_drawn_cell_by_cell(values: list[int | None]) -> None:
    report = empty(FORMAT_2021)
    for column, value in zip(FORMAT_2021.table3.columns, values, strict=True):
        report = report.with_cell("t3", "disclosed", column.code, value)
    doc = parse(render_report_tables(report))
    for column, value in zip(FORMAT_2021.table3.columns, values, strict=True):
        td = doc.find("td", **{"data-cell": f"t3/disclosed/{column.code}"})
        assert td.text() == ("空白" if value is None else str(value))
        assert ("blank" in td.classes) is (value is None)


def test_a_cell_named_by_a_finding_is_highlighted_and_linked(
    seed: AnnualReport, row_total_error: Finding, blank_warning: Finding
) -> None:
    findings = [row_total_error, blank_warning]
    doc = parse(
        render_report_tables(
            seed, highlights=highlights_for(findings), numbering=number_findings(findings)
        )
    )
    total = doc.find("td", **{"data-cell": "t3/new/total"})
    assert {"hl", "hl-error"} <= total.classes
    assert total.attrs["data-findings"] == "1"
    assert row_total_error.message in total.attrs["title"]
    assert [a.attrs["href"] for a in total.find_all("a")] == ["#finding-1"]
    assert total.own_text() == "67"
    warned = doc.find("td", **{"data-cell": "t3/carried_in/commercial"})
    assert {"hl", "hl-warning"} <= warned.classes and warned.attrs["data-findings"] == "2"
    plain = doc.find("td", **{"data-cell": "t3/new/commercial"})
    assert "hl" not in plain.classes and "data-findings" not in plain.attrs


def test_a_dismissed_finding_keeps_its_struck_number_and_lights_nothing(
    seed: AnnualReport, row_total_error: Finding, blank_warning: Finding
) -> None:
    """The workspace's evaluator dismissed the error: its cells keep its number (struck
    through, said so in the tooltip) and the anchor a list links to, but only an open finding
    on the same cell lights it."""
    both = blank_warning.model_copy(update={"cells": row_total_error.cells[:1]})
    findings = [row_total_error, both]
    anchors: Anchors = {}
    doc = parse(
        render_report_tables(
            seed,
            highlights=highlights_for(findings),
            numbering=number_findings(findings),
            anchors=anchors,
            dismissed={row_total_error},
        )
    )
    only = doc.find("td", **{"data-cell": "t3/new/natural_person"})
    assert "hl" not in only.classes and "hl-dismissed" in only.classes
    assert only.attrs["data-findings"] == only.attrs["data-dismissed"] == "1"
    (link,) = only.find_all("a")
    assert link.attrs["href"] == "#finding-1" and "dismissed" in link.classes
    assert link.find("s").text() == "1" and "已排除" in link.attrs["aria-label"]
    assert f"[1] 已排除的错误：{row_total_error.message}" in only.attrs["title"]
    assert anchors[row_total_error.cells[1]] == only.attrs["id"]
    shared = doc.find("td", **{"data-cell": "t3/new/total"})
    assert {"hl", "hl-warning"} <= shared.classes and "hl-error" not in shared.classes
    assert shared.attrs["data-findings"] == "1 2" and shared.attrs["data-dismissed"] == "1"


def test_a_row_not_read_stays_unread_when_its_note_is_dismissed(seed: AnnualReport) -> None:
    """Dismissing the parser's note does not make the row's cells blank: they were not read."""
    report = seed
    for column in FORMAT_2021.table3.columns:
        report = report.with_cell("t3", "disclosed", column.code, None)
    findings = [_parse_finding("ambiguous_row", "disclosed")]
    doc = parse(
        render_report_tables(report, highlights=highlights_for(findings), dismissed=findings)
    )
    unread = doc.find("td", **{"data-cell": "t3/disclosed/natural_person"})
    assert unread.own_text() == "未读出" and "hl-dismissed" in unread.classes


def test_the_worst_severity_colours_a_cell_named_twice(
    seed: AnnualReport, row_total_error: Finding, blank_warning: Finding
) -> None:
    both = blank_warning.model_copy(update={"cells": row_total_error.cells[:1]})
    findings = [both, row_total_error]
    doc = parse(render_report_tables(seed, highlights=highlights_for(findings)))
    total = doc.find("td", **{"data-cell": "t3/new/total"})
    assert "hl-error" in total.classes and "hl-warning" not in total.classes
    # Without a numbering, errors come first.
    assert total.attrs["data-findings"] == "1 2"


def test_a_finding_on_a_group_row_marks_the_group_header(
    seed: AnnualReport, narrative_error: Finding
) -> None:
    doc = parse(render_report_tables(seed, highlights=highlights_for([narrative_error])))
    group = doc.by_id("t3-r-unavailable")
    assert {"hl", "hl-error"} <= group.classes
    assert group.own_text() == "（四）无法提供"
    assert narrative_error.message in group.attrs["title"]
    assert group.find("a").attrs["href"] == "#finding-1"


def test_a_row_added_to_the_declaration_appears_without_touching_the_renderer() -> None:
    """A provincial extra row under （三）不予公开 and a new block: drawn from the declaration."""
    t3 = FORMAT_2021.table3
    extra = Row("withheld.provincial", "9.属于本省规定不予公开的其他情形", level=2)
    at = t3.rows.index(t3.row("withheld.query_matter")) + 1
    withheld = dataclasses.replace(
        t3.row("withheld"), sum_of=(*t3.row("withheld").sum_of, extra.code)
    )
    rows = [withheld if r.code == "withheld" else r for r in t3.rows]
    rows.insert(at, extra)
    new_t3 = dataclasses.replace(t3, rows=tuple(rows))
    fmt = dataclasses.replace(
        FORMAT_2021, tables=tuple(new_t3 if t.code == "t3" else t for t in FORMAT_2021.tables)
    )
    table = t3_of(parse(render_tables(fmt, {})))
    assert len(data_rows(table)) == 26
    assert table.by_id("t3-r-withheld").span("rowspan") == 9
    assert table.by_id("t3-r-results").span("rowspan") == 23
    assert table.by_id("t3-r-withheld.provincial").text() == extra.label
    assert len(set(grid_widths(table))) == 1


def test_the_renderer_escapes_labels_from_the_declaration() -> None:
    t4 = FORMAT_2021.table4
    evil = dataclasses.replace(t4.row("reconsideration"), label="<b>行政复议</b>")
    fmt = dataclasses.replace(
        FORMAT_2021,
        tables=tuple(
            dataclasses.replace(t4, rows=(evil, *t4.rows[1:])) if t.code == "t4" else t
            for t in FORMAT_2021.tables
        ),
    )
    html = render_tables(fmt, {})
    assert "<b>" not in html and "&lt;b&gt;行政复议&lt;/b&gt;" in html


def test_a_real_2019_report_is_drawn_with_its_blanks(shanghai_2019: AnnualReport) -> None:
    doc = parse(render_report_tables(shanghai_2019))
    assert doc.find("td", **{"data-cell": "t3/new/total"}).text() == "859"
    disclosed_total = doc.find("td", **{"data-cell": "t3/disclosed/total"})
    assert "blank" in disclosed_total.classes  # published blank; the narrative's 258 is elsewhere
    assert doc.find("td", **{"data-cell": "t4/litigation_direct/total"}).text() == "9"


def test_a_finding_on_a_whole_row_marks_every_cell_of_it(seed: AnnualReport) -> None:
    """A row the parser could not read, or a group printed as one row, names no single cell:
    every cell of the row (of the group's rows) is marked, and no other."""
    fmt = get_format(seed.meta.format_version)
    table = fmt.table(T3)
    group = next(
        r
        for r in table.rows
        if not r.has_cells and r.sum_of and all(table.row(m).has_cells for m in r.sum_of)
    )
    row = next(r for r in table.cell_rows if r.code not in group.sum_of)
    notes = [
        Finding(
            rule=f"parse.{code}",
            severity=Severity.WARNING,
            category=Category.FORMAT,
            message=f"{code} 的说明",
            cells=(CellRef(table=T3, row=target.code, column=WHOLE_ROW),),
        )
        for code, target in (("ambiguous_row", row), ("collapsed_group", group))
    ]
    doc = parse(render_report_tables(seed, highlights=highlights_for(notes)))
    marked = {td.attrs["data-cell"] for td in doc.find_all("td") if "hl" in td.classes}
    expected = {f"{T3}/{r}/{c.code}" for r in (row.code, *group.sum_of) for c in table.columns}
    assert marked == expected


@FORMATS
def test_every_data_cell_has_a_stable_id_of_its_own(fmt: ReportFormat) -> None:
    """A finding's list links to a cell by this id: it must be unique and made from the codes."""
    doc = drawn(fmt)
    ids = [e.attrs["id"] for e in doc.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    cells = [td for td in doc.find_all("td") if "data-cell" in td.attrs]
    assert len(cells) == sum(len(t.cell_rows) * len(t.columns) for t in fmt.tables)
    for td in cells:
        table, row, column = td.attrs["data-cell"].split("/")
        assert td.attrs["id"] == cell_id(CellRef(table=table, row=row, column=column))


def test_anchors_say_where_each_named_cell_was_drawn(
    seed: AnnualReport, row_total_error: Finding, narrative_error: Finding
) -> None:
    """A cell: its own cell; a group named by a column: the group's header; a whole row: its
    first cell; a whole group: its first member's first cell; a cell not drawn: nothing."""
    fmt = get_format(seed.meta.format_version)
    table = fmt.table(T3)
    group = next(
        r
        for r in table.rows
        if not r.has_cells and r.sum_of and all(table.row(m).has_cells for m in r.sum_of)
    )
    row = next(r for r in table.cell_rows if r.code not in group.sum_of)
    first_member = next(r for r in table.cell_rows if r.code in group.sum_of)
    whole_row, whole_group = (CellRef(table=T3, row=r.code, column=WHOLE_ROW) for r in (row, group))
    nowhere = (
        CellRef(table="t9", row="new", column="total"),
        CellRef(table=T3, row="no_such_row", column="total"),
        CellRef(table=T3, row="new", column="no_such_column"),
    )
    parse_note = Finding(
        rule="parse.rows",
        severity=Severity.WARNING,
        category=Category.FORMAT,
        message="行未读出",
        cells=(whole_row, whole_group, *nowhere),
    )
    findings = [row_total_error, narrative_error, parse_note]
    anchors: Anchors = {}
    doc = parse(render_report_tables(seed, highlights=highlights_for(findings), anchors=anchors))

    def first_cell(row_code: str) -> str:
        tr = doc.find("tr", **{"data-row": row_code})
        return tr.find_all("td")[0].attrs["id"]

    assert anchors == {
        row_total_error.cells[0]: doc.find("td", **{"data-cell": "t3/new/total"}).attrs["id"],
        row_total_error.cells[1]: "t3-d-new-natural_person",
        narrative_error.cells[0]: "t3-r-unavailable",
        whole_row: first_cell(row.code),
        whole_group: first_cell(first_member.code),
    }
    for ident in anchors.values():
        assert "hl" in doc.by_id(ident).classes
