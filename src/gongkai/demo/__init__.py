"""``gongkai demo``: a district to try gongkai on, built through the real services.

:func:`populate` builds, into an empty database:

* the district and its people (:func:`gongkai.demo.stories.build_district`);
* the seed's year, 泉港区 2021, as cases, remedies and registers, every unit's report published in
  January 2022 and the district's roll-up with them — whose tables are the seed report's
  (:mod:`gongkai.demo.seed`); skipped when "today" is too early for 2021 to be over and reported;
* the current year's applications (:class:`gongkai.demo.stories.Demo`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from django.db import transaction

from gongkai.agencies.models import Unit
from gongkai.applications.models import Application
from gongkai.core.errors import GongkaiError
from gongkai.demo.letters import send_recent_letters
from gongkai.demo.seed import SEED_YEAR, build_seed_year
from gongkai.demo.stories import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DEPARTMENTS,
    RECEIVING,
    ROOT,
    SEED_OPEN,
    SEED_RESULTS,
    TOWNSHIPS,
    Demo,
    District,
    build_district,
)

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DEPARTMENTS",
    "RECEIVING",
    "ROOT",
    "SEED_OPEN",
    "SEED_RESULTS",
    "SEED_YEAR",
    "TOWNSHIPS",
    "Demo",
    "DemoSummary",
    "District",
    "populate",
]

# The seed's year is told only once it has been reported: its open cases are decided and its
# reports published in January 2022, so "today" must be well past that.
SEED_YEAR_FROM: Final = dt.date(SEED_YEAR + 2, 1, 1)


@dataclass
class DemoSummary:
    """What the build made. ``applications``, ``results`` and ``open`` are the current story's
    (received since ``since``); ``seed_year`` is the reproduced seed year (``None`` if skipped)
    with its ``seed_applications``."""

    today: dt.date
    year: int
    units: int
    logins: list[tuple[str, str, str, str]]  # (username, password, unit, role label)
    applications: int
    results: Counter[str] = field(default_factory=Counter)
    open: int = 0
    since: dt.date = dt.date.min  # the first day of the story (2 January, or a year ago)
    seed_year: int | None = None
    seed_applications: int = 0
    letters: int = 0  # letters sent (only with ``populate(letters=True)``)


@transaction.atomic
def populate(*, today: dt.date, seed: int = DEFAULT_SEED, letters: bool = False) -> DemoSummary:
    """Build the demo district, the seed's year and the current year into the (empty) current
    database; with ``letters``, also send the last weeks' letters
    (:func:`gongkai.demo.letters.send_recent_letters`: ``gongkai demo`` does, the tests that
    only need the cases do not pay for rendering them)."""
    if Unit.objects.exists():
        raise GongkaiError(
            "数据库中已有单位数据：演示数据只能建在空数据库中（gongkai demo 会新建数据库文件）"
        )
    district = build_district()
    seed_year = None
    if today >= SEED_YEAR_FROM:
        build_seed_year(district)
        seed_year = SEED_YEAR
    demo = Demo(district, today=today, seed=seed)
    for plan in sorted(demo.plans(), key=lambda p: p.received):
        demo.run(plan)
    sent = send_recent_letters(today=today, year=demo.year) if letters else 0
    story = Application.objects.filter(received_on__gte=demo.first)
    results = Counter(story.exclude(result="").values_list("result", flat=True))
    return DemoSummary(
        today=today,
        year=demo.year,
        units=Unit.objects.count(),
        logins=district.logins,
        applications=story.count(),
        results=results,
        open=story.filter(closed_on__isnull=True).count(),
        since=demo.first,
        seed_year=seed_year,
        seed_applications=Application.objects.filter(year=SEED_YEAR).count() if seed_year else 0,
        letters=sent,
    )
