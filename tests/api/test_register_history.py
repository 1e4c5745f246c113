"""GET /registers/history: the changes to the token's unit's registers, as the staff history
page lists them — every kind of change with its typed values before and after, newest first,
paged, filtered by register and entry — and never another unit's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.agencies.models import Role
from gongkai.registers import events as register_events
from gongkai.registers import services
from gongkai.registers.decisions_import import decision_counts_import
from gongkai.registers.models import (
    CATEGORY_CHOICES,
    LICENSING,
    NORMATIVE,
    TRAINING,
    RegisterEvent,
    RegisterEventKind,
)
from tests.registers.test_decisions_import import workbook

from .conftest import Api, Issue, World, error_of

D = dt.date
K = RegisterEventKind
DOCUMENT_KINDS = {K.DOCUMENT_CREATED, K.DOCUMENT_REPEALED, K.DOCUMENT_DELETED}


@pytest.fixture(autouse=True)
def _today(today_is: Any) -> None:
    today_is(D(2025, 3, 3))


def _document(user: Any, unit: Any, number: str) -> Any:
    return services.normative_document_create(
        acting_user=user,
        unit=unit,
        kind=NORMATIVE,
        number=number,
        title=f"{number}管理办法",
        issued_on=D(2024, 3, 1),
    )


def _every_change(user: Any, unit: Any) -> dict[str, Any]:
    """One change of every kind the registers know, in ``unit``; the entries made."""
    kept = _document(user, unit, "泉港政〔2024〕1号")
    services.normative_document_repeal(
        acting_user=user, document_id=kept.pk, repealed_on=D(2024, 12, 1)
    )
    mistaken = _document(user, unit, "泉港政〔2024〕2号")
    services.normative_document_delete(acting_user=user, document_id=mistaken.pk)
    services.decision_count_set(
        acting_user=user, unit=unit, year=2024, month=3, kind=LICENSING, count=10
    )
    decision_counts_import(
        acting_user=user,
        unit=unit,
        year=2024,
        data=workbook((3, 12, 2, None), title=None),
        filename="统计.xlsx",
    )
    services.admin_fee_set(acting_user=user, unit=unit, year=2024, amount="12.35")
    item = services.proactive_item_create(
        acting_user=user,
        unit=unit,
        category=CATEGORY_CHOICES[6][0],
        title="2024年部门预算",
        formed_on=D(2024, 3, 1),
    )
    services.proactive_item_publish(acting_user=user, item_id=item.pk, published_on=D(2024, 3, 5))
    wrong = services.proactive_item_create(
        acting_user=user,
        unit=unit,
        category=CATEGORY_CHOICES[0][0],
        title="误登记的事项",
        formed_on=D(2024, 3, 1),
    )
    services.proactive_item_delete(acting_user=user, item_id=wrong.pk)
    work = services.work_record_create(
        acting_user=user,
        unit=unit,
        kind=TRAINING,
        name="条例专题培训",
        happened_on=D(2024, 4, 1),
        quantity=60,
    )
    services.work_record_delete(acting_user=user, record_id=work.pk)
    return {"kept": kept, "mistaken": mistaken}


def test_every_change_is_listed_with_its_values_newest_first(
    world: World, issue: Issue, api: Api
) -> None:
    clerk = world.member(Role.CLERK)
    _every_change(clerk, world.district)
    # and changes in the unrelated district and in the district's own child unit
    for unit in (world.other_district, world.township):
        _document(world.member(Role.CLERK, unit), unit, "他单位〔2024〕1号")

    body = api.get("/registers/history", issue(world.district, "registers:read")).json()

    stored = {e.pk: e for e in RegisterEvent.objects.filter(unit=world.district)}
    assert body["count"] == len(stored) == 13
    ids = [item["id"] for item in body["items"]]
    assert sorted(ids) == sorted(stored)  # only the token's unit's, each once
    assert ids == sorted(ids, reverse=True)  # newest first
    assert {item["kind"] for item in body["items"]} == set(K.values)
    for item in body["items"]:
        event = stored[item["id"]]
        assert item["kind_label"] == K(event.kind).label
        assert item["actor"] == clerk.get_username()
        assert item["entry_id"] == event.entry_id
        assert item["summary"] == register_events.summary(event)
        # the typed values are the stored ones, under the same keys
        assert item["data"] == json.loads(json.dumps(event.data))
    repeal = next(i for i in body["items"] if i["kind"] == K.DOCUMENT_REPEALED)
    assert (repeal["ledger"], repeal["ledger_label"]) == ("document", "规章和规范性文件")
    assert repeal["data"]["before"] == {"repealed_on": ""}
    assert repeal["data"]["after"] == {"repealed_on": "2024-12-01"}
    imported = next(i for i in body["items"] if i["kind"] == K.DECISION_COUNTS_IMPORTED)
    assert imported["entry_id"] is None
    assert imported["data"]["cells"] == [[3, "行政许可", "10", "12"], [3, "行政处罚", "", "2"]]


def test_the_history_pages(world: World, issue: Issue, api: Api) -> None:
    clerk = world.member(Role.CLERK)
    for n in range(1, 6):
        _document(clerk, world.district, f"泉港政〔2024〕{n}号")
    secret = issue(world.district, "registers:read")

    pages = [api.get("/registers/history", secret, limit=2, offset=o).json() for o in (0, 2, 4)]

    assert [p["count"] for p in pages] == [5, 5, 5]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    numbers = [item["data"]["values"]["number"] for p in pages for item in p["items"]]
    assert numbers == [f"泉港政〔2024〕{n}号" for n in range(5, 0, -1)]


def test_one_register_and_one_entry(world: World, issue: Issue, api: Api) -> None:
    entries = _every_change(world.member(Role.CLERK), world.district)
    secret = issue(world.district, "registers:read")

    documents = api.get("/registers/history", secret, ledger="document").json()
    kept = api.get("/registers/history", secret, ledger="document", entry=entries["kept"].pk)
    deleted = api.get(
        "/registers/history", secret, ledger="document", entry=entries["mistaken"].pk
    ).json()
    fees = api.get("/registers/history", secret, ledger="fee").json()

    assert documents["count"] == 4
    assert {i["kind"] for i in documents["items"]} == DOCUMENT_KINDS
    assert [i["kind"] for i in kept.json()["items"]] == [K.DOCUMENT_REPEALED, K.DOCUMENT_CREATED]
    # a deleted entry's history stays readable, with the values it had
    assert [i["kind"] for i in deleted["items"]] == [K.DOCUMENT_DELETED, K.DOCUMENT_CREATED]
    assert deleted["items"][0]["data"]["values"]["number"] == "泉港政〔2024〕2号"
    assert [i["data"]["after"] for i in fees["items"]] == [{"amount": "12.35"}]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ledger": "letters"}, "ledger"),
        ({"ledger": "document", "entry": 0}, "entry"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_parameters_get_a_chinese_422(
    world: World, issue: Issue, api: Api, params: dict[str, Any], field: str
) -> None:
    response = api.get("/registers/history", issue(world.district, "registers:read"), **params)

    assert response.status_code == 422
    error = error_of(response)
    assert [d["field"] for d in error["details"]] == [field]
    assert field in error["message"]


def test_an_entry_without_its_register_is_refused(world: World, issue: Issue, api: Api) -> None:
    kept = _document(world.member(Role.CLERK), world.district, "泉港政〔2024〕1号")

    response = api.get("/registers/history", issue(world.district, "registers:read"), entry=kept.pk)

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert "须同时指定台账（ledger）" in error["message"]


def test_the_history_needs_the_registers_scope(world: World, issue: Issue, api: Api) -> None:
    _document(world.member(Role.CLERK), world.district, "泉港政〔2024〕1号")

    refused = api.get("/registers/history", issue(world.district, "applications:read"))

    assert refused.status_code == 403
    error = error_of(refused)
    assert error["code"] == "forbidden"
    assert "registers:read" in error["message"] and "查看公开工作台账" in error["message"]


def test_a_unit_with_no_changes_has_an_empty_history(world: World, issue: Issue, api: Api) -> None:
    _document(world.member(Role.CLERK), world.district, "泉港政〔2024〕1号")

    body = api.get("/registers/history", issue(world.other_district, "registers:read")).json()

    assert body == {"count": 0, "limit": 50, "offset": 0, "items": []}


def test_a_page_costs_the_same_queries_whatever_its_size(
    world: World, issue: Issue, api: Api
) -> None:
    clerk = world.member(Role.CLERK)
    for n in range(1, 11):
        _document(clerk, world.district, f"泉港政〔2024〕{n}号")
    secret = issue(world.district, "registers:read")

    counts = []
    for limit in (1, 10):
        with CaptureQueriesContext(connection) as captured:
            body = api.get("/registers/history", secret, limit=limit).json()
        assert len(body["items"]) == limit
        counts.append(len(captured))

    assert counts[0] == counts[1]
