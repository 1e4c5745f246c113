"""Are 1,000 online applications sent in a burst all stored exactly once, and does the status
page hold p95 < 200 ms under 50 concurrent applicants?

Run: ``.venv/bin/python benchmarks/bench_portal.py [--submissions 1000] [--concurrency 50]
[--replays 100] [--users 50] [--seconds 60] [--think 1] [--workers 2] [--threads 8] [--sqlite]``.

The database, the server start-up and the demo district come from :mod:`bench_public_reports`:
``DATABASE_URL`` if set, else a throwaway PostgreSQL cluster; ``--sqlite`` for a temporary
SQLite file instead (a smoke run on a loaded machine, not issue 13's figure).

The burst: ``--concurrency`` client threads send ``--submissions`` applications through the real
form at ``/public/apply/`` like a browser — fetch the form (CSRF cookie, the signed captcha
token), read the question ("七加五等于几？") and write the sum, attach a small PDF, post, and
follow the receipt. Nothing in production is weakened for it: the benchmark stands as the
deployment's one reverse proxy (waitress's own ``--trusted-proxy`` options, which set the
client address the rate limits count) and gives each applicant their own address in
``X-Forwarded-For`` and their own passport number, so the per-address and per-applicant
limits apply as they do to real applicants. Then ``--replays`` of the very same posted
forms are sent again to a random server process. It asserts exactly ``--submissions``
``OnlineSubmission`` rows, all tracking numbers distinct, none added by the replays.

The status page: ``--users`` threads for ``--seconds`` look cases up at ``/public/track/``
(POST of the tracking number and the phone's last four digits, then the case page it
redirects to), reading each about ``--think`` seconds (0: back to back); p95 of each and
of the pair, any unexpected status an error.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_public_reports as base

ROOT = base.ROOT
_DIGITS = "零一二三四五六七八九十"
_QUESTION = re.compile(r"([零一二三四五六七八九十])加([零一二三四五六七八九十])等于几")
# Waitress as it runs behind the deployment's reverse proxy: the client's address is the one
# the proxy (here, the benchmark) put in X-Forwarded-For.
PROXY = (
    "--trusted-proxy=127.0.0.1",
    "--trusted-proxy-count=1",
    "--trusted-proxy-headers=x-forwarded-for",
)
_HIDDEN = r'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"'


def hidden(html: str, name: str) -> str:
    match = re.search(_HIDDEN.format(name=name), html)
    if match is None:
        raise AssertionError(f"no {name} in the form")
    return match.group(1) or match.group(2)


def solve(html: str) -> str:
    """Answer the captcha as a person would: read the question, add the two numbers."""
    match = _QUESTION.search(html)
    if match is None:
        raise AssertionError("no captcha question in the form")
    return str(_DIGITS.index(match.group(1)) + _DIGITS.index(match.group(2)))


class Applicant:
    """One person applying from their own address, over their own connection."""

    def __init__(self, index: int, port: int, unit_id: int, proof: bytes) -> None:
        self.index = index
        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.session.headers["X-Forwarded-For"] = (
            f"10.{index // 65536}.{index // 256 % 256}.{index % 256}"
        )
        self.unit_id = unit_id
        self.proof = proof
        self.phone = f"138{index:08d}"
        self.form: dict[str, str] = {}
        self.number = ""
        self.refusal = ""

    def apply(self) -> str:
        page = self.session.get(f"{self.base}/public/apply/", timeout=60)
        assert page.status_code == 200, page.status_code
        self.form = {
            "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
            "captcha_token": hidden(page.text, "captcha_token"),
            "captcha_answer": solve(page.text),
            "unit": str(self.unit_id),
            "applicant_type": "natural_person",
            "applicant_name": f"申请人{self.index}",
            "id_document_type": "passport",
            "id_document_number": f"E{self.index:08d}",
            "phone": self.phone,
            "email": f"a{self.index}@example.com",
            "description": f"本单位2024年第{self.index}号文件的全文",
            "requested_form": "electronic",
            "delivery": "email",
        }
        return self.post(self.base)

    def post(self, to: str) -> str:
        """Post the form; the receipt's tracking number, or "" when refused."""
        response = self.session.post(
            f"{to}/public/apply/",
            data=self.form,
            files={"proof": ("id.pdf", self.proof, "application/pdf")},
            headers={"Referer": f"{to}/public/apply/"},
            allow_redirects=False,
            timeout=60,
        )
        location = response.headers.get("Location", "")
        if response.status_code == 302 and "/apply/receipt/" in location:
            return location.rstrip("/").rsplit("/", 1)[-1]
        if response.status_code == 400:
            said = re.findall(
                r'class="errorlist[^"]*"><li>([^<]*)|role="alert">([^<]*)', response.text
            )
            self.refusal = " ".join("".join(pair) for pair in said)[:200]
            return ""
        raise AssertionError(f"unexpected HTTP {response.status_code}: {response.text[:300]}")


