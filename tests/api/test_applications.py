"""The applications endpoints: who sees what (the permission matrix), idempotent creation,
pagination and filters, the workflow steps, masking, and the one error shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from gongkai.agencies.models import PersonalDataAccess, Role
from gongkai.api.models import ApiToken
from gongkai.api.services import api_token_revoke
from gongkai.applications.models import Application, ApplicationEvent

from .conftest import APPLICATION_BODY, Api, Issue, World, error_of, register

D = dt.date
TODAY = D(2024, 3, 8)


@pytest.fixture(autouse=True)
def _today(today_is: Any) -> None:
    today_is(TODAY)


@pytest.fixture
def clerk_b(world: World) -> Any:
    return world.member(Role.CLERK, world.other_district)


# Every endpoint on one case: (method, path after /applications/{id}, body, scope it needs).
CASE_ENDPOINTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("get", "", {}, "applications:read"),
    ("get", "/events", {}, "applications:read"),
    (
        "post",
        "/correction",
        {"expected_version": 1, "items": "请写明文件名称", "supplement_deadline": "2024-03-22"},
        "applications:write",
    ),
    ("post", "/supplement", {"expected_version": 1}, "applications:write"),
    (
        "post",
        "/extension",
        {"expected_version": 1, "working_days": 20, "reason": "需要调档"},
        "applications:write",
    ),
    ("post", "/extension/approve", {"expected_version": 1}, "extensions:approve"),
    (
        "post",
        "/extension/refuse",
        {"expected_version": 1, "reason": "无需延期"},
        "extensions:approve",
    ),
    (
        "post",
        "/decision",
        {
            "expected_version": 1,
            "result": "disclosed",
            "legal_basis": "《条例》第三十六条第（二）项",
        },
        "applications:write",
    ),
    (
        "post",
        "/reasons",
        {"expected_version": 1, "facts": "按案卷补录的具体理由"},
        "applications:write",
    ),
    ("post", "/reply", {"expected_version": 1, "delivery": "post"}, "applications:write"),
    ("post", "/withdrawal", {"expected_version": 1}, "applications:write"),
    ("post", "/correction/abandoned", {"expected_version": 1}, "applications:write"),
    (
        "post",
        "/consultation",
        {"expected_version": 1, "consultation": "third_party", "party": "某公司"},
        "applications:write",
    ),
    (
        "post",
        "/consultation/answer",
        {"expected_version": 1, "consultation": "third_party", "party": "某公司"},
        "applications:write",
    ),
    (
        "post",
        "/delayed-reply",
        {"expected_version": 1, "due": "2024-05-01", "reason": "申请数量明显超过合理范围"},
        "applications:write",
    ),
    ("post", "/fee-notice", {"expected_version": 1, "method": "per_request"}, "applications:write"),
    ("post", "/fee-paid", {"expected_version": 1}, "applications:write"),
    ("post", "/fee-not-paid", {"expected_version": 1}, "applications:write"),
]
IDS = [f"{m}{p or '/'}" for m, p, _, _ in CASE_ENDPOINTS]


def _call(api: Api, method: str, path: str, secret: str | None, body: dict[str, Any]) -> Any:
    return api.get(path, secret) if method == "get" else api.post(path, secret, body)


@pytest.mark.parametrize(("method", "suffix", "body", "scope"), CASE_ENDPOINTS, ids=IDS)
def test_a_token_never_reaches_another_units_case(
    world: World,
    issue: Issue,
    api: Api,
    clerk_b: Any,
    method: str,
    suffix: str,
    body: Any,
    scope: str,
) -> None:
    # given a case of the unrelated district, and of the district's own child unit
    theirs = register(clerk_b, world.other_district)
    child = register(world.member(Role.CLERK, world.township), world.township)
    secret = issue(world.district)

    for case in (theirs, child):
        response = _call(api, method, f"/applications/{case.pk}{suffix}", secret, body)
        # then the refusal is the same 404 as for a case that does not exist
        assert response.status_code == 404
        missing = _call(api, method, f"/applications/987654{suffix}", secret, body)
        assert missing.status_code == 404
        assert error_of(response)["code"] == error_of(missing)["code"] == "not_found"
        assert error_of(response)["message"] == error_of(missing)["message"].replace(
            "987654", str(case.pk)
        )
    assert ApplicationEvent.objects.filter(application=theirs).count() == 1  # nothing written


@pytest.mark.parametrize(("method", "suffix", "body", "scope"), CASE_ENDPOINTS, ids=IDS)
def test_a_missing_scope_is_refused_before_the_case_is_looked_at(
    world: World,
    issue: Issue,
    api: Api,
    clerk: Any,
    method: str,
    suffix: str,
    body: Any,
    scope: str,
) -> None:
    mine = register(clerk, world.district)
    others = [
        s
        for s in ("applications:read", "applications:write", "extensions:approve", "audit")
        if s != scope
    ]
    secret = issue(world.district, *others)

    response = _call(api, method, f"/applications/{mine.pk}{suffix}", secret, body)

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "forbidden" and scope in error["message"]
    assert Application.objects.get(pk=mine.pk).version == 1


@pytest.mark.parametrize(("method", "suffix", "body", "scope"), CASE_ENDPOINTS, ids=IDS)
def test_a_revoked_or_unknown_token_is_refused(
    world: World,
    issue: Issue,
    api: Api,
    clerk: Any,
    method: str,
    suffix: str,
    body: Any,
    scope: str,
) -> None:
    mine = register(clerk, world.district)
    secret = issue(world.district)
    api_token_revoke(acting_user=None, token_id=ApiToken.objects.get().pk)

    revoked = _call(api, method, f"/applications/{mine.pk}{suffix}", secret, body)
    unknown = _call(api, method, f"/applications/{mine.pk}{suffix}", secret[:-2] + "xx", body)
    absent = _call(api, method, f"/applications/{mine.pk}{suffix}", None, body)

    assert (revoked.status_code, error_of(revoked)["code"]) == (401, "token_revoked")
    assert (unknown.status_code, error_of(unknown)["code"]) == (401, "unauthenticated")
    assert (absent.status_code, error_of(absent)["code"]) == (401, "unauthenticated")
    assert Application.objects.get(pk=mine.pk).version == 1


def test_the_list_holds_only_the_tokens_unit(
    world: World, issue: Issue, api: Api, clerk: Any, clerk_b: Any
) -> None:
    mine = register(clerk, world.district)
    register(clerk_b, world.other_district)
    register(world.member(Role.CLERK, world.township), world.township)

    body = api.get("/applications", issue(world.district)).json()

    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [mine.pk]


def test_the_list_pages_and_filters(world: World, issue: Issue, api: Api, clerk: Any) -> None:
    # given five cases received on five days of 2024 and one of 2023, one of them withdrawn
    cases = [register(clerk, world.district, submitted_on=D(2024, 3, day)) for day in range(1, 6)]
    old = register(clerk, world.district, submitted_on=D(2023, 12, 28))
    from gongkai.applications.services import application_withdraw

    application_withdraw(acting_user=clerk, application_id=cases[0].pk, expected_version=1)
    secret = issue(world.district)

    pages = [api.get("/applications", secret, limit=2, offset=o).json() for o in (0, 2, 4, 6)]

    assert [p["count"] for p in pages] == [6] * 4
    seen = [item["id"] for p in pages for item in p["items"]]
    assert seen == [c.pk for c in reversed(cases)] + [old.pk]  # newest first, each once
    assert pages[3]["items"] == []
    in_2023 = api.get("/applications", secret, year=2023).json()
    assert [i["id"] for i in in_2023["items"]] == [old.pk]
    closed = api.get("/applications", secret, status="closed").json()
    assert [i["id"] for i in closed["items"]] == [cases[0].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"year": "x"}, "year"),
        ({"status": "lost"}, "status"),
    ],
)
def test_bad_list_parameters_get_a_chinese_422(
    world: World, issue: Issue, api: Api, params: dict[str, Any], field: str
) -> None:
    response = api.get("/applications", issue(world.district), **params)

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert [d["field"] for d in error["details"]] == [field]
    assert field in error["message"]


def test_create_registers_one_case_in_the_tokens_unit(world: World, issue: Issue, api: Api) -> None:
    response = api.post("/applications", issue(world.district), APPLICATION_BODY)

    assert response.status_code == 201
    created = Application.objects.get()
    assert response.json()["id"] == created.pk
    assert created.unit == world.district
    assert created.tracking_number == response.json()["tracking_number"]
    # the event names the token as the one who acted
    assert ApplicationEvent.objects.get().actor.first_name == "接口：办公自动化系统"


def test_the_same_idempotency_key_twice_makes_one_case(
    world: World, issue: Issue, api: Api
) -> None:
    secret = issue(world.district)
    key = {"Idempotency-Key": "oa-2024-0001"}

    first = api.post("/applications", secret, APPLICATION_BODY, headers=key)
    again = api.post("/applications", secret, APPLICATION_BODY, headers=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Application.objects.count() == 1
    # without a key each call is a new case
    api.post("/applications", secret, APPLICATION_BODY)
    assert Application.objects.count() == 2


def test_the_same_key_with_another_body_is_a_conflict(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    key = {"Idempotency-Key": "k"}
    api.post("/applications", secret, APPLICATION_BODY, headers=key)

    other = api.post(
        "/applications", secret, {**APPLICATION_BODY, "applicant_name": "李四"}, headers=key
    )

    assert other.status_code == 409
    assert error_of(other)["code"] == "idempotency_conflict"
    assert Application.objects.count() == 1


def test_keys_belong_to_their_token(world: World, issue: Issue, api: Api) -> None:
    key = {"Idempotency-Key": "shared"}
    api.post("/applications", issue(world.district, name="甲"), APPLICATION_BODY, headers=key)
    api.post("/applications", issue(world.district, name="乙"), APPLICATION_BODY, headers=key)

    assert Application.objects.count() == 2


def test_a_refused_creation_keeps_no_key(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    key = {"Idempotency-Key": "retry-me"}

    future = api.post(
        "/applications", secret, {**APPLICATION_BODY, "submitted_on": "2024-12-01"}, headers=key
    )
    fixed = api.post("/applications", secret, APPLICATION_BODY, headers=key)

    assert future.status_code == 400
    assert error_of(future)["code"] == "invalid_request"
    assert "不能晚于今天" in error_of(future)["message"]
    assert fixed.status_code == 201
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"submitted_on": "2024-02-30"}, "submitted_on"),
        ({"applicant_name": ""}, "applicant_name"),
        ({"description": None}, "description"),
    ],
)
def test_a_malformed_body_gets_a_chinese_422(
    world: World, issue: Issue, api: Api, change: dict[str, Any], field: str
) -> None:
    response = api.post("/applications", issue(world.district), {**APPLICATION_BODY, **change})

    assert response.status_code == 422
    assert [d["field"] for d in error_of(response)["details"]] == [field]
    assert not Application.objects.exists()


def test_a_missing_field_and_broken_json(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    body = {k: v for k, v in APPLICATION_BODY.items() if k != "description"}
    missing = api.post("/applications", secret, body)
    broken = api.client.post(
        "/api/applications",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert "缺少必填字段" in error_of(missing)["message"]
    assert broken.status_code in (400, 422)
    error_of(broken)


def test_personal_data_is_masked_without_its_scope(
    world: World, issue: Issue, api: Api, clerk: Any
) -> None:
    case = register(clerk, world.district, phone="13812345678")
    masked = api.get(f"/applications/{case.pk}", issue(world.district, "applications:read")).json()
    full = api.get(
        f"/applications/{case.pk}",
        issue(world.district, "applications:read", "applications:personal-data", name="档案"),
    ).json()

    assert (masked["id_document_number"], masked["phone"]) == ("3505**********1234", "138****5678")
    assert (full["id_document_number"], full["phone"]) == ("350505199001011234", "13812345678")
    listed = api.get("/applications", issue(world.district, "applications:read", name="列表"))
    assert "350505199001011234" not in listed.content.decode()
    # Only the full numbers are a look at personal data, logged as on the case page.
    logged = PersonalDataAccess.objects.get()
    assert (logged.application_id, logged.unit_id) == (case.pk, world.district.pk)
    assert "档案" in logged.what


def test_the_workflow_through_the_api(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    case = api.post("/applications", secret, APPLICATION_BODY).json()
    path = f"/applications/{case['id']}"

    corrected = api.post(
        f"{path}/correction",
        secret,
        {
            "expected_version": 1,
            "items": "请写明文件文号",
            "supplement_deadline": "2024-03-20",
            "on": "2024-03-05",
        },
    )
    stale = api.post(f"{path}/supplement", secret, {"expected_version": 1})
    supplied = api.post(f"{path}/supplement", secret, {"expected_version": 2, "on": "2024-03-07"})
    decided = api.post(
        f"{path}/decision",
        secret,
        {
            "expected_version": 3,
            "result": "disclosed",
            "legal_basis": "《条例》第三十六条第（二）项",
        },
    )
    early = api.post(
        f"{path}/decision",
        secret,
        {"expected_version": 4, "result": "disclosed", "legal_basis": "x"},
    )
    replied = api.post(f"{path}/reply", secret, {"expected_version": 4, "delivery": "email"})

    assert corrected.json()["status"] == "awaiting_supplement"
    assert (stale.status_code, error_of(stale)["code"]) == (409, "stale_version")
    assert supplied.json()["version"] == 3
    assert decided.json()["result"] == "disclosed"
    assert early.status_code == 400 and error_of(early)["code"] == "invalid_request"
    assert replied.json()["status"] == "replied"
    events = api.get(f"{path}/events", secret).json()
    assert [e["kind"] for e in events] == [
        "received",
        "correction_requested",
        "supplement_received",
        "decided",
        "reply_sent",
    ]
    assert events[1]["data"]["items"] == "请写明文件文号"
    assert events[1]["summary"]


def test_an_extension_needs_the_approval_scope(
    world: World, issue: Issue, api: Api, clerk: Any
) -> None:
    case = register(clerk, world.district)
    writer = issue(world.district, "applications:write", name="写")
    approver = issue(world.district, "applications:write", "extensions:approve", name="批")
    path = f"/applications/{case.pk}"

    asked = api.post(
        f"{path}/extension",
        writer,
        {"expected_version": 1, "working_days": 20, "reason": "档案在外单位"},
    )
    refused = api.post(f"{path}/extension/approve", writer, {"expected_version": 2})
    approved = api.post(f"{path}/extension/approve", approver, {"expected_version": 2})

    assert asked.status_code == 200
    assert refused.status_code == 403
    assert approved.status_code == 200
    assert approved.json()["due_date"] > asked.json()["due_date"]


@override_settings(GONGKAI_API_REQUESTS_PER_MINUTE=3)
def test_the_rate_limit_answers_429_in_the_error_shape(
    world: World, issue: Issue, api: Api
) -> None:
    secret = issue(world.district)
    answers = [api.get("/applications", secret).status_code for _ in range(4)]
    other = api.get("/applications", issue(world.district, name="另一个系统"))

    assert answers == [200, 200, 200, 429]
    assert error_of(api.get("/applications", secret))["code"] == "rate_limited"
    assert other.status_code == 200  # counted per token


def test_an_unknown_address_is_a_json_404(world: World, issue: Issue, api: Api) -> None:
    response = api.get("/nowhere", issue(world.district))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_script_in_a_text_field_is_data_never_markup(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    script = '<script>alert("x")</script> & \' "'
    created = api.post(
        "/applications",
        secret,
        {**APPLICATION_BODY, "applicant_name": script, "description": script},
    )
    fetched = api.get(f"/applications/{created.json()['id']}", secret)

    assert fetched["Content-Type"].startswith("application/json")
    assert fetched["X-Content-Type-Options"] == "nosniff"
    assert fetched.json()["applicant_name"] == script  # stored and returned as typed


def test_an_oversized_body_is_refused_in_the_error_shape(
    world: World, issue: Issue, api: Api
) -> None:
    huge = {**APPLICATION_BODY, "description": "字" * 3_000_000}

    response = api.post("/applications", issue(world.district), huge)

    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"
    assert not Application.objects.exists()


def test_consultation_and_fee_through_the_api(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    case = api.post("/applications", secret, APPLICATION_BODY).json()
    path = f"/applications/{case['id']}"

    sent = api.post(
        f"{path}/consultation",
        secret,
        {"expected_version": 1, "consultation": "third_party", "party": "泉港某公司"},
    )
    answered = api.post(
        f"{path}/consultation/answer",
        secret,
        {
            "expected_version": 2,
            "consultation": "third_party",
            "party": "泉港某公司",
            "agrees": False,
        },
    )
    unknown = api.post(
        f"{path}/consultation",
        secret,
        {"expected_version": 3, "consultation": "court", "party": "x"},
    )

    assert sent.json()["status"] == "paused_consultation"
    assert answered.json()["status"] == "in_progress"
    assert unknown.status_code == 422
    kinds = [e["kind"] for e in api.get(f"{path}/events", secret).json()]
    assert kinds == ["received", "consultation_sent", "consultation_answered"]
