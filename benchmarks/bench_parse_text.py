"""Text parser throughput: parse the corpus's text reports (and the seed) N times over.

Run: ``.venv/bin/python benchmarks/bench_parse_text.py [--parses 1000] [--jobs 1]``.
Prints reports per second for one process, and with ``--jobs N`` for a pool of N processes
(the auditor's batch mode). Needs ../shared beside the checkout; exits 2 without it.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gongkai.core.parse import parse_text

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _texts() -> list[tuple[str, str]]:
    paths = [*sorted((SHARED / "reports").glob("*.txt")), *sorted((SHARED / "seed").glob("*.txt"))]
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


def _parse_all(batch: list[tuple[str, str]]) -> int:
    cells = 0
    for name, text in batch:
        result = parse_text(text, source=name)
        if result.report is None:
            raise SystemExit(f"{name}: {result.reason}")
        cells += sum(
            v is not None
            for rows in result.report.tables.values()
            for r in rows.values()
            for v in r.values()
        )
    return cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parses", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print("../shared is not beside this checkout: nothing to parse", file=sys.stderr)
        return 2
    texts = _texts()
    batch = [texts[i % len(texts)] for i in range(args.parses)]
    _parse_all(texts)  # warm caches (compiled patterns), as a long batch would have them
    started = time.perf_counter()
    if args.jobs == 1:
        _parse_all(batch)
    else:
        chunks = [batch[i :: args.jobs * 4] for i in range(args.jobs * 4)]
        with ProcessPoolExecutor(args.jobs) as pool:
            list(pool.map(_parse_all, chunks))
    elapsed = time.perf_counter() - started
    size = sum(len(t) for _, t in texts) / len(texts)
    print(
        f"{args.parses} parses of {len(texts)} text reports (mean {size:,.0f} chars), "
        f"{args.jobs} process(es): {elapsed:.2f} s, {args.parses / elapsed:.1f} reports/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