def burst(
    ports: list[int], unit_ids: list[int], count: int, concurrency: int, proof: bytes
) -> tuple[list[Applicant], list[str], float]:
    applicants = [
        Applicant(i, ports[i % len(ports)], unit_ids[i % len(unit_ids)], proof)
        for i in range(count)
    ]
    errors: list[str] = []
    done = [0]
    lock = threading.Lock()

    def one(applicant: Applicant) -> None:
        try:
            applicant.number = applicant.apply()
            # Leave, as a browser does: kept-alive connections of 1,000 finished applicants
            # would fill waitress's connection limit and stall the burst.
            applicant.session.close()
            if not applicant.number:
                errors.append(f"applicant {applicant.index}: refused: {applicant.refusal}")
        except (AssertionError, requests.RequestException) as exc:
            errors.append(f"applicant {applicant.index}: {exc!r}")
        with lock:
            done[0] += 1
            if done[0] % 100 == 0:
                print(
                    f"  {done[0]} sent after {time.perf_counter() - started:.0f} s, "
                    f"{len(errors)} errors (load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, applicants))
    return applicants, errors, time.perf_counter() - started


def track(
    ports: list[int], applicants: list[Applicant], users: int, seconds: float, think: float
) -> dict[str, Any]:
    timings: dict[str, list[float]] = {"lookup": [], "case": [], "both": []}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    known = [a for a in applicants if a.number]

    def user(seed: int) -> None:
        rng = random.Random(seed)
        sessions = {p: requests.Session() for p in ports}
        tokens = {}
        for p, s in sessions.items():
            s.headers["X-Forwarded-For"] = f"172.16.{seed // 256}.{seed % 256}"
            page = s.get(f"http://127.0.0.1:{p}/public/track/", timeout=60)
            tokens[p] = hidden(page.text, "csrfmiddlewaretoken")
        mine: dict[str, list[float]] = {k: [] for k in timings}
        while time.monotonic() < stop:
            who = rng.choice(known)
            port = rng.choice(ports)
            url = f"http://127.0.0.1:{port}/public/track/"
            started = time.perf_counter()
            try:
                looked = sessions[port].post(
                    url,
                    data={
                        "csrfmiddlewaretoken": tokens[port],
                        "number": who.number,
                        "factor": who.phone[-4:],
                    },
                    headers={"Referer": url},
                    allow_redirects=False,
                    timeout=60,
                )
                middle = time.perf_counter()
                if looked.status_code != 302:
                    raise AssertionError(f"lookup HTTP {looked.status_code}")
                case = sessions[port].get(
                    f"http://127.0.0.1:{port}{looked.headers['Location']}", timeout=60
                )
                if case.status_code != 200:
                    raise AssertionError(f"case page HTTP {case.status_code}")
            except (AssertionError, requests.RequestException) as exc:
                with lock:
                    errors.append(repr(exc))
                continue
            ended = time.perf_counter()
            mine["lookup"].append(middle - started)
            mine["case"].append(ended - middle)
            mine["both"].append(ended - started)
            if think:
                time.sleep(rng.uniform(think / 2, think * 3 / 2))
        with lock:
            for k, v in mine.items():
                timings[k].extend(v)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"timings": timings, "errors": errors}


