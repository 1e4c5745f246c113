"""Turning what an evaluator points at (files, folders, zip archives) into documents to read.

The auditor is given whatever was downloaded: thousands of files in nested folders and zip
archives, in every encoding government sites use. This module finds the documents, reads
their bytes safely (an archive cannot explode into gigabytes or write outside its folder: we
never extract to disk at all), recognises the kind of each document from its bytes rather
than trusting its name, and decodes text. Nothing here raises on bad input: a document that
cannot be used is returned with the reason, so that one bad file never stops a batch.
"""

from __future__ import annotations

import enum
import errno
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

# Limits that keep a hostile or broken archive from exhausting memory or time.
MAX_DOCUMENT_BYTES: Final = 64 * 1024 * 1024  # one report: real ones are < 20 MB even as PDF
MAX_ARCHIVE_MEMBERS: Final = 100_000
MAX_ARCHIVE_TOTAL_BYTES: Final = 2 * 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO: Final = 200  # text compresses ~10×; a bomb compresses ~1000×
MAX_ARCHIVE_DEPTH: Final = 2  # a zip inside a zip is read; deeper nesting is refused

ARCHIVE_SUFFIXES: Final = (".zip",)
# .ofd: the national fixed-layout format (GB/T 33190), which many units publish besides or
# instead of PDF (parse.ofd).
DOCUMENT_SUFFIXES: Final = (
    ".txt", ".htm", ".html", ".shtml", ".docx", ".doc", ".wps", ".pdf", ".ofd"
)  # fmt: skip


class Kind(enum.StrEnum):
    TEXT = "text"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    LEGACY_WORD = "legacy_word"  # .doc / .wps (OLE compound file), read through LibreOffice
    OFD = "ofd"  # GB/T 33190 fixed-layout package (zip of XML)
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Document:
    """One document to audit. ``data`` is None when it could not be read (``error`` says why)."""

    name: str  # path as the user sees it; archive members as "archive.zip!inner/path.html"
    data: bytes | None
    error: str | None = None

    @property
    def kind(self) -> Kind:
        return sniff(self.data or b"", self.name)


def sniff(data: bytes, name: str = "") -> Kind:
    """The document's kind from its first bytes; the file name only breaks ties."""
    head = strip_unicode_bom(data[:4096])
    if head.startswith(b"%PDF"):
        return Kind.PDF
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or name.lower().endswith(".docx"):
            return Kind.DOCX
        # The entry file's name, in its local header (most often the first) or in the
        # directory at the end (found in place: no copy of the last megabyte).
        entry = data.find(b"OFD.xml", 0, 65536) >= 0
        if entry or data.find(b"OFD.xml", max(0, len(data) - (1 << 20))) >= 0:
            return Kind.OFD
        if name.lower().endswith(".ofd"):
            return Kind.OFD
        return Kind.UNKNOWN
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Kind.LEGACY_WORD
    lowered = head.lower()
    if re.search(rb"<(html|table|body|!doctype html|meta|div|p)[\s>]", lowered):
        return Kind.HTML
    if name.lower().endswith((".htm", ".html", ".shtml")):
        return Kind.HTML
    if _looks_binary(head):
        return Kind.UNKNOWN
    return Kind.TEXT


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return True
    # Counted in C: the bytes left once the control bytes are deleted (a Python loop over
    # 4 KB was a noticeable part of auditing a small text report, and it runs twice).
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05


_CONTROL_BYTES: Final = bytes(b for b in range(32) if b < 9 or b > 13)


