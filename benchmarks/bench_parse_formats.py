"""How fast the HTML, DOCX and PDF front ends read real reports, on one core.

Run: ``.venv/bin/python benchmarks/bench_parse_formats.py [--html N] [--docx N] [--pdf-runs N]``

Targets (issue 4, item 5): HTML ≥ 50 reports/s over a batch of 1,000; DOCX ≥ 20 reports/s;
a born-digital PDF of 10 pages in under 1 s.

Inputs are real reports: ``shared/reports/017.html`` as published, and the hand-verified seed
(泉港区 2021) and 上海市人民政府办公厅 2019 rendered as a site publishes them (UTF-8 and GBK pages,
tables with rowspan/colspan) and as Word documents, by ``tests/fixtures/rendered/make_fixtures.py``.
So that a batch is not one page parsed a thousand times, each rendered copy gets its own cell
values (a seeded random walk over table 三 and table 四; the labels stay the official ones, as in
real reports). The PDF is the checked-in ``shanghai_2019.pdf`` (the 2019 report printed in the
official layout: about ten pages, tables with ruling lines, table 三 across pages). Every parse
is checked to have produced a report, so a fast failure cannot pass for speed.

Both wall-clock and CPU time are printed; the targets are judged on CPU time (one process, one
core), which does not depend on what else the shared machine is running.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
from tests.fixtures.rendered.make_fixtures import (  # noqa: E402
    HERE,
    SOURCES,
    load,
    page_html,
    report_docx,
)

from gongkai.core.formats import T3, T4  # noqa: E402
from gongkai.core.model import AnnualReport  # noqa: E402
from gongkai.core.parse.docx import parse_docx  # noqa: E402
from gongkai.core.parse.html import parse_html  # noqa: E402
from gongkai.core.parse.pdf import parse_pdf  # noqa: E402
from gongkai.core.parse.result import ParseResult  # noqa: E402

SHARED = ROOT.parent / "shared"


def variant(report: AnnualReport, rng: random.Random) -> AnnualReport:
    """The report with other figures in tables 三 and 四 (blanks stay blank)."""
    tables = {t: {r: dict(cells) for r, cells in rows.items()} for t, rows in report.tables.items()}
    for code in (T3, T4):
        for cells in tables[code].values():
            for column, value in cells.items():
                if isinstance(value, int):
                    cells[column] = max(0, value + rng.randint(-3, 9))
    return report.model_copy(update={"tables": tables})


def run(label: str, inputs: list[bytes], parse: Callable[[bytes], ParseResult]) -> float:
    """Parse every input; print wall-clock and CPU rates; return the CPU rate."""
    wall, cpu = time.perf_counter(), time.process_time()
    for data in inputs:
        result = parse(data)
        if result.report is None:
            raise SystemExit(f"{label}: a report failed to parse: {result.reason}")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:5} {len(inputs):5d} reports: wall {wall:6.2f} s = {len(inputs) / wall:6.1f}/s, "
        f"CPU {cpu:6.2f} s = {len(inputs) / cpu:6.1f}/s"
    )
    return len(inputs) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=int, default=1000, help="HTML reports in the batch")
    parser.add_argument("--docx", type=int, default=200, help="DOCX reports in the batch")
    parser.add_argument("--pdf-runs", type=int, default=5, help="times the PDF is parsed")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = [load(name) for name in sorted(SOURCES)]

    distinct_pages = [(SHARED / "reports" / "017.html").read_bytes()]
    for index in range(49):
        report = variant(sources[index % len(sources)], rng)
        encoding = "gbk" if index % 2 else "utf-8"
        distinct_pages.append(page_html(report, charset=encoding).encode(encoding))
    pages = [distinct_pages[i % len(distinct_pages)] for i in range(args.html)]
    html_rate = run("HTML", pages, parse_html)

    distinct_docx = [report_docx(variant(sources[i % len(sources)], rng)) for i in range(20)]
    documents = [distinct_docx[i % len(distinct_docx)] for i in range(args.docx)]
    docx_rate = run("DOCX", documents, parse_docx)

    pdf_path = HERE / "shanghai_2019.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        pages_in_pdf = len(pdf.pages)
    data = pdf_path.read_bytes()
    walls, cpus = [], []
    for _ in range(args.pdf_runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = parse_pdf(data)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        if result.report is None:
            raise SystemExit(f"PDF failed to parse: {result.reason}")
    per_ten = statistics.median(cpus) / pages_in_pdf * 10
    print(
        f"PDF   {pages_in_pdf} pages, median of {len(cpus)} runs: wall "
        f"{statistics.median(walls):.3f} s, CPU {statistics.median(cpus):.3f} s "
        f"= {per_ten:.3f} s of CPU per 10 pages"
    )
    print(
        "targets (on CPU time, one core): "
        f"HTML ≥ 50/s {'met' if html_rate >= 50 else 'MISSED'}; "
        f"DOCX ≥ 20/s {'met' if docx_rate >= 20 else 'MISSED'}; "
        f"PDF 10 pages < 1 s {'met' if per_ten < 1 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
