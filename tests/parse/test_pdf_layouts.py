"""Born-digital PDFs in the shapes 江苏's reports are printed in, made here from the seed's cells.

The PDF is printed by WeasyPrint from a page built like 022.pdf: the first section's text
inside a frame drawn line by line (so pdfplumber finds a one-column "table" of prose), table 三
with its result labels merged down a narrow column (one character per line), （六）其他处理 as
one row with a blank cell beside it, a misspelt label, a long label wrapped inside its cell,
and （七）总计 with a blank label cell. The tables must be read in full, the collapsed group as
its sum, and the framed text as the section's prose.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import FORMAT_2021, T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse.pdf import _has_drawings, parse_pdf
from gongkai.core.parse.result import ParseResult

T3_TABLE = FORMAT_2021.table(T3)
OTHER_ROWS = ("other.no_correction", "other.fee_unpaid", "other.other")
CSS = """
@page { size: A4; margin: 30mm 25mm; }
body { font-family: "Noto Sans CJK SC"; font-size: 14pt; line-height: 24pt; }
p { margin: 0; text-indent: 2em; }
p.title { text-align: center; text-indent: 0; font-size: 20pt; line-height: 32pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; line-height: 12pt; }
td { border: 0.75pt solid #000; padding: 2pt; }
td.vertical { width: 1em; }
table.frame td { font-size: 14pt; line-height: 24pt; text-indent: 0; }
"""
# The same page with no ruling lines at all: each row is only a line of words on the page.
UNRULED = "td { border: none; }"
FRAMED_PROSE = (
    "2023年，示例县人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实",
    "《条例》相关规范要求，不断完善政府信息公开制度，建立健全政府信息公开保障机制。",
    "（二）依申请公开情况。进一步规范依申请公开流程，畅通依申请公开受理渠道。2023年全县",
    "受理政府信息公开申请67件，均在法定期限内答复，全年未收取信息处理费。",
)


def _seed(fixtures_dir: Path) -> AnnualReport:
    path = fixtures_dir / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))


def _cells(values: list[object]) -> str:
    return "".join(f"<td>{'' if v is None else v}</td>" for v in values)


def _row(report: AnnualReport, code: str) -> list[object]:
    return [report.cell(T3, code, c.code) for c in T3_TABLE.columns]


def _table3(report: AnnualReport) -> str:
    rows = [
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，'
        '等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
        '<td rowspan="2">总计</td></tr>',
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td>"
        "<td>其他</td></tr>",
    ]
    for code in ("new", "carried_in"):
        label = T3_TABLE.row(code).label
        rows.append(f'<tr><td colspan="3">{label}</td>{_cells(_row(report, code))}</tr>')
    results_rows = 20  # (一) (二), 8 + 3 + 5 sub-rows, (六) as one row, (七)
    first = True

    def start() -> str:
        nonlocal first
        if not first:
            return ""
        first = False
        return f'<td class="vertical" rowspan="{results_rows}">三、本年度办理结果</td>'

    for code in ("disclosed", "partly_disclosed"):
        label = T3_TABLE.row(code).label
        rows.append(f'<tr>{start()}<td colspan="2">{label}</td>{_cells(_row(report, code))}</tr>')
    for group in ("withheld", "unavailable", "not_processed"):
        members = T3_TABLE.row(group).sum_of
        for i, code in enumerate(members):
            label = T3_TABLE.row(code).label
            if code == "withheld.prohibited_by_law":
                label = "2.其他法律行政止公开"  # as printed in 022.pdf and 023.pdf
            head = ""
            if i == 0:
                head = f'<td rowspan="{len(members)}">{T3_TABLE.row(group).label}</td>'
            rows.append(f"<tr>{start()}{head}<td>{label}</td>{_cells(_row(report, code))}</tr>")
    sums = [
        sum(report.cell(T3, code, c.code) or 0 for code in OTHER_ROWS) for c in T3_TABLE.columns
    ]
    rows.append(f"<tr><td>（六）其他处理</td><td></td>{_cells(list(sums))}</tr>")
    rows.append(f"<tr><td>（七）总计</td><td></td>{_cells(_row(report, 'results_total'))}</tr>")
    label = T3_TABLE.row("carried_out").label
    rows.append(f'<tr><td colspan="3">{label}</td>{_cells(_row(report, "carried_out"))}</tr>')
    return f"<table>{''.join(rows)}</table>"


def _table4(report: AnnualReport) -> str:
    table = FORMAT_2021.table(T4)
    labels = "".join(f"<td>{c.label}</td>" for c in table.columns)
    values = [report.cell(T4, r.code, c.code) for r in table.rows for c in table.columns]
    return (
        '<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
        '<tr><td colspan="5"></td><td colspan="5">未经复议直接起诉</td>'
        '<td colspan="5">复议后起诉</td></tr>'
        f"<tr>{labels * 3}</tr><tr>{_cells(values)}</tr></table>"
    )


def _page(report: AnnualReport, *, ruled: bool = True) -> str:
    frame = "".join(f"<tr><td>{escape(line)}</td></tr>" for line in FRAMED_PROSE)
    body = [
        '<p class="title">示例县人民政府2023年政府信息公开工作年度报告</p>',
        "<p>一、总体情况</p>",
        f'<table class="frame">{frame}</table>',
        "<p>二、主动公开政府信息情况</p>",
        "<p>三、收到和处理政府信息公开申请情况</p>",
        _table3(report),
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>",
        _table4(report),
        "<p>五、存在的主要问题及改进情况</p>",
        "<p>依申请公开工作规范性还有待提高。</p>",
        "<p>六、其他需要报告的事项</p>",
        "<p>本年度未收取信息处理费。</p>",
    ]
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}{"" if ruled else UNRULED}'
        "</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


@pytest.fixture(scope="module")
def seed(fixtures_dir: Path) -> AnnualReport:
    return _seed(fixtures_dir)


def _print(html: str) -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


@pytest.fixture(scope="module")
def parsed(seed: AnnualReport) -> ParseResult:
    return parse_pdf(_print(_page(seed)), source="jiangsu-layout.pdf")


@pytest.fixture(scope="module")
def unruled_pdf(seed: AnnualReport) -> bytes:
    return _print(_page(seed, ruled=False))


def test_table_three_is_read_in_full_with_the_collapsed_group_unknown(
    parsed: ParseResult, seed: AnnualReport
) -> None:
    assert parsed.report is not None, parsed.reason
    cells = parsed.report.tables[T3]
    for row in T3_TABLE.cell_rows:
        if row.code in OTHER_ROWS:
            assert set(cells[row.code].values()) == {None}, row.code
        else:
            assert cells[row.code] == seed.tables[T3][row.code], row.code
    assert parsed.report.tables[T4] == seed.tables[T4]
    codes = sorted(p.code for p in parsed.problems if p.table == T3)
    assert codes == ["collapsed_group", "label_guessed"]


def test_the_framed_text_is_the_sections_prose(parsed: ParseResult) -> None:
    overview = parsed.narrative["overview"]
    assert "受理政府信息公开申请67件" in overview
    assert overview.startswith("2023年，示例县人民政府")


def test_the_audit_raises_nothing_false(parsed: ParseResult) -> None:
    result = audit_parsed("jiangsu-layout.pdf", "pdf", parsed)
    loud = {
        f.rule
        for f in result.findings
        if f.severity is not Severity.INFO and not f.rule.startswith("s2.")
    }
    # Section 二's tables are left out of this page on purpose: only their absence is said.
    assert loud <= {"parse.missing_table", "structure.sections"}, loud
    assert not [f for f in result.findings if f.rule.startswith("narrative.mismatch")]


def test_without_ruling_lines_the_tables_are_read_from_the_lines_of_words(
    unruled_pdf: bytes, seed: AnnualReport
) -> None:
    """Labels wrap with their cells between the halves, the merged label stands one character
    per line: the lines of words are put back together (the text alone cannot)."""
    document = pdfium.PdfDocument(unruled_pdf)
    assert not any(_has_drawings(document[i]) for i in range(len(document)))
    parsed = parse_pdf(unruled_pdf, source="unruled.pdf")
    assert parsed.report is not None, parsed.reason
    cells = parsed.report.tables[T3]
    for row in T3_TABLE.cell_rows:
        if row.code in OTHER_ROWS:
            assert set(cells[row.code].values()) == {None}, row.code
        else:
            assert cells[row.code] == seed.tables[T3][row.code], row.code
    assert parsed.report.tables[T4] == seed.tables[T4]
    codes = sorted(p.code for p in parsed.problems if p.table == T3)
    assert codes == ["collapsed_group", "label_guessed"]
    assert "受理政府信息公开申请67件" in parsed.narrative["overview"]
