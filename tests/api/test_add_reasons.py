"""POST /applications/{id}/reasons: the reasons a decision recorded without them lacks
(补录答复理由), added through the same service as the case page — one ``reasons_added`` event in
the case's history, the decision itself unchanged — and each refusal of that service answered
in the one error shape, with its Chinese message and status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.agencies.models import Role
from gongkai.applications.models import RESULT_CHOICES, Application, ApplicationEvent, EventKind
from gongkai.applications.services.base import ARCHIVED
from gongkai.applications.services.reasons import (
    ALREADY_RECORDED,
    BAD_GROUND,
    KEEP_RECORDED,
    NO_REASONS_NEEDED,
    NOT_DECIDED,
    NOT_USED,
)
from gongkai.core.formats import (
    T3_DISCLOSED,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE_NOT_HELD,
    T3_WITHHELD_THIRD_PARTY,
)
from gongkai.core.reasons import WITHHELD_GROUNDS

from .conftest import APPLICATION_BODY, Api, Issue, World, error_of, register

D = dt.date
PART = "批复附件中投标人的报价明细"
FACTS = "报价明细属于投标人的商业秘密，经书面征求意见，投标人不同意公开"
REASONS = {"withheld_part": PART, "withheld_ground": T3_WITHHELD_THIRD_PARTY, "facts": FACTS}
LABELS = dict(RESULT_CHOICES)


@pytest.fixture(autouse=True)
def _today(today_is: Any) -> None:
    today_is(D(2024, 3, 20))


def _case(api: Api, secret: str) -> dict[str, Any]:
    response = api.post("/applications", secret, APPLICATION_BODY)
    assert response.status_code == 201
    case: dict[str, Any] = response.json()
    return case


def _decide(api: Api, secret: str, case: dict[str, Any], result: str, **reasons: str) -> Any:
    decided = api.post(
        f"/applications/{case['id']}/decision",
        secret,
        {
            "expected_version": case["version"],
            "result": result,
            "legal_basis": "《条例》第三十六条",
            "on": "2024-03-15",
            **reasons,
        },
    )
    assert decided.status_code == 200, decided.json()
    return decided.json()


def _add(api: Api, secret: str, case: dict[str, Any], **body: Any) -> Any:
    return api.post(
        f"/applications/{case['id']}/reasons",
        secret,
        {"expected_version": case["version"], **body},
    )


def _refused(response: Any, status: int, message: str) -> None:
    assert response.status_code == status, response.json()
    error = error_of(response)
    assert error["code"] == {400: "invalid_request", 409: "stale_version"}[status]
    assert error["message"] == message


def _reasons_events(case: dict[str, Any]) -> int:
    return ApplicationEvent.objects.filter(
        application_id=case["id"], kind=EventKind.REASONS_ADDED
    ).count()


def test_reasons_added_to_a_bare_decision_appear_in_the_history(
    world: World, issue: Issue, api: Api
) -> None:
    # given a 部分公开 decision recorded without its reasons
    secret = issue(world.district)
    case = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED)
    path = f"/applications/{case['id']}"
    decided_before = api.get(f"{path}/events", secret).json()[-1]

    # when another system adds them
    added = _add(api, secret, case, on="2024-03-18", **REASONS)

    # then the case moved on one version and its decision is as it was
    assert added.status_code == 200, added.json()
    body = added.json()
    assert body["version"] == case["version"] + 1
    assert (body["result"], body["decided_on"], body["status"], body["due_date"]) == (
        case["result"],
        case["decided_on"],
        case["status"],
        case["due_date"],
    )
    # and the history ends with one typed event holding the reasons, by the token's account
    events = api.get(f"{path}/events", secret).json()
    assert [e["kind"] for e in events][-2:] == ["decided", "reasons_added"]
    assert events[-2] == decided_before
    added_event = events[-1]
    assert added_event["kind_label"] == "补录答复理由"
    assert added_event["date"] == "2024-03-18"
    assert added_event["data"] == REASONS
    assert added_event["actor"] == "接口：办公自动化系统"
    assert PART in added_event["summary"] and FACTS in added_event["summary"]
    assert "该部分情形：不予公开：保护第三方合法权益" in added_event["summary"]


def test_only_the_missing_reasons_are_added(world: World, issue: Issue, api: Api) -> None:
    # given a decision that recorded its withheld part but neither ground nor facts
    secret = issue(world.district)
    case = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED, withheld_part=PART)

    # a recorded reason may be repeated unchanged, never rewritten
    rewritten = _add(api, secret, case, **{**REASONS, "withheld_part": "另一部分"})
    repeated = _add(api, secret, case, **REASONS)

    _refused(rewritten, 400, KEEP_RECORDED.format(what="不予公开的部分", value=PART))
    assert repeated.status_code == 200
    data = api.get(f"/applications/{case['id']}/events", secret).json()[-1]["data"]
    # the event holds only what was added: the part stays with the decision
    assert data == {"withheld_ground": T3_WITHHELD_THIRD_PARTY, "facts": FACTS}


def test_a_case_not_yet_decided_is_refused(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    case = _case(api, secret)

    response = _add(api, secret, case, facts=FACTS)

    _refused(response, 400, NOT_DECIDED.format(number=case["tracking_number"]))
    assert _reasons_events(case) == 0


def test_a_result_that_needs_no_reasons_is_refused(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    case = _decide(api, secret, _case(api, secret), T3_DISCLOSED)

    response = _add(api, secret, case, facts=FACTS)

    message = NO_REASONS_NEEDED.format(number=case["tracking_number"], result=LABELS[T3_DISCLOSED])
    _refused(response, 400, message)
    assert _reasons_events(case) == 0


def test_reasons_already_recorded_are_refused(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    # a decision recorded with its reasons, and one completed once already
    complete = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED, **REASONS)
    bare = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED)
    first = _add(api, secret, bare, **REASONS)
    assert first.status_code == 200

    for case in (complete, first.json()):
        response = _add(api, secret, case, facts="另一个理由")
        _refused(response, 400, ALREADY_RECORDED.format(number=case["tracking_number"]))
    assert _reasons_events(complete) == 0
    assert _reasons_events(bare) == 1


def test_a_ground_that_is_no_withheld_row_is_refused(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    case = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED)

    response = _add(api, secret, case, **{**REASONS, "withheld_ground": T3_DISCLOSED})

    allowed = "、".join(LABELS[code] for code in WITHHELD_GROUNDS)
    _refused(response, 400, BAD_GROUND.format(ground=T3_DISCLOSED, allowed=allowed))
    assert _reasons_events(case) == 0


def test_a_reason_the_result_does_not_use_or_one_left_out_is_refused(
    world: World, issue: Issue, api: Api
) -> None:
    secret = issue(world.district)
    not_held = _decide(api, secret, _case(api, secret), T3_UNAVAILABLE_NOT_HELD)
    partly = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED)

    unused = _add(api, secret, not_held, facts="检索了档案室", withheld_part="x")
    lacking = _add(api, secret, partly, withheld_part=PART)

    what = "不予公开的部分"
    _refused(unused, 400, NOT_USED.format(result=LABELS[T3_UNAVAILABLE_NOT_HELD], what=what))
    assert lacking.status_code == 400
    message = error_of(lacking)["message"]
    assert message.startswith("请填写") and "具体理由" in message and "情形" in message
    assert _reasons_events(not_held) == _reasons_events(partly) == 0


def test_an_archived_case_is_refused(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    case = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED)
    Application.objects.filter(pk=case["id"]).update(archived_on=D(2024, 3, 19))

    response = _add(api, secret, case, **REASONS)

    message = ARCHIVED.format(number=case["tracking_number"], day="2024-03-19")
    _refused(response, 400, message)
    assert _reasons_events(case) == 0


def test_a_stale_version_is_a_conflict(world: World, issue: Issue, api: Api) -> None:
    secret = issue(world.district)
    case = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED)

    response = _add(api, secret, {**case, "version": case["version"] - 1}, **REASONS)

    assert response.status_code == 409
    assert error_of(response)["code"] == "stale_version"
    assert _reasons_events(case) == 0


def test_a_retried_request_adds_the_reasons_once(world: World, issue: Issue, api: Api) -> None:
    # The step endpoints take no idempotency key: a retry is safe because it is refused — here
    # the reasons are there already (before the version the caller saw is even compared).
    secret = issue(world.district)
    case = _decide(api, secret, _case(api, secret), T3_PARTLY_DISCLOSED)

    first = _add(api, secret, case, **REASONS)
    retry = _add(api, secret, case, **REASONS)

    assert first.status_code == 200
    _refused(retry, 400, ALREADY_RECORDED.format(number=case["tracking_number"]))
    assert _reasons_events(case) == 1


@pytest.mark.parametrize(
    "scopes",
    [("applications:read",), ("applications:read", "extensions:approve", "registers:read")],
)
def test_a_token_without_the_write_scope_is_refused(
    world: World, issue: Issue, api: Api, scopes: tuple[str, ...]
) -> None:
    writer = issue(world.district, name="办理")
    case = _decide(api, writer, _case(api, writer), T3_PARTLY_DISCLOSED)

    response = _add(api, issue(world.district, *scopes, name="只读"), case, **REASONS)

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "forbidden"
    assert error["message"] == "该接口令牌没有“applications:write”权限，不能补录答复理由"
    assert _reasons_events(case) == 0


def test_another_units_case_is_not_found(world: World, issue: Issue, api: Api) -> None:
    # given a bare decision of the unrelated district, and one of the district's own child unit
    cases = []
    for unit in (world.other_district, world.township):
        clerk = world.member(Role.CLERK, unit)
        app = register(clerk, unit)
        secret = issue(unit, name=f"系统{unit.pk}")
        seen = api.get(f"/applications/{app.pk}", secret).json()
        cases.append(_decide(api, secret, seen, T3_PARTLY_DISCLOSED))
    secret = issue(world.district)

    for case in cases:
        response = _add(api, secret, case, **REASONS)
        missing = _add(api, secret, {**case, "id": 987654}, **REASONS)
        # then the refusal is the one for a case that does not exist
        assert (response.status_code, missing.status_code) == (404, 404)
        assert error_of(response)["message"] == error_of(missing)["message"].replace(
            "987654", str(case["id"])
        )
        assert _reasons_events(case) == 0
