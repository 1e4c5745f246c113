"""Publishing: the 负责人 freezes the built report; errors, a missing reason, an unchanged
correction and a concurrent publication are refused; published rows never change."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import COL_NATURAL_PERSON, COL_TOTAL, T3, T3_CARRIED_OUT, T3_NEW
from gongkai.core.model import AnnualReport
from gongkai.reports import services as rs
from gongkai.reports.builder import build_report
from gongkai.reports.models import PublishedReport, PublishedReportImmutableError
from gongkai.reports.selectors import (
    published_version,
    published_versions,
    report_draft,
)
from gongkai.reports.services import ReportError, report_publish

from .conftest import World, register

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


@pytest.fixture
def with_case(world: World, clerk: Any) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))


def test_the_head_publishes_version_one(world: World, head: Any, with_case: None) -> None:
    published = report_publish(acting_user=head, unit_id=world.district.pk, year=2024)

    assert (published.version, published.reason, published.published_by) == (1, "", head)
    assert published.sha256 == hashlib.sha256(published.content.encode()).hexdigest()
    report = published.report
    assert report.cell(T3, T3_NEW, COL_TOTAL) == 1
    assert report.meta.published is not None


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.ADMIN])
def test_only_the_head_publishes(world: World, role: Role) -> None:
    with pytest.raises(AccessDeniedError):
        report_publish(acting_user=world.member(role), unit_id=world.district.pk, year=2024)
    assert not PublishedReport.objects.exists()


def test_a_head_publishes_only_their_own_unit(world: World) -> None:
    township_head = world.member(Role.HEAD, world.township)

    with pytest.raises(AccessDeniedError):
        report_publish(acting_user=township_head, unit_id=world.district.pk, year=2024)


def test_an_error_blocks_publishing_and_is_listed(
    world: World, head: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kw: Any) -> AnnualReport:
        return build_report(**kw).with_cell(T3, T3_NEW, COL_NATURAL_PERSON, 5)

    monkeypatch.setattr(rs, "build_report", broken)

    with pytest.raises(ReportError, match=r"处错误，不能发布，请先改正：\n1\. "):
        report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    assert not PublishedReport.objects.exists()


def test_a_correction_is_a_new_version_and_the_old_stays(
    world: World, head: Any, clerk: Any, with_case: None
) -> None:
    first = report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    register(clerk, world.district, submitted_on=D(2024, 6, 3), applicant_name="补录")

    with pytest.raises(ReportError, match="须说明更正理由"):
        report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    second = report_publish(
        acting_user=head, unit_id=world.district.pk, year=2024, reason="补录一件漏登的申请"
    )

    assert (second.version, second.reason) == (2, "补录一件漏登的申请")
    versions = published_versions(user=clerk, unit_id=world.district.pk, year=2024)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].content == first.content
    assert versions[0].report.cell(T3, T3_NEW, COL_TOTAL) == 1
    assert versions[1].report.cell(T3, T3_NEW, COL_TOTAL) == 2


def test_a_correction_must_change_something(world: World, head: Any, with_case: None) -> None:
    report_publish(acting_user=head, unit_id=world.district.pk, year=2024)

    with pytest.raises(ReportError, match="与已发布的第 1 版相同"):
        report_publish(acting_user=head, unit_id=world.district.pk, year=2024, reason="再发一次")


def test_a_concurrent_publication_is_refused_not_duplicated(
    world: World, head: Any, with_case: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    # The other officer's transaction read "nothing published yet" before ours committed.
    monkeypatch.setattr(rs, "latest_published", lambda **kw: None)

    with pytest.raises(ReportError, match="其他人刚刚发布了"):
        report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    assert PublishedReport.objects.count() == 1


def test_a_published_row_never_changes(world: World, head: Any, with_case: None) -> None:
    published = report_publish(acting_user=head, unit_id=world.district.pk, year=2024)

    published.reason = "改写"
    with pytest.raises(PublishedReportImmutableError):
        published.save()
    with pytest.raises(PublishedReportImmutableError):
        published.delete()
    with pytest.raises(PublishedReportImmutableError):
        PublishedReport.objects.filter(pk=published.pk).update(reason="改写")
    with pytest.raises(PublishedReportImmutableError):
        PublishedReport.objects.all().delete()


def test_the_supervisor_reads_its_units_reports(world: World, with_case: None) -> None:
    supervisor = world.member(Role.SUPERVISOR)
    township_head = world.member(Role.HEAD, world.township)
    report_publish(acting_user=township_head, unit_id=world.township.pk, year=2024)

    assert published_version(user=supervisor, unit_id=world.township.pk, year=2024, version=1)
    assert report_draft(user=supervisor, unit_id=world.township.pk, year=2024).publishable
    with pytest.raises(AccessDeniedError):
        published_versions(user=supervisor, unit_id=world.other_district.pk, year=2024)
    with pytest.raises(AccessDeniedError, match="第 2 版"):
        published_version(user=supervisor, unit_id=world.township.pk, year=2024, version=2)


def test_the_draft_shows_the_findings(world: World, clerk: Any, with_case: None) -> None:
    draft = report_draft(user=clerk, unit_id=world.district.pk, year=2024)

    assert draft.report.cell(T3, T3_NEW, COL_TOTAL) == 1
    assert draft.publishable
    assert all(f.severity for f in draft.findings)


def test_a_late_report_is_still_published(
    world: World, head: Any, with_case: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 6, 2))  # after 31 March

    published = report_publish(acting_user=head, unit_id=world.district.pk, year=2024)

    assert published.report.meta.published == D(2025, 6, 2)
    late = report_draft(user=head, unit_id=world.district.pk, year=2024)
    assert late.publishable


def test_once_published_the_draft_is_judged_by_its_first_publication_date(
    world: World, head: Any, with_case: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In time on 3 March 2025; a year later the draft must not read as overdue by 400 days."""
    report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    monkeypatch.setattr(s, "_today", lambda: D(2026, 5, 4))

    draft = report_draft(user=head, unit_id=world.district.pk, year=2024)

    deadline = [f for f in draft.findings if f.rule == "publication.deadline"]
    assert [f.severity.name for f in deadline] != ["WARNING"]
    assert not any("尚未填写发布日期" in f.message for f in draft.findings)


