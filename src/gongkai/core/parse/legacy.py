"""Legacy Word (.doc) and WPS (.wps) reports, read by converting them with LibreOffice.

Many offices still save reports in the binary Word 97–2003 or WPS formats, which no Python
library reads reliably. LibreOffice does: ``soffice --headless --convert-to docx`` in a private
temporary folder (its own user profile too, so that concurrent conversions in a batch do not
fight over one profile), with a timeout, and the .docx it writes is read by
:func:`gongkai.core.parse.docx.parse_docx`. Without LibreOffice the result says so in Chinese;
a conversion that fails or hangs is reported, never raised.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.core.errors import GongkaiError
from gongkai.core.parse.docx import parse_docx
from gongkai.core.parse.result import ParseResult, failure

NOT_INSTALLED = "需要安装 LibreOffice 才能读取 .doc/.wps 文件"
CONVERT_TIMEOUT_SECONDS = 120
_CANDIDATES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(
    data: bytes,
    *,
    suffix: str = ".doc",
    soffice: str | None = None,
    timeout: float = CONVERT_TIMEOUT_SECONDS,
) -> bytes:
    """The document converted to .docx by LibreOffice; GongkaiError when that is impossible."""
    program = soffice if soffice is not None else find_soffice()
    if program is None or (Path(program).is_absolute() and not Path(program).exists()):
        raise GongkaiError(NOT_INSTALLED)
    suffix = suffix if suffix.lower() in (".doc", ".wps") else ".doc"
    with tempfile.TemporaryDirectory(prefix="gongkai-legacy-") as folder:
        work = Path(folder)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - a fixed program and our own arguments
                command, capture_output=True, timeout=timeout, check=False
            )
        except FileNotFoundError:
            raise GongkaiError(NOT_INSTALLED) from None
        except subprocess.TimeoutExpired:
            raise GongkaiError(
                f"LibreOffice 转换超时（超过 {timeout:g} 秒），文件可能已损坏"
            ) from None
        except OSError as exc:
            raise GongkaiError(f"无法运行 LibreOffice（{exc.strerror or exc}）") from None
        target = work / "out" / "report.docx"
        if done.returncode != 0 or not target.exists():
            # Not LibreOffice's own words: they are English, and mostly about its setup
            # (「Warning: failed to launch javaldx」) rather than about the file.
            raise GongkaiError("LibreOffice 无法转换该文件（文件可能已损坏或不是 Word/WPS 文档）")
        return target.read_bytes()


def parse_legacy(
    data: bytes,
    *,
    source: str = "",
    soffice: str | None = None,
    timeout: float = CONVERT_TIMEOUT_SECONDS,
) -> ParseResult:
    """Parse a .doc/.wps report through LibreOffice (see the module docstring)."""
    suffix = Path(source).suffix or ".doc"
    try:
        converted = convert_to_docx(data, suffix=suffix, soffice=soffice, timeout=timeout)
    except GongkaiError as exc:
        return failure(source, str(exc))
    return parse_docx(converted, source=source)
