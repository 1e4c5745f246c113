"""The seed, reproduced: the demo's 泉港区 2021, rolled up, gives the seed report's own tables.

The expected tables are read from ``examples/quangang-2021.txt`` (the seed) by the auditor's own
parser — never retyped — and compared with the roll-up built from the units' published 2021
reports: table 三, table 四 and every section 二 table. Nothing a rule calls an error, and no
contradiction between the prose generated from the data and the tables, in the roll-up or in any
unit's report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai import demo
from gongkai.agencies.models import Membership, Role, Unit
from gongkai.applications import clock
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.core.formats import COL_TOTAL, T3, T3_NEW, T4, format_for_year
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import check_narrative
from gongkai.core.parse import parse_text
from gongkai.demo.prose import SECTION_OVERVIEW
from gongkai.registers.models import CLOSED, NEW_MEDIA, TRAINING, WorkRecord
from gongkai.registers.selectors import work_summary
from gongkai.reports.checks import check_built, describe_errors, errors
from gongkai.reports.models import PublishedReport
from gongkai.reports.selectors import rollup_of

TODAY = dt.date(2025, 12, 19)
SEED = Path(__file__).resolve().parents[2] / "examples" / "quangang-2021.txt"
YEAR = demo.SEED_YEAR
PUBLISHED = dt.date(YEAR + 1, 1, 10)


@pytest.fixture
def built(db: None, monkeypatch: pytest.MonkeyPatch, settings: Any) -> demo.DemoSummary:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return demo.populate(today=TODAY)


def seed_report() -> AnnualReport:
    parsed = parse_text(SEED.read_text(encoding="utf-8"))
    assert parsed.report is not None and not parsed.problems
    return parsed.report


def compared_tables() -> list[str]:
    """Table 三, table 四 and section 二's tables of the seed's format."""
    fmt = format_for_year(YEAR)
    codes = [table.code for table in fmt.section2]
    assert codes and T3 in {t.code for t in fmt.tables}
    return [*codes, T3, T4]


def test_the_2021_rollup_has_exactly_the_seed_reports_tables(built: demo.DemoSummary) -> None:
    seed = seed_report()
    root = Unit.objects.get(parent__isnull=True)

    draft = rollup_of(unit=root, year=YEAR)

    assert built.seed_year == YEAR and draft.complete and draft.rollup is not None
    rolled = draft.rollup.report
    assert rolled.meta.format_version == seed.meta.format_version
    for code in compared_tables():
        assert rolled.tables[code] == seed.tables[code], code
    assert draft.rollup.is_complete  # no unit left a cell blank
    assert errors(draft.findings) == [], describe_errors(draft.findings)
    assert check_narrative(rolled) == []
    # The same check on the seed's own prose finds what the office typed wrong.
    assert any(f.is_error for f in check_narrative(seed))


def test_every_unit_published_in_january_2022_without_error_or_contradiction(
    built: demo.DemoSummary,
) -> None:
    heads = {m.unit_id: m.user_id for m in Membership.objects.filter(role=Role.HEAD)}
    units = list(Unit.objects.all())
    published = {p.unit_id: p for p in PublishedReport.objects.filter(year=YEAR, is_rollup=False)}

    assert set(published) == {u.pk for u in units}
    for unit in units:
        version = published[unit.pk]
        report = version.report
        assert version.version == 1 and version.published_by_id == heads[unit.pk]
        assert report.meta.published is not None
        assert dt.date(YEAR + 1, 1, 1) <= report.meta.published <= dt.date(YEAR + 1, 1, 31)
        assert report.meta.published == version.published_at.date()
        assert check_narrative(report) == [], unit.name
    # The district office's prose is the seed's, its numbers filled in from its own tables.
    root = Unit.objects.get(parent__isnull=True)
    office = published[root.pk].report
    new = office.cell(T3, T3_NEW, COL_TOTAL)
    assert new and f"本机关新收政府信息公开申请{new}件" in office.narrative[SECTION_OVERVIEW]
    assert "全区15个单位完成了更新工作" in office.narrative[SECTION_OVERVIEW]
    assert [f.rule for f in check_built(office, today=PUBLISHED)] == []
    # The work register holds what the seed's prose tells: two trainings, 74 accounts closed.
    trainings = {line.kind: line for line in work_summary(unit=root, year=YEAR)}[TRAINING]
    assert trainings.records == 2
    closed = WorkRecord.objects.filter(kind=NEW_MEDIA, change=CLOSED, happened_on__year=YEAR)
    assert closed.count() == 74
    rollup = PublishedReport.objects.get(year=YEAR, is_rollup=True)
    assert rollup.report.meta.published == seed_report().meta.published  # the seed's 印发 date
    for code in compared_tables():
        assert rollup.report.tables[code] == seed_report().tables[code], code


def test_the_seed_years_cases_are_genuine_and_were_answered_in_time(
    built: demo.DemoSummary, client: Client
) -> None:
    cases = list(Application.objects.filter(year=YEAR).order_by("pk"))
    assert len(cases) == built.seed_applications == seed_report().tables[T3]["new"]["total"]

    for app in cases:
        state = clock.evaluate(list(app.events.order_by("id")), on=TODAY)
        cached = (app.status, app.due_date, app.result or None, app.decided_on, app.closed_on)
        assert cached == (
            state.status,
            state.due_date,
            state.result,
            state.decided_on,
            state.closed_on,
        ), app.tracking_number
        assert not state.clock.answered_late, app.tracking_number  # 均按法定时限办结
        assert app.closed_on is not None and app.closed_on.year in (YEAR, YEAR + 1)

    client.login(username="jingban", password=demo.DEMO_PASSWORD)
    own = next(a for a in cases if a.unit.parent_id is None and a.remedies.exists())
    page = client.get(reverse("applications:case", args=[own.pk]))
    assert page.status_code == 200
    assert own.tracking_number in page.content.decode()
