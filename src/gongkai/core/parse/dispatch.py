"""One entry point for any document: choose the parser by what the bytes are.

The auditor hands every document to :func:`parse_document`, whatever it was called: the kind
comes from the bytes (:func:`gongkai.core.inputs.sniff`; the name only breaks ties), so a PDF
saved as ``.html`` is still read as a PDF. It never raises: a document that cannot be read at
all is a :class:`ParseResult` with ``report=None`` and a specific Chinese reason, so one bad
file never stops a batch (issue 4, item 6).
"""

from __future__ import annotations

from gongkai.core.inputs import MAX_DOCUMENT_BYTES, Kind, decode_text, sniff
from gongkai.core.parse.docx import parse_docx
from gongkai.core.parse.html import parse_html
from gongkai.core.parse.legacy import parse_legacy
from gongkai.core.parse.ofd import parse_ofd
from gongkai.core.parse.pdf import parse_pdf
from gongkai.core.parse.result import ParseResult, failure
from gongkai.core.parse.text import parse_text


def parse_document(data: bytes, *, name: str) -> ParseResult:
    """Parse one document of any supported kind; never raises (see the module docstring)."""
    if not data:
        return failure(name, "文件为空")
    if len(data) > MAX_DOCUMENT_BYTES:
        return failure(name, f"文件过大（{len(data)} 字节），超过单份报告上限")
    kind = sniff(data, name)
    try:
        return _parse(kind, data, name)
    except RecursionError:
        return failure(name, "文件结构嵌套过深，无法读取")
    except MemoryError:
        return failure(name, "文件过大，读取时内存不足")
    except Exception as exc:  # the last guard of the batch: report, never crash
        return failure(name, f"读取时发生内部错误（{type(exc).__name__}），请将该文件报告给开发者")


def _parse(kind: Kind, data: bytes, name: str) -> ParseResult:
    if kind is Kind.PDF:
        return parse_pdf(data, source=name)
    if kind is Kind.DOCX:
        return parse_docx(data, source=name)
    if kind is Kind.LEGACY_WORD:
        return parse_legacy(data, source=name)
    if kind is Kind.OFD:
        return parse_ofd(data, source=name)
    if kind is Kind.HTML:
        return parse_html(data, source=name)
    if kind is Kind.TEXT:
        return parse_text(decode_text(data)[0], source=name)
    if data.startswith(b"PK\x03\x04"):
        return failure(name, _zip_problem(data))
    return failure(name, "不是年度报告：文件内容为二进制数据，无法识别")


# Files that are zip packages of another kind than Word's, told by the member their format
# requires: what an evaluator downloading a province's attachments meets besides reports.
_PACKAGES = (
    (
        "xl/workbook.xml",
        "文件是 Excel 工作簿（.xlsx），不是年度报告：报告请提供网页、Word、PDF、OFD 或文本",
    ),
    ("ppt/presentation.xml", "文件是 PowerPoint 演示文稿（.pptx），不是年度报告"),
    (
        "content.xml",
        "文件是 OpenDocument 文档（.odt 等），暂不能读取：请另存为 Word（.docx）或 PDF",
    ),
)


def _zip_problem(data: bytes) -> str:
    """Why a zip package that is not a Word document cannot be read as a report.

    The member names are looked for in the bytes (each stands in its local header), not by
    listing the archive: a hostile package's directory of a million names would be built in
    memory for a message."""
    for member, reason in _PACKAGES:
        if member.encode() in data:
            return reason
    return "文件是 zip 压缩包但不是 Word 文档（.docx），无法作为报告读取"
