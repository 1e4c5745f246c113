"""Reports and findings for the renderer tests: the seed, a real 2019 report, hand-made findings.

The findings are written by hand (not produced by the rules engine) so that each test knows
exactly which cell must be highlighted with what.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.audit_result import AuditResult, from_report, unreadable
from gongkai.core.findings import Category, CellRef, Finding, Severity
from gongkai.core.formats import FORMAT_2019
from gongkai.core.model import AnnualReport, ReportKind, ReportMeta
from tests.render.htmltree import Element, parse

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "seed_quangang_2021.json"


def cell(table: str, row: str, column: str) -> CellRef:
    return CellRef(table=table, row=row, column=column)


@pytest.fixture(scope="session")
def seed() -> AnnualReport:
    return AnnualReport.from_json(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def row_total_error() -> Finding:
    return Finding(
        rule="t3.row_total",
        severity=Severity.ERROR,
        category=Category.TABLE,
        message="表三「一、本年新收政府信息公开申请数量」：总计 68 ≠ 各类申请人之和 67",
        citation="表三各行：总计 = 自然人 + 法人或其他组织各列",
        cells=(cell("t3", "new", "total"), cell("t3", "new", "natural_person")),
    )


@pytest.fixture(scope="session")
def narrative_error() -> Finding:
    return Finding(
        rule="narrative.mismatch",
        severity=Severity.ERROR,
        category=Category.NARRATIVE,
        message="正文称「无法提供」16 件，表三（四）无法提供合计为 15 件",
        citation="《条例》第五十条",
        cells=(cell("t3", "unavailable", "total"),),
        excerpt="无法提供16件，不予处理0件，其他处理9件",
    )


@pytest.fixture(scope="session")
def blank_warning() -> Finding:
    return Finding(
        rule="cells.blank",
        severity=Severity.WARNING,
        category=Category.TABLE,
        message="表三「二、上年结转政府信息公开申请数量」「商业企业」为空白，应填 0",
        cells=(cell("t3", "carried_in", "commercial"),),
    )


@pytest.fixture(scope="session")
def publication_info() -> Finding:
    return Finding(
        rule="publication.date",
        severity=Severity.INFO,
        category=Category.PUBLICATION,
        message="发布日期 2022-01-10 在法定期限内",
    )


@pytest.fixture(scope="session")
def mutated(seed: AnnualReport) -> AnnualReport:
    """The seed with 本年新收 总计 changed to 68 and one 上年结转 cell blanked."""
    return seed.with_cell("t3", "new", "total", 68).with_cell(
        "t3", "carried_in", "commercial", None
    )


@pytest.fixture(scope="session")
def audited(
    mutated: AnnualReport,
    row_total_error: Finding,
    narrative_error: Finding,
    blank_warning: Finding,
    publication_info: Finding,
) -> AuditResult:
    findings = [publication_info, blank_warning, narrative_error, row_total_error]
    return from_report("corpus/000_seed.txt", "text", mutated, findings)


@pytest.fixture(scope="session")
def clean(seed: AnnualReport) -> AuditResult:
    return from_report("other/000_seed.txt", "text", seed, [])


@pytest.fixture(scope="session")
def garbage() -> AuditResult:
    return unreadable("junk/garbage.bin", "unknown", "不是年度报告：文件内容为二进制数据，无法识别")


# --------------------------------------------------------------------------------------------
# A real 2019 report: 上海市人民政府办公厅 2019 (shared/reports/017.html), tables 三 and 四.
# --------------------------------------------------------------------------------------------


def published_tables(html: str) -> list[Element]:
    return parse(html).find_all("table")


def _number(text: str) -> int | None:
    text = text.replace("\xa0", "").strip()
    return int(text) if text else None


@pytest.fixture(scope="session")
def shanghai_2019_html(shared_dir: Path) -> str:
    return (shared_dir / "reports" / "017.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shanghai_2019(shanghai_2019_html: str) -> AnnualReport:
    """Tables 三 and 四 as published; blank cells stay blank. Section 二 is left out."""
    _, t3, t4 = published_tables(shanghai_2019_html)
    t3_rows = t3.find_all("tr")[3:]
    declared = FORMAT_2019.table3
    assert len(t3_rows) == len(declared.cell_rows)
    cells_3 = {}
    for row, tr in zip(declared.cell_rows, t3_rows, strict=True):
        values = [c for c in tr.children if isinstance(c, Element)][-len(declared.columns) :]
        cells_3[row.code] = {
            col.code: _number(v.text()) for col, v in zip(declared.columns, values, strict=True)
        }
    record = [c for c in t4.find_all("tr")[-1].children if isinstance(c, Element)]
    t4_decl = FORMAT_2019.table4
    values = iter(_number(c.text()) for c in record)
    cells_4 = {
        row.code: {col.code: next(values) for col in t4_decl.columns} for row in t4_decl.rows
    }
    meta = ReportMeta(
        unit="上海市人民政府办公厅",
        year=2019,
        format_version="2019",
        kind=ReportKind.GOVERNMENT,
        source="shared/reports/017.html",
    )
    return AnnualReport(meta=meta, tables={"t3": cells_3, "t4": cells_4})
