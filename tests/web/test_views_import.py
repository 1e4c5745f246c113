"""The ledger import pages (upload → preview and mapping → all-or-nothing import) and the
year-end carry-over button, through HTTP.

Ledgers are built as clerks keep them by the helpers of ``test_ledger_import``. "Today" is
pinned to Wednesday 2025-06-18.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications import views_import as vi
from gongkai.applications.ledger_import import MAX_BYTES
from gongkai.applications.models import Application, EventKind
from gongkai.core.errors import GongkaiError

from . import conftest
from .conftest import World
from .test_ledger_import import GOOD_ROWS, HEADERS, ledger

TODAY = dt.date(2025, 6, 18)


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def upload(client: Client, world: World, data: bytes, name: str = "台账.xlsx") -> Any:
    return client.post(
        reverse("applications:import"),
        {"unit": world.district.pk, "file": SimpleUploadedFile(name, data)},
    )


def confirm_data(preview: Any) -> dict[str, str]:
    """The mapping form as the preview page rendered it (hidden token, selected options)."""
    html = preview.content.decode()
    data = {"token": re.search(r'name="token" value="([^"]+)"', html).group(1)}  # type: ignore[union-attr]
    data["header_row"] = re.search(r'name="header_row" value="(\d+)"', html).group(1)  # type: ignore[union-attr]
    for name, body in re.findall(r'<select name="(map_\w+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="(\d*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def stored_uploads(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "media" / vi.UPLOAD_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_ledger_is_previewed_mapped_and_imported(
    world: World, clerk: Any, tmp_path: Path
) -> None:
    client = client_for(clerk)

    preview = upload(client, world, ledger(GOOD_ROWS))

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "表头在第 2 行" in html
    assert "4 行数据" in html
    assert "张三" in html
    mapping = confirm_data(preview)
    assert mapping["map_applicant_name"] == str(HEADERS.index("申请人姓名"))
    assert mapping["map_received_on"] == str(HEADERS.index("收到日期"))
    assert len(stored_uploads(tmp_path)) == 1

    done = client.post(reverse("applications:import_confirm"), mapping)

    assert done.status_code == 200
    assert "已导入 4 件申请" in done.content.decode()
    assert Application.objects.filter(unit=world.district).count() == 4
    assert stored_uploads(tmp_path) == []


def test_the_clerk_maps_a_column_the_import_could_not_recognise(world: World, clerk: Any) -> None:
    headers = [("来件途径" if h == "申请方式" else h) for h in HEADERS]
    client = client_for(clerk)
    preview = upload(client, world, ledger(GOOD_ROWS, headers=headers))
    assert "未能自动识别以下必填列，请在下方指定：申请渠道" in preview.content.decode()
    mapping = confirm_data(preview)
    assert mapping["map_channel"] == ""

    refused = client.post(reverse("applications:import_confirm"), mapping)
    assert refused.status_code == 400
    assert "台账缺少必填列：申请渠道" in refused.content.decode()
    assert Application.objects.count() == 0

    mapping["map_channel"] = str(headers.index("来件途径"))
    done = client.post(reverse("applications:import_confirm"), mapping)
    assert done.status_code == 200
    assert Application.objects.count() == 4


def test_bad_rows_are_reported_row_by_row_and_nothing_is_imported(
    world: World, clerk: Any, tmp_path: Path
) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][4] = "飞鸽传书"
    rows[3][5] = "三月十二日"
    client = client_for(clerk)
    mapping = confirm_data(upload(client, world, ledger(rows)))

    response = client.post(reverse("applications:import_confirm"), mapping)

    assert response.status_code == 400
    html = response.content.decode()
    assert "发现 2 处问题" not in html  # the page lists them itself
    assert "台账共 2 处问题，未导入任何申请" in html
    errors = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>', html)
    assert [(row, column, value) for row, column, value in errors] == [
        ("3", "申请方式", "飞鸽传书"),
        ("6", "收到日期", "三月十二日"),
    ]
    assert Application.objects.count() == 0
    assert len(stored_uploads(tmp_path)) == 1  # kept for a corrected mapping


@pytest.mark.parametrize(
    ("_case", "failure", "status", "message"),
    [
        (
            "refused by a service",
            GongkaiError("受理编号“泉港区政府办-2025-0001”已存在"),
            400,
            "台账“台账.xlsx”未导入：受理编号“泉港区政府办-2025-0001”已存在。请处理后重新上传台账文件",
        ),
        ("a crash", RuntimeError("database went away"), 500, ""),
    ],
)
def test_an_import_that_fails_beyond_the_mapping_leaves_no_upload_behind(
    world: World,
    clerk: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _case: str,
    failure: Exception,
    status: int,
    message: str,
) -> None:
    client = client_for(clerk)
    mapping = confirm_data(upload(client, world, ledger(GOOD_ROWS)))
    assert len(stored_uploads(tmp_path)) == 1

    def fail(**_: Any) -> None:
        raise failure

    monkeypatch.setattr(vi, "ledger_import", fail)
    response = client.post(reverse("applications:import_confirm"), mapping)

    assert response.status_code == status
    assert message in response.content.decode()
    assert stored_uploads(tmp_path) == []
    assert Application.objects.count() == 0
    again = client.post(reverse("applications:import_confirm"), mapping)
    assert vi.UPLOAD_GONE in again.content.decode()


def test_a_new_preview_sweeps_away_uploads_older_than_a_day(
    world: World, clerk: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "media" / vi.UPLOAD_DIR
    folder.mkdir(parents=True)
    probe = folder / "probe"  # ages are counted on the file system's clock, as the sweep does
    probe.write_bytes(b"")
    now = probe.stat().st_mtime
    probe.unlink()
    ages = {"abandoned.xlsx": vi.STALE_AFTER.total_seconds() + 60, "recent.xlsx": 3600.0}
    for name, age in ages.items():
        (folder / name).write_bytes(ledger(GOOD_ROWS))
        os.utime(folder / name, (now - age, now - age))

    preview = upload(client_for(clerk), world, ledger(GOOD_ROWS))

    assert preview.status_code == 200
    names = [path.name for path in stored_uploads(tmp_path)]
    assert "abandoned.xlsx" not in names
    assert "recent.xlsx" in names
    assert len(names) == 2  # the recent one and the new preview


@pytest.mark.parametrize(
    ("_case", "name", "data", "message"),
    [
        ("old xls", "台账.xls", b"\xd0\xcf\x11\xe0", "不是 Excel 工作簿（.xlsx）"),
        ("not a workbook", "台账.xlsx", b"just text", "不是有效的 .xlsx 文件"),
    ],
)
def test_an_unreadable_file_is_explained_and_nothing_is_stored(
    world: World, clerk: Any, tmp_path: Path, _case: str, name: str, data: bytes, message: str
) -> None:
    response = upload(client_for(clerk), world, data, name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored_uploads(tmp_path) == []


def test_a_file_over_10_mb_is_refused_before_it_is_read(world: World, clerk: Any) -> None:
    response = upload(client_for(clerk), world, b"0" * (MAX_BYTES + 128 * 1024))

    assert response.status_code == 413
    assert "超过 10 MB" in response.content.decode()


def test_a_forged_or_foreign_token_imports_nothing(world: World, clerk: Any) -> None:
    mapping = confirm_data(upload(client_for(clerk), world, ledger(GOOD_ROWS)))
    other_clerk = client_for(world.member(Role.CLERK, username="clerk_two"))

    forged = client_for(clerk).post(
        reverse("applications:import_confirm"), {**mapping, "token": mapping["token"] + "x"}
    )
    foreign = other_clerk.post(reverse("applications:import_confirm"), mapping)

    for response in (forged, foreign):
        assert response.status_code == 400
        assert vi.TICKET_INVALID in response.content.decode()
    assert Application.objects.count() == 0


def test_a_token_for_another_units_ledger_is_refused(world: World, clerk: Any) -> None:
    token = signing.dumps(
        {"upload": "0" * 32, "user": clerk.pk, "unit": world.other_district.pk, "filename": "x"},
        salt=vi.SIGNING_SALT,
    )
    response = client_for(clerk).post(reverse("applications:import_confirm"), {"token": token})
    assert response.status_code == 400
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CLERK, 200), (Role.HEAD, 200), (Role.SUPERVISOR, 404), (Role.ADMIN, 404)],
)
def test_only_those_who_register_may_import(world: World, role: Role, status: int) -> None:
    client = client_for(world.member(role))
    assert client.get(reverse("applications:import")).status_code == status
    home = client.get(reverse("applications:search" if status == 200 else "applications:overview"))
    assert ("导入台账" in home.content.decode()) is (status == 200)


def register(clerk: Any, world: World, submitted: dt.date) -> Application:
    return conftest.register(
        clerk,
        world.district,
        applicant_name="陈某某",
        id_document_number="350505198805051234",
        description=f"{submitted}收到的申请",
        submitted_on=submitted,
    )


def test_the_year_end_carry_over_notes_the_cases_still_open_and_lists_them(
    world: World, clerk: Any
) -> None:
    open_case = register(clerk, world, dt.date(2024, 12, 20))
    closed = register(clerk, world, dt.date(2024, 12, 2))
    s.application_decide(
        acting_user=clerk,
        application_id=closed.pk,
        expected_version=closed.version,
        result="disclosed",
        legal_basis="《条例》第三十六条第（二）项",
        on=dt.date(2024, 12, 16),
    )
    client = client_for(clerk)
    dashboard = client.get(reverse("applications:dashboard", args=[world.district.pk]))
    assert 'value="2024"' in dashboard.content.decode()  # last year offered by default

    response = client.post(
        reverse("applications:carry_over", args=[world.district.pk]), {"year": "2024"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert open_case.tracking_number in html
    assert closed.tracking_number not in html
    assert open_case.events.filter(kind=EventKind.CARRIED_OVER).count() == 1
    again = client.post(
        reverse("applications:carry_over", args=[world.district.pk]), {"year": "2024"}
    )
    assert "没有需要结转的申请" in again.content.decode()
    assert open_case.events.filter(kind=EventKind.CARRIED_OVER).count() == 1


def test_a_year_not_yet_ended_cannot_be_carried_over(world: World, clerk: Any) -> None:
    register(clerk, world, dt.date(2025, 6, 2))
    client = client_for(clerk)

    response = client.post(
        reverse("applications:carry_over", args=[world.district.pk]), {"year": "2025"}, follow=True
    )

    assert "未结转：" in response.content.decode()
    assert "2025-12-31" in response.content.decode()
    assert not Application.objects.get().events.filter(kind=EventKind.CARRIED_OVER).exists()


def test_only_the_units_handlers_may_carry_over(world: World, clerk: Any) -> None:
    url = reverse("applications:carry_over", args=[world.district.pk])
    for role, unit in ((Role.SUPERVISOR, world.district), (Role.CLERK, world.other_district)):
        response = client_for(world.member(role, unit)).post(url, {"year": "2024"})
        assert response.status_code == 404


def test_a_token_signed_with_a_leaked_key_cannot_name_a_file_to_delete(
    world: World, clerk: Any, tmp_path: Path
) -> None:
    """Before: the token carried the storage path, and the server deleted what it named."""
    victim = tmp_path / "media" / "attachments" / "1" / "2025" / "ab" / "evidence.pdf"
    victim.parent.mkdir(parents=True)
    victim.write_bytes(b"%PDF-1.4 evidence")
    for payload in (
        {"name": "attachments/1/2025/ab/evidence.pdf"},
        {"upload": "../attachments/1/2025/ab/evidence"},
        {"upload": "attachments/1/2025/ab/evidence.pdf"},
    ):
        token = signing.dumps(
            {**payload, "user": clerk.pk, "unit": world.district.pk, "filename": "x.xlsx"},
            salt=vi.SIGNING_SALT,
        )
        response = client_for(clerk).post(reverse("applications:import_confirm"), {"token": token})
        assert response.status_code == 400
        assert vi.TICKET_INVALID in response.content.decode()
    assert victim.read_bytes() == b"%PDF-1.4 evidence"


def test_the_token_carries_no_storage_path(world: World, clerk: Any) -> None:
    mapping = confirm_data(upload(client_for(clerk), world, ledger(GOOD_ROWS)))
    ticket = signing.loads(mapping["token"], salt=vi.SIGNING_SALT)
    assert set(ticket) == {"upload", "user", "unit", "filename"}
    assert re.fullmatch(r"[0-9a-f]{32}", ticket["upload"])


def test_an_upload_removed_before_confirmation_is_explained(
    world: World, clerk: Any, tmp_path: Path
) -> None:
    client = client_for(clerk)
    mapping = confirm_data(upload(client, world, ledger(GOOD_ROWS)))
    for path in stored_uploads(tmp_path):
        path.unlink()

    response = client.post(reverse("applications:import_confirm"), mapping)

    assert response.status_code == 400
    assert vi.UPLOAD_GONE in response.content.decode()
    assert Application.objects.count() == 0


def test_a_stored_upload_that_no_longer_parses_is_explained_not_a_500(
    world: World, clerk: Any, tmp_path: Path
) -> None:
    client = client_for(clerk)
    mapping = confirm_data(upload(client, world, ledger(GOOD_ROWS)))
    (stored,) = stored_uploads(tmp_path)
    stored.write_bytes(b"damaged after the preview")

    response = client.post(reverse("applications:import_confirm"), mapping)

    assert response.status_code == 400
    body = response.content.decode()
    assert "已无法读取" in body
    assert "请重新上传台账文件" in body
    assert stored_uploads(tmp_path) == []
    assert Application.objects.count() == 0


def test_the_preview_shows_repeated_rows_and_a_second_import_adds_nothing(
    world: World, clerk: Any
) -> None:
    client = client_for(clerk)
    rows = [list(r) for r in GOOD_ROWS] + [list(GOOD_ROWS[0])]
    preview = upload(client, world, ledger(rows))
    html = preview.content.decode()
    assert "可能重复的行（共 1 行）" in html
    assert "本台账第 3 行" in html
    assert 'name="on_duplicate" value="skip"' in html
    done = client.post(reverse("applications:import_confirm"), confirm_data(preview))
    assert "已导入 4 件申请" in done.content.decode()
    assert "跳过的重复行（1 行）" in done.content.decode()

    again = upload(client, world, ledger(rows))
    assert "可能重复的行（共 5 行）" in again.content.decode()
    second = client.post(reverse("applications:import_confirm"), confirm_data(again))

    assert second.status_code == 200
    assert "没有新增申请" in second.content.decode()
    assert Application.objects.filter(unit=world.district).count() == 4


def test_uploads_are_aged_on_the_storages_clock_not_the_servers(
    world: World, clerk: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server clock set forward (or a media share with its own clock) must not make the
    upload a clerk is about to import look a day old."""
    ahead = timezone.now() + 3 * vi.STALE_AFTER
    monkeypatch.setattr(vi.timezone, "now", lambda: ahead)
    client = client_for(clerk)

    first = upload(client, world, ledger(GOOD_ROWS))
    second = upload(client, world, ledger(GOOD_ROWS))

    assert (first.status_code, second.status_code) == (200, 200)
    assert len(stored_uploads(tmp_path)) == 2  # the second preview swept nothing
