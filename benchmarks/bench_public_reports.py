"""Do the public report pages hold p95 < 200 ms under 50 concurrent visitors for 60 s?

Run: ``.venv/bin/python benchmarks/bench_public_reports.py [--users 50] [--seconds 60]
[--think 1] [--workers 2] [--threads 8] [--sqlite]``. The database: ``DATABASE_URL`` if set;
otherwise a throwaway PostgreSQL cluster initialised in a temporary directory
(``initdb``/``pg_ctl``, run as the ``postgres`` account when started as root) and removed at
the end; ``--sqlite`` for a temporary SQLite file instead (a smoke run, not issue 13's figure).

It creates a throwaway database (``<name>_bench_public``, dropped at the end), migrates it and
fills it with the demo district (its units' 2021 reports and the district's roll-up, published
through the real services), then starts ``--workers`` waitress processes (each with
``--threads`` threads, one port each) serving ``gongkai.site.wsgi`` with DEBUG off, and lets
``--users`` client threads on loopback request the public pages — the index, each unit's page,
each published report (latest and by version), the roll-up and the disclosure guides — in a
random order, each user over its own keep-alive connections, reading each page about
``--think`` seconds (0: back to back), for ``--seconds``. Every page is
requested once before the clock starts (the first visit renders a page and its charts; the
rest read the rendering kept in the shared cache). Any status but 200 counts as an error.
The load average is printed beside the figures: the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

TODAY = dt.date(2025, 12, 19)
ROOT = Path(__file__).resolve().parent.parent


def throwaway_database(tmp: Path) -> tuple[dict[str, str], Any]:
    """The environment naming a new empty database, and how to drop it."""
    env = {"DJANGO_SETTINGS_MODULE": "gongkai.site.settings"}
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        env["GONGKAI_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        return env, lambda: None
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench_public"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, drop


def postgres_cluster() -> tuple[str, Callable[[], None]]:
    """A new PostgreSQL cluster in a new directory in /tmp on a free port: its URL, and how
    to stop it and remove the directory."""
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-pg-"))
    data = tmp / "pgdata"
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(tmp, user="postgres")
    subprocess.run(
        [*as_postgres, "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=300"
    log = str(tmp / "pg.log")
    subprocess.run(
        [*as_postgres, "pg_ctl", "-D", str(data), "-o", options, "-w", "-l", log, "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )

    def stop() -> None:
        subprocess.run(
            [*as_postgres, "pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(tmp, ignore_errors=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


def populate(env: dict[str, str]) -> list[str]:
    """Migrate, load the demo and return the public pages' paths."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from gongkai import demo
    from gongkai.agencies import pages
    from gongkai.applications import services as s
    from gongkai.reports.models import PublishedReport

    s._today = lambda: TODAY  # type: ignore[assignment]
    pages.today = lambda: TODAY  # type: ignore[assignment]
    demo.populate(today=TODAY)
    paths = ["/public/reports/"]
    for p in PublishedReport.objects.all():
        if p.is_rollup:
            paths += [f"/public/reports/{p.unit_id}/{p.year}/rollup/"]
        else:
            paths += [
                f"/public/reports/{p.unit_id}/",
                f"/public/reports/{p.unit_id}/{p.year}/",
                f"/public/reports/{p.unit_id}/{p.year}/v{p.version}/",
                f"/public/guide/{p.unit_id}/",
            ]
    from django.db import connections

    connections.close_all()
    return paths


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_servers(
    env: dict[str, str], workers: int, threads: int, extra: tuple[str, ...] = ()
) -> list[tuple[int, Any]]:
    """``workers`` waitress processes, one port each; ``extra``: more waitress options."""
    servers = []
    for _ in range(workers):
        port = free_port()
        child_env = {**os.environ, **env, "PYTHONPATH": str(ROOT / "src")}
        child_env.pop("GONGKAI_DEBUG", None)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "waitress",
                f"--listen=127.0.0.1:{port}",
                f"--threads={threads}",
                "--connection-limit=200",
                *extra,
                "gongkai.site.wsgi:application",
            ],
            env=child_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append((port, process))
    for port, _ in servers:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
    return servers


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes ``pids`` have used so far (Linux ``/proc``): the
    servers' own cost of the requests, which a machine shared with other jobs leaves intact
    where it inflates the response times."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def fetch(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    response.read()
    return response.status