def test_a_year_not_over_is_not_published(world: World, head: Any) -> None:
    with pytest.raises(ReportError, match="2025 年尚未结束（今天是 2025-03-03）"):
        report_publish(acting_user=head, unit_id=world.district.pk, year=2025)


def test_a_row_changed_behind_the_applications_back_is_refused(
    world: World, head: Any, with_case: None
) -> None:
    from django.db import connection

    published = report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_publishedreport SET content = REPLACE(content, '\"new\"', '\"new\" ')"
            " WHERE id = %s",
            [published.pk],
        )

    tampered = PublishedReport.objects.get(pk=published.pk)
    with pytest.raises(GongkaiError, match="SHA-256 不符"):
        _ = tampered.report


def test_last_years_published_report_feeds_the_cross_year_rules(
    world: World, head: Any, clerk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2024, 3, 1))
    register(clerk, world.district, submitted_on=D(2023, 12, 27))  # open at the end of 2023
    report_publish(acting_user=head, unit_id=world.district.pk, year=2023)
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))
    seen: list[Any] = []
    real = rs.check_built

    def spy(report: AnnualReport, **kw: Any) -> Any:
        seen.append(kw["previous"])
        return real(report, **kw)

    monkeypatch.setattr(rs, "check_built", spy)

    report_publish(acting_user=head, unit_id=world.district.pk, year=2024)

    assert seen[0] is not None and seen[0].meta.year == 2023
    assert seen[0].cell(T3, T3_CARRIED_OUT, COL_TOTAL) == 1


def test_the_admin_shows_published_reports_read_only(
    admin_client: Any, world: World, head: Any, with_case: None
) -> None:
    published = report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    url = f"/admin/reports/publishedreport/{published.pk}/change/"

    assert admin_client.get("/admin/reports/publishedreport/").status_code == 200
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"reason": "改写"}).status_code == 403
    assert admin_client.get("/admin/reports/publishedreport/add/").status_code == 403
