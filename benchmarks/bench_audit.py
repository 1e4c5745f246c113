"""Benchmarks of the auditor: accuracy on the real corpus, batch speed, and batch memory.

    .venv/bin/python benchmarks/bench_audit.py accuracy          # needs ../shared beside the repo
    .venv/bin/python benchmarks/bench_audit.py speed [--count 1000] [--jobs 2]
    .venv/bin/python benchmarks/bench_audit.py memory [--count 10000] [--jobs 2]

accuracy: every cell of table 三 and 四 of every hand-verified golden report
(tests/fixtures/golden/*.json) against what the auditor reads from the published file, and the
error-severity table findings on the reports whose table 三 balances (answers.tsv) that the
hand check (tests/fixtures/audit/corpus_findings.json) did not confirm; then the false errors
(errors, tables and prose, that the hand check did not confirm) over every corpus report, and
over damaged copies of them (each table 三 row deleted, its label garbled, or lost as a parser
loses it) — the target is 0; then every corpus report re-laid in the layouts other crawlers
and converters print (pipes without the leading one, a cell a line, table 四's heads in pieces,
blank cells for zeros: ``tests/parse/synth.relaid``), with the 总计 of table 三 read right and
the errors the clean layout of the same cells does not have; and in the layouts of more
crawlers (a row's padding, closing pipes a line below, blanks for zeros in table 四 too:
``tests/parse/synth.crawled``), every cell of every table read right, read wrong (the target
is 0) or left unread. speed: a batch of
text/HTML reports (the corpus copied until the batch has --count files) through `audit_paths`,
reports per second. memory: the peak resident
memory of the main process and of the largest worker for a batch of --count reports.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from gongkai.core.audit import audit_parsed, audit_paths
from gongkai.core.audit_result import AuditResult
from gongkai.core.findings import Category, Severity
from gongkai.core.formats import COL_TOTAL, T3, get_format
from gongkai.core.inputs import decode_text
from gongkai.core.model import AnnualReport
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.parse.result import ParseProblem, ParseResult
from gongkai.core.parse.text import parse_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.parse.synth import (  # noqa: E402
    crawled,
    double_spaced_layouts,
    empty_line_blanks,
    lone_pipe_rows,
    read_cells,
    relaid,
    render,
)

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
    false_alarms(files, results, confirmed)
    relaid_copies(files, results)
    crawled_copies(files, results)


# -- false errors on consistent reports and on damaged copies of them --------------------------


def _damage_rows(version: str) -> list[tuple[str, str]]:
    """The rows damaged in the copies: every cell row of table 三 (code, label as printed)."""
    return [(row.code, row.label) for row in get_format(version).table3.cell_rows]


def _unconfirmed_errors(result: AuditResult, confirmed: list[dict[str, str]]) -> list[str]:
    """Errors a hand check did not confirm. What the parser says it could not read (parse.*)
    is true of any copy, damaged or not, and is not an alarm about the report."""
    return [
        f"{f.rule} {f.message}"
        for f in result.findings
        if f.severity is Severity.ERROR
        and not f.rule.startswith("parse.")
        and {"severity": f.severity.value, "rule": f.rule, "message": f.message} not in confirmed
    ]


def _label_at(text: str, label: str) -> re.Match[str] | None:
    """A row's label in table 三 as printed: its words, any spaces between characters."""
    core = re.sub(r"^(?:（[^）]*）|[一二三四五六七八九十]+、|\d+\.)", "", label)[:8]
    pattern = r"\s*".join(re.escape(ch) for ch in core if not ch.isspace())
    table = re.search(r"本\s*年\s*新\s*收", text)
    if not pattern or table is None:
        return None
    return re.compile(pattern).search(text, table.start())


def damaged_copies(text: str, version: str) -> Iterator[tuple[str, str]]:
    """Copies of a report text with one table 三 row deleted (its label and the cells after
    it) or its label garbled (two characters replaced), one copy per row and kind."""
    for code, label in _damage_rows(version):
        found = _label_at(text, label)
        if found is None:
            continue
        cells = re.compile(r"[\s\d.,\-]*").match(text, found.end())
        end = cells.end() if cells else found.end()
        yield f"删去「{code}」行", text[: found.start()] + text[end:]
        middle = found.start() + (found.end() - found.start()) // 2
        yield f"「{code}」行标签错乱", text[:middle] + "□■" + text[middle + 2 :]


def damaged_parses(parsed: ParseResult) -> Iterator[tuple[str, ParseResult]]:
    """The report as read, with one table 三 row lost as a parser loses it (its cells blank and
    a missing_row problem): the partial read of any container, PDFs included."""
    report = parsed.report
    if report is None:
        return
    for code, label in _damage_rows(report.meta.format_version):
        tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
        tables[T3][code] = {column: None for column in tables[T3][code]}
        lost = report.model_copy(update={"tables": tables}).revalidated()
        problem = ParseProblem("missing_row", f"未找到「{label}」行", Severity.WARNING, T3, code)
        yield (
            f"未读出「{code}」行",
            replace(parsed, report=lost, problems=(*parsed.problems, problem)),
        )


