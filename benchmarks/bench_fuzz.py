"""The auditor fuzzed at length: mutated real reports and hostile shapes through audit_file.

    .venv/bin/python benchmarks/bench_fuzz.py [--count 100000] [--seconds 600] [--seed 1] [--jobs 2]

The same inputs as the bounded test (tests/test_audit_fuzz.py, from tests/audit_fuzz_shapes.py),
drawn from a seeded ``random.Random`` so that any failure can be made again (its seed is
printed). Counts, over every input run: crashes (audit_file raised), hangs (longer than its
time limit plus slack), blow-ups (peak memory past the bound), internal errors (a result whose
reason is 「内部错误」) and malformed results. Stops after --count inputs or --seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.audit_fuzz_shapes import corpus, hostile_input  # noqa: E402
from tests.test_audit_fuzz import MAX_RSS_MB, SLACK, TIME_LIMIT, check_result  # noqa: E402

from gongkai.core.audit import audit_file  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_REPORTS: list[tuple[str, bytes]] = []
_FOLDER = tempfile.mkdtemp(prefix="bench-fuzz-")


def one(seed: int) -> tuple[int, float, list[str], bool]:
    """Audit the input of ``seed``; (seed, seconds, what went wrong, readable)."""
    if not _REPORTS:
        _REPORTS.extend(corpus())
    name, data = hostile_input(random.Random(seed), _REPORTS)
    path = Path(_FOLDER) / f"{seed}-{name}"
    path.write_bytes(data)
    began = time.perf_counter()
    wrong: list[str] = []
    try:
        result = audit_file(path, time_limit=TIME_LIMIT)
    except Exception:
        return seed, time.perf_counter() - began, [f"crashes: {traceback.format_exc()}"], False
    finally:
        path.unlink()
    took = time.perf_counter() - began
    if took > TIME_LIMIT + SLACK:
        wrong.append(f"hangs: {took:.1f} s")
    if peak_mb() > MAX_RSS_MB:
        wrong.append(f"blow-ups: {peak_mb():.0f} MB")
    if not result.readable and "内部错误" in (result.reason or ""):
        wrong.append(f"internal errors: {result.reason}")
    try:
        check_result(result, str(path))
    except AssertionError as exc:
        wrong.append(f"malformed: {exc}")
    return seed, took, wrong, result.readable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    counts = dict.fromkeys(("crashes", "hangs", "blow-ups", "internal errors", "malformed"), 0)
    readable = done = 0
    slowest = (0.0, -1)
    started = time.perf_counter()
    seeds = (args.seed * 1_000_003 + index for index in range(args.count))
    with multiprocessing.Pool(args.jobs, maxtasksperchild=2_000) as pool:
        for seed, took, wrong, was_read in pool.imap_unordered(one, seeds, chunksize=4):
            done += 1
            readable += was_read
            slowest = max(slowest, (took, seed))
            for problem in wrong:
                counts[problem.split(":")[0]] += 1
                print(f"seed {seed}: {problem}", file=sys.stderr)
            if done % 1000 == 0:
                print(f"… {done} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
            if time.perf_counter() - started > args.seconds:
                pool.terminate()
                break
    wall = time.perf_counter() - started
    figures = "，".join(f"{k} {v}" for k, v in counts.items())
    print(
        f"{done} 份输入（其中 {readable} 份读出报告），{args.jobs} 个进程，{wall:.0f} 秒，"
        f"每秒 {done / wall:.1f} 份；{figures}；最慢 {slowest[0]:.2f} 秒（seed {slowest[1]}）"
    )
    return 1 if any(counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
