"""Files attached to an application: identity proof, the written request, supplements.

Which files are accepted, and why (issue 5, item 2): what applicants actually hand in or upload
to a disclosure office —

* PDF, JPEG and PNG (scans and photos of an ID card or a signed request);
* Word: DOCX, and the older binary DOC together with WPS 文字 (.wps), the same OLE2 container;
* OFD (GB/T 33190, 版式文档), the fixed-layout format Chinese government platforms issue.

The type is decided by the file's content (its signature, and for the ZIP-based formats the
part that makes them what they are), and the extension must agree with it: a renamed
executable or spreadsheet is refused, however it is called. Spreadsheets, archives and
anything else are refused too: a case file is not a file share. The size limit is the setting
``GONGKAI_ATTACHMENT_MAX_BYTES`` (20 MB by default).

Storing is one transaction: the bytes go to Django's default storage (a folder beside the
SQLite database in the demo, object storage in a deployment that configures it), the row and
the case's ``attachment_added`` event are inserted through the applications' step function
(gatekeeper, optimistic lock, clock). A refused file writes nothing; if the transaction fails
after the bytes were stored, they are removed again.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any, Final

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from gongkai.agencies.gatekeeper import AccessDeniedError, Action, applications_for
from gongkai.agencies.models import Unit
from gongkai.applications import events as ev
from gongkai.applications import services
from gongkai.applications.models import Application, Attachment, AttachmentKind, EventKind
from gongkai.core.errors import GongkaiError

DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024
MAX_NAME_CHARS: Final = 255
ATTACHMENT_NOT_FOUND: Final = "未找到附件（编号 {id}），或您无权查看该附件"


class AttachmentError(GongkaiError):
    """A file that cannot be attached (type, size, name), explained in Chinese."""


@dataclass(frozen=True, slots=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF: Final = FileType("PDF 文档", "application/pdf", ("pdf",))
JPEG: Final = FileType("JPEG 图片", "image/jpeg", ("jpg", "jpeg"))
PNG: Final = FileType("PNG 图片", "image/png", ("png",))
DOCX: Final = FileType(
    "Word 文档（.docx）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
DOC: Final = FileType("Word 97-2003 或 WPS 文字文档", "application/msword", ("doc", "wps"))
OFD: Final = FileType("OFD 版式文档", "application/ofd", ("ofd",))
ALLOWED: Final = (PDF, JPEG, PNG, DOCX, DOC, OFD)
ALLOWED_HINT: Final = "可上传 PDF、JPG、PNG、DOCX、DOC、WPS、OFD 文件"

_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream every Word 97-2003 and WPS 文字 document has (its name in the OLE2 directory).
_WORD_STREAM: Final = "WordDocument".encode("utf-16-le")


def max_bytes() -> int:
    return int(getattr(settings, "GONGKAI_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return set()


def sniff(data: bytes) -> FileType | None:
    """The accepted type ``data`` really is, judged by its content only; ``None`` otherwise."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(_OLE2):
        return DOC if _WORD_STREAM in data else None
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "OFD.xml" in names:
            return OFD
    return None


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as received, before anything is stored."""

    name: str
    data: bytes
    kind: str


def read_upload(file: Any, kind: str) -> Upload:
    """Read an uploaded file (Django's ``UploadedFile`` or any object with ``name``/``read``),
    refusing it as soon as it is larger than the limit, without reading the rest."""
    limit = max_bytes()
    name = str(getattr(file, "name", "") or "")
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise AttachmentError(_too_large(name, size, limit))
    stream: IO[bytes] = file
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise AttachmentError(_too_large(name, size if isinstance(size, int) else None, limit))
    return Upload(name=name, data=data, kind=kind)


def _too_large(name: str, size: int | None, limit: int) -> str:
    shown = f"大小为 {size / 1024 / 1024:.1f} MB，" if size else ""
    return f"文件“{name}”{shown}超过附件大小上限 {limit / 1024 / 1024:.0f} MB，未上传"


def check_upload(upload: Upload) -> FileType:
    """The type of an acceptable upload; every refusal names the file and the reason."""
    name = upload.name.strip()
    if not name:
        raise AttachmentError("上传的文件没有文件名，未上传")
    if len(name) > MAX_NAME_CHARS:
        raise AttachmentError(f"文件名“{name[:30]}…”超过 {MAX_NAME_CHARS} 个字符，请改名后上传")
    kinds = dict(AttachmentKind.choices)
    if upload.kind not in kinds:
        allowed = "、".join(kinds.values())
        raise AttachmentError(f"未知的材料类别 {upload.kind!r}，可选：{allowed}")
    if not upload.data:
        raise AttachmentError(f"文件“{name}”是空文件（0 字节），未上传")
    limit = max_bytes()
    if len(upload.data) > limit:
        raise AttachmentError(_too_large(name, len(upload.data), limit))
    found = sniff(upload.data)
    if found is None:
        raise AttachmentError(f"文件“{name}”的内容不是允许的文件类型，未上传（{ALLOWED_HINT}）")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in found.extensions:
        expected = "、".join(f".{e}" for e in found.extensions)
        raise AttachmentError(
            f"文件“{name}”的内容是{found.label}，但扩展名不是 {expected}，请核对文件后重新上传"
        )
    return found


def check_uploads(uploads: Sequence[Upload]) -> list[FileType]:
    """Check every file before storing any, so a refused one leaves nothing half written."""
    return [check_upload(upload) for upload in uploads]


def _attach(
    acting_user: Any,
    application_id: int,
    expected_version: int,
    uploads: Sequence[tuple[Upload, FileType]],
    stored: list[str],
) -> list[Attachment]:
    """Store each file and write its row and event; the caller holds the transaction."""
    added: list[Attachment] = []
    version = expected_version
    for upload, file_type in uploads:
        name = upload.name.strip()
        sha = hashlib.sha256(upload.data).hexdigest()
        application: Application = services.application_append_event(
            acting_user=acting_user,
            application_id=application_id,
            expected_version=version,
            payload=ev.AttachmentAdded(
                attachment_kind=AttachmentKind(upload.kind),
                name=name,
                size=len(upload.data),
                sha256=sha,
                summary_text=f"{AttachmentKind(upload.kind).label}：{name}",
            ),
            on=None,
        )
        version = application.version
        attachment = Attachment(
            application=application,
            event=application.events.filter(kind=EventKind.ATTACHMENT_ADDED).latest("id"),
            kind=upload.kind,
            original_name=name,
            content_type=file_type.content_type,
            size=len(upload.data),
            sha256=sha,
            uploaded_by=acting_user,
        )
        attachment.file.save(name, ContentFile(upload.data), save=False)
        stored.append(str(attachment.file.name))
        attachment.save()
        added.append(attachment)
    return added


def _discard(stored: Sequence[str]) -> None:
    """Remove bytes stored by a transaction that was then rolled back (Django has no hook)."""
    for name in stored:
        default_storage.delete(name)


def attachments_add(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    uploads: Iterable[Upload],
) -> list[Attachment]:
    """Attach files to a case, all or none; each is one ``attachment_added`` event.

    ``expected_version`` is the version the clerk saw (optimistic locking); each file then
    bumps it by one. Every file is checked before any is stored.
    """
    items = list(uploads)
    checked = list(zip(items, check_uploads(items), strict=True))
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _attach(acting_user, application_id, expected_version, checked, stored)
    except BaseException:
        _discard(stored)
        raise


def application_register_with_attachments(
    *, acting_user: Any, unit: Unit, uploads: Iterable[Upload], **fields: Any
) -> Application:
    """Register an application and attach the files handed in with it, all or nothing.

    A refused file refuses the registration too (nothing written), so the clerk corrects the
    file and submits once, instead of finding a case registered without its identity proof.
    """
    items = list(uploads)
    checked = list(zip(items, check_uploads(items), strict=True))
    stored: list[str] = []
    try:
        with transaction.atomic():
            application = services.application_register(
                acting_user=acting_user, unit=unit, **fields
            )
            _attach(acting_user, application.pk, application.version, checked, stored)
    except BaseException:
        _discard(stored)
        raise
    application.refresh_from_db(fields=["version"])
    return application


# ---------------------------------------------------------------------------------------------
# Reads, through the gatekeeper: whoever may read the case may read its files.
# ---------------------------------------------------------------------------------------------


def attachment_list(*, application: Application) -> list[Attachment]:
    """The files of a case the caller already fetched through the gatekeeper (one query)."""
    return list(
        Attachment.objects.filter(application=application)
        .select_related("uploaded_by")
        .order_by("id")
    )


def attachment_get(*, user: Any, attachment_id: int) -> Attachment:
    """One attachment ``user`` may read; "not found" and "not allowed" are the same error."""
    visible = applications_for(user, Action.VIEW_CASES)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, application__in=visible)
        .select_related("application")
        .first()
        if isinstance(attachment_id, int)
        else None
    )
    if attachment is None:
        raise AccessDeniedError(ATTACHMENT_NOT_FOUND.format(id=attachment_id))
    return attachment
