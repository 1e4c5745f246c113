"""What an evaluator uploads, turned into the documents of a batch — or refused, with why.

The request that uploads a batch reads, unpacks, hashes, compresses and stores it (a worker
audits it later), so every limit below keeps that request bounded in memory and time. The
limits are checked before anything is stored and, for zip archives, before anything is
decompressed: a member's declared size and compression ratio are read from the archive's
directory first, and a member is never inflated past its declared size (a lying header cannot
make us inflate more). Nothing is extracted to disk.

Any breach refuses the whole upload with a specific Chinese message; inside an archive, files
of other types (images, ``Thumbs.db``, ``__MACOSX``) are skipped and listed. A zipped folder
often holds the zips it was sent as (one per district): an archive inside an archive is opened
too, under the same limits, one level deep. An empty report file is not refused: it is one of
the batch's results, 「文件为空」, which is what the evaluator needs to record of that unit.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Final, Protocol

from gongkai.core.errors import GongkaiError
from gongkai.core.inputs import DOCUMENT_SUFFIXES, decode_text, member_name

MB: Final = 1024 * 1024
# At most this many reports in one batch, after the archives are opened: a province's reports
# (a few hundred units, a thousand and more with their departments) are one batch. The request
# no longer audits them, it only hashes, compresses and stores each: about 70 ms for a 290 KB
# PDF and 5 ms for a 36 KB web page (auditing.file_fields, measured with a test run alongside),
# so its time is bounded by the byte caps below, whatever the count; 2,000 is one archive's
# directory (MAX_ARCHIVE_MEMBERS), and what the worker audits in about 15 minutes (PDFs, ~0.4 s).
MAX_REPORTS: Final = 2000
MAX_FILE_BYTES: Final = 20 * MB  # one report, as uploaded or inside an archive
MAX_UPLOAD_BYTES: Final = 60 * MB  # the whole request, checked before it is read
MAX_UNPACKED_BYTES: Final = 150 * MB  # every archive's members together, decompressed
MAX_COMPRESSION_RATIO: Final = 100  # text compresses ~10×; a bomb compresses ~1000×
MAX_ARCHIVE_MEMBERS: Final = 2000  # entries in one archive's directory, files or not
MAX_ARCHIVE_DEPTH: Final = 2  # an uploaded zip, and the zips inside it

ARCHIVE_SUFFIX: Final = ".zip"
SUPPORTED: Final = "、".join(s.lstrip(".") for s in (*DOCUMENT_SUFFIXES, ARCHIVE_SUFFIX))
_JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.I)


class UploadError(GongkaiError):
    """The upload is refused as a whole; the message says which limit and which file."""


class Uploaded(Protocol):
    """What Django's ``UploadedFile`` offers that we use (so tests may pass plain objects)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterator[Any]: ...


