"""Applicants' personal data: masked on the case page and in exports, every real look logged
(who, when, from where, what, why), and the log read by the unit's 负责人 only.

"Today" is pinned to Wednesday 2025-06-18; files go to a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped]

from gongkai.agencies import pages
from gongkai.agencies.access_log import AccessLogFilters, access_log_for
from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import AppendOnlyError, PersonalDataAccess, Role
from gongkai.applications import services as s
from gongkai.applications.models import Application, Attachment
from gongkai.core.masking import mask_id_number, mask_phone

from . import conftest, samples
from .conftest import World

TODAY = dt.date(2025, 6, 18)
ID_NUMBER = "350505198805051234"
PHONE = "13905951234"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)
    return tmp_path / "media"


@pytest.fixture
def app(world: World, clerk: Any) -> Application:
    return conftest.register(
        clerk,
        world.district,
        applicant_name="陈某某",
        id_document_number=ID_NUMBER,
        phone=PHONE,
        submitted_on=dt.date(2025, 6, 3),
    )


def client_for(user: Any, address: str = "10.1.2.3") -> Client:
    client = Client(raise_request_exception=False, REMOTE_ADDR=address)
    client.force_login(user)
    return client


def case_page(client: Client, app: Application) -> str:
    response = client.get(reverse("applications:case", args=[app.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (ID_NUMBER, "3505**********1234"),
        (PHONE, "139****1234"),
        ("0595-8765", "*****8765"),
        ("12345678", "****5678"),
        ("", ""),
        ("7", "*"),  # too short to keep anything
    ],
)
def test_one_mask_everywhere_keeps_only_the_ends(value: str, masked: str) -> None:
    """The staff pages and exports mask as the portal, the API and the prints do."""
    mask = mask_id_number if value == ID_NUMBER else mask_phone
    assert mask(value) == masked


def mask(value: str) -> str:
    return mask_id_number(value) if value == ID_NUMBER else mask_phone(value)


def test_a_plain_case_page_masks_and_logs_nothing(
    world: World, clerk: Any, app: Application
) -> None:
    page = case_page(client_for(clerk), app)

    assert ID_NUMBER not in page and PHONE not in page
    assert mask(ID_NUMBER) in page and mask(PHONE) in page
    assert PersonalDataAccess.objects.count() == 0


def test_reveal_logs_then_shows_once(world: World, clerk: Any, app: Application) -> None:
    client = client_for(clerk, "192.0.2.7")

    response = client.post(reverse("applications:reveal_personal_data", args=[app.pk]))

    assert response.status_code == 302
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.unit, entry.kind) == (clerk, world.district, "reveal")
    assert (entry.application_id, entry.tracking_number) == (app.pk, app.tracking_number)
    assert entry.what == "身份证明号码、联系电话"
    assert entry.address == "192.0.2.7"
    revealed = case_page(client, app)
    assert ID_NUMBER in revealed and PHONE in revealed
    again = case_page(client, app)  # the reveal is spent: masked again, nothing more logged
    assert ID_NUMBER not in again
    assert PersonalDataAccess.objects.count() == 1


def test_reveal_needs_a_post_and_the_gatekeeper(world: World, app: Application) -> None:
    url = reverse("applications:reveal_personal_data", args=[app.pk])
    outsider = world.member(Role.CLERK, world.other_district)
    admin = world.member(Role.ADMIN)

    assert client_for(outsider).post(url).status_code == 404
    assert client_for(admin).post(url).status_code == 404  # no VIEW_CASES: no personal data
    assert PersonalDataAccess.objects.count() == 0


def test_an_attachment_download_is_logged(world: World, clerk: Any, app: Application) -> None:
    client = client_for(clerk)
    client.post(
        reverse("applications:attachment_upload", args=[app.pk]),
        {
            "attachment-version": app.version,
            "attachment-kind": "identity",
            "attachment-upload": SimpleUploadedFile("身份证.pdf", samples.PDF),
        },
    )
    attachment = Attachment.objects.get(application=app)
    assert PersonalDataAccess.objects.count() == 0  # uploading is not a look

    response = client.get(reverse("applications:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    # Reading it to the end closes the file; response.close() would send request_finished a
    # second time, outside the test client, and close the test's PostgreSQL connection.
    assert b"".join(response.streaming_content) == samples.PDF  # type: ignore[attr-defined]
    entry = PersonalDataAccess.objects.get()
    assert (entry.kind, entry.application_id, entry.unit) == ("download", app.pk, world.district)
    assert "身份证.pdf" in entry.what and "身份证明" in entry.what
    missing = reverse("applications:attachment_download", args=[attachment.pk + 99])
    assert client.get(missing).status_code == 404
    assert PersonalDataAccess.objects.count() == 1


def _sheet_values(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("list_name", ["applications:search", "applications:my_cases"])
def test_exports_are_masked_by_default(
    world: World, head: Any, app: Application, list_name: str
) -> None:
    response = client_for(head).get(reverse(list_name), {"format": "xlsx"})

    rows = _sheet_values(response.content)
    assert rows[0][-2:] == ("身份证明号码", "联系电话")
    assert rows[1][-2:] == (mask(ID_NUMBER), mask(PHONE))
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize("list_name", ["applications:search", "applications:my_cases"])
def test_the_head_exports_full_numbers_with_a_reason_and_it_is_logged(
    world: World, head: Any, app: Application, list_name: str
) -> None:
    params = {"format": "xlsx", "personal": "1", "reason": "行政复议答复需要"}
    response = client_for(head).get(reverse(list_name), params)

    assert _sheet_values(response.content)[1][-2:] == (ID_NUMBER, PHONE)
    entry = PersonalDataAccess.objects.get()
    assert (entry.kind, entry.user, entry.unit) == ("export", head, world.district)
    assert entry.reason == "行政复议答复需要"


@pytest.mark.parametrize(
    ("who", "reason", "message"),
    [
        ("head", "", "须说明事由"),
        ("head", "   ", "须说明事由"),
        ("clerk", "行政复议答复需要", "没有导出申请人完整身份证明号码"),
    ],
)
def test_an_unmasked_export_without_right_or_reason_is_refused(
    world: World, app: Application, who: str, reason: str, message: str
) -> None:
    user = world.member(Role.HEAD if who == "head" else Role.CLERK, username=f"x_{who}")
    client = client_for(user)
    params = {"format": "xlsx", "personal": "1", "reason": reason}

    response = client.get(reverse("applications:search"), params, follow=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")  # no file at all
    assert message in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_the_head_reads_only_their_units_log(world: World, head: Any, app: Application) -> None:
    # given a look at the district's case and one at another district's case
    client_for(world.member(Role.CLERK, username="reader")).post(
        reverse("applications:reveal_personal_data", args=[app.pk])
    )
    other_clerk = world.member(Role.CLERK, world.other_district)
    other = conftest.register(other_clerk, world.other_district)
    client_for(other_clerk).post(reverse("applications:reveal_personal_data", args=[other.pk]))
    assert PersonalDataAccess.objects.count() == 2

    page = client_for(head).get(reverse("agencies:access_log")).content.decode()

    assert app.tracking_number in page and "reader" in page
    assert other.tracking_number not in page
    assert ID_NUMBER not in page  # the log names what was seen, never the value
    with pytest.raises(AccessDeniedError):
        access_log_for(user=head, filters=AccessLogFilters(unit=world.other_district))
    # filters: a user who looked at nothing, a day before the look
    by_user = client_for(head).get(
        reverse("agencies:access_log"), {"unit": world.district.pk, "user": "nobody"}
    )
    assert app.tracking_number not in by_user.content.decode()
    export = client_for(head).get(
        reverse("agencies:access_log"), {"unit": world.district.pk, "format": "xlsx"}
    )
    rows = _sheet_values(export.content)
    assert len(rows) == 2 and rows[1][1] == "reader" and rows[1][4] == app.tracking_number


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.ADMIN, Role.EVALUATOR])
def test_no_one_but_the_head_reads_the_log(world: World, role: Role) -> None:
    response = client_for(world.member(role)).get(reverse("agencies:access_log"))
    assert response.status_code == 404


def test_the_log_is_append_only(world: World, clerk: Any, app: Application) -> None:
    client_for(clerk).post(reverse("applications:reveal_personal_data", args=[app.pk]))
    entry = PersonalDataAccess.objects.get()

    entry.reason = "事后补写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert PersonalDataAccess.objects.get().reason == ""
