"""Benchmarks of the auditor: accuracy on the real corpus, batch speed, and batch memory.

    .venv/bin/python benchmarks/bench_audit.py accuracy          # needs ../shared beside the repo
    .venv/bin/python benchmarks/bench_audit.py speed [--count 1000] [--jobs 2]
    .venv/bin/python benchmarks/bench_audit.py memory [--count 10000] [--jobs 2]

accuracy: every cell of table 三 and 四 of every hand-verified golden report
(tests/fixtures/golden/*.json) against what the auditor reads from the published file, and the
error-severity table findings on the reports whose table 三 balances (answers.tsv) that the
hand check (tests/fixtures/audit/corpus_findings.json) did not confirm. speed: a batch of
text/HTML reports (the corpus copied until the batch has --count files) through `audit_paths`,
reports per second. memory: the peak resident
memory of the main process and of the largest worker for a batch of --count reports.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from gongkai.core.audit import audit_paths
from gongkai.core.findings import Category, Severity

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
# Every error and warning on every corpus report, checked by hand against the report.
CONFIRMED = ROOT / "tests" / "fixtures" / "audit" / "corpus_findings.json"


def corpus_files() -> list[Path]:
    files = [
        *sorted((SHARED / "reports").glob("[0-9]*.*")),
        ROOT / "examples" / "quangang-2021.txt",
    ]
    if len(files) < 2:
        sys.exit(f"找不到语料：{SHARED / 'reports'}（需要把 shared/ 放在仓库旁边）")
    return files


def accuracy() -> None:
    files = {p.stem: p for p in corpus_files()}
    files["000"] = ROOT / "examples" / "quangang-2021.txt"
    results = {Path(r.file).stem: r for r in audit_paths(list(files.values()), jobs=2)}
    results["000"] = results.pop("quangang-2021")
    right = total = 0
    wrong: list[str] = []
    for golden_path in sorted(GOLDEN.rglob("*.json")):
        report_id = golden_path.stem
        golden = json.loads(golden_path.read_text(encoding="utf-8"))
        result = results.get(report_id)
        for table in ("t3", "t4"):
            for row, cells in golden["tables"][table].items():
                for column, want in cells.items():
                    total += 1
                    got = result.tables.get(table, {}).get(row, {}).get(column) if result else None
                    if got == want:
                        right += 1
                    else:
                        wrong.append(f"{report_id} {table}/{row}/{column}: 读出 {got}，应为 {want}")
    with (SHARED / "reports" / "answers.tsv").open(encoding="utf-8") as handle:
        consistent = [
            row["id"]
            for row in csv.DictReader(handle, delimiter="\t")
            if row["balance_holds(yes|no)"] == "yes"
        ]
    # A table error the hand check confirmed (022 prints its table 四 group totals as 0 while its
    # balance holds) is a true error, not a false one.
    confirmed = json.loads(CONFIRMED.read_text(encoding="utf-8"))
    false_errors = [
        f"{rid}: {f.rule} {f.message}"
        for rid in consistent
        for f in results[rid].findings
        if f.severity is Severity.ERROR
        and f.category is Category.TABLE
        and {"severity": f.severity.value, "rule": f.rule, "message": f.message}
        not in confirmed.get(Path(results[rid].file).name, [])
    ]
    print(
        f"表三、表四单元格：{right}/{total} 读对（{right / max(total, 1):.2%}），"
        f"{len(list(GOLDEN.rglob('*.json')))} 份人工核对的报告"
    )
    for line in wrong[:20]:
        print("  错读", line)
    print(
        f"表三平衡成立的报告（{len(consistent)} 份）上未经人工确认的表格错误："
        f"{len(false_errors)} 个"
    )
    for line in false_errors[:20]:
        print("  误报", line)


def batch(count: int, directory: Path) -> list[Path]:
    sources = [p for p in corpus_files() if p.suffix in (".txt", ".html")]
    made = []
    for i in range(count):
        source = sources[i % len(sources)]
        target = directory / f"{i:06d}{source.suffix}"
        shutil.copyfile(source, target)
        made.append(target)
    return made


def speed(count: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        batch(count, Path(tmp))
        start = time.perf_counter()
        results = audit_paths([tmp], jobs=jobs, pair_years=True)
        elapsed = time.perf_counter() - start
    readable = sum(r.readable for r in results)
    print(
        f"{len(results)} 份文本/HTML 报告（{readable} 份读出表格），{jobs} 个进程："
        f"{elapsed:.1f} 秒，每秒 {len(results) / elapsed:.1f} 份"
    )


def memory(count: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        batch(count, Path(tmp))
        start = time.perf_counter()
        results = audit_paths([tmp], jobs=jobs, pair_years=True)
        elapsed = time.perf_counter() - start
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{len(results)} 份报告，{elapsed:.0f} 秒；主进程峰值常驻内存 {main_mb:.0f} MB，"
        f"最大的工作进程 {child_mb:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["accuracy", "speed", "memory"])
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if args.what == "accuracy":
        accuracy()
    elif args.what == "speed":
        speed(args.count or 1000, args.jobs)
    else:
        memory(args.count or 10000, args.jobs)


if __name__ == "__main__":
    main()
