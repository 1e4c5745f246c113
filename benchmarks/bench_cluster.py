"""`gongkai audit --scheduler` on a Dask LocalCluster of this machine: reports/s and memory.

    .venv/bin/python benchmarks/bench_cluster.py [-n 100000] [--workers 2] [--every 30]
        [--max-seconds S] [--text-only] [--chunk N] [--shared-files] [--pair]
        [--dask-profiler] [--out FILE]

Starts a ``distributed.LocalCluster`` (``--workers`` processes, one thread each, Dask's
statistical profiler off as ``gongkai.core.batch.WORKER_CONFIG`` advises) in this process
(which is therefore also the scheduler), then runs the real command in a child process,
``gongkai audit --scheduler ADDR --files-from - --no-pair --jsonl OUT`` (``--pair``: pairing
years, two passes; ``--chunk``, ``--shared-files`` passed on), and feeds it N paths on its
standard input: the corpus files of ``../shared/reports`` repeated (a stream of paths, no
copies, never a list of N in memory anywhere). Every ``--every`` seconds it prints a point of
the curve: lines done, rate, the resident memory of the client (the CLI process), of each
worker (with the child process it audits in, :mod:`gongkai.core.audit_child`) and of the
scheduler. At the end (or after ``--max-seconds``, when the client is
interrupted as a user would with Ctrl-C) it prints the rate, the peak memory (VmHWM; the
client's from the kernel's rusage), the mix of kinds actually audited (text, HTML, DOCX, PDF:
a PDF costs twenty times a text report, so a rate means nothing without it) and, if the batch
was cut short, the projected time for N.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "reports"


def corpus(text_only: bool) -> list[Path]:
    kinds = (".txt", ".html") if text_only else (".txt", ".html", ".pdf")
    files = sorted(p for p in REPORTS.glob("[0-9]*.*") if p.suffix in kinds)
    if not files:
        sys.exit(f"找不到语料：{REPORTS}（需要把 shared/ 放在仓库旁边）")
    return files


def proc_memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in MB; (0, 0) once it has gone."""
    values = {"VmRSS": 0, "VmHWM": 0}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in values:
                    values[key] = int(rest.split()[0]) // 1024
    except OSError:
        pass
    return values["VmRSS"], values["VmHWM"]


def worker_memory() -> tuple[int, int]:
    """Run on each worker: its own (VmRSS, VmHWM) in MB and its audit children's."""
    from gongkai.core.audit_child import child_pids

    rss, hwm = proc_memory(os.getpid())
    for pid in child_pids():
        child_rss, child_hwm = proc_memory(pid)
        rss, hwm = rss + child_rss, hwm + child_hwm
    return rss, hwm


def worker_cpu() -> float:
    """Run on each worker: the CPU seconds it and its audit children have used."""
    from gongkai.core.audit_child import child_pids

    times = os.times()
    # Children already waited for (killed ones) are in os.times; live ones in /proc.
    used = times.user + times.system + times.children_user + times.children_system
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in child_pids():
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def feed(stdin: Any, files: list[Path], n: int) -> None:
    """Write N paths to the client's stdin; the pipe's back-pressure keeps this lazy."""
    try:
        for path in itertools.islice(itertools.cycle(files), n):
            stdin.write(f"{path}\n".encode())
        stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the client stopped reading (interrupted by --max-seconds)


