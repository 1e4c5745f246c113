"""Every change to a register writes exactly one typed event in its transaction: who, when,
which entry, and — for an edit or a deletion — the values it had before. A failure leaves
neither the change nor the event. The history page shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.registers import events, services
from gongkai.registers.decisions_import import decision_counts_import
from gongkai.registers.events import CountsImported, EntryAdded, EntryChanged, EntryRemoved
from gongkai.registers.models import (
    CATEGORY_CHOICES,
    LICENSING,
    NORMATIVE,
    PENALTY,
    TRAINING,
    AdminFeeTotal,
    DecisionCount,
    NormativeDocument,
    ProactiveItem,
    RegisterEvent,
    RegisterEventKind,
    WorkRecord,
)

from .conftest import World
from .test_decisions_import import workbook

D = dt.date
BUDGET = CATEGORY_CHOICES[6][0]  # 第二十条第（七）项 财政预算、决算
K = RegisterEventKind


def document(user: Any, world: World) -> NormativeDocument:
    return services.normative_document_create(
        acting_user=user,
        unit=world.district,
        kind=NORMATIVE,
        number="泉港政〔2021〕1号",
        title="泉港区行政规范性文件管理办法",
        issued_on=D(2021, 3, 1),
    )


def item(user: Any, world: World) -> ProactiveItem:
    return services.proactive_item_create(
        acting_user=user,
        unit=world.district,
        category=BUDGET,
        title="2021年部门预算",
        formed_on=D(2021, 3, 1),
    )


def work(user: Any, world: World) -> WorkRecord:
    return services.work_record_create(
        acting_user=user,
        unit=world.district,
        kind=TRAINING,
        name="条例专题培训",
        happened_on=D(2021, 4, 1),
        quantity=60,
    )


def count(user: Any, world: World, n: int) -> DecisionCount:
    return services.decision_count_set(
        acting_user=user, unit=world.district, year=2021, month=3, kind=LICENSING, count=n
    )


def fee(user: Any, world: World, amount: str) -> AdminFeeTotal:
    return services.admin_fee_set(acting_user=user, unit=world.district, year=2021, amount=amount)


def imported(user: Any, world: World) -> Any:
    return decision_counts_import(
        acting_user=user,
        unit=world.district,
        year=2021,
        data=workbook((3, 12, 2, None)),
        filename="统计.xlsx",
    )


# Each service: what exists before it runs, the call, the event kind, and what its payload holds.
Setup = Callable[[Any, World], Any]
Act = Callable[[Any, World, Any], Any]
CASES: list[Any] = [
    pytest.param(
        lambda u, w: None,
        lambda u, w, _: document(u, w),
        K.DOCUMENT_CREATED,
        EntryAdded(
            entry="行政规范性文件“泉港政〔2021〕1号”《泉港区行政规范性文件管理办法》",
            values={
                "kind": "行政规范性文件",
                "number": "泉港政〔2021〕1号",
                "title": "泉港区行政规范性文件管理办法",
                "issued_on": "2021-03-01",
                "repealed_on": "",
            },
        ),
        id="document_create",
    ),
    pytest.param(
        document,
        lambda u, w, d: services.normative_document_repeal(
            acting_user=u, document_id=d.pk, repealed_on=D(2021, 12, 1)
        ),
        K.DOCUMENT_REPEALED,
        EntryChanged(
            entry="行政规范性文件“泉港政〔2021〕1号”《泉港区行政规范性文件管理办法》",
            before={"repealed_on": ""},
            after={"repealed_on": "2021-12-01"},
        ),
        id="document_repeal",
    ),
    pytest.param(
        document,
        lambda u, w, d: services.normative_document_delete(acting_user=u, document_id=d.pk),
        K.DOCUMENT_DELETED,
        EntryRemoved(
            entry="行政规范性文件“泉港政〔2021〕1号”《泉港区行政规范性文件管理办法》",
            values={
                "kind": "行政规范性文件",
                "number": "泉港政〔2021〕1号",
                "title": "泉港区行政规范性文件管理办法",
                "issued_on": "2021-03-01",
                "repealed_on": "",
            },
        ),
        id="document_delete",
    ),
    pytest.param(
        lambda u, w: count(u, w, 10),
        lambda u, w, _: count(u, w, 12),
        K.DECISION_COUNT_SET,
        EntryChanged(
            entry="2021 年 3 月行政许可决定数量",
            before={"quantity": "10"},
            after={"quantity": "12"},
        ),
        id="decision_count_set",
    ),
    pytest.param(
        lambda u, w: count(u, w, 10),
        lambda u, w, _: imported(u, w),
        K.DECISION_COUNTS_IMPORTED,
        CountsImported(
            filename="统计.xlsx",
            year=2021,
            cells=((3, "行政许可", "10", "12"), (3, "行政处罚", "", "2")),
        ),
        id="decision_counts_import",
    ),
    pytest.param(
        lambda u, w: fee(u, w, "12.35"),
        lambda u, w, _: fee(u, w, "12.5"),
        K.FEE_SET,
        EntryChanged(
            entry="2021 年行政事业性收费金额（万元）",
            before={"amount": "12.35"},
            after={"amount": "12.5"},
        ),
        id="admin_fee_set",
    ),
    pytest.param(
        lambda u, w: None,
        lambda u, w, _: item(u, w),
        K.ITEM_CREATED,
        EntryAdded(
            entry="主动公开事项“2021年部门预算”",
            values={
                "category": "第二十条第（七）项 财政预算、决算",
                "title": "2021年部门预算",
                "formed_on": "2021-03-01",
                "published_on": "",
            },
        ),
        id="item_create",
    ),
    pytest.param(
        item,
        lambda u, w, i: services.proactive_item_publish(
            acting_user=u, item_id=i.pk, published_on=D(2021, 3, 5)
        ),
        K.ITEM_PUBLISHED,
        EntryChanged(
            entry="主动公开事项“2021年部门预算”",
            before={"published_on": ""},
            after={"published_on": "2021-03-05"},
        ),
        id="item_publish",
    ),
    pytest.param(
        item,
        lambda u, w, i: services.proactive_item_delete(acting_user=u, item_id=i.pk),
        K.ITEM_DELETED,
        EntryRemoved(
            entry="主动公开事项“2021年部门预算”",
            values={
                "category": "第二十条第（七）项 财政预算、决算",
                "title": "2021年部门预算",
                "formed_on": "2021-03-01",
                "published_on": "",
            },
        ),
        id="item_delete",
    ),
    pytest.param(
        lambda u, w: None,
        lambda u, w, _: work(u, w),
        K.WORK_CREATED,
        EntryAdded(
            entry="培训“条例专题培训”",
            values={
                "kind": "培训",
                "name": "条例专题培训",
                "happened_on": "2021-04-01",
                "change": "",
                "quantity": "60",
                "note": "",
            },
        ),
        id="work_create",
    ),
    pytest.param(
        work,
        lambda u, w, r: services.work_record_delete(acting_user=u, record_id=r.pk),
        K.WORK_DELETED,
        EntryRemoved(
            entry="培训“条例专题培训”",
            values={
                "kind": "培训",
                "name": "条例专题培训",
                "happened_on": "2021-04-01",
                "change": "",
                "quantity": "60",
                "note": "",
            },
        ),
        id="work_delete",
    ),
]

MODELS = (NormativeDocument, DecisionCount, AdminFeeTotal, ProactiveItem, WorkRecord)


def state() -> list[list[tuple[Any, ...]]]:
    """Every register row as stored (what a failed change must leave as it was)."""
    return [
        sorted(
            tuple(v for k, v in row.items() if k != "recorded_at")
            for row in model.objects.values()  # type: ignore[attr-defined]
        )
        for model in MODELS
    ]


def test_every_kind_has_its_payload_and_every_case_is_tested() -> None:
    assert set(events.PAYLOADS) == set(RegisterEventKind)
    assert {case.values[2] for case in CASES} == set(RegisterEventKind)


@pytest.mark.parametrize(("setup", "act", "kind", "payload"), CASES)
def test_each_service_writes_exactly_one_event(
    world: World, clerk: Any, setup: Setup, act: Act, kind: RegisterEventKind, payload: Any
) -> None:
    entry = setup(clerk, world)
    before = set(RegisterEvent.objects.values_list("pk", flat=True))

    result = act(clerk, world, entry)

    new = RegisterEvent.objects.exclude(pk__in=before)
    assert new.count() == 1
    event = new.get()
    assert (event.kind, event.actor, event.unit) == (kind, clerk, world.district)
    assert events.payload_of(event) == payload
    if kind is K.DECISION_COUNTS_IMPORTED:
        assert event.entry_id is None
    else:
        entry_id = entry.pk if entry is not None else result.pk
        assert event.entry_id == entry_id
    assert events.summary(event)  # the history prints every kind


@pytest.mark.parametrize(("setup", "act", "kind", "payload"), CASES)
def test_a_failed_event_leaves_neither_change_nor_event(
    world: World,
    clerk: Any,
    monkeypatch: pytest.MonkeyPatch,
    setup: Setup,
    act: Act,
    kind: RegisterEventKind,
    payload: Any,
) -> None:
    entry = setup(clerk, world)
    stored, logged = state(), RegisterEvent.objects.count()

    def broken(**_: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(events, "record", broken)
    with pytest.raises(RuntimeError):
        act(clerk, world, entry)

    assert state() == stored
    assert RegisterEvent.objects.count() == logged


def test_an_edit_keeps_every_previous_value_in_order(world: World, clerk: Any) -> None:
    for n in (10, 12, 9):
        count(clerk, world, n)
    for amount in ("1", "2.5"):
        fee(clerk, world, amount)

    counts = RegisterEvent.objects.filter(kind=K.DECISION_COUNT_SET).order_by("id")
    assert [
        (p.before["quantity"], p.after["quantity"])
        for p in map(events.payload_of, counts)
        if isinstance(p, EntryChanged)
    ] == [("", "10"), ("10", "12"), ("12", "9")]
    fees = RegisterEvent.objects.filter(kind=K.FEE_SET).order_by("id")
    assert [events.summary(e) for e in fees] == [
        "2021 年行政事业性收费金额（万元）：本年收费金额（万元）由“空”改为“1”",
        "2021 年行政事业性收费金额（万元）：本年收费金额（万元）由“1”改为“2.5”",
    ]
    assert AdminFeeTotal.objects.get().amount == Decimal("2.5")


def test_a_refused_change_writes_no_event(world: World, clerk: Any) -> None:
    document(clerk, world)
    logged = RegisterEvent.objects.count()
    with pytest.raises(services.RegisterError):
        document(clerk, world)  # the same 文号 again
    with pytest.raises(services.RegisterError):
        services.decision_count_set(
            acting_user=clerk, unit=world.district, year=2021, month=13, kind=PENALTY, count=1
        )
    assert RegisterEvent.objects.count() == logged


def test_events_are_evidence(world: World, clerk: Any) -> None:
    from gongkai.agencies.models import AppendOnlyError

    document(clerk, world)
    event = RegisterEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.delete()
    event.data = {}
    with pytest.raises(AppendOnlyError):
        event.save()


def test_the_history_page_shows_who_changed_what(world: World, clerk: Any) -> None:
    doc = document(clerk, world)
    services.normative_document_repeal(
        acting_user=clerk, document_id=doc.pk, repealed_on=D(2021, 12, 1)
    )
    work(clerk, world)
    client = Client()
    client.force_login(clerk)
    overview = client.get(reverse("registers:overview"), {"unit": world.district.pk, "year": 2021})
    assert reverse("registers:history") in overview.content.decode()

    page = client.get(reverse("registers:history"), {"unit": world.district.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "登记文件废止" in text and "废止（失效）日期由“空”改为“2021-12-01”" in text
    assert "登记工作记录" in text and clerk.username in text

    # each entry links to its own history
    for register, pk in (("document", doc.pk), ("work", WorkRecord.objects.get().pk)):
        assert f"register={register}&amp;entry={pk}" in overview.content.decode()

    # one entry's history: its two events, not the work record's
    one = client.get(
        reverse("registers:history"),
        {"unit": world.district.pk, "register": "document", "entry": doc.pk},
    ).content.decode()
    assert "登记规章或规范性文件" in one and "登记文件废止" in one
    assert "登记工作记录" not in one


def test_the_history_is_read_where_the_registers_are(world: World, clerk: Any) -> None:
    document(clerk, world)
    url = reverse("registers:history")
    supervisor = Client()
    supervisor.force_login(world.member(Role.SUPERVISOR))
    assert (
        "登记规章或规范性文件" in supervisor.get(url, {"unit": world.district.pk}).content.decode()
    )

    stranger = Client(raise_request_exception=False)
    stranger.force_login(world.member(Role.CLERK, world.other_district, username="other"))
    assert stranger.get(url, {"unit": world.district.pk}).status_code == 404
