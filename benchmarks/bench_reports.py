"""How fast is a unit's annual report built and checked from its cases?

Run: ``.venv/bin/python benchmarks/bench_reports.py [--applications N] [--repeat R]``. The cases
are bulk-inserted by ``bench_web.populate`` (one unit holding all of them, five years of history
shaped like a real office); with ``DATABASE_URL=postgresql://…`` it runs on PostgreSQL, otherwise
on a temporary SQLite file. The target is a report from 10,000 applications in under 1 s (issue
11, item 8): built (table 三, table 四, section 六's fees — one query each) and checked by every
rule.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_web


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        backend, teardown = bench_web.setup(Path(tmp))
        try:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            from gongkai.applications.models import Application
            from gongkai.core.formats import COL_TOTAL, T3, T3_NEW
            from gongkai.reports.builder import build_report
            from gongkai.reports.checks import check_built

            clerk, _ = bench_web.populate(args.applications, 1, random.Random(args.seed))
            unit = clerk.membership.unit
            year = bench_web.TODAY.year - 1
            print(f"{backend}: {Application.objects.count():,} applications in one unit")
            print(f"{'year':<6} {'new':>7} {'build ms':>9} {'check ms':>9} {'queries':>8}")
            for y in range(year - 3, year + 1):
                build_report(unit=unit, year=y)  # warm the connection and the format
                builds, checks = [], []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    report = build_report(unit=unit, year=y)
                    middle = time.perf_counter()
                    check_built(report, today=bench_web.TODAY)
                    builds.append((middle - start) * 1000)
                    checks.append((time.perf_counter() - middle) * 1000)
                with CaptureQueriesContext(connection) as captured:
                    report = build_report(unit=unit, year=y)
                print(
                    f"{y:<6} {report.cell(T3, T3_NEW, COL_TOTAL):>7,} "
                    f"{statistics.median(builds):>9.1f} {statistics.median(checks):>9.1f} "
                    f"{len(captured):>8}"
                )
        finally:
            teardown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
