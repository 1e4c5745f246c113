"""Finding documents in files, folders and archives, safely, and decoding them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.inputs import Kind, decode_text, iter_documents, sniff

REPORT = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\n"


def _zip(members: dict[str, bytes], *, level: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "a.html").write_text("<html><body>x</body></html>", encoding="utf-8")
    (tmp_path / "notes.xyz").write_text("ignored", encoding="utf-8")
    names = [Path(d.name).name for d in iter_documents([tmp_path])]
    assert names == ["a.html", "2.txt"]


def test_a_report_published_as_ofd_is_listed_not_skipped(tmp_path: Path) -> None:
    """An OFD report is read (parse.ofd), in a folder and in an archive alike."""
    ofd = _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})
    (tmp_path / "报告.ofd").write_bytes(ofd)
    archive = tmp_path / "附件.zip"
    archive.write_bytes(_zip({"2021/报告.ofd": ofd, "台账.xlsx": b"PK"}))
    names = [Path(d.name).relative_to(tmp_path).as_posix() for d in iter_documents([tmp_path])]
    assert names == ["报告.ofd", "附件.zip!2021/报告.ofd"]  # the workbook is no report: skipped


def test_a_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    [doc] = iter_documents([tmp_path / "nope.txt"])
    assert doc.data is None
    assert doc.error is not None and "文件不存在" in doc.error


def test_zip_members_are_read_without_extracting(tmp_path: Path) -> None:
    archive = tmp_path / "reports.zip"
    archive.write_bytes(_zip({"2021/a.txt": REPORT.encode(), "readme.md": b"x"}))
    [doc] = iter_documents([archive])
    assert doc.name.endswith("reports.zip!2021/a.txt")
    assert doc.data == REPORT.encode()


def test_path_traversal_inside_an_archive_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    archive.write_bytes(_zip({"../../etc/evil.txt": b"x", "ok.txt": REPORT.encode()}))
    docs = list(iter_documents([archive]))
    assert [d.error is None for d in docs] == [False, True]
    assert "路径不安全" in (docs[0].error or "")
    assert not (tmp_path.parent / "etc").exists()


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(_zip({"bomb.txt": b"0" * 20_000_000}))
    [doc] = iter_documents([archive])
    assert doc.data is None
    assert "压缩炸弹" in (doc.error or "")


def test_a_corrupt_zip_is_reported(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 this is not really a zip")
    [doc] = iter_documents([archive])
    assert "不是有效的 zip" in (doc.error or "")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", Kind.PDF),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, Kind.LEGACY_WORD),
        (b"<!DOCTYPE html><html><body></body></html>", Kind.HTML),
        ("<table><tr><td>自然人</td></tr></table>".encode(), Kind.HTML),
        (REPORT.encode("gb18030"), Kind.TEXT),
        (bytes(range(256)) * 4, Kind.UNKNOWN),
        (b"", Kind.TEXT),
    ],
)
def test_kind_is_sniffed_from_the_bytes(data: bytes, kind: Kind) -> None:
    assert sniff(data, "report.txt") is kind


def test_gbk_pages_are_decoded() -> None:
    text, encoding = decode_text(REPORT.encode("gbk"))
    assert text == REPORT
    assert encoding == "gb18030"


def test_declared_charset_wins() -> None:
    page = '<html><head><meta charset="gb2312"></head><body>自然人</body></html>'
    text, encoding = decode_text(page.encode("gbk"))
    assert "自然人" in text
    assert encoding == "gb18030"


def test_utf8_bom_is_dropped() -> None:
    assert decode_text(b"\xef\xbb\xbf" + REPORT.encode())[0] == REPORT


@given(st.binary(max_size=2048))
def test_decoding_and_sniffing_never_fail(data: bytes) -> None:
    text, _ = decode_text(data)
    assert isinstance(text, str)
    assert sniff(data) in set(Kind)


def test_names_in_an_archive_made_without_the_utf8_flag_are_read_as_written(
    tmp_path: Path,
) -> None:
    """Zip tools on Chinese Windows write GBK names, and Info-ZIP on Linux UTF-8 ones, without
    the flag that says so: read as CP437 they were garbled, shown so to the evaluator, and the
    report's title in its name was lost."""
    names = {
        "各区/某局2023年报告.txt".encode("gbk"): "各区/某局2023年报告.txt",
        "某县2023年报告.txt".encode(): "某县2023年报告.txt",
    }
    # Stand-ins as long as the bytes that replace them in both headers (Python sets the flag).
    stand_ins = {
        letter * (len(raw) - 4) + ".txt": raw for letter, raw in zip("ab", names, strict=True)
    }
    data = _zip({stand_in: REPORT.encode() for stand_in in stand_ins})
    for stand_in, raw in stand_ins.items():
        data = data.replace(stand_in.encode(), raw)
    (tmp_path / "t.zip").write_bytes(data)
    documents = list(iter_documents([tmp_path / "t.zip"]))
    assert sorted(d.name.split("!", 1)[1] for d in documents) == sorted(names.values())
    assert all(d.data == REPORT.encode() for d in documents)
