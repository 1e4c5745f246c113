"""The published report page: sections, headings, tables with merged headers, blanks, escaping."""

from __future__ import annotations

from gongkai.core.formats import (
    APPLICANT_GROUP_LABEL,
    COL_NATURAL_PERSON,
    COL_TOTAL,
    LITIGATION_GROUP_LABEL,
    ORGANISATION_GROUP_LABEL,
    T3,
    T3_NEW,
)
from gongkai.core.model import AnnualReport
from gongkai.core.render.report_html import render_report_html, report_title
from tests.render.htmltree import parse


def test_sections_in_order_with_headings(seed: AnnualReport) -> None:
    page = parse(render_report_html(seed))
    assert page.find("h1").text() == report_title(seed) == "泉港区2021年政府信息公开工作年度报告"
    headings = [h.text() for h in page.find_all("h2")]
    assert headings == [f"{s.number}、{s.heading}" for s in seed.format.sections]
    assert headings[0] == "一、总体情况" and headings[-1] == "六、其他需要报告的事项"


def test_table_three_has_the_merged_header(seed: AnnualReport) -> None:
    page = parse(render_report_html(seed))
    table = page.by_id("table-t3")
    heads = {th.text(): th for th in table.find("thead").find_all("th")}
    assert heads[APPLICANT_GROUP_LABEL].span("colspan") == 7
    assert heads[ORGANISATION_GROUP_LABEL].span("colspan") == 5
    assert heads["自然人"].span("rowspan") == 2
    assert heads["总计"].span("rowspan") == 2
    groups = {th.text(): th for th in table.find_all("th", scope="rowgroup")}
    assert groups["三、本年度办理结果"].span("rowspan") == 22
    assert groups["（三）不予公开"].span("rowspan") == 8


def test_table_four_has_its_groups(seed: AnnualReport) -> None:
    page = parse(render_report_html(seed))
    heads = {th.text(): th for th in page.by_id("table-t4").find_all("th")}
    assert heads["行政复议"].span("colspan") == 5
    assert heads[LITIGATION_GROUP_LABEL].span("colspan") == 10


def test_blank_prints_empty_and_zero_prints_zero(seed: AnnualReport) -> None:
    report = seed.with_cell(T3, T3_NEW, COL_TOTAL, None).with_cell(
        T3, T3_NEW, COL_NATURAL_PERSON, 0
    )
    page = parse(render_report_html(report))
    blank = page.find("td", **{"data-cell": f"{T3}/{T3_NEW}/{COL_TOTAL}"})
    zero = page.find("td", **{"data-cell": f"{T3}/{T3_NEW}/{COL_NATURAL_PERSON}"})
    assert blank.text() == ""
    assert zero.text() == "0"
    assert "空白" not in page.text()


def test_everything_is_escaped(seed: AnnualReport) -> None:
    report = seed.with_meta(unit="某局<script>alert(1)</script>&")
    report = AnnualReport.model_validate(
        {**report.model_dump(), "narrative": {"overview": "甲<b>乙</b>&丙\n第二段"}}
    )
    html = render_report_html(report)
    assert "<script>" not in html and "<b>" not in html
    page = parse(html)
    assert page.find("h1").text().startswith("某局<script>")
    paragraphs = [p.text() for p in page.find_all("p")]
    assert paragraphs[:2] == ["甲<b>乙</b>&丙", "第二段"]
