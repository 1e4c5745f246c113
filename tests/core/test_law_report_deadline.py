"""The Article 49 deadlines mapped onto report kinds, and a report's standing on a given day."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core import law
from gongkai.core.model import ReportKind
from gongkai.core.report_deadline import (
    WARN_AHEAD_DAYS,
    ReportState,
    report_deadline,
    report_status,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        (ReportKind.DEPARTMENT, D(2025, 1, 31)),
        (ReportKind.GOVERNMENT, D(2025, 3, 31)),
        (ReportKind.ROLLUP, D(2025, 3, 31)),
        (ReportKind.TOWNSHIP, None),
    ],
)
def test_each_kind_has_its_article_49_deadline_in_the_following_year(
    kind: ReportKind, due: dt.date | None
) -> None:
    deadline = report_deadline(kind, 2024)
    assert deadline.day == due
    assert law.ANNUAL_REPORT_ARTICLE in deadline.basis


def test_a_township_takes_the_local_deadline_when_the_deployment_sets_one() -> None:
    policy = law.PublicationPolicy(law.MonthDay(2, 20), "怀化市通知")
    deadline = report_deadline(ReportKind.TOWNSHIP, 2024, policy=policy)
    assert deadline.day == D(2025, 2, 20)
    assert deadline.basis == "怀化市通知"


DEPT = report_deadline(ReportKind.DEPARTMENT, 2024)  # due 2025-01-31


@pytest.mark.parametrize(
    ("today", "published", "state", "days", "phrase"),
    [
        (D(2025, 1, 1), None, ReportState.NOT_PUBLISHED, 30, "公布期限 2025-01-31"),
        (
            D(2025, 1, 31) - dt.timedelta(WARN_AHEAD_DAYS + 1),
            None,
            ReportState.NOT_PUBLISHED,
            WARN_AHEAD_DAYS + 1,
            "尚未发布",
        ),
        (
            D(2025, 1, 31) - dt.timedelta(WARN_AHEAD_DAYS),
            None,
            ReportState.DUE_SOON,
            WARN_AHEAD_DAYS,
            "即将到期",
        ),
        (D(2025, 1, 31), None, ReportState.DUE_SOON, 0, "还有 0 天"),
        (D(2025, 2, 1), None, ReportState.OVERDUE, 1, "已超过 1 天"),
        (D(2025, 3, 1), D(2025, 1, 31), ReportState.PUBLISHED, None, "已发布第 2 版"),
        (D(2025, 3, 1), D(2025, 2, 3), ReportState.PUBLISHED_LATE, 3, "晚于期限 2025-01-31 3 天"),
    ],
)
def test_status_against_the_deadline(
    today: dt.date,
    published: dt.date | None,
    state: ReportState,
    days: int | None,
    phrase: str,
) -> None:
    status = report_status(DEPT, today=today, published_on=published, version=2)
    assert status.state is state
    assert status.days == days
    assert phrase in status.text
    assert status.state.warns is (
        state in {ReportState.DUE_SOON, ReportState.OVERDUE, ReportState.PUBLISHED_LATE}
    )


def test_a_township_without_a_deadline_is_never_overdue_or_late() -> None:
    deadline = report_deadline(ReportKind.TOWNSHIP, 2024)
    assert report_status(deadline, today=D(2025, 12, 1), published_on=None).state is (
        ReportState.NOT_PUBLISHED
    )
    published = report_status(
        deadline, today=D(2025, 12, 1), published_on=D(2025, 11, 1), version=1
    )
    assert published.state is ReportState.PUBLISHED
    assert "无全国统一" in report_status(deadline, today=D(2025, 1, 1), published_on=None).text


def test_an_imported_report_is_published_on_the_day_read_from_its_file() -> None:
    on_time = report_status(DEPT, today=D(2025, 3, 1), published_on=D(2025, 1, 20), imported=True)
    late = report_status(DEPT, today=D(2025, 3, 1), published_on=D(2025, 2, 2), imported=True)
    unknown = report_status(DEPT, today=D(2025, 3, 1), published_on=None, imported=True)

    assert (on_time.state, on_time.text) == (
        ReportState.PUBLISHED,
        "已导入本单位发布的报告（发布于 2025-01-20）",
    )
    assert (late.state, late.text) == (
        ReportState.PUBLISHED_LATE,
        "逾期发布：导入的报告发布于 2025-02-02，晚于期限 2025-01-31 2 天",
    )
    assert (unknown.state, unknown.text) == (ReportState.PUBLISHED, "已导入本单位发布的报告")
