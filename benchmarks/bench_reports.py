"""How fast is a unit's annual report built and checked from its cases, and a district's
roll-up from its units' published reports?

Run: ``.venv/bin/python benchmarks/bench_reports.py [--applications N] [--units U] [--repeat R]``.
The cases are bulk-inserted by ``bench_web.populate`` (one unit holding all of them, five years of
history shaped like a real office); with ``DATABASE_URL=postgresql://…`` it runs on PostgreSQL,
otherwise on a temporary SQLite file. The targets (issue 11, item 8):

* a report from 10,000 applications in under 1 s: built (table 三, table 四, section 六's fees —
  one query each) and checked by every rule;
* a roll-up of 50 units in under 3 s: the supervising office's unit (its report built from the
  10,000 applications) and 49 units below it, each with a published report (random but
  consistent, as ``bench_rules`` makes them), read, summed cell by cell and checked by every
  rule (:func:`gongkai.reports.selectors.rollup_of`, what the roll-up page and its publication
  run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_web


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--units", type=int, default=50, help="units in the roll-up")
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
            rollup_figures(unit, year, args.units, args.repeat, random.Random(args.seed))
        finally:
            teardown()
    return 0


def rollup_figures(root: Any, year: int, n_units: int, repeat: int, rng: random.Random) -> None:
    """Publish ``year``'s report of ``root`` and of ``n_units - 1`` new units below it, then
    time the roll-up of all of them (read, summed, checked), median of ``repeat`` runs."""
    import bench_rules
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from gongkai.agencies.services import unit_create
    from gongkai.core.model import ReportKind
    from gongkai.reports.builder import build_report
    from gongkai.reports.models import PublishedReport, content_sha256
    from gongkai.reports.selectors import rollup_of

    officer = get_user_model().objects.order_by("pk").first()
    published = dt.date(year + 1, 1, 20)
    with transaction.atomic():
        reports = [(root, build_report(unit=root, year=year).with_meta(published=published))]
        for i in range(1, n_units):
            unit = unit_create(
                name=f"基准测试区汇总第{i}局",
                short_name=f"汇总{i}局",
                kind=ReportKind.DEPARTMENT.value,
                parent=root,
            )
            made = bench_rules.report(rng, unit.name, year, None)
            reports.append((unit, made.with_meta(kind=ReportKind.DEPARTMENT, published=published)))
        for unit, report in reports:
            content = report.to_json()
            PublishedReport.objects.create(
                unit=unit,
                year=year,
                version=1,
                content=content,
                sha256=content_sha256(content),
                published_by=officer,
            )
    rollup_of(unit=root, year=year)  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        draft = rollup_of(unit=root, year=year)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        draft = rollup_of(unit=root, year=year)
    assert draft.rollup is not None and not draft.missing
    print(
        f"roll-up {year}: {len(draft.sources)} units, {len(draft.findings)} findings, "
        f"{statistics.median(times):.1f} ms median (max {max(times):.1f}), "
        f"{len(captured)} queries"
    )


if __name__ == "__main__":
    sys.exit(main())