def _read(upload: Uploaded, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes, whatever size the upload claims."""
    parts: list[bytes] = []
    total = 0
    for chunk in upload.chunks():
        parts.append(bytes(chunk))
        total += len(chunk)
        if total > limit:
            break
    return b"".join(parts)[: limit + 1]


@dataclass(frozen=True, slots=True)
class Upload:
    """One document to audit: its name as the evaluator sees it and its bytes."""

    name: str
    data: bytes


@dataclass(slots=True)
class Unpacked:
    documents: list[Upload] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # archive members of other types
    unpacked: int = 0  # bytes decompressed so far


def check_request_size(content_length: str | None) -> None:
    """Refuse a request body over :data:`MAX_UPLOAD_BYTES` before Django reads it."""
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"上传的文件合计 {length / MB:.1f} MB，超过单个批次 {MAX_UPLOAD_BYTES // MB} MB "
            "的上限；请分成几个批次上传"
        )


def unpack(files: Iterable[Uploaded]) -> Unpacked:
    """The documents of the uploaded files and archives, or :class:`UploadError`."""
    out = Unpacked()
    total = 0
    for upload in files:
        name = PurePosixPath((upload.name or "未命名文件").replace("\\", "/")).name
        size = upload.size or 0
        total += size
        if total > MAX_UPLOAD_BYTES:
            raise UploadError(f"上传的文件合计超过单个批次 {MAX_UPLOAD_BYTES // MB} MB 的上限")
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in (*DOCUMENT_SUFFIXES, ARCHIVE_SUFFIX):
            raise UploadError(f"「{name}」的文件类型不受支持；可以上传：{SUPPORTED}")
        if size > MAX_FILE_BYTES and suffix != ARCHIVE_SUFFIX:
            raise UploadError(
                f"「{name}」有 {size / MB:.1f} MB，超过单份报告 {MAX_FILE_BYTES // MB} MB 的上限"
            )
        data = _read(upload, MAX_UPLOAD_BYTES)
        if suffix == ARCHIVE_SUFFIX:
            _unpack_archive(name, data, out)
        else:
            _add(out, Upload(name, data))
    if not out.documents and out.skipped:
        shown = "、".join(PurePosixPath(n.rsplit("!", 1)[-1]).name for n in out.skipped[:5])
        more = f"等 {len(out.skipped)} 个文件" if len(out.skipped) > 5 else ""
        raise UploadError(
            f"压缩包中没有可审查的报告文件（只有 {shown}{more}）；可审查的文件类型：{SUPPORTED}"
        )
    if not out.documents:
        raise UploadError("没有可审查的报告文件：请选择报告文件或包含报告的 zip 压缩包")
    if not any(d.data for d in out.documents):
        raise UploadError("上传的报告文件都是空文件（0 字节），没有可审查的内容")
    return out


def _add(out: Unpacked, document: Upload) -> None:
    if len(out.documents) >= MAX_REPORTS:
        raise UploadError(
            f"一个批次最多 {MAX_REPORTS} 份报告（含压缩包内的文件）；请分成几个批次上传"
        )
    out.documents.append(document)


def _unpack_archive(label: str, data: bytes, out: Unpacked, depth: int = 1) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadError(f"「{label}」不是有效的 zip 压缩包（文件损坏或格式不符）") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ARCHIVE_MEMBERS:
            raise UploadError(f"压缩包「{label}」内有 {len(entries)} 个条目，超过上限")
        for entry in entries:
            entry.filename = member_name(entry)
        members = [m for m in entries if not m.is_dir()]
        # Every check on the directory first: nothing is decompressed from a hostile archive.
        declared = 0
        for member in members:
            _check_member(label, member, depth)
            if _wanted(member) or _archive(member):
                declared += member.file_size
        if out.unpacked + declared > MAX_UNPACKED_BYTES:
            raise UploadError(
                f"压缩包「{label}」解压后共 {declared / MB:.1f} MB，超过单个批次解压后 "
                f"{MAX_UNPACKED_BYTES // MB} MB 的上限"
            )
        # Reserved before any is read: an archive inside checks its own members against what
        # this one will still inflate after it, not only against what it has so far.
        out.unpacked += declared
        for member in sorted(members, key=lambda m: m.filename):
            name = f"{label}!{member.filename}"
            if _archive(member):
                _unpack_archive(name, _read_member(archive, member, name), out, depth + 1)
                continue
            if not _wanted(member):
                if not _JUNK.search(member.filename):
                    out.skipped.append(name)
                continue
            _add(out, Upload(name, _read_member(archive, member, name)))


def _wanted(member: zipfile.ZipInfo) -> bool:
    if _JUNK.search(member.filename):
        return False
    return PurePosixPath(member.filename).suffix.lower() in DOCUMENT_SUFFIXES


def _archive(member: zipfile.ZipInfo) -> bool:
    return not _JUNK.search(member.filename) and (
        PurePosixPath(member.filename).suffix.lower() == ARCHIVE_SUFFIX
    )


def _check_member(label: str, member: zipfile.ZipInfo, depth: int) -> None:
    raw = member.filename
    path = PurePosixPath(raw.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", raw):
        raise UploadError(f"压缩包「{label}」内的路径「{raw}」不安全（指向压缩包之外），已拒绝")
    if _archive(member) and depth >= MAX_ARCHIVE_DEPTH:
        raise UploadError(
            f"压缩包「{label}」内还有压缩包「{raw}」；压缩包最多套两层，请先解开再上传"
        )
    if not (_wanted(member) or _archive(member)):
        return
    if member.flag_bits & 0x1:
        raise UploadError(f"压缩包「{label}」内的「{raw}」已加密，无法读取")
    if member.file_size > MAX_FILE_BYTES:
        raise UploadError(
            f"压缩包「{label}」内的「{raw}」解压后有 {member.file_size / MB:.1f} MB，"
            f"超过{'压缩包内单个文件' if _archive(member) else '单份报告'} "
            f"{MAX_FILE_BYTES // MB} MB 的上限"
        )
    if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
        ratio = member.file_size // member.compress_size
        raise UploadError(
            f"压缩包「{label}」内的「{raw}」压缩比异常（{ratio}:1），疑似压缩炸弹，已拒绝"
        )


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> bytes:
    """At most the declared size: a header that lies about the size cannot make us inflate more."""
    try:
        with archive.open(member) as handle:
            data = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError, zlib.error):
        raise UploadError(f"「{name}」已损坏，无法解压") from None
    if len(data) > member.file_size:
        raise UploadError(f"「{name}」解压后的大小与压缩包记录的不符，疑似压缩炸弹，已拒绝")
    return data


MAX_LIST_BYTES: Final = 2 * MB


def unit_list_text(upload: Uploaded) -> str:
    """A list of unit names from an uploaded .txt, .csv or .xlsx file, as lines of text."""
    name = upload.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if (upload.size or 0) > MAX_LIST_BYTES:
        raise UploadError(f"单位名单文件超过 {MAX_LIST_BYTES // MB} MB 的上限")
    data = _read(upload, MAX_LIST_BYTES)
    if len(data) > MAX_LIST_BYTES:
        raise UploadError(f"单位名单文件超过 {MAX_LIST_BYTES // MB} MB 的上限")
    if suffix in (".txt", ".csv"):
        return decode_text(data)[0]
    if suffix == ".xlsx":
        return _xlsx_first_column(name, data)
    raise UploadError("单位名单请使用 .txt、.csv 或 .xlsx 文件（每行一个单位名称，或第一列）")


def _xlsx_first_column(name: str, data: bytes) -> str:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise UploadError(f"「{name}」不是有效的 Excel（.xlsx）文件") from None
    try:
        sheet = workbook.worksheets[0]
        lines = [
            str(row[0]).strip()
            for row in sheet.iter_rows(max_col=1, max_row=10_000, values_only=True)
            if row and row[0] is not None
        ]
    finally:
        workbook.close()
    return "\n".join(lines)
