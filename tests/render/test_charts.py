"""Charts: drawn from the report (and the month counts and last year's report when given),
deterministic, and invisible to the auditor — every rendering reads back the same with them."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from lxml import etree

from gongkai.core.audit import audit_file
from gongkai.core.formats import FORMAT_2019, T3, T3_RESULT_GROUPS
from gongkai.core.model import AnnualReport
from gongkai.core.render.charts import ChartInputs, cjk_font, report_charts, year_figures
from gongkai.core.render.report_docx import render_report_docx, write_report_docx
from gongkai.core.render.report_html import render_report_html, write_report_html
from gongkai.core.render.report_pdf import render_report_pdf, write_report_pdf

pytestmark = pytest.mark.skipif(cjk_font() is None, reason="没有中文字体，不绘制图表")

TODAY = dt.date(2026, 11, 30)
MONTHLY = (3, 5, 7, 2, 0, 9, 4, 6, 8, 10, 7, 6)


@pytest.fixture(scope="module")
def inputs(seed: AnnualReport) -> ChartInputs:
    return ChartInputs(monthly=MONTHLY, previous=seed.with_meta(year=2020))


def test_three_charts_in_order_and_each_only_with_its_data(
    seed: AnnualReport, inputs: ChartInputs
) -> None:
    assert [c.key for c in report_charts(seed, inputs)] == ["monthly", "results", "years"]
    assert [c.key for c in report_charts(seed, ChartInputs())] == ["results"]
    blank = seed
    for code in T3_RESULT_GROUPS:
        for row in [r for r in seed.format.table3.cell_rows if r.code.split(".")[0] == code]:
            for column in seed.format.table3.columns:
                blank = blank.with_cell(T3, row.code, column.code, None)
    assert report_charts(blank, ChartInputs()) == ()


def test_month_counts_are_checked() -> None:
    with pytest.raises(ValueError):
        ChartInputs(monthly=(1, 2, 3))
    with pytest.raises(ValueError):
        ChartInputs(monthly=(-1,) * 12)


def test_svg_is_deterministic_and_holds_no_text(seed: AnnualReport, inputs: ChartInputs) -> None:
    first = report_charts(seed, inputs, kind="svg")
    again = report_charts(seed, inputs, kind="svg")
    assert [c.data for c in first] == [c.data for c in again]
    for chart in first:
        root = etree.fromstring(chart.data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        # Words are outlines: no <text> the auditor could read, no date, no software version.
        assert not root.findall(".//{http://www.w3.org/2000/svg}text")
        assert b"<dc:date>" not in chart.data and b"Matplotlib v" not in chart.data
        assert chart.media_type == "image/svg+xml"


def test_png_is_deterministic(seed: AnnualReport, inputs: ChartInputs) -> None:
    first = report_charts(seed, inputs, kind="png")
    assert [c.data for c in first] == [c.data for c in report_charts(seed, inputs, kind="png")]
    assert all(c.data.startswith(b"\x89PNG") and b"Software" not in c.data for c in first)


def test_charts_change_with_the_data(seed: AnnualReport) -> None:
    before = report_charts(seed, ChartInputs(monthly=MONTHLY))
    after = report_charts(seed, ChartInputs(monthly=(*MONTHLY[:-1], 60)))
    assert before[0].data != after[0].data and before[1].data == after[1].data


def test_year_figures_of_the_seed(seed: AnnualReport) -> None:
    # 本年新收 67, 上年结转 0, 办理结果总计 61, 结转下年度 6, 行政复议 3, 行政诉讼 0.
    assert year_figures(seed) == [67, 0, 61, 6, 3, 0]
    blank = seed.with_cell(T3, "new", "total", None)
    assert year_figures(blank)[0] is None


def test_html_embeds_the_charts_after_the_last_table(
    seed: AnnualReport, inputs: ChartInputs
) -> None:
    html = render_report_html(seed, charts=inputs)
    figures = re.findall(r'<figure class="chart" id="chart-(\w+)"><img src="data:image/svg', html)
    assert figures == ["monthly", "results", "years"]
    assert html.rindex("</table>") < html.index("<figure") < html.index('id="section-problems"')
    assert render_report_html(seed).count("<figure") == 0


def test_docx_holds_the_pictures(seed: AnnualReport, inputs: ChartInputs) -> None:
    document = Document(BytesIO(render_report_docx(seed, charts=inputs)))
    assert len(document.inline_shapes) == 3
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert described[0] == "2021年各月新收政府信息公开申请数量"
    assert len(Document(BytesIO(render_report_docx(seed))).inline_shapes) == 0


def test_pdf_prints_the_charts_as_pictures(seed: AnnualReport, inputs: ChartInputs) -> None:
    with pdfplumber.open(BytesIO(render_report_pdf(seed, charts=inputs))) as pdf:
        images = [image for page in pdf.pages for image in page.images]
    assert len(images) == 3


WRITERS = {"html": write_report_html, "docx": write_report_docx, "pdf": write_report_pdf}


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("name", ["seed", "2019"])
def test_the_auditor_reads_the_same_with_charts(
    kind: str, name: str, seed: AnnualReport, inputs: ChartInputs, tmp_path: Path
) -> None:
    report = seed if name == "seed" else _as_2019(seed)
    write = WRITERS[kind]
    plain = audit_file(write(report, tmp_path / f"plain.{kind}"), today=TODAY)
    drawn = audit_file(write(report, tmp_path / f"drawn.{kind}", charts=inputs), today=TODAY)
    assert plain.readable and drawn.readable
    assert plain.report is not None and drawn.report is not None
    assert drawn.report.tables == plain.report.tables == report.tables
    assert drawn.report.narrative == plain.report.narrative
    assert [(f.rule, f.message) for f in drawn.findings] == [
        (f.rule, f.message) for f in plain.findings
    ]


def _as_2019(seed: AnnualReport) -> AnnualReport:
    """The seed's table 三 and 四 in the 2019 trial format (the three (六) rows as one)."""
    t3 = {row.code: dict(seed.tables[T3].get(row.code, {})) for row in FORMAT_2019.table3.cell_rows}
    t3["other"] = {
        column: sum(
            seed.cell(T3, row, column) or 0
            for row in ("other.no_correction", "other.fee_unpaid", "other.other")
        )
        for column in seed.tables[T3]["new"]
    }
    return AnnualReport.model_validate(
        {
            "meta": {**seed.meta.model_dump(), "year": 2020, "format_version": "2019"},
            "tables": {"t3": t3, "t4": seed.tables["t4"]},
            "narrative": seed.narrative,
        }
    )
