"""How long every consistency rule takes on 10,000 reports, on one core.

Run: ``.venv/bin/python benchmarks/bench_rules.py [--reports N] [--seed S]``

The reports are generated from the format declarations (both versions), consistent by
construction; then a fifth of them are broken in one of several ways (a moved cell, a blank
cell, a late publication date, yuan in the 万元 cell, a section 六 without the fee statement), and
a third come with last year's report of the same unit. Building the reports (pydantic
validation) is timed separately from running the rules, which is what the target (< 2 s for
10,000 reports) is about.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
import timeit
from collections import Counter
from decimal import Decimal
from typing import Any

from gongkai.core.formats import APPLICANT_COLUMNS, FORMATS, T3, T4, ValueKind
from gongkai.core.model import AnnualReport, ReportKind
from gongkai.core.rules import RULES, check_report

APPLICANTS = [c.code for c in APPLICANT_COLUMNS]
KINDS = list(ReportKind)
FEE_TEXTS = [
    "本年度未收取信息处理费。",
    "本年度共发出收费通知 2 件，总金额 500 元，实际收取 300 元。",
    "本年度未发出收费通知，未收取信息处理费。",
]


def table3(rng: random.Random, version: str, carried_in: dict[str, int]) -> dict[str, Any]:
    t3 = FORMATS[version].table3
    leaves = t3.row("results_total").sum_of
    rows: dict[str, dict[str, Any]] = {r.code: {} for r in t3.cell_rows}
    for column in APPLICANTS:
        big = column == "natural_person"
        results = 0
        for leaf in leaves:
            if leaf == "other.fee_unpaid":  # rare in practice; section 六 must then say why
                value = 0
            else:
                value = rng.randint(0, 40) if big else rng.choice((0, 0, 0, 1, 2))
            rows[leaf][column] = value
            results += value
        rows["results_total"][column] = results
        rows["carried_in"][column] = carried_in[column]
        rows["carried_out"][column] = max(rng.randint(0, 8), carried_in[column] - results)
        rows["new"][column] = results + rows["carried_out"][column] - carried_in[column]
    for cells in rows.values():
        cells["total"] = sum(cells[c] for c in APPLICANTS)
    return rows


def section2(rng: random.Random, version: str, previous: AnnualReport | None) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table in FORMATS[version].section2:
        tables[table.code] = {}
        for row in table.cell_rows:
            cells: dict[str, Any] = {}
            for column in table.columns:
                if column.kind is ValueKind.WAN_YUAN:
                    cells[column.code] = Decimal(rng.randint(0, 500_000)) / 10_000
                elif column.kind is ValueKind.MONEY:
                    cells[column.code] = Decimal(rng.randint(0, 10_000_000)) / 100
                elif column.kind is ValueKind.SIGNED:
                    cells[column.code] = rng.randint(-20, 20)
                else:
                    cells[column.code] = rng.randint(0, 300)
            tables[table.code][row.code] = cells
    if version == "2019" and previous is not None and previous.meta.format_version == "2019":
        for table in FORMATS[version].section2:
            for row, cells in tables[table.code].items():
                if "items_last_year" in cells:
                    last = previous.tables[table.code][row]
                    cells["items_last_year"] = max(
                        0, last["items_last_year"] + last["items_change"]
                    )
                    cells["items_change"] = max(cells["items_change"], -cells["items_last_year"])
    art20_1 = tables["s2.art20_1"]
    if version == "2021":
        for cells in art20_1.values():
            cells["in_force"] = cells["issued"] + rng.randint(0, 200)
        if previous is not None and previous.meta.format_version == "2021":
            for row, cells in art20_1.items():
                last = previous.tables["s2.art20_1"][row]["in_force"]
                cells["repealed"] = min(cells["repealed"], last + cells["issued"])
                cells["in_force"] = last + cells["issued"] - cells["repealed"]
    return tables


def report(rng: random.Random, unit: str, year: int, previous: AnnualReport | None) -> AnnualReport:
    version = "2019" if year <= 2020 else "2021"
    carried_in = (
        dict(previous.tables[T3]["carried_out"])
        if previous is not None
        else {c: rng.choice((0, 0, 1, 3)) for c in APPLICANTS}
    )
    t3 = table3(rng, version, carried_in)
    t4 = {}
    for row in FORMATS[version].table4.cell_rows:
        parts = {"upheld": rng.randint(0, 3), "corrected": 0, "other": 0, "pending": 0}
        parts["pending"] = rng.choice((0, 0, 1))
        t4[row.code] = {**parts, "total": sum(parts.values())}
    kind = rng.choice(KINDS)
    data = {
        "meta": {
            "unit": unit,
            "year": year,
            "format_version": version,
            "kind": kind.value,
            "published": dt.date(year + 1, 1, rng.randint(5, 31)).isoformat(),
        },
        "tables": {**section2(rng, version, previous), T3: t3, T4: t4},
        "narrative": {"overview": "（略）", "other": rng.choice(FEE_TEXTS)}
        if rng.random() < 0.8
        else {},
    }
    return AnnualReport.model_validate(data)


def broken(rng: random.Random, good: AnnualReport) -> AnnualReport:
    how = rng.randrange(5)
    if how == 0:
        row = rng.choice(list(good.tables[T3]))
        value = good.tables[T3][row]["natural_person"]
        return good.with_cell(T3, row, "natural_person", (value or 0) + rng.randint(1, 5))
    if how == 1:
        row = rng.choice(list(good.tables[T3]))
        return good.with_cell(T3, row, rng.choice(APPLICANTS), None)
    if how == 2:
        return good.with_meta(published=dt.date(good.meta.year + 1, 4, rng.randint(1, 30)))
    if how == 3 and good.meta.format_version == "2021":
        return good.with_cell(
            "s2.art20_8", "admin_fees", "amount", Decimal(rng.randint(1000, 9999))
        )
    narrative = {**good.narrative, "other": "无。"}
    return AnnualReport.model_validate(
        {"meta": good.meta.model_dump(), "tables": good.tables, "narrative": narrative}
    )


def corpus(n: int, seed: int) -> list[tuple[AnnualReport, AnnualReport | None]]:
    rng = random.Random(seed)
    cases: list[tuple[AnnualReport, AnnualReport | None]] = []
    while len(cases) < n:
        unit = f"第{len(cases)}号单位"
        year = rng.randint(2019, 2024)
        with_previous = rng.random() < 0.33 and year > 2019
        previous = report(rng, unit, year - 1, None) if with_previous else None
        current = report(rng, unit, year, previous)
        if rng.random() < 0.2:
            current = broken(rng, current)
        cases.append((current, previous))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240131)
    args = parser.parse_args()

    started = time.perf_counter()
    cases = corpus(args.reports, args.seed)
    built = time.perf_counter() - started
    with_previous = sum(1 for _, previous in cases if previous is not None)
    versions = Counter(r.meta.format_version for r, _ in cases)

    today = dt.date(2025, 6, 1)
    # The 10,000 input reports (a few million objects) are built before the timing; without
    # this, the garbage collector would walk them again and again while the rules run, which
    # times the collector rather than the rules. It still runs for everything the rules make.
    gc.collect()
    gc.freeze()
    started, cpu_started = time.perf_counter(), time.process_time()
    findings = [check_report(r, previous=p, today=today) for r, p in cases]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    calibration = min(timeit.repeat("sum(range(1000))", number=1000, repeat=5)) * 1000

    by_severity = Counter(f.severity.value for fs in findings for f in fs)
    by_rule = Counter(f.rule for fs in findings for f in fs)
    clean = sum(1 for fs in findings if not fs)
    print(
        f"reports: {len(cases)} (format 2019: {versions['2019']}, 2021: {versions['2021']}; "
        f"with last year's report: {with_previous}); rules in registry: {len(RULES)}"
    )
    print(f"built the reports in {built:.2f} s (pydantic validation; not part of the target)")
    print(
        f"ran every rule in {cpu:.3f} s CPU on one core ({elapsed:.3f} s wall; "
        f"{cpu / len(cases) * 1e6:.0f} µs per report; target < 2 s for 10,000)"
    )
    print(
        f"machine speed for comparison: sum(range(1000)) takes {calibration:.1f} µs here "
        "(slower when other processes share the cores)"
    )
    print(
        f"findings: {sum(by_severity.values())} "
        f"(error {by_severity['error']}, warning {by_severity['warning']}, "
        f"info {by_severity['info']}); reports without findings: {clean}"
    )
    print("by rule: " + ", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items())))


if __name__ == "__main__":
    main()