# Windows Notepad's 「Unicode」 is UTF-16 with a BOM. UTF-32's BOMs begin with UTF-16's, so
# they are tried first.
_BOMS: Final = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def strip_unicode_bom(data: bytes) -> bytes:
    """UTF-16/32 text with a BOM → UTF-8, so that sniffing sees text, not NUL bytes."""
    for bom, encoding in _BOMS[1:]:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace").encode("utf-8")
    return data


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*(?:["']\s*)?([a-zA-Z0-9_\-]+)""", re.I)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text or HTML document; returns (text, encoding used).

    Chinese government pages are UTF-8 or GBK/GB18030, sometimes mislabelled. A declared
    charset is tried first, then UTF-8 (strict), then GB18030 (a superset of GBK and GB2312),
    and as the last resort UTF-8 with replacement characters, so decoding never fails.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    candidates: list[str] = []
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        candidates.append(declared.group(1).decode("ascii", errors="ignore").lower())
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        if encoding in ("gb2312", "gbk"):
            encoding = "gb18030"
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace"), "utf-8 (有无法解码的字符)"


def iter_documents(paths: list[Path]) -> Iterator[Document]:
    """Every document under the given files, folders (recursive) and zip archives.

    Folders are walked in sorted order so that a batch's output never depends on the file
    system's order. Paths that do not exist are yielded as unreadable documents.
    """
    for path in paths:
        yield from _from_path(path)


def _from_path(path: Path, root: Path | None = None) -> Iterator[Document]:
    """The documents at ``path``; ``root`` is the folder being walked (links may not leave it).

    Every OS error (permission denied, a name too long, a loop of links) is the unreadable
    result of that path alone; the batch goes on.
    """
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if root is not None and not _inside(path, root):
                yield Document(str(path), None, "符号链接指向所审查的文件夹之外，已拒绝")
                return
            info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            yield from _from_folder(path, root or path)
            return
    except FileNotFoundError:
        yield Document(str(path), None, f"文件不存在：{path}")
        return
    except (OSError, ValueError) as exc:
        yield Document(str(path), None, f"无法读取文件：{os_reason(exc)}")
        return
    problem = _not_regular(info)
    if problem:
        yield Document(str(path), None, problem)
        return
    if path.suffix.lower() in ARCHIVE_SUFFIXES:
        yield from _from_archive(path, str(path), depth=1)
        return
    data, reason = read_regular_file(path)
    yield Document(str(path), data, reason)


def _from_folder(path: Path, root: Path) -> Iterator[Document]:
    def walk_error(exc: OSError) -> None:
        errors.append(exc)

    errors: list[OSError] = []
    for folder, dirs, files in os.walk(path, onerror=walk_error):
        dirs.sort()
        for name in sorted(files):
            child = Path(folder) / name
            if child.suffix.lower() in ARCHIVE_SUFFIXES + DOCUMENT_SUFFIXES:
                yield from _from_path(child, root)
        while errors:
            exc = errors.pop(0)
            yield Document(str(exc.filename or path), None, f"无法读取文件夹：{os_reason(exc)}")


def _inside(path: Path, root: Path) -> bool:
    try:
        target = path.resolve(strict=True)
        return target.is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError, ValueError):
        return False


def _not_regular(info: os.stat_result) -> str | None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "不是普通文件（是命名管道 FIFO），已拒绝"
    if stat.S_ISSOCK(mode):
        return "不是普通文件（是套接字），已拒绝"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "不是普通文件（是设备文件），已拒绝"
    return "不是普通文件，已拒绝"


_OS_REASONS: Final = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ELOOP: "符号链接循环",
    errno.ENOENT: "文件不存在",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.EISDIR: "是文件夹而不是文件",
    errno.EIO: "磁盘读取错误",
    errno.ENOSPC: "磁盘空间不足",
}


def os_reason(exc: BaseException) -> str:
    """An OS error in Chinese (the system's English ``strerror`` is not shown)."""
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if isinstance(exc, ValueError):
        return "路径无效（含有空字符）"
    code = errno.errorcode.get(exc.errno, "") if isinstance(exc, OSError) and exc.errno else ""
    return f"系统错误 {code}".strip() if code else "系统错误"


