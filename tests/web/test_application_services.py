"""The intake and the statutory workflow, through the services only.

Dates are real 2024 dates checked by hand against the State Council holiday notice: 2024-03-04 is
a Monday; 20 working days after it end on 2024-04-01 (Qingming, 4–6 April, comes later).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.gatekeeper import APPLICATION_NOT_FOUND, AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application, ApplicationEvent, EventKind, TrackingCounter
from gongkai.core.errors import GongkaiError
from gongkai.core.fees import fee_for_requests

from . import conftest
from .conftest import World

D = dt.date
MONDAY = D(2024, 3, 4)
DUE = D(2024, 4, 1)


class Today:
    """The services' notion of today, pinned so that clocks do not depend on the test date."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.day = D(2024, 6, 28)
        monkeypatch.setattr(s, "_today", lambda: self.day)

    def set(self, day: dt.date) -> None:
        self.day = day


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> Today:
    return Today(monkeypatch)


def register(user: Any, unit: Any, **overrides: Any) -> Application:
    return conftest.register(user, unit, **{"phone": "13800000000", **overrides})


def step(service: Any, user: Any, app: Application, **kwargs: Any) -> Application:
    current = Application.objects.get(pk=app.pk)
    result: Application = service(
        acting_user=user, application_id=app.pk, expected_version=current.version, **kwargs
    )
    return result


def snapshot(app: Application) -> tuple[int, int]:
    return ApplicationEvent.objects.filter(application=app).count(), Application.objects.get(
        pk=app.pk
    ).version


# --- registration ------------------------------------------------------------------------------


def test_register_issues_tracking_numbers_per_unit_and_year(
    world: World, clerk: User, today: Today
) -> None:
    today.set(D(2025, 1, 2))
    first = register(clerk, world.district)
    second = register(clerk, world.district, submitted_on=D(2024, 12, 31))
    next_year = register(clerk, world.district, submitted_on=D(2025, 1, 2))
    township_clerk = world.member(Role.CLERK, world.township)
    other_unit = register(township_clerk, world.township)

    assert [first.tracking_number, second.tracking_number, next_year.tracking_number] == [
        "泉港区政府办-2024-0001",
        "泉港区政府办-2024-0002",
        "泉港区政府办-2025-0001",
    ]
    assert other_unit.tracking_number == "山腰街道-2024-0001"


def test_register_writes_the_received_event_and_starts_the_clock(world: World, clerk: User) -> None:
    app = register(clerk, world.district)

    events = list(app.events.all())
    assert [(e.kind, e.date, e.actor_id) for e in events] == [
        (EventKind.RECEIVED, MONDAY, clerk.pk)
    ]
    assert (app.received_on, app.due_date, app.status, app.version) == (
        MONDAY,
        DUE,
        "in_progress",
        1,
    )


@pytest.mark.parametrize(
    ("_case", "channel", "dates", "received"),
    [
        ("in_person_counts_the_day_handed_in", "in_person", {}, MONDAY),
        ("oral_counts_like_in_person", "oral", {}, MONDAY),
        (
            "email_counts_the_day_both_sides_confirm",
            "email",
            {"confirmed_on": D(2024, 3, 5)},
            D(2024, 3, 5),
        ),
        (
            "registered_mail_counts_signing",
            "registered_mail",
            {"signed_for_on": D(2024, 3, 6)},
            D(2024, 3, 6),
        ),
        ("online_counts_confirmation", "online", {"confirmed_on": D(2024, 3, 5)}, D(2024, 3, 5)),
        ("fax_counts_confirmation", "fax", {"confirmed_on": D(2024, 3, 7)}, D(2024, 3, 7)),
        (
            "ordinary_mail_counts_confirmation",
            "ordinary_mail",
            {"confirmed_on": D(2024, 3, 8)},
            D(2024, 3, 8),
        ),
    ],
)
def test_receipt_date_follows_article_31_for_the_channel(
    world: World,
    clerk: User,
    _case: str,
    channel: str,
    dates: dict[str, dt.date],
    received: dt.date,
) -> None:
    app = register(clerk, world.district, channel=channel, **dates)

    assert app.received_on == received
    assert app.channel == channel


