"""Issue 11 item 9, what the other report tests leave out: a report of a year whose working-day
calendar is only provisional (published, but flagged), the Chinese refusal of an edit to a
published or imported report, and the permission matrix of every report operation.

(Negative counts, a repeal before the issue date and a duplicate 文号 are refused in
tests/registers; publishing with errors, a correction without reason and the simulated race in
tests/reports/test_publish.py; the real race on PostgreSQL in test_bad_input_concurrency.py.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role, Unit
from gongkai.core.errors import GongkaiError
from gongkai.core.render.report_html import render_report_html
from gongkai.reports.imports import import_report_file, report_import
from gongkai.reports.models import ImportedReport, PublishedReport, PublishedReportImmutableError
from gongkai.reports.selectors import report_draft, rollup_for
from gongkai.reports.services import report_publish, rollup_publish

from .conftest import World

D = dt.date


def _member(world: World, role: Role, unit: Unit) -> Any:
    found = get_user_model().objects.filter(username=f"{role.value}_{unit.pk}").first()
    return found or world.member(role, unit)


def test_a_provisional_year_is_published_but_flagged(world: World, today_is: Any) -> None:
    """2035 has no holiday schedule (neither in the package nor entered): its report may be
    published, and the page says why its deadlines should be checked again."""
    today_is(D(2036, 2, 4))
    head = _member(world, Role.HEAD, world.department)
    client = Client()
    client.force_login(head)
    url = reverse("reports:report", args=[world.department.pk, 2035])

    assert "2035 年的工作日历是暂定的（尚未录入国务院办公厅的放假安排）" in (
        client.get(url).content.decode()
    )
    page = client.post(url, follow=True).content.decode()

    assert "已发布 2035 年度报告第 1 版" in page
    assert PublishedReport.objects.get().year == 2035


def test_editing_a_published_or_imported_report_is_refused_in_chinese(
    world: World, today_is: Any
) -> None:
    today_is(D(2025, 3, 3))
    head = _member(world, Role.HEAD, world.department)
    published = report_publish(acting_user=head, unit_id=world.department.pk, year=2024)
    imported = import_report_file(
        unit=world.department,
        year=2023,
        name="2023.html",
        data=render_report_html(published.report.with_meta(year=2023)).encode(),
    ).record
    content = published.content

    published.content = content.replace("0", "1")
    with pytest.raises(
        PublishedReportImmutableError,
        match="已发布的年度报告不能修改或删除；如需更正，请发布新的版本并说明理由",
    ):
        published.save()
    with pytest.raises(
        PublishedReportImmutableError,
        match="导入的往年年度报告不能修改或删除；如文件有误，请导入正确的文件",
    ):
        ImportedReport.objects.filter(pk=imported.pk).update(year=2022)
    assert PublishedReport.objects.get().content == content
    assert ImportedReport.objects.get().year == 2023


# --- the permission matrix ------------------------------------------------------------------

# who: (role, unit attribute of World); target: unit attribute; operation: what is attempted.
Who = tuple[Role, str]
CLERK_D: Who = (Role.CLERK, "district")
HEAD_D: Who = (Role.HEAD, "district")
SUP_D: Who = (Role.SUPERVISOR, "district")
HEAD_P: Who = (Role.HEAD, "department")
CLERK_T: Who = (Role.CLERK, "township")
HEAD_T: Who = (Role.HEAD, "township")
OUTSIDER: Who = (Role.SUPERVISOR, "other_district")
ADMIN_D: Who = (Role.ADMIN, "district")


def _read(user: Any, unit: Unit) -> Any:
    return report_draft(user=user, unit_id=unit.pk, year=2024)


def _publish(user: Any, unit: Unit) -> Any:
    return report_publish(acting_user=user, unit_id=unit.pk, year=2024)


def _read_rollup(user: Any, unit: Unit) -> Any:
    return rollup_for(user=user, unit_id=unit.pk, year=2024)


def _publish_rollup(user: Any, unit: Unit) -> Any:
    return rollup_publish(acting_user=user, unit_id=unit.pk, year=2024)


def _import(user: Any, unit: Unit) -> Any:
    return report_import(acting_user=user, unit_id=unit.pk, year=2023, name="a.txt", data=b"x")


Operation = Callable[[Any, Unit], Any]
MATRIX: list[tuple[str, Operation, Who, str, bool]] = [
    # A unit sees and publishes its own report (the 负责人 publishes, the 经办人 reads).
    ("read", _read, CLERK_D, "district", True),
    ("read", _read, HEAD_P, "department", True),
    ("publish", _publish, HEAD_D, "district", True),
    ("publish", _publish, HEAD_P, "department", True),
    ("publish", _publish, CLERK_D, "district", False),
    # The supervising office reads its units' reports and publishes the roll-up, nothing else.
    ("read", _read, SUP_D, "district", True),
    ("read", _read, SUP_D, "department", True),
    ("read", _read, SUP_D, "township", True),
    ("publish", _publish, SUP_D, "department", False),
    ("publish", _publish, SUP_D, "district", False),
    ("read roll-up", _read_rollup, SUP_D, "district", True),
    ("publish roll-up", _publish_rollup, SUP_D, "district", True),
    ("publish roll-up", _publish_rollup, SUP_D, "department", False),
    ("publish roll-up", _publish_rollup, HEAD_D, "district", False),
    ("read roll-up", _read_rollup, CLERK_D, "district", False),  # cannot see the units below
    # A unit does not read its parent's or a sibling's report, nor publish it.
    ("read", _read, HEAD_P, "district", False),
    ("read", _read, CLERK_T, "department", False),
    ("publish", _publish, HEAD_T, "department", False),
    ("read roll-up", _read_rollup, HEAD_P, "district", False),
    ("read", _read, CLERK_D, "department", False),  # a clerk of the parent is no supervisor
    # An outsider (another district's supervising office) and the administrator see nothing.
    ("read", _read, OUTSIDER, "district", False),
    ("read", _read, OUTSIDER, "department", False),
    ("read roll-up", _read_rollup, OUTSIDER, "district", False),
    ("publish roll-up", _publish_rollup, OUTSIDER, "district", False),
    ("read", _read, ADMIN_D, "district", False),
    # Importing an earlier year is the 负责人's, like publishing.
    ("import", _import, HEAD_D, "district", True),
    ("import", _import, CLERK_D, "district", False),
    ("import", _import, SUP_D, "department", False),
    ("import", _import, HEAD_T, "department", False),
]


@pytest.mark.parametrize(
    ("what", "operation", "who", "target", "allowed"),
    MATRIX,
    ids=[f"{m[2][0].value}@{m[2][1]}-{m[0]}-{m[3]}" for m in MATRIX],
)
def test_the_permission_matrix(
    world: World,
    today_is: Any,
    what: str,
    operation: Operation,
    who: Who,
    target: str,
    allowed: bool,
) -> None:
    today_is(D(2025, 3, 3))
    user = _member(world, who[0], getattr(world, who[1]))
    unit = getattr(world, target)
    before = (PublishedReport.objects.count(), ImportedReport.objects.count())
    try:
        operation(user, unit)
    except AccessDeniedError as refused:
        assert not allowed, f"{what} refused: {refused}"
        # The refusal is a sentence in Chinese naming the unit id or unit, never a traceback.
        assert re.search(r"未找到单位|无权|没有", str(refused)), str(refused)
        assert (PublishedReport.objects.count(), ImportedReport.objects.count()) == before
    except GongkaiError:
        # Permitted, and then refused for a reason of its own (a roll-up with units missing,
        # a file that is no report): the gatekeeper let it through.
        assert allowed
    else:
        assert allowed, f"{what} should have been refused"
