"""Files attached to an application: accepted by content, refused with a Chinese message and
nothing written, stored behind Django's storage API, downloaded only through the gatekeeper.

"Today" is pinned to Wednesday 2025-06-18; files go to a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import attachments as a
from gongkai.applications import services as s
from gongkai.applications.models import Application, Attachment, EventKind

from . import conftest, samples
from .conftest import World

TODAY = dt.date(2025, 6, 18)


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("政府信息公开申请表")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return out.getvalue()


PDF = samples.PDF
JPEG = samples.jpeg()
PNG = samples.PNG
DOC = samples.ole2("WordDocument")
XLS = samples.ole2("Workbook")
OFD = _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
EXE = b"MZ\x90\x00" + b"\x00" * 128


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
        id_document_number="350505198805051234",
        description="泉港区2024年度城乡居民最低生活保障资金发放明细",
        submitted_on=dt.date(2025, 6, 3),
    )


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def upload(client: Client, app: Application, name: str, data: bytes, kind: str = "identity") -> Any:
    version = Application.objects.get(pk=app.pk).version
    return client.post(
        reverse("applications:attachment_upload", args=[app.pk]),
        {
            "attachment-version": version,
            "attachment-kind": kind,
            "attachment-upload": SimpleUploadedFile(name, data),
        },
    )


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    ("_case", "data", "expected"),
    [
        ("pdf", PDF, a.PDF),
        ("jpeg", JPEG, a.JPEG),
        ("png", PNG, a.PNG),
        ("docx written by python-docx", _docx(), a.DOCX),
        ("doc / wps (OLE2 with a WordDocument stream)", DOC, a.DOC),
        ("ofd", OFD, a.OFD),
        ("xls is OLE2 too, but not a Word document", XLS, None),
        ("xlsx is a zip, but not a Word document", XLSX, None),
        ("windows executable", EXE, None),
        ("plain text", "申请书".encode(), None),
    ],
)
def test_the_type_is_judged_by_content(_case: str, data: bytes, expected: Any) -> None:
    assert a.sniff(data) == expected


def test_an_uploaded_file_is_stored_noted_in_the_history_and_downloadable(
    world: World, clerk: Any, app: Application, media: Path
) -> None:
    client = client_for(clerk)

    response = upload(client, app, "身份证正反面.pdf", PDF)

    assert response.status_code == 302
    attachment = Attachment.objects.get(application=app)
    assert (attachment.original_name, attachment.kind, attachment.size) == (
        "身份证正反面.pdf",
        "identity",
        len(PDF),
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert [p.read_bytes() for p in stored_files(media)] == [PDF]
    event = app.events.order_by("id").last()
    assert event is not None
    assert event.kind == EventKind.ATTACHMENT_ADDED
    assert event.data["sha256"] == attachment.sha256
    assert Application.objects.get(pk=app.pk).version == app.version + 1
    page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert "身份证正反面.pdf" in page
    assert "上传附件" in page  # the history entry

    download = client.get(reverse("applications:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith(f"filename*=UTF-8''{quote('身份证正反面.pdf')}")


@pytest.mark.parametrize(
    ("_case", "name", "data", "message"),
    [
        ("renamed executable", "申请书.pdf", EXE, "的内容不是允许的文件类型"),
        ("spreadsheet called docx", "申请书.docx", XLSX, "的内容不是允许的文件类型"),
        ("png called pdf", "照片.pdf", PNG, "的内容是PNG 图片，但扩展名不是 .png"),
        ("empty", "空.pdf", b"", "空文件"),
    ],
)
def test_a_refused_file_is_explained_and_nothing_is_written(
    world: World,
    clerk: Any,
    app: Application,
    media: Path,
    _case: str,
    name: str,
    data: bytes,
    message: str,
) -> None:
    events = app.events.count()

    response = upload(client_for(clerk), app, name, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Attachment.objects.count() == 0
    assert app.events.count() == events
    assert Application.objects.get(pk=app.pk).version == app.version
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused(
    world: World, clerk: Any, app: Application, media: Path, settings: Any
) -> None:
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 1024

    response = upload(client_for(clerk), app, "扫描件.pdf", PDF + b"0" * 2000)

    assert response.status_code == 400
    assert "超过附件大小上限" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_a_body_larger_than_any_allowed_upload_is_refused_before_it_is_read(
    world: World, clerk: Any, app: Application, media: Path, settings: Any
) -> None:
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 1024
    huge = PDF + b"0" * (1024 * 10 + 128 * 1024)

    response = upload(client_for(clerk), app, "扫描件.pdf", huge)

    assert response.status_code == 413
    assert "未上传" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_files_handed_in_with_the_application_are_attached_when_it_is_registered(
    world: World, clerk: Any, media: Path
) -> None:
    client = client_for(clerk)
    response = client.post(
        reverse("applications:register"),
        {
            "unit": world.district.pk,
            "channel": "in_person",
            "submitted_on": "2025-06-16",
            "applicant_type": "natural_person",
            "applicant_name": "林某某",
            "id_document_type": "resident_id",
            "id_document_number": "350505199202021234",
            "description": "泉港区2024年度道路建设项目清单",
            "requested_form": "paper",
            "delivery": "post",
            "attachment-identity_files": [SimpleUploadedFile("身份证.jpg", JPEG)],
            "attachment-request_files": [
                SimpleUploadedFile("申请表.docx", _docx()),
                SimpleUploadedFile("补充说明.ofd", OFD),
            ],
        },
    )

    assert response.status_code == 302
    app = Application.objects.get(applicant_name="林某某")
    assert [(x.kind, x.original_name) for x in app.attachments.order_by("id")] == [
        ("identity", "身份证.jpg"),
        ("request", "申请表.docx"),
        ("request", "补充说明.ofd"),
    ]
    assert list(app.events.order_by("id").values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.ATTACHMENT_ADDED,
        EventKind.ATTACHMENT_ADDED,
        EventKind.ATTACHMENT_ADDED,
    ]
    assert app.version == 4
    assert len(stored_files(media)) == 3


def test_a_refused_file_on_the_register_form_registers_nothing(
    world: World, clerk: Any, media: Path
) -> None:
    response = client_for(clerk).post(
        reverse("applications:register"),
        {
            "unit": world.district.pk,
            "channel": "in_person",
            "submitted_on": "2025-06-16",
            "applicant_type": "natural_person",
            "applicant_name": "林某某",
            "id_document_type": "resident_id",
            "id_document_number": "350505199202021234",
            "description": "泉港区2024年度道路建设项目清单",
            "requested_form": "paper",
            "delivery": "post",
            "attachment-identity_files": [SimpleUploadedFile("身份证.jpg", JPEG)],
            "attachment-request_files": [SimpleUploadedFile("申请表.docx", XLSX)],
        },
    )

    assert response.status_code == 400
    assert "文件“申请表.docx”的内容不是允许的文件类型" in response.content.decode()
    assert Application.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_other_units_cannot_upload_or_download_and_supervisors_only_read(
    world: World, clerk: Any, app: Application
) -> None:
    upload(client_for(clerk), app, "身份证.png", PNG)
    attachment = Attachment.objects.get()
    download_url = reverse("applications:attachment_download", args=[attachment.pk])
    outsider = client_for(world.member(Role.CLERK, world.other_district))
    supervisor = client_for(world.member(Role.SUPERVISOR))
    admin = client_for(world.member(Role.ADMIN))

    assert upload(outsider, app, "x.png", PNG).status_code == 404
    assert outsider.get(download_url).status_code == 404
    assert admin.get(download_url).status_code == 404  # counts, never applicants' files
    missing = reverse("applications:attachment_download", args=[attachment.pk + 1000])
    assert client_for(clerk).get(missing).status_code == 404
    allowed = supervisor.get(download_url)
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content) == PNG  # reading it to the end closes the file
    refused = upload(supervisor, app, "x.png", PNG)
    assert refused.status_code == 403
    assert "无权上传附件" in refused.content.decode()
    assert Attachment.objects.count() == 1


def test_attachments_are_append_only(world: World, clerk: Any, app: Application) -> None:
    upload(client_for(clerk), app, "身份证.png", PNG)
    attachment = Attachment.objects.get()
    with pytest.raises(RuntimeError, match="不能修改"):
        attachment.save()
    with pytest.raises(RuntimeError, match="不能删除"):
        attachment.delete()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
    return out.getvalue()


def _corrupt_member(data: bytes) -> bytes:
    broken = bytearray(data)
    at = broken.index(b"word/document.xml") + len("word/document.xml") + 10
    broken[at] ^= 0xFF
    return bytes(broken)


@pytest.mark.parametrize(
    ("_case", "name", "data"),
    [
        ("a PDF header followed by a web page", "申请书.pdf", samples.PDF_THEN_HTML),
        ("a PDF cut off half way", "申请书.pdf", PDF[: len(PDF) // 2]),
        ("a PNG with a wrong checksum", "照片.png", PNG[:-5] + b"\x00" + PNG[-4:]),
        ("a PNG with a page appended", "照片.png", PNG + b"<html></html>"),
        ("a JPEG cut off before its image data", "照片.jpg", JPEG[:20]),
        ("a zip bomb called docx", "申请表.docx", _bomb()),
        ("a docx with a damaged member", "申请表.docx", _corrupt_member(_docx())),
        (
            "an OLE2 signature and nothing else",
            "申请书.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1WordDocument",
        ),
    ],
)
def test_the_whole_structure_is_checked_not_only_the_first_bytes(
    world: World, clerk: Any, app: Application, media: Path, _case: str, name: str, data: bytes
) -> None:
    response = upload(client_for(clerk), app, name, data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "整个文件的结构不完整" in body or "的内容不是允许的文件类型" in body
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_the_same_file_twice_on_a_case_is_stored_once(
    world: World, clerk: Any, app: Application, media: Path
) -> None:
    client = client_for(clerk)
    assert upload(client, app, "身份证.pdf", PDF).status_code == 302

    again = upload(client, app, "身份证（再次）.pdf", PDF)

    assert again.status_code == 400
    assert "与本案已有的附件“身份证.pdf”内容完全相同，未重复上传" in again.content.decode()
    assert Attachment.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_the_same_file_on_two_cases_of_a_unit_is_stored_once(
    world: World, clerk: Any, app: Application, media: Path
) -> None:
    other = conftest.register(
        clerk, world.district, applicant_name="王某", submitted_on=dt.date(2025, 6, 4)
    )
    client = client_for(clerk)

    assert upload(client, app, "营业执照.pdf", PDF).status_code == 302
    assert upload(client, other, "执照.pdf", PDF).status_code == 302

    assert Attachment.objects.count() == 2
    assert len(stored_files(media)) == 1
    for attachment in Attachment.objects.all():
        download = client.get(reverse("applications:attachment_download", args=[attachment.pk]))
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_an_attachment_whose_file_is_missing_is_explained_not_a_500(
    world: World, clerk: Any, app: Application, media: Path
) -> None:
    client = client_for(clerk)
    upload(client, app, "身份证.pdf", PDF)
    for path in stored_files(media):
        path.unlink()
    attachment = Attachment.objects.get()

    response = client.get(reverse("applications:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404
    assert "附件“身份证.pdf”的登记记录还在，但文件已不在服务器上" in response.content.decode()
