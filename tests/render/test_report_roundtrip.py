"""Round trip: a report rendered to HTML, DOCX, PDF and text and read back by the auditor reads
the same.

For the seed, a real 2019 report and generated reports — random cells (tables that break the
rules), and consistent ones (:mod:`tests.render.generated`: tables satisfying every rule, with
blank cells and numbers up to 9,999,999) in both formats — each rendering is written to a file
and audited with :func:`gongkai.core.audit.audit_file`, the auditor's own entry point. The
tables read back (section 二's blocks, table 三, table 四) must be the rendered ones cell for
cell, blank staying blank; the metadata and narrative must survive; and the audit must find no
error that the rules do not already find in the report itself — for a consistent report, none.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.audit import audit_file
from gongkai.core.formats import FORMAT_2019, FORMAT_2021, ReportFormat, ValueKind
from gongkai.core.model import AnnualReport, CellValue, ReportKind, ReportMeta
from gongkai.core.narrative import check_narrative
from gongkai.core.render.report_docx import write_report_docx
from gongkai.core.render.report_html import paragraphs, write_report_html
from gongkai.core.render.report_pdf import write_report_pdf
from gongkai.core.render.report_text import write_report_text
from gongkai.core.rules import check_report
from tests.render.generated import consistent_report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
TODAY = dt.date(2026, 11, 30)
UNITS = ("泉港区人民政府办公室", "某市生态环境局", "某县教育局", "城关街道办事处")
WRITERS: dict[str, Callable[[AnnualReport, Path], Path]] = {
    "html": write_report_html,
    "docx": write_report_docx,
    "txt": write_report_text,
}


def _value(kind: ValueKind, rng: random.Random, big: bool) -> CellValue:
    top = 10**9 if big else 60
    if kind in (ValueKind.WAN_YUAN, ValueKind.MONEY):
        return Decimal(rng.randint(0, top * 10_000)) / 10_000
    if kind is ValueKind.SIGNED:
        return rng.randint(-top, top)
    return rng.randint(0, top)


def generated(fmt: ReportFormat, seed: int, *, blank: float, big: bool) -> AnnualReport:
    """A report of ``fmt`` with random cells; ``blank`` is the share of cells left blank."""
    rng = random.Random(seed)
    tables: dict[str, dict[str, dict[str, CellValue]]] = {}
    for table in fmt.tables:
        tables[table.code] = {
            row.code: {
                col.code: None if rng.random() < blank else _value(col.kind, rng, big)
                for col in table.columns
            }
            for row in table.cell_rows
        }
    year = rng.randint(fmt.first_year, fmt.last_year or 2025)
    narrative = {
        "overview": "本年度，本机关认真贯彻落实《条例》<b>要求</b> & 做好公开工作。\n"
        "一是加强组织领导。二是完善制度建设。",
        "problems": "存在的主要问题是公开内容不够全面。\n下一步将加强培训。",
        "other": "本年度未收取信息处理费。",
    }
    meta = ReportMeta(
        unit=rng.choice(UNITS),
        year=year,
        format_version=fmt.version,
        kind=rng.choice(list(ReportKind)),
        published=dt.date(year + 1, 1, rng.randint(5, 28)),
    )
    return AnnualReport(meta=meta, tables=tables, narrative=narrative)


def _fixture(name: str) -> AnnualReport:
    return AnnualReport.from_json((FIXTURES / name).read_text(encoding="utf-8"))


REPORTS: dict[str, Callable[[], AnnualReport]] = {
    "seed_2021": lambda: _fixture("seed_quangang_2021.json"),
    "shanghai_2019": lambda: _fixture("shanghai_2019.json"),
    "seed_blank_totals": lambda: _fixture("seed_quangang_2021.json").with_cell(
        "t3", "new", "total", None
    ),
}
for _fmt in (FORMAT_2021, FORMAT_2019):
    for _seed in range(3):
        REPORTS[f"random_{_fmt.version}_{_seed}"] = lambda f=_fmt, s=_seed: generated(
            f, s, blank=0.0, big=False
        )
        REPORTS[f"blank_{_fmt.version}_{_seed}"] = lambda f=_fmt, s=_seed: generated(
            f, 100 + s, blank=0.3, big=False
        )
        REPORTS[f"big_{_fmt.version}_{_seed}"] = lambda f=_fmt, s=_seed: generated(
            f, 200 + s, blank=0.05, big=True
        )
REPORTS["all_blank_2021"] = lambda: generated(FORMAT_2021, 300, blank=1.0, big=False)
# Consistent reports: the rules find no error in them, and must find none read back.
CONSISTENT: set[str] = set()
for _fmt in (FORMAT_2021, FORMAT_2019):
    for _seed in range(4):
        for _variant, _blank, _big in (
            ("plain", 0.0, False),
            ("blanks", 0.4, False),
            ("big", 0.1, True),
        ):
            _name = f"consistent_{_variant}_{_fmt.version}_{_seed}"
            CONSISTENT.add(_name)
            REPORTS[_name] = lambda f=_fmt, s=_seed, b=_blank, g=_big: consistent_report(
                f, 1000 * s + 7, blank=b, big=g
            )


def _errors(findings: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(f.rule, f.message) for f in findings if f.is_error}


# A PDF takes seconds to print: a few reports of each kind, not all.
PDF_REPORTS = (
    "seed_2021",
    "shanghai_2019",
    "blank_2021_0",
    "big_2019_1",
    "consistent_blanks_2021_1",
    "consistent_big_2021_2",
    "consistent_big_2019_3",
)
CASES = [(name, kind) for name in sorted(REPORTS) for kind in sorted(WRITERS)] + [
    (name, "pdf") for name in PDF_REPORTS
]


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_round_trip(name: str, kind: str, tmp_path: Path) -> None:
    report = REPORTS[name]()
    write = write_report_pdf if kind == "pdf" else WRITERS[kind]
    path = write(report, tmp_path / f"report.{kind}")
    result = audit_file(path, today=TODAY)

    assert result.readable, result.reason
    back = result.report
    assert back is not None
    assert back.meta.format_version == report.meta.format_version
    assert (back.meta.unit, back.meta.year) == (report.meta.unit, report.meta.year)
    assert back.meta.published == report.meta.published
    for table in report.format.tables:
        assert back.tables[table.code] == report.tables[table.code], table.code
    for code, text in report.narrative.items():
        # The signature after section 六 is read back as part of it; nothing may be lost.
        got = back.narrative.get(code, "")
        if kind == "pdf":
            # A PDF keeps no space where a line wraps: compare the text without white space.
            assert "".join(got.split()).startswith("".join(text.split())), code
        else:
            assert paragraphs(got)[: len(paragraphs(text))] == paragraphs(text), code

    original = check_report(report, today=TODAY) + check_narrative(report)
    assert _errors(result.findings) <= _errors(original)
    if name in CONSISTENT:
        assert not _errors(original) and not _errors(result.findings)
