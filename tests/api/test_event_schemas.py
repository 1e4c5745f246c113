"""Every event kind has its schema in the OpenAPI document, and real events match it.

The kinds are declared once in :mod:`gongkai.applications.events`; the API's schemas are
generated from them. Cases are driven through the real services (registration, every workflow
step, assignment, files, letters, remedies, the year-end carry-over) until the history holds
every kind; then the events endpoint's answer is validated against the schema the server
publishes — the discriminated union, resolved by ``kind`` — and against the pydantic models.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client
from pydantic import TypeAdapter

from gongkai.agencies.models import Role
from gongkai.api.event_schemas import DATA_MODELS, EVENT_MODELS, EventOut
from gongkai.applications import events as ev
from gongkai.applications import services as s
from gongkai.applications.attachments import Upload, attachments_add
from gongkai.applications.carry_over import carry_over_year_end
from gongkai.applications.models import Application, EventKind
from gongkai.core.formats import T3_PARTLY_DISCLOSED, T3_WITHHELD_THIRD_PARTY
from gongkai.letters.models import LetterKind
from gongkai.letters.services import letter_send
from gongkai.remedies.services import remedy_record_result, remedy_register
from tests.web.samples import PDF

from .conftest import Api, Issue, World, register

D = dt.date
EVENTS_PATH = "/api/applications/{application_id}/events"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def served_schema() -> dict[str, Any]:
    document: dict[str, Any] = Client().get("/api/openapi.json").json()
    return document


def test_every_kind_the_applications_app_declares_has_its_schema(db: None) -> None:
    document = served_schema()
    response = document["paths"][EVENTS_PATH]["get"]["responses"]["200"]
    union = response["content"]["application/json"]["schema"]["items"]
    mapping = union["discriminator"]["mapping"]
    components = document["components"]["schemas"]

    assert union["discriminator"]["propertyName"] == "kind"
    assert set(mapping) == {kind.value for kind in EventKind} == {k.value for k in ev.PAYLOADS}
    assert sorted(ref["$ref"] for ref in union["oneOf"]) == sorted(mapping.values())
    for kind, payload in ev.PAYLOADS.items():
        event = components[mapping[kind.value].rsplit("/", 1)[1]]
        assert event["properties"]["kind"]["const"] == kind.value
        data = components[event["properties"]["data"]["$ref"].rsplit("/", 1)[1]]
        # The data's keys are the payload's fields under their stored keys, nothing else.
        keys = {ev.json_key(f.name) for f in dataclasses.fields(payload)}
        assert set(data["properties"]) == keys, kind
        assert data["additionalProperties"] is False
        assert set(data.get("required", ())) <= keys
        assert DATA_MODELS[kind] is not None and EVENT_MODELS[kind] is not None


def test_a_field_omitted_when_empty_is_optional_and_never_null(db: None) -> None:
    components = served_schema()["components"]["schemas"]
    received = components["ReceivedData"]
    decided = components["DecidedData"]
    answered = components["ConsultationAnsweredData"]

    assert received["required"] == ["channel"]
    assert received["properties"]["confirmed_on"] == {
        "format": "date",
        "title": "Confirmed On",
        "type": "string",
    }
    assert "facts" not in decided["required"] and "legal_basis" in decided["required"]
    # A field that may be None is required and nullable: the JSON always has it.
    assert "agrees" in answered["required"]
    assert {"type": "null"} in answered["properties"]["agrees"]["anyOf"]
    assert components["FeeNoticeSentData"]["properties"]["yuan"]["type"] == "string"


def _version(application: Any) -> int:
    return int(Application.objects.get(pk=application.pk).version)


def _drive_every_kind(world: World, today_is: Any) -> list[Application]:
    """Cases taken through the services until their histories hold every kind of event."""
    clerk = world.member(Role.CLERK)
    head = world.member(Role.HEAD)
    colleague = world.member(Role.CLERK, username="colleague")

    # Open at the end of 2023: carried over into 2024.
    today_is(D(2023, 12, 27))
    carried = register(clerk, world.district, submitted_on=D(2023, 12, 27))
    today_is(D(2024, 1, 2))
    carry_over_year_end(acting_user=head, unit=world.district, year=2023)
    s.application_withdraw(
        acting_user=clerk,
        application_id=carried.pk,
        expected_version=_version(carried),
        note="撤回",
    )

    today_is(D(2024, 3, 4))
    full = register(clerk, world.district, submitted_on=D(2024, 3, 4))
    abandoned = register(clerk, world.district, submitted_on=D(2024, 3, 4), applicant_name="李四")
    refused = register(clerk, world.district, submitted_on=D(2024, 3, 4), applicant_name="王五")
    unpaid = register(clerk, world.district, submitted_on=D(2024, 3, 4), applicant_name="赵六")
    s.application_assign(
        acting_user=head, application_id=full.pk, expected_version=1, assignee_id=colleague.pk
    )
    attachments_add(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        uploads=[Upload(name="身份证.pdf", data=PDF, kind="identity")],
    )

    today_is(D(2024, 3, 5))
    for case in (full, abandoned):
        s.application_request_correction(
            acting_user=clerk,
            application_id=case.pk,
            expected_version=_version(case),
            items="请写明所需文件的文号",
            supplement_deadline=D(2024, 3, 20),
        )
    letter_send(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        kind=LetterKind.CORRECTION,
        confirm_provisional=True,
    )
    s.application_request_extension(
        acting_user=clerk,
        application_id=refused.pk,
        expected_version=1,
        working_days=20,
        reason="需调取档案",
    )
    s.application_send_fee_notice(
        acting_user=clerk,
        application_id=unpaid.pk,
        expected_version=1,
        method="per_page",
        pages=500,
        delivered_on=D(2024, 3, 5),
    )

    today_is(D(2024, 3, 6))
    s.application_refuse_extension(
        acting_user=head, application_id=refused.pk, expected_version=2, reason="无需延期"
    )
    s.application_notify_delayed_reply(
        acting_user=clerk,
        application_id=refused.pk,
        expected_version=3,
        due=D(2024, 5, 31),
        reason="申请数量明显超过合理范围",
    )

    today_is(D(2024, 3, 7))
    s.application_receive_supplement(
        acting_user=clerk, application_id=full.pk, expected_version=_version(full), note="已补正"
    )
    today_is(D(2024, 3, 8))
    s.application_start_consultation(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        consultation="third_party",
        party="泉港某公司",
    )
    today_is(D(2024, 3, 11))
    s.application_record_consultation_delivery(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        consultation="third_party",
        party="泉港某公司",
    )
    today_is(D(2024, 3, 15))
    s.application_answer_consultation(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        consultation="third_party",
        party="泉港某公司",
        agrees=None,
    )
    today_is(D(2024, 3, 18))
    s.application_request_extension(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        working_days=20,
        reason="需调取档案",
    )
    s.application_approve_extension(
        acting_user=head, application_id=full.pk, expected_version=_version(full)
    )
    today_is(D(2024, 3, 19))
    s.application_send_fee_notice(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        method="per_page",
        pages=500,
    )
    today_is(D(2024, 3, 20))
    s.application_record_fee_notice_delivery(
        acting_user=clerk, application_id=full.pk, expected_version=_version(full)
    )
    today_is(D(2024, 3, 21))
    s.application_fee_paid(
        acting_user=clerk, application_id=full.pk, expected_version=_version(full)
    )
    s.application_abandon_correction(
        acting_user=clerk, application_id=abandoned.pk, expected_version=_version(abandoned)
    )
    today_is(D(2024, 3, 25))
    s.application_decide(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        result="disclosed",
        legal_basis="《条例》第三十六条第（二）项",
    )
    # A decision recorded without its reasons (as before decisions carried them), completed later.
    s.application_decide(
        acting_user=clerk,
        application_id=refused.pk,
        expected_version=_version(refused),
        result=T3_PARTLY_DISCLOSED,
        legal_basis="《条例》第三十七条",
    )
    s.application_add_reasons(
        acting_user=clerk,
        application_id=refused.pk,
        expected_version=_version(refused),
        withheld_part="投标人的报价明细",
        withheld_ground=T3_WITHHELD_THIRD_PARTY,
        facts="报价明细属于投标人的商业秘密，投标人不同意公开",
    )
    today_is(D(2024, 3, 26))
    s.application_send_reply(
        acting_user=clerk,
        application_id=full.pk,
        expected_version=_version(full),
        delivery="email",
    )
    today_is(D(2024, 4, 10))
    s.application_fee_not_paid(
        acting_user=clerk, application_id=unpaid.pk, expected_version=_version(unpaid)
    )
    remedy = remedy_register(
        acting_user=clerk,
        application_id=full.pk,
        kind="reconsideration",
        authority="泉州市人民政府",
        filed_on=D(2024, 4, 10),
    )
    today_is(D(2024, 5, 10))
    remedy_record_result(
        acting_user=clerk,
        remedy_id=remedy.pk,
        expected_version=remedy.version,
        result="upheld",
        decided_on=D(2024, 5, 10),
    )
    return [carried, full, abandoned, refused, unpaid]


def test_real_events_match_the_schema_of_their_kind(
    world: World, issue: Issue, api: Api, today_is: Any
) -> None:
    cases = _drive_every_kind(world, today_is)
    secret = issue(world.district, "applications:read")
    document = served_schema()
    union = document["paths"][EVENTS_PATH]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["items"]
    # The published schema (with the document's components, which its $refs point into).
    validator = jsonschema_rs.validator_for({**union, "components": document["components"]})
    adapter: TypeAdapter[Any] = TypeAdapter(EventOut)

    seen: set[str] = set()
    for case in cases:
        response = api.get(f"/applications/{case.pk}/events", secret)
        assert response.status_code == 200, response.content
        for event in response.json():
            errors = [error.message for error in validator.iter_errors(event)]
            assert not errors, (event, errors)
            # Resolved by its kind to the model of that kind, which reads the data fully.
            model = adapter.validate_python(event)
            assert type(model) is EVENT_MODELS[EventKind(event["kind"])]
            assert model.data.model_dump(mode="json", exclude_unset=True) == event["data"]
            seen.add(event["kind"])

    assert seen == {kind.value for kind in EventKind}


def test_a_payload_that_breaks_its_schema_is_refused_by_it(db: None) -> None:
    """The schema is not permissive: a wrong type, an unknown key, a kind with another's data."""
    document = served_schema()
    union = document["paths"][EVENTS_PATH]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["items"]
    validator = jsonschema_rs.validator_for({**union, "components": document["components"]})
    event = {
        "id": 1,
        "kind": "received",
        "kind_label": "收到申请",
        "date": "2024-03-04",
        "summary": "",
        "data": {"channel": "in_person"},
        "actor": "张三",
        "created_at": "2024-03-04T09:00:00+08:00",
    }
    assert validator.is_valid(event)
    for data in (
        {"channel": "pigeon"},
        {"channel": "in_person", "confirmed_on": None},
        {"channel": "in_person", "extra": 1},
        {"items": "请写明文号"},
    ):
        assert not validator.is_valid({**event, "data": data}), data