def stored() -> tuple[int, int]:
    """(rows, distinct tracking numbers) of OnlineSubmission, read in this process."""
    from django.db import connections

    from gongkai.applications.models import OnlineSubmission

    rows = OnlineSubmission.objects.count()
    distinct = OnlineSubmission.objects.values("public_number").distinct().count()
    connections.close_all()
    return rows, distinct


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--replays", type=int, default=100)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    # Seconds an applicant reads the status before the next look-up (as bench_public_reports).
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    from tests.web.samples import PDF

    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        stop_cluster: Callable[[], None] = lambda: None  # noqa: E731
        if args.sqlite:
            os.environ.pop("DATABASE_URL", None)
        elif not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"], stop_cluster = base.postgres_cluster()
        servers: list[tuple[int, Any]] = []
        drop: Callable[[], None] = lambda: None  # noqa: E731
        try:
            env, drop = base.throwaway_database(Path(tmp))
            env["GONGKAI_MEDIA_ROOT"] = str(Path(tmp) / "media")
            started = time.perf_counter()
            base.populate(env)
            from gongkai.agencies.models import Unit

            unit_ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
            print(f"demo loaded: {len(unit_ids)} units in {time.perf_counter() - started:.0f} s")
            servers = base.start_servers(env, args.workers, args.threads, PROXY)
            ports = [port for port, _ in servers]

            applicants, errors, took = burst(
                ports, unit_ids, args.submissions, args.concurrency, PDF
            )
            rows, distinct = stored()
            print(
                f"burst: {args.submissions} applications by {args.concurrency} threads in "
                f"{took:.1f} s ({args.submissions / took:.1f}/s), {len(errors)} errors; "
                f"stored {rows} rows, {distinct} distinct tracking numbers"
            )
            failures += errors[:10]
            if rows != args.submissions or distinct != rows:
                failures.append(f"expected {args.submissions} rows, all distinct")

            replayed = random.Random(13).sample(
                [a for a in applicants if a.number], min(args.replays, len(applicants))
            )
            answers = [a.post(f"http://127.0.0.1:{random.choice(ports)}") for a in replayed]
            after, _ = stored()
            same = sum(1 for a, n in zip(replayed, answers, strict=True) if n == a.number)
            print(
                f"replay: {len(replayed)} forms sent again: {answers.count('')} refused, "
                f"{same} shown their first receipt, "
                f"{len(answers) - answers.count('') - same} new; rows {rows} → {after}"
            )
            if after != rows or same + answers.count("") != len(answers):
                failures.append("a replayed form stored something")

            pids = [process.pid for _, process in servers]
            load_before, cpu_before = os.getloadavg(), base.cpu_seconds(pids)
            result = track(ports, applicants, args.users, args.seconds, args.think)
            load_after, cpu = os.getloadavg(), base.cpu_seconds(pids) - cpu_before
        finally:
            for _, process in servers:
                process.terminate()
                process.wait(timeout=30)
            drop()
            stop_cluster()
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    timings: dict[str, list[float]] = result["timings"]
    print(
        f"status page: {backend}, {args.workers} waitress processes × {args.threads} threads, "
        f"{args.users} users (think {args.think:g} s), {args.seconds:.0f} s: "
        f"{len(timings['both'])} look-ups "
        f"({len(timings['both']) / args.seconds:.0f}/s), {len(result['errors'])} errors; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; servers' CPU "
        f"{cpu:.1f} s, {cpu / max(len(timings['both']), 1) * 1000:.1f} ms per look-up and case page"
    )
    for k in ("lookup", "case", "both"):
        vs = timings[k]
        if vs:
            print(
                f"  {k:7} n={len(vs):6}  median {statistics.median(vs) * 1000:6.1f} ms"
                f"  p95 {base.p95(vs) * 1000:6.1f} ms  max {max(vs) * 1000:6.1f} ms"
            )
    failures += result["errors"][:10]
    if not timings["lookup"] or base.p95(timings["lookup"]) >= 0.2:
        failures.append("status look-up p95 not under 200 ms")
    for failure in failures:
        print("  failure:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
