"""The online application's services: storing, idempotency, limits, confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.applications.attachments import AttachmentError, Upload
from gongkai.applications.models import Application, Attachment, EventKind, OnlineSubmission
from gongkai.applications.services.base import ApplicationError
from gongkai.applications.services.online import (
    PER_ADDRESS_PER_HOUR,
    PER_APPLICANT_PER_DAY,
    application_confirm_online,
    application_submit_online,
    format_public_number,
    new_public_number,
    normalise_public_number,
)
from gongkai.core.law import Channel
from tests.web.conftest import World

from .conftest import PDF, PNG

FIELDS: dict[str, Any] = {
    "client_address": "192.0.2.1",
    "applicant_type": "natural_person",
    "applicant_name": "李四",
    "id_document_type": "resident_id",
    "id_document_number": "350505199001015678",
    "phone": "13812345678",
    "description": "泉港区2024年道路改造工程的立项批复",
    "requested_form": "electronic",
    "delivery": "email",
    "email": "lisi@example.com",
}


def submit(world: World, token: str = "t1", **overrides: Any) -> OnlineSubmission:
    fields = {**FIELDS, **overrides}
    proof = fields.pop("proof", Upload(name="id.pdf", data=PDF, kind="identity"))
    return application_submit_online(unit=world.district, form_token=token, proof=proof, **fields)


def test_public_number_is_long_random_and_checked() -> None:
    numbers = {new_public_number() for _ in range(200)}
    assert len(numbers) == 200
    number = numbers.pop()
    assert len(number) == 13
    assert normalise_public_number(format_public_number(number).lower()) == number
    # Any single changed character is caught by the check character.
    changed = ("1" if number[3] != "1" else "2").join([number[:3], number[4:]])
    assert normalise_public_number(changed) is None
    assert normalise_public_number("../../etc") is None


def test_every_single_changed_character_is_caught() -> None:
    """Exhaustively: every position, check character included, to every other character."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    for number in (new_public_number() for _ in range(30)):
        for position, original in enumerate(number):
            for char in alphabet.replace(original, ""):
                changed = number[:position] + char + number[position + 1 :]
                assert normalise_public_number(changed) is None, (number, changed)


def test_submit_stores_awaiting_confirmation_with_no_case(world: World) -> None:
    submission = submit(world)
    assert submission.application is None
    assert submission.client_address != "192.0.2.1"  # only a keyed hash is kept
    assert Application.objects.count() == 0
    with submission.proof.open("rb") as handle:
        assert handle.read() == PDF


def test_replayed_token_stores_once(world: World) -> None:
    first = submit(world, token="same")
    again = submit(world, token="same", applicant_name="别人")
    assert again.pk == first.pk
    assert OnlineSubmission.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("id.pdf", b"<script>alert(1)</script>", "不是允许的文件类型"),
        ("id.docx", b"PK\x03\x04broken", "不是允许的文件类型"),
        ("id.png", PDF, "扩展名"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
    ],
)
def test_bad_proof_is_refused_and_nothing_stored(
    world: World, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(AttachmentError, match=message):
        submit(world, proof=Upload(name=name, data=data, kind="identity"))
    assert OnlineSubmission.objects.count() == 0


def test_png_is_accepted(world: World) -> None:
    assert submit(world, proof=Upload(name="id.png", data=PNG, kind="identity")).pk


def test_rate_limit_per_address(world: World) -> None:
    for index in range(PER_ADDRESS_PER_HOUR):
        submit(world, token=f"a{index}", id_document_number=f"ID{index:04d}")
    with pytest.raises(ApplicationError, match="一小时内"):
        submit(world, token="over", id_document_number="ID9999")


def test_rate_limit_per_applicant(world: World) -> None:
    for index in range(PER_APPLICANT_PER_DAY):
        submit(world, token=f"p{index}", client_address=f"198.51.100.{index}")
    with pytest.raises(ApplicationError, match="一天内"):
        submit(world, token="over", client_address="203.0.113.9")


def test_unknown_applicant_type_refused(world: World) -> None:
    with pytest.raises(ApplicationError, match="申请人类型"):
        submit(world, applicant_type="alien")


def test_confirm_registers_online_case_from_confirmation_day(
    world: World, clerk: Any, today_is: Any
) -> None:
    today_is(dt.date(2024, 3, 4))
    submission = submit(world)
    today_is(dt.date(2024, 3, 6))
    application = application_confirm_online(
        acting_user=clerk, submission_id=submission.pk, confirmed_on=dt.date(2024, 3, 5)
    )
    assert application.channel == Channel.ONLINE
    assert application.submitted_on == dt.date(2024, 3, 4)
    assert application.received_on == dt.date(2024, 3, 5)  # Art 31(三)
    received = application.events.get(kind=EventKind.RECEIVED)
    assert received.payload.confirmed_on == dt.date(2024, 3, 5)
    proof = Attachment.objects.get(application=application)
    assert proof.kind == "identity" and proof.sha256 == submission.proof_sha256
    submission.refresh_from_db()
    assert submission.application == application
    with pytest.raises(ApplicationError, match="无需重复确认"):
        application_confirm_online(
            acting_user=clerk, submission_id=submission.pk, confirmed_on=dt.date(2024, 3, 6)
        )
    assert Application.objects.count() == 1


def test_confirm_refuses_other_units_clerk_and_early_dates(
    world: World, clerk: Any, today_is: Any
) -> None:
    from gongkai.agencies.gatekeeper import AccessDeniedError
    from gongkai.agencies.models import Role

    today_is(dt.date(2024, 3, 4))
    submission = submit(world)
    outsider = world.member(Role.CLERK, world.other_district)
    with pytest.raises(AccessDeniedError):
        application_confirm_online(
            acting_user=outsider, submission_id=submission.pk, confirmed_on=dt.date(2024, 3, 4)
        )
    with pytest.raises(ApplicationError, match="不能早于"):
        application_confirm_online(
            acting_user=clerk, submission_id=submission.pk, confirmed_on=dt.date(2024, 3, 1)
        )
    assert Application.objects.count() == 0
