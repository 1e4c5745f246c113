"""The limits of an upload: every breach refused with a specific Chinese message (no database)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from gongkai.evaluations import uploads
from gongkai.evaluations.uploads import UploadError, check_request_size, unit_list_text, unpack

from .conftest import FakeUpload, zipped

TEXT = "某某区人民政府2024年政府信息公开工作年度报告".encode()


def test_files_and_the_reports_inside_a_zipped_folder_are_the_batch() -> None:
    archive = zipped(
        {
            "各区/甲区.txt": TEXT,
            "各区/乙区/乙区.html": b"<html><body>report</body></html>",
            "各区/说明.jpg": b"\xff\xd8",
            "__MACOSX/各区/._甲区.txt": b"junk",
        }
    )

    out = unpack([FakeUpload("a.pdf", b"%PDF-1.4"), FakeUpload("folder.zip", archive)])

    assert [d.name for d in out.documents] == [
        "a.pdf",
        "folder.zip!各区/乙区/乙区.html",
        "folder.zip!各区/甲区.txt",
    ]
    assert out.documents[2].data == TEXT
    assert out.skipped == ["folder.zip!各区/说明.jpg"]


def test_a_folder_with_zips_in_it_and_an_empty_file_is_one_batch() -> None:
    """A zipped folder holds what the districts sent: their own zips (opened, one level) and
    perhaps an empty file (kept, to be listed as 「文件为空」, not a refusal of the batch)."""
    archive = zipped(
        {
            "年报/甲区.zip": zipped({"甲区2024.txt": TEXT, "说明.jpg": b"\xff\xd8"}),
            "年报/乙区.txt": TEXT,
            "年报/丙区.pdf": b"",
        }
    )

    out = unpack([FakeUpload("folder.zip", archive)])

    assert [(d.name, d.data) for d in out.documents] == [
        ("folder.zip!年报/丙区.pdf", b""),
        ("folder.zip!年报/乙区.txt", TEXT),
        ("folder.zip!年报/甲区.zip!甲区2024.txt", TEXT),
    ]
    assert out.skipped == ["folder.zip!年报/甲区.zip!说明.jpg"]


def test_a_member_named_in_gbk_by_a_windows_zip_tool_keeps_its_chinese_name() -> None:
    gbk = {f"gbk{i}".ljust(len(n.encode("gbk")), "_"): n for i, n in enumerate(
        ("年报/淮安市2024年报告.txt", "年报/说明.jpg"))}  # fmt: skip
    archive = zipped({**{stand_in: TEXT for stand_in in gbk}, "年报/utf8.txt": TEXT})
    for stand_in, name in gbk.items():
        # The name's GBK bytes in both headers, without the UTF-8 flag (Python would set it).
        archive = archive.replace(stand_in.encode("ascii"), name.encode("gbk"))

    out = unpack([FakeUpload("各区.zip", archive)])

    assert [(d.name, d.data) for d in out.documents] == [
        ("各区.zip!年报/utf8.txt", TEXT),
        ("各区.zip!年报/淮安市2024年报告.txt", TEXT),
    ]
    assert out.skipped == ["各区.zip!年报/说明.jpg"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([FakeUpload("x.exe", b"MZ")], "文件类型不受支持"),
        ([FakeUpload("empty.txt", b"")], "都是空文件"),
        ([FakeUpload("t.zip", zipped({"a.txt": b"", "b.pdf": b""}))], "都是空文件"),
        ([], "没有可审查的报告文件"),
        (
            [FakeUpload("图.zip", zipped({"各区/a.jpg": b"x", "说明.xlsx": b"x"}))],
            "压缩包中没有可审查的报告文件（只有 a.jpg、说明.xlsx）",
        ),
        ([FakeUpload("bad.zip", b"PK not really")], "不是有效的 zip 压缩包"),
        ([FakeUpload("t.zip", zipped({"../../etc/passwd.txt": TEXT}))], "不安全"),
        ([FakeUpload("t.zip", zipped({"/abs/a.txt": TEXT}))], "不安全"),
        (
            [FakeUpload("t.zip", zipped({"a.zip": zipped({"b.zip": zipped({"c.txt": TEXT})})}))],
            "压缩包最多套两层",
        ),
        (
            [FakeUpload("t.zip", zipped({"a.zip": zipped({"bomb.txt": b"0" * (3 * uploads.MB)})}))],
            "疑似压缩炸弹",
        ),
    ],
)
def test_bad_uploads_are_refused_with_the_reason(files: list[FakeUpload], message: str) -> None:
    with pytest.raises(UploadError) as refused:
        unpack(files)

    assert message in str(refused.value)


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_inflated() -> None:
    bomb = zipped({"bomb.txt": b"0" * (5 * uploads.MB)})

    with pytest.raises(UploadError) as refused:
        unpack([FakeUpload("bomb.zip", bomb)])

    assert "压缩比异常" in str(refused.value)
    assert "疑似压缩炸弹" in str(refused.value)


def test_a_member_whose_header_lies_about_its_size_is_not_inflated_past_it() -> None:
    archive = bytearray(zipped({"a.txt": TEXT * 50}, compression=zipfile.ZIP_STORED))
    # Shrink the declared size in the central directory (the local header is not trusted).
    with zipfile.ZipFile(io.BytesIO(bytes(archive))) as z:
        info = z.infolist()[0]
    real = info.file_size
    central = bytes(archive).rfind(b"PK\x01\x02")
    size_at = central + 24
    archive[size_at : size_at + 4] = (10).to_bytes(4, "little")

    with pytest.raises(UploadError) as refused:
        unpack([FakeUpload("lying.zip", bytes(archive))])

    assert real > 10
    assert "大小" in str(refused.value) or "已损坏" in str(refused.value)


def test_too_many_reports_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_REPORTS", 3)
    archive = zipped({f"{i}.txt": TEXT for i in range(4)})

    with pytest.raises(UploadError, match="最多 3 份报告"):
        unpack([FakeUpload("many.zip", archive)])


def test_a_file_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 100)

    with pytest.raises(UploadError, match="超过单份报告"):
        unpack([FakeUpload("big.txt", b"x" * 101)])
    with pytest.raises(UploadError, match="解压后有"):
        unpack([FakeUpload("big.zip", zipped({"big.txt": bytes(range(256)) * 1}))])


def test_the_unpacked_total_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 1000)
    archive = zipped({"a.txt": bytes(range(256)) * 3, "b.txt": bytes(range(256)) * 3})

    with pytest.raises(UploadError, match="解压后共"):
        unpack([FakeUpload("a.zip", archive)])


def test_the_unpacked_total_counts_what_follows_an_archive_inside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An archive inside is checked against all the outer one will inflate, not only what it
    has inflated so far: here each level alone is under the cap, both together over it."""
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 2000)
    page = bytes(range(256)) * 5  # 1,280 bytes
    inner = zipped({"x.txt": page})
    archive = zipped({"a.zip": inner, "z.txt": page})
    assert len(inner) + len(page) <= 2000 and len(page) * 2 > 2000

    with pytest.raises(UploadError, match="解压后共"):
        unpack([FakeUpload("folder.zip", archive)])


def test_the_request_size_is_checked_before_the_body_is_read() -> None:
    check_request_size(str(uploads.MAX_UPLOAD_BYTES))
    check_request_size(None)
    with pytest.raises(UploadError, match="请分成几个批次上传"):
        check_request_size(str(uploads.MAX_UPLOAD_BYTES + 1))


def test_unit_lists_from_text_csv_and_excel() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for name in ("单位名称", "洪泽区人民政府", "淮安市人民政府"):
        sheet.append([name, "备注"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert unit_list_text(FakeUpload("l.txt", "甲\n乙".encode("gbk"))) == "甲\n乙"
    assert "淮安市人民政府" in unit_list_text(FakeUpload("l.xlsx", buffer.getvalue()))
    with pytest.raises(UploadError, match="不是有效的 Excel"):
        unit_list_text(FakeUpload("l.xlsx", b"nope"))
    with pytest.raises(UploadError, match=r"\.txt、\.csv 或 \.xlsx"):
        unit_list_text(FakeUpload("l.pdf", b"%PDF"))
