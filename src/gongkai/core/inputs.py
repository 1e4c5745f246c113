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
import os
import re
import zipfile
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
DOCUMENT_SUFFIXES: Final = (".txt", ".htm", ".html", ".shtml", ".docx", ".doc", ".wps", ".pdf")


class Kind(enum.StrEnum):
    TEXT = "text"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    LEGACY_WORD = "legacy_word"  # .doc / .wps (OLE compound file), read through LibreOffice
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
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return Kind.PDF
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or name.lower().endswith(".docx"):
            return Kind.DOCX
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
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text or HTML document; returns (text, encoding used).

    Chinese government pages are UTF-8 or GBK/GB18030, sometimes mislabelled. A declared
    charset is tried first, then UTF-8 (strict), then GB18030 (a superset of GBK and GB2312),
    and as the last resort UTF-8 with replacement characters, so decoding never fails.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
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


def _from_path(path: Path) -> Iterator[Document]:
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                child = Path(root) / name
                if child.suffix.lower() in ARCHIVE_SUFFIXES + DOCUMENT_SUFFIXES:
                    yield from _from_path(child)
        return
    if not path.exists():
        yield Document(str(path), None, f"文件不存在：{path}")
        return
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES and path.suffix.lower() not in ARCHIVE_SUFFIXES:
            yield Document(str(path), None, f"文件过大（{size} 字节），超过单份报告上限")
            return
        if path.suffix.lower() in ARCHIVE_SUFFIXES:
            yield from _from_archive(path, str(path), depth=1)
            return
        yield Document(str(path), path.read_bytes())
    except OSError as exc:
        yield Document(str(path), None, f"无法读取文件：{exc.strerror or exc}")


def _from_archive(source: Path | bytes, label: str, *, depth: int) -> Iterator[Document]:
    import io

    try:
        archive = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
    except (zipfile.BadZipFile, OSError) as exc:
        yield Document(label, None, f"不是有效的 zip 压缩包：{exc}")
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
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
                yield Document(name, None, f"压缩包内文件损坏，无法解压：{exc}")
                continue
            if suffix in ARCHIVE_SUFFIXES:
                if depth >= MAX_ARCHIVE_DEPTH:
                    yield Document(name, None, "压缩包嵌套过深，已拒绝")
                else:
                    yield from _from_archive(data, name, depth=depth + 1)
                continue
            yield Document(name, data)


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