def false_alarms(
    files: dict[str, Path], results: dict[str, AuditResult], confirmed: dict[str, Any]
) -> None:
    """False errors over every corpus report, and over damaged copies of them (target 0)."""
    on_reports: list[str] = []
    on_copies: list[str] = []
    copies = 0
    for rid, path in sorted(files.items()):
        if rid not in results:
            continue  # the same file under its corpus id
        hand = confirmed.get(path.name, [])
        on_reports += [f"{rid}: {e}" for e in _unconfirmed_errors(results[rid], hand)]
        data = path.read_bytes()
        parsed = parse_document(data, name=path.name)
        variants: list[tuple[str, ParseResult]] = list(damaged_parses(parsed))
        if path.suffix in (".txt", ".html"):
            text = decode_text(data)[0]
            version = parsed.report.meta.format_version if parsed.report else "2021"
            for what, damaged in damaged_copies(text, version):
                variants.append((what, parse_document(damaged.encode("utf-8"), name=path.name)))
        for what, variant in variants:
            if variant.report is None:
                continue
            copies += 1
            result = audit_parsed(path.name, "damaged", variant)
            on_copies += [f"{rid} {what}: {e}" for e in _unconfirmed_errors(result, hand)]
    print(
        f"语料中全部 {len(results)} 份报告上未经人工确认的错误（表格与正文）：{len(on_reports)} 个"
    )
    for line in on_reports[:20]:
        print("  误报", line)
    print(
        f"{copies} 份损坏副本（删去一行、行标签错乱、某行未读出）上原报告没有的错误："
        f"{len(on_copies)} 个"
    )
    for line in on_copies[:20]:
        print("  误报", line)


# -- the corpus re-laid as other crawlers and converters print it ---------------------------------


def _errors(parsed: ParseResult, name: str) -> set[tuple[str, str]]:
    result = audit_parsed(name, "relaid", parsed)
    return {(f.rule, f.message) for f in result.findings if f.severity is Severity.ERROR}


def _laid_out_copies(
    files: dict[str, Path],
    results: dict[str, AuditResult],
    layouts: Callable[[AnnualReport], dict[str, tuple[str, AnnualReport]]],
) -> Iterator[tuple[str, str, AnnualReport, ParseResult, list[str]]]:
    """Every corpus report's cells printed in each of ``layouts``, parsed: (report id, layout,
    the cells as printed, the parse, the errors the same cells tab-separated do not give)."""
    for rid, path in sorted(files.items()):
        if rid not in results:
            continue
        report = parse_document(path.read_bytes(), name=path.name).report
        if report is None:
            continue
        clean = _errors(parse_text(render(report, sep="\t")), path.name)
        for name, (text, printed) in layouts(report).items():
            parsed = parse_text(text, source=path.name)
            new = _errors(parsed, path.name) - clean if parsed.report is not None else set()
            yield rid, name, printed, parsed, [f"{rid} {name}: {r} {m}" for r, m in sorted(new)]


def relaid_copies(files: dict[str, Path], results: dict[str, AuditResult]) -> None:
    """Every corpus report's cells printed in each layout of ``synth.relaid``: the 总计 of
    table 三 read right, and errors the same cells tab-separated do not give (target 0)."""
    right = total = copies = 0
    wrong: list[str] = []
    errors: list[str] = []
    for rid, name, printed, parsed, new in _laid_out_copies(files, results, relaid):
        copies += 1
        read = parsed.report.tables[T3] if parsed.report else {}
        for code, cells in printed.tables[T3].items():
            want = cells[COL_TOTAL]
            if want is None:
                continue
            total += 1
            got = read.get(code, {}).get(COL_TOTAL)
            if got == want:
                right += 1
            else:
                wrong.append(f"{rid} {name} {code}: 读出 {got}，应为 {want}")
        errors += new
    print(
        f"{copies} 份重排副本（竖线无行首、每格一行、表四表头拆开或逐字、空白代零）："
        f"表三总计 {right}/{total} 读对，同样数字整齐排列时没有的错误 {len(errors)} 个"
    )
    for line in [*wrong, *errors][:20]:
        print("  ", line)


def crawled_copies(files: dict[str, Path], results: dict[str, AuditResult]) -> None:
    """Every corpus report's cells printed in each layout of ``synth.crawled``, and of the
    lone-pipe and empty-line layouts: every cell of every table read right, read wrong
    (target 0) or left unread, and errors the same cells tab-separated do not give (target
    0)."""
    _every_cell(
        files,
        results,
        crawled,
        "其他抓取排版副本（行尾补空、竖线在下一行、每行补竖线或以竖线开头、表三表四空白代零）",
    )
    _every_cell(
        files,
        results,
        lambda report: {**lone_pipe_rows(report), **empty_line_blanks(report)},
        "单竖线分行、空行代空格的副本（行首或行尾单竖线、竖线在下一行、空行代空格，表三表四空白代零）",
    )
    _every_cell(files, results, double_spaced_layouts, "隔行空行的副本（以上各种排版每行后加空行）")


def _every_cell(
    files: dict[str, Path],
    results: dict[str, AuditResult],
    layouts: Callable[[AnnualReport], dict[str, tuple[str, AnnualReport]]],
    label: str,
) -> None:
    right = wrong = unread = copies = 0
    lines: list[str] = []
    errors: list[str] = []
    for rid, name, printed, parsed, new in _laid_out_copies(files, results, layouts):
        copies += 1
        reading = read_cells(printed, parsed.report.tables if parsed.report else {})
        right += reading.right
        wrong += len(reading.misread)
        unread += len(reading.unread)
        lines += [
            f"{rid} {name} {table}/{row}/{column}: 读出 {got}，应为 {want}"
            for table, row, column, want, got in reading.misread
        ]
        errors += new
    print(
        f"{copies} 份{label}："
        f"全部单元格 {right}/{right + wrong + unread} 读对，读错 {wrong} 个，未读出 {unread} 个，"
        f"同样数字整齐排列时没有的错误 {len(errors)} 个"
    )
    for line in [*lines, *errors][:20]:
        print("  ", line)


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
