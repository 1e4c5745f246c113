"""How fast is one annual report rendered as DOCX and PDF, with and without its charts?

Run: ``.venv/bin/python benchmarks/bench_render.py [--repeat R] [--report FILE.json]``. The report
is the seed (泉港区 2021, ``tests/fixtures/reports/seed_quangang_2021.json``) unless another JSON
report is given; the charts' inputs are twelve month counts and last year's report (the same
report a year earlier), so all three charts are drawn. The target is DOCX + PDF in under 5 s
(issue 11, item 8). The first run of each kind is a warm-up (imports, matplotlib's font cache,
WeasyPrint's font configuration) and is printed but not counted; the figures are the median of
the runs after it, wall and CPU time (on a busy machine the CPU time is the fairer figure).
The charts are drawn afresh in every run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "reports" / "seed_quangang_2021.json"
MONTHS = (3, 5, 7, 2, 0, 9, 4, 6, 8, 10, 7, 6)


def _timed(work: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(first run's wall time, median wall, median CPU) over ``repeat`` runs after the first."""
    start = time.perf_counter()
    work()
    first = time.perf_counter() - start
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return first, statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--report", type=Path, default=SEED)
    args = parser.parse_args(argv)

    from gongkai.core.model import AnnualReport
    from gongkai.core.render.charts import ChartInputs, clear_chart_cache
    from gongkai.core.render.report_docx import render_report_docx
    from gongkai.core.render.report_pdf import render_report_pdf

    report = AnnualReport.from_json(args.report.read_text(encoding="utf-8"))
    charts = ChartInputs(monthly=MONTHS, previous=report.with_meta(year=report.meta.year - 1))
    print(f"{report.meta.unit} {report.meta.year}; median of {args.repeat} runs after a warm-up")
    print(f"{'':26}{'first':>9}{'median':>9}{'CPU':>9}")
    totals: dict[str, float] = {}
    for label, inputs in (("without charts", None), ("with charts", charts)):

        def docx(c: ChartInputs | None = inputs) -> object:
            clear_chart_cache()  # every run draws its charts
            return render_report_docx(report, charts=c)

        def pdf(c: ChartInputs | None = inputs) -> object:
            clear_chart_cache()
            return render_report_pdf(report, charts=c)

        def both(c: ChartInputs | None = inputs) -> object:
            clear_chart_cache()  # drawn once for the two, as a download of both would
            return render_report_docx(report, charts=c), render_report_pdf(report, charts=c)

        for kind, work in (("DOCX", docx), ("PDF", pdf), ("DOCX + PDF", both)):
            first, wall, cpu = _timed(work, args.repeat)
            if kind == "DOCX + PDF":
                totals[label] = wall
            print(f"{kind + ' ' + label:26}{first:8.2f}s{wall:8.2f}s{cpu:8.2f}s")
    for label, total in totals.items():
        verdict = "OK" if total < 5 else "SLOW"
        print(f"DOCX + PDF {label}: {total:.2f} s wall (target < 5 s) {verdict}")
    return 0 if all(total < 5 for total in totals.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