class LineCounter:
    """Counts the lines of the growing JSONL file without holding it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: Any = None
        self.lines = 0
        self.unreadable = 0
        self.kinds: collections.Counter[str] = collections.Counter()
        self.rest = b""

    def update(self) -> int:
        if self.handle is None:
            if not self.path.exists():
                return 0
            self.handle = open(self.path, "rb")  # noqa: SIM115
        while True:
            chunk = self.handle.read(1 << 20)
            if not chunk:
                return self.lines
            *complete, self.rest = (self.rest + chunk).split(b"\n")
            for line in complete:
                data = json.loads(line)
                self.lines += 1
                self.unreadable += not data["readable"]
                self.kinds[data["kind"]] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="reports to audit")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between points")
    parser.add_argument("--max-seconds", type=float, default=None, help="stop the client then")
    parser.add_argument("--text-only", action="store_true", help="leave the PDFs out")
    parser.add_argument("--chunk", type=int, default=None, help="documents per task")
    parser.add_argument("--shared-files", action="store_true", help="workers read the files")
    parser.add_argument("--pair", action="store_true", help="pair years (two passes)")
    parser.add_argument(
        "--dask-profiler", action="store_true", help="keep Dask's profiler on the workers"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_cluster.jsonl"))
    args = parser.parse_args()

    import dask
    from distributed import Client, LocalCluster

    from gongkai.core.batch import MESSAGE_LOG_LENGTH, WORKER_CONFIG

    # The scheduler and workers as gongkai.core.batch advises an operator to start them
    # (each connection's debug log of recent messages would otherwise hold 1,000 documents).
    dask.config.set({"distributed.admin.low-level-log-length": MESSAGE_LOG_LENGTH})
    if not args.dask_profiler:
        dask.config.set(WORKER_CONFIG)  # the workers inherit it
    files = corpus(args.text_only)
    cluster = LocalCluster(
        n_workers=args.workers,
        threads_per_worker=1,
        processes=True,
        memory_limit="2GiB",
        dashboard_address=":0",  # its HTTP server starts anyway; any free port
        silence_logs=50,
    )
    watcher = Client(cluster, set_as_default=False)
    cpu_before = watcher.run(worker_cpu)
    own_before = os.times()
    print(
        f"N={args.n} 份（{len(files)} 个语料文件循环：{', '.join(p.name for p in files)}）；"
        f"LocalCluster {args.workers} 个工作进程 × 1 线程；CPU {os.cpu_count()} 核；"
        f"调度器 {cluster.scheduler_address}",
        flush=True,
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = [sys.executable, "-m", "gongkai.cli", "audit", "--scheduler"]
    command += [cluster.scheduler_address, "--files-from", "-", "--jsonl", str(args.out)]
    command += [] if args.pair else ["--no-pair"]
    command += ["--shared-files"] if args.shared_files else []
    command += ["--chunk", str(args.chunk)] if args.chunk else []
    print("命令：" + " ".join(command[2:]), flush=True)
    args.out.unlink(missing_ok=True)
    started = time.perf_counter()
    client = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, stderr=subprocess.PIPE)
    threading.Thread(target=feed, args=(client.stdin, files, args.n), daemon=True).start()
    counter = LineCounter(args.out)
    worker_peaks: dict[str, int] = {}
    client_peak = 0
    interrupted = False
    print("秒\t完成\t份/秒\t客户端RSS/MB\t工作进程RSS/MB\t调度器RSS/MB", flush=True)
    next_point = args.every
    usage = None
    while usage is None:
        time.sleep(1.0)
        # wait4, not Popen.poll: the kernel's rusage gives the client's true peak memory.
        pid, _, finished = os.wait4(client.pid, os.WNOHANG)
        if pid:
            usage = finished
            client.returncode = 0
        elapsed = time.perf_counter() - started
        if args.max_seconds is not None and elapsed > args.max_seconds and not interrupted:
            client.send_signal(signal.SIGINT)
            interrupted = True
        if elapsed < next_point and usage is None:
            continue
        next_point += args.every
        done = counter.update()
        rss, hwm = proc_memory(client.pid)
        client_peak = max(client_peak, hwm)
        try:
            memory = watcher.run(worker_memory, wait=True)
        except Exception:  # a worker restarting
            memory = {}
        for address, (_, peak) in memory.items():
            worker_peaks[address] = max(worker_peaks.get(address, 0), peak)
        workers = "/".join(str(now) for now, _ in memory.values())
        scheduler = proc_memory(os.getpid())[0]
        print(
            f"{elapsed:.0f}\t{done}\t{done / elapsed:.2f}\t{rss}\t{workers}\t{scheduler}",
            flush=True,
        )
    elapsed = time.perf_counter() - started
    done = counter.update()
    client_peak = max(client_peak, usage.ru_maxrss // 1024)
    stderr = client.stderr.read().decode("utf-8", "replace").strip() if client.stderr else ""
    rate = done / elapsed
    print(f"\n客户端输出：{stderr}")
    print(f"完成 {done} 份，用时 {elapsed:.0f} 秒：{rate:.2f} 份/秒", end="")
    print(f"（无法读取 {counter.unreadable} 份）")
    names = {"text": "文本", "html": "HTML", "docx": "DOCX", "pdf": "PDF"}
    mix = "，".join(f"{label} {counter.kinds.get(kind, 0)}" for kind, label in names.items())
    others = sum(v for k, v in counter.kinds.items() if k not in names)
    print(f"构成：{mix}，其他 {others}")
    print(f"峰值内存：客户端 {client_peak} MB；", end="")
    print("工作进程 " + "、".join(f"{v} MB" for v in worker_peaks.values()), end="；")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"调度器（本进程）{own} MB")
    # Where the CPU went: a rate measured on a shared machine says little, CPU seconds do.
    workers_cpu = sum(watcher.run(worker_cpu).values()) - sum(cpu_before.values())
    client_cpu = usage.ru_utime + usage.ru_stime
    after = os.times()
    own_cpu = after.user + after.system - own_before.user - own_before.system
    per = 1000 / max(done, 1)
    print(
        f"CPU 秒：工作进程合计 {workers_cpu:.1f}（每份 {workers_cpu * per:.1f} 毫秒），"
        f"客户端 {client_cpu:.1f}（每份 {client_cpu * per:.1f} 毫秒），"
        f"调度器及本进程 {own_cpu:.1f}（每份 {own_cpu * per:.1f} 毫秒）"
    )
    if done < args.n and rate > 0:
        hours = args.n / rate / 3600
        print(f"未跑完：按此速率 {args.n} 份预计需 {hours:.1f} 小时")
    watcher.close()
    cluster.close()


if __name__ == "__main__":
    main()
