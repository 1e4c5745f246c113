"""Legacy .doc/.wps reports go through LibreOffice; without it, the reason says what to install.

LibreOffice is not installed by the test set-up, so the real conversion is skipped where it is
absent; every other path (missing program, failing program, hanging program) is exercised with
stand-in programs, since those are exactly the outcomes of the real one on a bad file.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.parse.legacy import NOT_INSTALLED, convert_to_docx, find_soffice, parse_legacy
from tests.fixtures.rendered.make_fixtures import HERE, load

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _program(tmp_path: Path, body: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_without_libreoffice_the_reason_says_to_install_it(tmp_path: Path) -> None:
    result = parse_legacy(
        OLE_HEADER + bytes(600), source="报告.doc", soffice=str(tmp_path / "none")
    )
    assert result.report is None
    assert result.reason == NOT_INSTALLED == "需要安装 LibreOffice 才能读取 .doc/.wps 文件"


def test_a_program_that_is_not_on_the_path_is_not_installed() -> None:
    with pytest.raises(GongkaiError, match="需要安装 LibreOffice"):
        convert_to_docx(OLE_HEADER, soffice="gongkai-no-such-soffice-program")


@pytest.mark.skipif(find_soffice() is not None, reason="LibreOffice is installed here")
def test_dispatch_sends_ole_files_to_libreoffice_and_explains_its_absence() -> None:
    for name in ("年报.doc", "年报.wps", "no-suffix"):
        result = parse_document(OLE_HEADER + bytes(600), name=name)
        assert result.report is None
        assert result.reason == NOT_INSTALLED


def test_a_failing_conversion_is_explained_in_chinese_only(tmp_path: Path) -> None:
    """LibreOffice's own English output says nothing a reader of the result can use."""
    program = _program(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    result = parse_legacy(OLE_HEADER, source="坏.doc", soffice=program)
    assert result.report is None
    assert result.reason == "LibreOffice 无法转换该文件（文件可能已损坏或不是 Word/WPS 文档）"


def test_a_hanging_conversion_times_out(tmp_path: Path) -> None:
    program = _program(tmp_path, "sleep 30")
    result = parse_legacy(OLE_HEADER, source="慢.wps", soffice=program, timeout=0.5)
    assert result.report is None
    assert result.reason == "LibreOffice 转换超时（超过 0.5 秒），文件可能已损坏"


def test_the_converted_docx_is_read(tmp_path: Path) -> None:
    """A stand-in that 'converts' by writing a real report's .docx where LibreOffice would."""
    docx = HERE / "seed_2021.docx"
    program = _program(
        tmp_path,
        'while [ "$1" != "--outdir" ]; do shift; done; mkdir -p "$2"; '
        f'cp "{docx}" "$2/report.docx"',
    )
    result = parse_legacy(OLE_HEADER, source="seed.doc", soffice=program)
    assert result.report is not None, result.reason
    assert result.report.tables == load("seed_2021").tables


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["doc", "wps"])
def test_real_libreoffice_round_trip(tmp_path: Path, target: str) -> None:
    import subprocess

    soffice = find_soffice()
    assert soffice is not None
    filter_name = "doc:MS Word 97" if target == "doc" else "wps"
    subprocess.run(
        [soffice, "--headless", "--convert-to", filter_name, "--outdir", str(tmp_path),
         str(HERE / "seed_2021.docx")],
        check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    converted = next(tmp_path.glob("seed_2021.*"))
    result = parse_legacy(converted.read_bytes(), source=converted.name)
    assert result.report is not None, result.reason
    assert result.report.tables == load("seed_2021").tables