def run(
    ports: list[int], paths: list[str], users: int, seconds: float, think: float
) -> dict[str, Any]:
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def kind(path: str) -> str:
        if path == "/public/reports/":
            return "index"
        if path.startswith("/public/guide/"):
            return "guide"
        if path.endswith("/rollup/"):
            return "rollup"
        depth = path.rstrip("/").count("/")
        return {3: "unit", 4: "report", 5: "version"}[depth]

    def user(seed: int) -> None:
        rng = random.Random(seed)
        conns = {p: http.client.HTTPConnection("127.0.0.1", p, timeout=30) for p in ports}
        mine: dict[str, list[float]] = {}
        while time.monotonic() < stop:
            path = rng.choice(paths)
            port = rng.choice(ports)
            started = time.perf_counter()
            try:
                status = fetch(conns[port], path)
            except (OSError, http.client.HTTPException) as exc:
                conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    errors.append(f"{path}: {exc!r}")
                continue
            elapsed = time.perf_counter() - started
            if status != 200:
                with lock:
                    errors.append(f"{path}: HTTP {status}")
            mine.setdefault(kind(path), []).append(elapsed)
            if think:
                time.sleep(rng.uniform(think / 2, think * 3 / 2))
        with lock:
            for k, v in mine.items():
                timings.setdefault(k, []).extend(v)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"timings": timings, "errors": errors}


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    # Seconds a visitor reads before the next click (uniform around this mean); 0 = none.
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        stop_cluster: Callable[[], None] = lambda: None  # noqa: E731
        if args.sqlite:
            os.environ.pop("DATABASE_URL", None)
        elif not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"], stop_cluster = postgres_cluster()
        servers: list[tuple[int, Any]] = []
        drop: Callable[[], None] = lambda: None  # noqa: E731
        try:
            env, drop = throwaway_database(Path(tmp))
            started = time.perf_counter()
            paths = populate(env)
            print(
                f"demo loaded: {len(paths)} public pages in {time.perf_counter() - started:.0f} s"
            )
            servers = start_servers(env, args.workers, args.threads)
            ports = [port for port, _ in servers]
            for port in ports:  # warm-up: each process renders each version once
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                bad = [p for p in paths if fetch(conn, p) != 200]
                if bad:
                    print(f"warm-up failed on port {port}: {bad[:5]}")
                    return 1
            pids = [process.pid for _, process in servers]
            load_before, cpu_before = os.getloadavg(), cpu_seconds(pids)
            result = run(ports, paths, args.users, args.seconds, args.think)
            load_after, cpu = os.getloadavg(), cpu_seconds(pids) - cpu_before
        finally:
            for _, process in servers:
                process.terminate()
                process.wait(timeout=30)
            drop()
            stop_cluster()
    timings: dict[str, list[float]] = result["timings"]
    every = [v for vs in timings.values() for v in vs]
    backend = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(
        f"{backend}, {args.workers} waitress processes × {args.threads} threads, "
        f"{args.users} users (think {args.think:g} s), {args.seconds:.0f} s: {len(every)} requests "
        f"({len(every) / args.seconds:.0f}/s), {len(result['errors'])} errors; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print(f"  servers' CPU: {cpu:.1f} s, {cpu / max(len(every), 1) * 1000:.2f} ms per request")
    for k in sorted(timings):
        vs = timings[k]
        print(
            f"  {k:8} n={len(vs):6}  median {statistics.median(vs) * 1000:6.1f} ms"
            f"  p95 {p95(vs) * 1000:6.1f} ms  max {max(vs) * 1000:6.1f} ms"
        )
    overall = p95(every) * 1000
    print(f"  all      p95 {overall:.1f} ms (target < 200 ms)")
    for e in result["errors"][:10]:
        print("  error:", e)
    return 0 if overall < 200 and not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
