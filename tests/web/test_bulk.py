"""Bulk actions on the cases ticked in 我的案件: assign (the assignment service, one event per
case, refusals per case), export the selection, print its letters."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.agencies.models import Role
from gongkai.applications.models import Application, EventKind

from . import conftest
from .conftest import TodayIs, World

D = dt.date


@pytest.fixture(autouse=True)
def _today(today_is: TodayIs) -> None:
    today_is(D(2024, 3, 20))


def case(user: Any, unit: Any) -> Application:
    number = f"35050519900101{Application.objects.count():04d}"
    return conftest.register(user, unit, id_document_number=number)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bulk(user: Any, apps: list[Application], action: str, **fields: Any) -> tuple[Any, list[str]]:
    data: dict[str, Any] = {"ids": [a.pk for a in apps], "action": action, **fields}
    for app in apps:
        data.setdefault(f"version-{app.pk}", Application.objects.get(pk=app.pk).version)
    client = client_for(user)
    response = client.post(reverse("applications:bulk"), data)
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def assigned(app: Application) -> int | None:
    return Application.objects.get(pk=app.pk).assigned_to_id


def test_the_head_assigns_a_selection_one_event_per_case(
    world: World, clerk: Any, head: Any
) -> None:
    other = world.member(Role.CLERK, username="clerk_li")
    apps = [case(clerk, world.district), case(clerk, world.district)]
    response, messages = bulk(head, apps, "assign", assignee=other.pk, note="张三休假", due="week")
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:my_cases") + "?due=week"
    for app in apps:
        assert assigned(app) == other.pk
        events = Application.objects.get(pk=app.pk).events.filter(kind=EventKind.ASSIGNED)
        assert events.count() == 1 and events.get().actor == head
    numbers = "、".join(a.tracking_number for a in apps)
    assert messages == [f"已为 2 件案件指定承办人：{numbers}"]


def test_a_clerk_cannot_assign_others_cases_each_refusal_named(
    world: World, clerk: Any, head: Any
) -> None:
    heads_case = case(head, world.district)
    free = case(clerk, world.district)
    Application.objects.filter(pk=free.pk).update(assigned_to=None)
    other = world.member(Role.CLERK, username="clerk_li")
    # Giving both to a colleague: not offered, refused as a whole, nothing written.
    _, messages = bulk(clerk, [heads_case, free], "assign", assignee=other.pk)
    assert messages == ["您不能把案件指定给该承办人：经办人只能由自己承办待分配的案件"]
    assert (assigned(heads_case), assigned(free)) == (head.pk, None)
    # Taking them: the unassigned one is taken, the head's is refused, by number.
    _, messages = bulk(clerk, [heads_case, free], "assign", assignee=clerk.pk)
    assert (assigned(heads_case), assigned(free)) == (head.pk, clerk.pk)
    assert messages[0].startswith(f"{heads_case.tracking_number} 未指定承办人：")
    assert messages[1] == f"已为 1 件案件指定承办人：{free.tracking_number}"


def test_a_stale_or_invisible_case_is_reported_and_the_rest_goes_through(
    world: World, clerk: Any, head: Any
) -> None:
    other = world.member(Role.CLERK, username="clerk_li")
    stale, fresh = case(clerk, world.district), case(clerk, world.district)
    outsider = world.member(Role.CLERK, world.other_district, username="clerk_huian")
    foreign = case(outsider, world.other_district)
    seen = {f"version-{stale.pk}": stale.version - 1}
    _, messages = bulk(head, [stale, fresh, foreign], "assign", assignee=other.pk, **seen)
    assert messages[0] == "1 件所选案件未找到，或您无权查看"
    assert messages[1].startswith(f"{stale.tracking_number} 未指定承办人：")
    assert "已被他人修改" in messages[1]
    assert messages[2] == f"已为 1 件案件指定承办人：{fresh.tracking_number}"
    assert (assigned(stale), assigned(fresh)) == (clerk.pk, other.pk)
    assert assigned(foreign) == outsider.pk


def test_bad_input_is_explained_not_a_traceback(world: World, clerk: Any, head: Any) -> None:
    app = case(clerk, world.district)
    _, messages = bulk(head, [], "assign")
    assert "请先勾选案件" in messages
    _, messages = bulk(head, [app], "assign")
    assert messages == ["批量指定承办人时请选择承办人"]
    _, messages = bulk(head, [app], "explode")
    assert messages == ["未知的批量操作"]
    assert client_for(head).get(reverse("applications:bulk")).status_code == 405


def test_export_holds_exactly_the_selection(world: World, clerk: Any) -> None:
    picked = [case(clerk, world.district), case(clerk, world.district)]
    case(clerk, world.district)
    response, _ = bulk(clerk, picked, "export")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [a.tracking_number for a in picked]


def test_print_goes_to_the_letters_of_the_selection(world: World, clerk: Any) -> None:
    picked = [case(clerk, world.district), case(clerk, world.district)]
    response, _ = bulk(clerk, picked, "print")
    expected = f"{reverse('letters:print_cases')}?case={picked[0].pk}&case={picked[1].pk}"
    assert response.status_code == 302 and response["Location"] == expected


def test_the_list_offers_the_checkboxes_and_the_head_the_assignees(
    world: World, clerk: Any, head: Any
) -> None:
    app = case(clerk, world.district)
    html = client_for(head).get(reverse("applications:my_cases")).content.decode()
    assert f'name="ids" value="{app.pk}"' in html
    assert f'name="version-{app.pk}" value="{app.version}"' in html
    assert f'<option value="{clerk.pk}">' in html
    # A clerk is offered only themself.
    other = world.member(Role.CLERK, username="clerk_li")
    html = client_for(clerk).get(reverse("applications:my_cases")).content.decode()
    bar = html.split('id="bulk-actions"')[1].split("</div>")[0]
    assert f'<option value="{clerk.pk}">' in bar and f'value="{other.pk}"' not in bar
    assert f'value="{head.pk}"' not in bar


def test_the_head_exports_a_selection_with_full_numbers_only_with_a_reason(
    world: World, clerk: Any, head: Any
) -> None:
    from gongkai.agencies.models import PersonalDataAccess

    picked = [case(clerk, world.district)]
    number = Application.objects.get(pk=picked[0].pk).id_document_number

    def numbers(response: Any) -> str:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)

    # Masked by default, for the clerk and for the head.
    assert number not in numbers(bulk(head, picked, "export")[0])
    # The clerk has no right: refused with the reason, no file, nothing logged.
    response, messages = bulk(clerk, picked, "export", personal="1", reason="核对")
    assert response.status_code == 302
    assert any("没有导出申请人完整身份证明号码" in m for m in messages)
    # The head without a reason: refused.
    response, messages = bulk(head, picked, "export", personal="1", reason=" ")
    assert response.status_code == 302 and any("须说明事由" in m for m in messages)
    assert PersonalDataAccess.objects.count() == 0
    # The head with a reason: full numbers, and one entry in the unit's log.
    response, _ = bulk(head, picked, "export", personal="1", reason="行政复议答复需要")
    assert number in numbers(response)
    entry = PersonalDataAccess.objects.get()
    assert (entry.kind, entry.user, entry.reason) == ("export", head, "行政复议答复需要")
    html = client_for(head).get(reverse("applications:my_cases")).content.decode()
    assert 'id="bulk-personal"' in html
    assert (
        'id="bulk-personal"'
        not in client_for(clerk).get(reverse("applications:my_cases")).content.decode()
    )