def read_regular_file(
    path: Path, *, limit: int = MAX_DOCUMENT_BYTES
) -> tuple[bytes | None, str | None]:
    """A regular file's bytes, at most ``limit``; else None and the reason in Chinese.

    The file is opened without blocking and checked after opening (a FIFO named ``*.txt``
    never blocks the batch; a file swapped for a device between the check and the open is
    still refused), and never more than ``limit`` bytes are read (``/dev/zero``).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None, "文件不存在"
    except (OSError, ValueError) as exc:
        return None, f"无法读取文件：{os_reason(exc)}"
    try:
        info = os.fstat(fd)
        problem = _not_regular(info)
        if problem:
            return None, problem
        if info.st_size > limit:
            return None, f"文件过大（{info.st_size} 字节），超过单份报告上限（{limit} 字节）"
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                return None, f"文件过大（超过单份报告上限 {limit} 字节）"
        return b"".join(chunks), None
    except OSError as exc:
        return None, f"无法读取文件：{os_reason(exc)}"
    finally:
        os.close(fd)


def _from_archive(source: Path | bytes, label: str, *, depth: int) -> Iterator[Document]:
    import io

    try:
        archive = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        yield Document(label, None, "不是有效的 zip 压缩包（文件损坏或格式不符）")
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_ARCHIVE_MEMBERS:
            yield Document(label, None, f"压缩包内文件过多（{len(members)} 个），已拒绝")
            return
        total = sum(m.file_size for m in members)
        if total > MAX_ARCHIVE_TOTAL_BYTES:
            yield Document(label, None, f"压缩包解压后过大（{total} 字节），疑似压缩炸弹，已拒绝")
            return
        for member in members:
            member.filename = member_name(member)  # (a report's title, where it is its name)
        for member in sorted(members, key=lambda m: m.filename):
            name = f"{label}!{member.filename}"
            problem = _member_problem(member)
            if problem:
                yield Document(name, None, problem)
                continue
            suffix = PurePosixPath(member.filename).suffix.lower()
            if suffix not in ARCHIVE_SUFFIXES + DOCUMENT_SUFFIXES:
                continue
            try:
                data = _read_member(archive, member)
            except (
                zipfile.BadZipFile,
                OSError,
                RuntimeError,
                EOFError,
                ValueError,
                NotImplementedError,
                zlib.error,
            ) as exc:
                yield Document(name, None, f"压缩包内文件损坏，无法解压：{_zip_reason(exc)}")
                continue
            if suffix in ARCHIVE_SUFFIXES:
                if depth >= MAX_ARCHIVE_DEPTH:
                    yield Document(name, None, "压缩包嵌套过深，已拒绝")
                else:
                    yield from _from_archive(data, name, depth=depth + 1)
                continue
            yield Document(name, data)


def member_name(member: zipfile.ZipInfo) -> str:
    """The member's name as its author typed it. Zip tools on Chinese Windows write names in
    GBK without the UTF-8 flag, which :mod:`zipfile` reads as CP437 (「─Ω▒¿」 for 「年报」):
    the original bytes are decoded again as UTF-8 (some tools omit the flag) or else GB18030.
    The archive still opens the member by its directory entry, whatever this name is."""
    if member.flag_bits & 0x800:
        return member.filename
    raw = member.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return member.filename


def _member_problem(member: zipfile.ZipInfo) -> str | None:
    path = PurePosixPath(member.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", member.filename):
        return f"压缩包内路径不安全（{member.filename}），已跳过"
    if member.file_size > MAX_DOCUMENT_BYTES:
        return f"压缩包内文件过大（{member.file_size} 字节），已跳过"
    if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
        ratio = member.file_size // member.compress_size
        return f"压缩比异常（{ratio}:1），疑似压缩炸弹，已跳过"
    return None


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size: a lying header cannot make us inflate more."""
    with archive.open(member) as handle:
        data = handle.read(member.file_size + 1)
    if len(data) > member.file_size:
        raise ValueError("解压后大小与压缩包记录不符")
    return data


def _zip_reason(exc: BaseException) -> str:
    """zipfile's English in Chinese (the message is shown to the evaluator)."""
    text = str(exc)
    if isinstance(exc, RuntimeError) and "encrypted" in text:
        return "文件已加密"
    if "CRC" in text:
        return "校验和不符"
    if isinstance(exc, zlib.error):
        return "压缩数据损坏"
    if isinstance(exc, NotImplementedError) or "compression" in text:
        return "不支持的压缩方式"
    if isinstance(exc, ValueError) and text.startswith("解压"):
        return text
    return "数据损坏"
