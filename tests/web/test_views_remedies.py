"""Reconsideration and litigation through HTTP: registered and resolved from the case page,
written into the case's history, listed, and counted in the dashboard's table 四.

"Today" is pinned to Wednesday 2025-06-18.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application, EventKind
from gongkai.core.formats import TABLE4
from gongkai.remedies.models import Remedy

from . import conftest
from .conftest import World

TODAY = dt.date(2025, 6, 18)


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)


@pytest.fixture
def app(world: World, clerk: Any) -> Application:
    registered = conftest.register(
        clerk,
        world.district,
        applicant_name="陈某某",
        id_document_number="350505198805051234",
        description="泉港区2024年度城乡居民最低生活保障资金发放明细",
        submitted_on=dt.date(2025, 3, 3),
    )
    return s.application_decide(
        acting_user=clerk,
        application_id=registered.pk,
        expected_version=registered.version,
        result="withheld.third_party",
        legal_basis="《条例》第十五条",
        on=dt.date(2025, 3, 20),
    )


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def register(client: Client, app: Application, **fields: Any) -> Any:
    data = {
        "kind": "reconsideration",
        "authority": "泉州市人民政府",
        "case_number": "泉政复〔2025〕12号",
        "filed_on": "2025-04-10",
        "reconsideration": "",
        "note": "",
        **fields,
    }
    return client.post(
        reverse("remedies:register", args=[app.pk]), {f"remedy-{k}": v for k, v in data.items()}
    )


def record(client: Client, remedy: Remedy, **fields: Any) -> Any:
    data = {
        "version": Remedy.objects.get(pk=remedy.pk).version,
        "result": "upheld",
        "decided_on": "2025-06-01",
        "note": "",
        **fields,
    }
    return client.post(
        reverse("remedies:result", args=[remedy.pk]),
        {f"result{remedy.pk}-{k}": v for k, v in data.items()},
    )


def kinds(app: Application) -> list[str]:
    return list(app.events.order_by("id").values_list("kind", flat=True))


def test_a_reconsideration_is_registered_and_resolved_in_the_cases_history(
    clerk: Any, app: Application
) -> None:
    client = client_for(clerk)

    assert register(client, app).status_code == 302
    remedy = Remedy.objects.get()
    assert (remedy.kind, remedy.authority, remedy.filed_on) == (
        "reconsideration",
        "泉州市人民政府",
        dt.date(2025, 4, 10),
    )
    assert record(client, remedy).status_code == 302

    remedy.refresh_from_db()
    assert (remedy.result, remedy.decided_on) == ("upheld", dt.date(2025, 6, 1))
    assert kinds(app)[-2:] == [EventKind.REMEDY_REGISTERED, EventKind.REMEDY_DECIDED]
    page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert "行政复议：泉州市人民政府，案号 泉政复〔2025〕12号" in page
    assert "行政复议（泉州市人民政府）：结果维持" in page


def test_litigation_after_reconsideration_links_the_decided_one(
    clerk: Any, app: Application
) -> None:
    client = client_for(clerk)
    register(client, app)
    first = Remedy.objects.get()
    record(client, first, decided_on="2025-05-20")

    response = register(
        client,
        app,
        kind="litigation_after",
        authority="泉州市中级人民法院",
        filed_on="2025-06-02",
        reconsideration=str(first.pk),
    )

    assert response.status_code == 302
    lawsuit = Remedy.objects.get(kind="litigation_after")
    assert lawsuit.reconsideration_id == first.pk


@pytest.mark.parametrize(
    ("_case", "fields", "message"),
    [
        ("blank authority", {"authority": ""}, "请填写复议机关或人民法院名称"),
        ("in the future", {"filed_on": "2099-01-01"}, "不能晚于今天"),
        (
            "before receipt",
            {"filed_on": "2025-03-01"},
            "早于申请 泉港区政府办-2025-0001 的收到日期",
        ),
        ("lawsuit without its reconsideration", {"kind": "litigation_after"}, "须关联此前"),
        ("unknown kind", {"kind": "appeal"}, "appeal"),
        ("bad date", {"filed_on": "2025/4/10"}, "申请（立案）日期格式应为"),
    ],
)
def test_an_impossible_registration_is_explained_and_nothing_is_written(
    clerk: Any, app: Application, _case: str, fields: dict[str, str], message: str
) -> None:
    events = kinds(app)

    response = register(client_for(clerk), app, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Remedy.objects.count() == 0
    assert kinds(app) == events


@pytest.mark.parametrize(
    ("_case", "fields", "status", "message"),
    [
        ("before filing", {"decided_on": "2025-04-01"}, 400, "早于申请（立案）日期 2025-04-10"),
        ("stale version", {"version": 99}, 409, "已被他人修改"),
        ("pending is not a result", {"result": "pending"}, 400, "选择一个有效的选项"),
    ],
)
def test_an_impossible_result_is_explained_and_nothing_is_written(
    clerk: Any, app: Application, _case: str, fields: dict[str, Any], status: int, message: str
) -> None:
    client = client_for(clerk)
    register(client, app)
    remedy = Remedy.objects.get()
    events = kinds(app)

    response = record(client, remedy, **fields)

    assert response.status_code == status
    assert message in response.content.decode()
    remedy.refresh_from_db()
    assert (remedy.result, remedy.decided_on) == ("", None)
    assert kinds(app) == events


def test_other_units_get_404_and_supervisors_may_only_read(
    world: World, clerk: Any, app: Application
) -> None:
    register(client_for(clerk), app)
    remedy = Remedy.objects.get()
    outsider = client_for(world.member(Role.CLERK, world.other_district))
    supervisor = client_for(world.member(Role.SUPERVISOR))

    assert register(outsider, app).status_code == 404
    assert record(outsider, remedy).status_code == 404
    assert "泉州市人民政府" not in outsider.get(reverse("remedies:list")).content.decode()
    refused = register(supervisor, app, authority="福建省人民政府")
    assert refused.status_code == 403
    assert "无权登记复议或诉讼" in refused.content.decode()
    assert record(supervisor, remedy).status_code == 403
    assert "泉州市人民政府" in supervisor.get(reverse("remedies:list")).content.decode()
    assert Remedy.objects.count() == 1
    assert Remedy.objects.get().result == ""


def test_the_dashboard_shows_table_4_of_the_year_with_the_formats_labels(
    world: World, clerk: Any, app: Application
) -> None:
    client = client_for(clerk)
    register(client, app)
    register(client, app, kind="litigation_direct", authority="泉州市中级人民法院")
    record(client, Remedy.objects.get(kind="reconsideration"), result="corrected")

    page = client.get(reverse("applications:dashboard", args=[world.district.pk])).content
    html = page.decode()

    table = html[html.index('id="table4"') :]
    for column in TABLE4.columns:
        assert f'<th class="num">{column.label}</th>' in table
    cells = {
        label: [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
        for label, row in re.findall(r"<tr><td>([^<]+)</td>(.*?)</tr>", table)
    }
    # columns: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计
    assert cells[TABLE4.row("reconsideration").name] == [0, 1, 0, 0, 1]
    assert cells[TABLE4.row("litigation_direct").name] == [0, 0, 0, 1, 1]
    assert cells[TABLE4.row("litigation_after").name] == [0, 0, 0, 0, 0]


def test_the_dashboard_links_the_cases_of_table_4_only_for_those_who_may_read_them(
    world: World,
) -> None:
    """An administrator sees a unit's counts on its dashboard but may not read its cases: a link
    to the list would only lead to a refusal."""
    link = f"{reverse('remedies:list')}?unit={world.district.pk}"
    dashboard = reverse("applications:dashboard", args=[world.district.pk])
    for role, shown in ((Role.CLERK, True), (Role.SUPERVISOR, True), (Role.ADMIN, False)):
        client = client_for(world.member(role))
        assert (link in client.get(dashboard).content.decode()) is shown, role
        if shown:
            assert client.get(link).status_code == 200
        else:
            assert client.get(link).status_code == 404
