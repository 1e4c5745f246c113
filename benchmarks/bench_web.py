"""How fast are the clerk's case list and the unit dashboard with 100,000 applications?

Run: ``.venv/bin/python benchmarks/bench_web.py [--applications N] [--units U] [--repeat R]``.
With ``DATABASE_URL=postgresql://…`` it runs on PostgreSQL (in a throwaway ``test_…`` database
created and dropped by Django); otherwise on a temporary SQLite file. The target is under 200 ms
of server time per page (issue 5, item 10).

The data is bulk-inserted (no services: 100,000 registrations through the clock would time the
set-up, not the pages) but shaped like a real district over five years: every unit holds the
same share of cases, almost all replied with a table 三 result, and about 40 per unit still open
— received in the last weeks, some with a 补正 pending — whose histories are real events the
clock reads. "Server time" is the whole request through Django's test client: middleware,
session, gatekeeper, queries, the clocks of the open cases, the template.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TODAY = dt.date(2025, 12, 19)  # a Friday the calendar knows; "today" for every page
OPEN_PER_UNIT = 40


def setup(sqlite_dir: Path) -> tuple[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["GONGKAI_SQLITE_PATH"] = str(sqlite_dir / "bench.sqlite3")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        return "PostgreSQL", lambda: connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0
        )
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return "SQLite", lambda: None


def populate(n_apps: int, n_units: int, rng: random.Random) -> tuple[Any, Any]:
    from django.db import transaction

    from gongkai.agencies.models import Role
    from gongkai.agencies.services import member_create, unit_create
    from gongkai.applications.models import (
        RESULT_CHOICES,
        Application,
        ApplicationEvent,
        EventKind,
    )
    from gongkai.core.calendar import national_calendar
    from gongkai.core.clock import CaseStatus

    cal = national_calendar()
    results = [code for code, _ in RESULT_CHOICES]
    weights = [
        36 if c == "disclosed" else 15 if c == "unavailable.not_held" else 1 for c in results
    ]
    with transaction.atomic():
        root = unit_create(name="基准测试区人民政府", short_name="基准区", kind="government")
        units = [root] + [
            unit_create(
                name=f"基准测试区第{i}局", short_name=f"基准{i}局", kind="department", parent=root
            )
            for i in range(1, n_units)
        ]
        clerks = {
            u.pk: member_create(username=f"clerk{u.pk}", password=None, unit=u, role=Role.CLERK)
            for u in units
        }
        supervisor = member_create(
            username="supervisor", password=None, unit=root, role=Role.SUPERVISOR
        )
    per_unit = n_apps // n_units
    first = dt.date(2021, 1, 4)
    closed_span = (cal.add_working_days(TODAY, -60) - first).days
    apps: list[Application] = []
    open_flags: list[tuple[bool, bool]] = []
    for unit in units:
        for seq in range(1, per_unit + 1):
            is_open = seq > per_unit - OPEN_PER_UNIT
            if is_open:
                received = cal.add_working_days(TODAY, -rng.randint(0, 25))
            else:
                received = cal.workday_on_or_after(
                    first + dt.timedelta(days=rng.randrange(closed_span))
                )
            correction = is_open and rng.random() < 0.1
            decided = None if is_open else cal.add_working_days(received, rng.randint(3, 20))
            apps.append(
                Application(
                    unit=unit,
                    year=received.year,
                    sequence=seq,
                    tracking_number=f"{unit.short_name}-{received.year}-{seq:06d}",
                    channel="in_person",
                    applicant_type="natural_person" if rng.random() < 0.9 else "commercial",
                    applicant_name=f"申请人{rng.randrange(10**6)}",
                    id_document_type="resident_id",
                    id_document_number=f"350505{rng.randrange(10**12):012d}",
                    description="某村征地补偿款发放明细及安置方案",
                    submitted_on=received,
                    received_on=received,
                    status=(
                        CaseStatus.AWAITING_SUPPLEMENT
                        if correction
                        else CaseStatus.IN_PROGRESS
                        if is_open
                        else CaseStatus.REPLIED
                    ).value,
                    due_date=None if correction else cal.add_working_days(received, 20),
                    result="" if is_open else rng.choices(results, weights)[0],
                    decided_on=decided,
                    closed_on=decided,
                    created_by=clerks[unit.pk],
                )
            )
            open_flags.append((is_open, correction))
    with transaction.atomic():
        Application.objects.bulk_create(apps, batch_size=2000)
    if not apps[0].pk:  # backends without RETURNING on bulk insert
        by_number = dict(Application.objects.values_list("tracking_number", "pk"))
        for app in apps:
            app.pk = by_number[app.tracking_number]
    events: list[ApplicationEvent] = []
    for app, (is_open, correction) in zip(apps, open_flags, strict=True):
        actor = clerks[app.unit_id]
        events.append(
            ApplicationEvent(
                application_id=app.pk,
                kind=EventKind.RECEIVED,
                date=app.received_on,
                actor=actor,
                data={"channel": "in_person"},
            )
        )
        if correction:
            events.append(
                ApplicationEvent(
                    application_id=app.pk,
                    kind=EventKind.CORRECTION_REQUESTED,
                    date=app.received_on,
                    actor=actor,
                    data={"items": "请写明年度"},
                )
            )
        if not is_open:
            for kind, data in (
                (EventKind.DECIDED, {"result": app.result, "legal_basis": "第二十七条"}),
                (EventKind.REPLY_SENT, {"delivery": "post"}),
            ):
                events.append(
                    ApplicationEvent(
                        application_id=app.pk,
                        kind=kind,
                        date=app.decided_on,
                        actor=actor,
                        data=data,
                    )
                )
    with transaction.atomic():
        ApplicationEvent.objects.bulk_create(events, batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return clerks[units[len(units) // 2].pk], supervisor


def measure(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, the calendar, the connection)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return times, len(captured)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        backend, teardown = setup(Path(tmp))
        try:
            from django.test import Client
            from django.urls import reverse

            from gongkai.applications import views
            from gongkai.applications.models import Application, ApplicationEvent

            views._today = lambda: TODAY  # type: ignore[attr-defined]
            start = time.perf_counter()
            clerk, supervisor = populate(args.applications, args.units, random.Random(args.seed))
            built = time.perf_counter() - start
            print(
                f"{backend}: {Application.objects.count():,} applications, "
                f"{ApplicationEvent.objects.count():,} events, {args.units} units "
                f"(built in {built:.1f} s); today = {TODAY}"
            )
            unit_id = clerk.membership.unit_id
            pages = [
                ("clerk's case list", clerk, reverse("applications:my_cases")),
                ("unit dashboard", clerk, reverse("applications:dashboard", args=[unit_id])),
                ("supervisor overview (50 units)", supervisor, reverse("applications:overview")),
            ]
            print(f"{'page':<32} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
            for name, user, url in pages:
                client = Client()
                client.force_login(user)
                times, n_queries = measure(client, url, args.repeat)
                p95 = (
                    statistics.quantiles(times, n=20, method="inclusive")[-1]
                    if len(times) >= 2
                    else times[0]
                )
                print(
                    f"{name:<32} {statistics.median(times):>10.1f} {p95:>8.1f} "
                    f"{max(times):>8.1f} {n_queries:>8}"
                )
        finally:
            teardown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