@pytest.mark.parametrize(
    ("_case", "overrides", "message"),
    [
        ("mail_without_signing_date", {"channel": "registered_mail"}, "须填写签收日期"),
        (
            "in_person_with_a_confirmation_date",
            {"confirmed_on": D(2024, 3, 5)},
            "不使用与申请人确认的日期",
        ),
        ("unknown_channel", {"channel": "pigeon"}, "未知的申请方式 'pigeon'"),
        (
            "applicant_type_not_a_column",
            {"applicant_type": "total"},
            "申请人类型必须是表三的一个申请人列",
        ),
        (
            "future_submission",
            {"submitted_on": D(2024, 6, 29)},
            "申请提交日期（2024-06-29）不能晚于今天（2024-06-28）",
        ),
        ("bad_email", {"email": "not-an-address"}, "电子邮箱"),
        ("empty_description", {"description": "  "}, "所需政府信息的名称、文号或者特征性描述"),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(
    world: World, clerk: User, _case: str, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(GongkaiError, match=message):
        register(clerk, world.district, **overrides)

    assert Application.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0
    assert not TrackingCounter.objects.filter(last__gt=0).exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_only_the_units_own_staff_register(world: World, role: Role) -> None:
    with pytest.raises(AccessDeniedError, match="登记申请"):
        register(world.member(role), world.township)
    with pytest.raises(AccessDeniedError):
        register(world.member(Role.CLERK, world.township), world.district)
    assert Application.objects.count() == 0


# --- the workflow ------------------------------------------------------------------------------


def test_full_flow_correction_supplement_extension_decision_reply(
    world: World, clerk: User, head: User
) -> None:
    app = register(clerk, world.district)

    app = step(
        s.application_request_correction,
        clerk,
        app,
        items="请写明所需文件的文号或形成时间",
        supplement_deadline=D(2024, 3, 22),
        on=D(2024, 3, 6),
    )
    assert (app.status, app.due_date) == ("awaiting_supplement", None)

    # the supplement restarts the 20 working days: 2024-03-18 (Mon) + 20 WD = 2024-04-16
    # (18–22, 25–29 March, 1–3 April, 7 April make-up Sunday, 8–12 and 15–16 April)
    app = step(s.application_receive_supplement, clerk, app, on=D(2024, 3, 18))
    assert (app.status, app.due_date) == ("in_progress", D(2024, 4, 16))

    app = step(
        s.application_request_extension,
        clerk,
        app,
        working_days=15,
        reason="涉及多个科室的档案，需要调取核实",
        on=D(2024, 4, 10),
    )
    assert app.due_date == D(2024, 4, 16)  # requested, not yet granted

    app = step(s.application_approve_extension, head, app, on=D(2024, 4, 11))
    # 2024-04-16 + 15 WD: 17–19, 22–26, 28 April (make-up Sunday), 29–30 April, 6–9 May
    assert app.due_date == D(2024, 5, 9)

    app = step(
        s.application_decide,
        clerk,
        app,
        result="disclosed",
        legal_basis="《条例》第三十六条第（二）项",
        on=D(2024, 4, 25),
    )
    assert (app.status, app.result, app.decided_on) == ("decided", "disclosed", D(2024, 4, 25))
    assert app.closed_on is None

    app = step(s.application_send_reply, clerk, app, delivery="post", on=D(2024, 4, 26))
    assert (app.status, app.closed_on, app.version) == ("replied", D(2024, 4, 26), 7)
    assert list(app.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.SUPPLEMENT_RECEIVED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.DECIDED,
        EventKind.REPLY_SENT,
    ]


def _corrected(clerk: User, app: Application) -> Application:
    return step(
        s.application_request_correction,
        clerk,
        app,
        items="请补充文号",
        supplement_deadline=D(2024, 3, 20),
        on=D(2024, 3, 5),
    )


def _decided(clerk: User, app: Application) -> Application:
    return step(
        s.application_decide,
        clerk,
        app,
        result="disclosed",
        legal_basis="第三十六条",
        on=D(2024, 3, 20),
    )


def _extended(clerk: User, app: Application, head: User) -> Application:
    app = step(
        s.application_request_extension,
        clerk,
        app,
        working_days=20,
        reason="需调档",
        on=D(2024, 3, 25),
    )
    return step(s.application_approve_extension, head, app, on=D(2024, 3, 26))


IMPOSSIBLE = [
    pytest.param(
        _corrected,
        s.application_request_correction,
        {"items": "再补一次", "supplement_deadline": D(2024, 3, 29), "on": D(2024, 3, 7)},
        "补正只能一次性告知",
        id="second_correction",
    ),
    pytest.param(
        None,
        s.application_request_extension,
        {"working_days": 10, "reason": "来不及", "on": D(2024, 4, 2)},
        "晚于答复期限 2024-04-01",
        id="extension_after_due_date",
    ),
    pytest.param(
        _extended,
        s.application_request_extension,
        {"working_days": 5, "reason": "还要再延", "on": D(2024, 3, 27)},
        "只能延长一次",
        id="second_extension",
    ),
    pytest.param(
        None,
        s.application_request_extension,
        {"working_days": 21, "reason": "很复杂"},
        "最长不得超过 20 个工作日",
        id="extension_too_long",
    ),
    pytest.param(
        None,
        s.application_send_reply,
        {"delivery": "post", "on": D(2024, 3, 6)},
        "尚未作出答复决定",
        id="reply_before_decision",
    ),
    pytest.param(
        None,
        s.application_decide,
        {"result": "other", "legal_basis": "第三十六条", "on": D(2024, 3, 6)},
        "不是国办公开办函〔2021〕30号年度报告格式表三中的办理结果行",
        id="result_code_of_the_2019_format",
    ),
    pytest.param(
        None,
        s.application_decide,
        {"result": "withheld", "legal_basis": "第十四条", "on": D(2024, 3, 6)},
        "不是国办公开办函〔2021〕30号",
        id="result_code_of_a_header_row",
    ),
    pytest.param(
        None,
        s.application_decide,
        {"result": "other.fee_unpaid", "legal_basis": "收费办法", "on": D(2024, 3, 6)},
        "不能直接作为答复决定",
        id="result_reached_only_through_the_fee_workflow",
    ),
    pytest.param(
        _corrected,
        s.application_decide,
        {"result": "disclosed", "legal_basis": "第三十六条", "on": D(2024, 3, 8)},
        "尚未收到补正材料",
        id="decision_while_awaiting_supplement",
    ),
    pytest.param(
        _decided,
        s.application_decide,
        {"result": "disclosed", "legal_basis": "第三十六条", "on": D(2024, 3, 21)},
        "不能再次",
        id="second_decision",
    ),
    pytest.param(
        None,
        s.application_receive_supplement,
        {"on": D(2024, 3, 6)},
        "没有待补正的告知",
        id="supplement_without_correction",
    ),
    pytest.param(
        None,
        s.application_fee_paid,
        {"on": D(2024, 3, 6)},
        "没有发出收费通知",
        id="payment_without_notice",
    ),
    pytest.param(
        None,
        s.application_approve_extension,
        {"on": D(2024, 3, 6)},
        "没有待审批的延期申请",
        id="approval_without_request",
    ),
    pytest.param(
        None,
        s.application_answer_consultation,
        {"consultation": "third_party", "party": "某公司", "agrees": True, "on": D(2024, 3, 6)},
        "没有发出对应的征求意见函",
        id="answer_without_consultation",
    ),
    pytest.param(
        None,
        s.application_receive_supplement,
        {"on": D(2024, 3, 1)},
        "早于收到申请之日（2024-03-04）",
        id="step_before_receipt",
    ),
    pytest.param(
        None,
        s.application_receive_supplement,
        {"on": D(2024, 6, 29)},
        "不能晚于今天",
        id="step_in_the_future",
    ),
]


@pytest.mark.parametrize(("given", "service", "kwargs", "message"), IMPOSSIBLE)
def test_impossible_steps_are_refused_and_nothing_is_written(
    world: World,
    clerk: User,
    head: User,
    given: Any,
    service: Any,
    kwargs: dict[str, Any],
    message: str,
) -> None:
    # given an application in the state the step cannot follow
    app = register(clerk, world.district)
    if given is _extended:
        app = _extended(clerk, app, head)
    elif given is not None:
        app = given(clerk, app)
    before = snapshot(app)
    actor = head if service is s.application_approve_extension else clerk

    # when the step is attempted, then it is refused in Chinese …
    with pytest.raises(GongkaiError, match=message):
        step(service, actor, app, **kwargs)

    # … and neither an event nor a version bump was written
    assert snapshot(app) == before


def test_only_the_head_approves_an_extension(world: World, clerk: User, head: User) -> None:
    app = register(clerk, world.district)
    app = step(
        s.application_request_extension, clerk, app, working_days=10, reason="需调档", on=MONDAY
    )
    before = snapshot(app)

    with pytest.raises(AccessDeniedError, match="批准延期答复"):
        step(s.application_approve_extension, clerk, app, on=MONDAY)
    assert snapshot(app) == before

    refused = step(s.application_refuse_extension, head, app, reason="期限内可以办结", on=MONDAY)
    assert refused.due_date == DUE
    # after a refusal the clerk may ask again (still before the due date)
    again = step(
        s.application_request_extension, clerk, app, working_days=5, reason="新情况", on=MONDAY
    )
    assert again.version == before[1] + 2


def test_a_case_of_another_unit_looks_like_no_case_at_all(world: World, clerk: User) -> None:
    app = register(clerk, world.district)
    outsider = world.member(Role.CLERK, world.other_district)

    with pytest.raises(AccessDeniedError) as not_allowed:
        step(s.application_receive_supplement, outsider, app)
    with pytest.raises(AccessDeniedError) as not_found:
        s.application_receive_supplement(
            acting_user=outsider, application_id=app.pk + 1000, expected_version=1
        )
    assert str(not_allowed.value) == APPLICATION_NOT_FOUND.format(id=app.pk)
    assert str(not_found.value) == APPLICATION_NOT_FOUND.format(id=app.pk + 1000)


def test_two_clerks_changing_the_same_case_cannot_lose_a_change(world: World, today: Today) -> None:
    # given two clerks who both opened version 1 of the case
    today.set(D(2024, 3, 6))
    first = world.member(Role.CLERK, username="clerk_a")
    second = world.member(Role.CLERK, username="clerk_b")
    app = register(first, world.district)
    seen = app.version

    # when both act on what they saw
    s.application_start_consultation(
        acting_user=first,
        application_id=app.pk,
        expected_version=seen,
        consultation="third_party",
        party="泉港某化工公司",
        on=D(2024, 3, 5),
    )
    before = snapshot(app)
    with pytest.raises(
        s.StaleVersionError, match=r"已被他人修改（您看到的是第 1 版，当前为第 2 版）"
    ):
        s.application_decide(
            acting_user=second,
            application_id=app.pk,
            expected_version=seen,
            result="disclosed",
            legal_basis="第三十六条",
            on=D(2024, 3, 6),
        )

    # then the first change stands and the second wrote nothing
    assert snapshot(app) == before
    assert Application.objects.get(pk=app.pk).status == "paused_consultation"


def test_consultation_pauses_the_clock_until_the_answer(
    world: World, clerk: User, today: Today
) -> None:
    today.set(D(2024, 3, 12))
    app = register(clerk, world.district)
    app = step(
        s.application_start_consultation,
        clerk,
        app,
        consultation="agency",
        party="泉港区自然资源局",
        on=D(2024, 3, 8),
    )
    assert app.status == "paused_consultation"

    today.set(D(2024, 3, 15))
    # answered on Friday 2024-03-15: the 5 working days 11–15 March are not counted
    app = step(
        s.application_answer_consultation,
        clerk,
        app,
        consultation="agency",
        party="泉港区自然资源局",
        agrees=True,
        on=D(2024, 3, 15),
    )
    assert (app.status, app.due_date) == ("in_progress", D(2024, 4, 9))


# --- fees --------------------------------------------------------------------------------------


def test_fee_notice_prices_the_applicants_requests_this_month(world: World, clerk: User) -> None:
    # given ten earlier applications by the same person this month (free under [FEE] Art 4)
    for day in range(1, 11):
        register(clerk, world.district, submitted_on=D(2024, 3, day))
    # and one by someone else, and one by the same person last month: neither counts
    register(clerk, world.district, id_document_number="350505198001010000")
    register(clerk, world.district, submitted_on=D(2024, 2, 28))
    eleventh = register(clerk, world.district, submitted_on=D(2024, 3, 11))

    app = step(
        s.application_send_fee_notice, clerk, eleventh, method="per_request", on=D(2024, 3, 12)
    )

    notice = app.events.get(kind=EventKind.FEE_NOTICE_SENT)
    assert notice.data["already_this_month"] == 10
    assert Decimal(notice.data["yuan"]) == fee_for_requests(1, 10).yuan == Decimal(100)
    assert app.status == "awaiting_payment"


def test_the_monthly_total_counts_requests_not_applications(world: World, clerk: User) -> None:
    # given an earlier application this month priced 按件 for 12 requests (一事一申请, Art 4)
    earlier = register(clerk, world.district, submitted_on=D(2024, 3, 1))
    for day in range(2, 11):  # and nine more single-request applications
        register(clerk, world.district, submitted_on=D(2024, 3, day))
    # (the first needs ten before it to be priced at all: it is the 1st..12th requests)
    step(
        s.application_send_fee_notice,
        clerk,
        earlier,
        method="per_request",
        requests=12,
        on=D(2024, 3, 4),
    )
    later = register(clerk, world.district, submitted_on=D(2024, 3, 11))

    app = step(s.application_send_fee_notice, clerk, later, method="per_request", on=D(2024, 3, 12))

    notice = app.events.get(kind=EventKind.FEE_NOTICE_SENT)
    assert notice.data["already_this_month"] == 12 + 9
    assert Decimal(notice.data["yuan"]) == fee_for_requests(1, 21).yuan


def test_a_fee_notice_delivered_on_the_spot_starts_the_period_at_once(
    world: World, clerk: User
) -> None:
    app = register(clerk, world.district)
    app = step(
        s.application_send_fee_notice,
        clerk,
        app,
        method="per_page",
        pages=45,
        delivered_on=D(2024, 3, 6),
        on=D(2024, 3, 5),
    )
    app = step(s.application_fee_not_paid, clerk, app, on=D(2024, 4, 4))
    assert app.result == "other.fee_unpaid"


def test_a_consultation_window_counts_from_its_recorded_delivery(world: World, clerk: User) -> None:
    from gongkai.applications import clock as app_clock

    app = register(clerk, world.district)
    app = step(
        s.application_start_consultation,
        clerk,
        app,
        consultation="third_party",
        party="某公司",
        on=D(2024, 3, 5),
    )
    app = step(
        s.application_record_consultation_delivery,
        clerk,
        app,
        consultation="third_party",
        party="某公司",
        on=D(2024, 3, 8),
    )

    state = app_clock.evaluate(list(app.events.order_by("id")), on=D(2024, 3, 8))
    (window,) = state.clock.consultations
    assert window.delivered_on == D(2024, 3, 8)
    assert not window.provisional


def test_art_35_sets_a_notified_later_due_date(world: World, clerk: User) -> None:
    app = register(clerk, world.district)
    with pytest.raises(GongkaiError, match="须写明理由"):
        step(s.application_notify_delayed_reply, clerk, app, due=D(2024, 5, 31), reason=" ")

    app = step(
        s.application_notify_delayed_reply,
        clerk,
        app,
        due=D(2024, 5, 31),
        reason="同一申请人本月提出 60 件申请，需逐件检索",
        on=D(2024, 3, 20),
    )

    assert app.due_date == D(2024, 5, 31)
    with pytest.raises(GongkaiError, match="不能再"):
        step(s.application_notify_delayed_reply, clerk, app, due=D(2024, 6, 28), reason="再延")


def test_the_result_year_is_a_policy(
    world: World, clerk: User, settings: Any, today: Today
) -> None:
    from gongkai.applications import clock as app_clock

    today.set(D(2025, 1, 10))
    app = register(clerk, world.district, submitted_on=D(2024, 12, 2))
    app = step(
        s.application_decide,
        clerk,
        app,
        result="disclosed",
        legal_basis="《条例》第三十六条第（二）项",
        on=D(2024, 12, 30),
    )
    app = step(s.application_send_reply, clerk, app, delivery="post", on=D(2025, 1, 3))
    rows = list(app.events.order_by("id"))

    assert app_clock.evaluate(rows).decided_on == D(2024, 12, 30)  # default: the decision
    settings.GONGKAI_CLOCK_POLICY = {"result_year": "reply"}
    assert app_clock.evaluate(rows).decided_on == D(2025, 1, 3)
    settings.GONGKAI_CLOCK_POLICY = {"result_yaer": "reply"}
    with pytest.raises(GongkaiError, match="无法识别的设置：result_yaer"):
        app_clock.evaluate(rows)


def test_a_fee_notice_for_nothing_is_refused(world: World, clerk: User) -> None:
    app = register(clerk, world.district)
    before = snapshot(app)

    with pytest.raises(s.ApplicationError, match="应收信息处理费为 0 元"):
        step(s.application_send_fee_notice, clerk, app, method="per_page", pages=30, on=MONDAY)
    assert snapshot(app) == before


def test_unpaid_fee_ends_the_case_as_other_processing_2(world: World, clerk: User) -> None:
    app = register(clerk, world.district)
    app = step(
        s.application_send_fee_notice, clerk, app, method="per_page", pages=45, on=D(2024, 3, 5)
    )
    assert app.events.get(kind=EventKind.FEE_NOTICE_SENT).data["yuan"] == "150"

    # Until the notice's delivery is recorded the period has no known end
    with pytest.raises(GongkaiError, match="送达日期尚未记录"):
        step(s.application_fee_not_paid, clerk, app, on=D(2024, 4, 30))
    app = step(s.application_record_fee_notice_delivery, clerk, app, on=D(2024, 3, 5))
    with pytest.raises(GongkaiError, match="尚未届满"):
        step(s.application_fee_not_paid, clerk, app, on=D(2024, 3, 20))

    # 20 working days after 2024-03-05 end on 2024-04-02; the day after, it is unpaid
    app = step(s.application_fee_not_paid, clerk, app, on=D(2024, 4, 3))
    assert (app.status, app.result, app.closed_on) == ("closed", "other.fee_unpaid", D(2024, 4, 3))


def test_no_supplement_ends_the_case_as_other_processing_1(world: World, clerk: User) -> None:
    app = _corrected(clerk, register(clerk, world.district))

    app = step(s.application_abandon_correction, clerk, app, on=D(2024, 3, 21))

    assert (app.status, app.result, app.closed_on) == (
        "closed",
        "other.no_correction",
        D(2024, 3, 21),
    )


def test_events_are_append_only(world: World, clerk: User) -> None:
    from gongkai.applications.models import AppendOnlyError

    event = register(clerk, world.district).events.get()
    event.data = {"forged": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
