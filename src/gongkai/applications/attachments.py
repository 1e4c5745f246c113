"""Files attached to an application: identity proof, the written request, supplements.

Which files are accepted, and why (issue 5, item 2): what applicants actually hand in or upload
to a disclosure office —

* PDF, JPEG and PNG (scans and photos of an ID card or a signed request);
* Word: DOCX, and the older binary DOC together with WPS 文字 (.wps), the same OLE2 container;
* OFD (GB/T 33190, 版式文档), the fixed-layout format Chinese government platforms issue.

The type is decided by the file's content (its signature, and for the ZIP-based formats the
part that makes them what they are), and the extension must agree with it: a renamed
executable or spreadsheet is refused, however it is called. The signature alone is not enough:
the whole file's structure must be that type's (:func:`intact`): a PDF that parses to a
document with a page, PNG chunks with their checksums up to the end, JPEG segments up to the
image data and its end marker, a ZIP whose every member's checksum holds (within a bound on
what it may inflate to), an OLE2 header a Word file has. A file that begins ``%PDF-1.4`` and
continues as a web page is not a PDF.

The same file (same SHA-256) attached twice to a case is refused the second time, naming the
attachment it repeats; and since the bytes are stored under their hash, a file attached to two
cases of the same unit and year is stored once. Spreadsheets, archives and
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
import struct
import zipfile
import zlib
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


# A ZIP member may inflate to at most this many times the archive's own size (Word documents
# and OFD packages compress text around 5–10 times; a zip bomb by thousands).
_ZIP_MAX_RATIO: Final = 100


def _pdf_intact(data: bytes) -> bool:
    from pdfminer.pdfdocument import (
        PDFDocument,
        PDFEncryptionError,
        PDFPasswordIncorrect,
    )
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    if b"%%EOF" not in data[-2048:]:
        return False
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        return next(iter(PDFPage.create_pages(document)), None) is not None
    except (PDFEncryptionError, PDFPasswordIncorrect):
        return True  # an encrypted PDF: its structure was read as far as the encryption
    except Exception:  # pdfminer raises anything at all on a hostile file
        return False


def _png_intact(data: bytes) -> bool:
    at = 8
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data):
            return False
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[at + 4 : end - 4]) != crc:
            return False
        if kind == b"IEND":
            return not data[end:].strip(b"\x00")
        at = end
    return False


def _jpeg_intact(data: bytes) -> bool:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return False
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2 or at + 2 + length > len(data):
            return False
        if marker == 0xDA:  # start of scan: the image data runs to the end-of-image marker
            return b"\xff\xd9" in data[at + 2 + length :]
        at += 2 + length
    return False


def _zip_intact(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > _ZIP_MAX_RATIO * max(len(data), 1024):
                return False
            return archive.testzip() is None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        return False


def _ole2_intact(data: bytes) -> bool:
    if len(data) < 1024 or data[28:30] != b"\xfe\xff":  # little-endian byte order mark
        return False
    (sector_shift,) = struct.unpack("<H", data[30:32])
    return sector_shift in (9, 12)


_INTACT: Final = {
    "application/pdf": _pdf_intact,
    "image/png": _png_intact,
    "image/jpeg": _jpeg_intact,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _zip_intact,
    "application/ofd": _zip_intact,
    "application/msword": _ole2_intact,
}


def intact(file_type: FileType, data: bytes) -> bool:
    """Whether the whole of ``data`` has the structure of ``file_type``, not only its start."""
    return _INTACT[file_type.content_type](data)


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
    if not intact(found, upload.data):
        raise AttachmentError(
            f"文件“{name}”开头像{found.label}，但整个文件的结构不完整或不是真正的{found.label}"
            "（可能已损坏、未传完，或是改了名的其他文件），未上传。请重新导出或扫描后上传"
        )
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
    seen: dict[str, str] = dict(
        Attachment.objects.filter(application_id=application_id).values_list(
            "sha256", "original_name"
        )
    )
    for upload, file_type in uploads:
        name = upload.name.strip()
        sha = hashlib.sha256(upload.data).hexdigest()
        if sha in seen:
            raise AttachmentError(
                f"文件“{name}”与本案已有的附件“{seen[sha]}”内容完全相同，未重复上传"
            )
        seen[sha] = name
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
        # Named by content hash: the same bytes already stored (another case of the unit and
        # year) are used as they are, not stored a second time.
        path = attachment.file.field.generate_filename(attachment, name)
        if default_storage.exists(path):
            attachment.file.name = path
        else:
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
