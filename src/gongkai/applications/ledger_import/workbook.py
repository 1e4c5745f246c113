"""Reading a ledger workbook: the file's limits, its rows, its header row and which column
holds which field."""

from __future__ import annotations

import enum
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from openpyxl import load_workbook  # type: ignore[import-untyped]

from gongkai.applications.ledger_import.cells import cell_text, norm
from gongkai.core.errors import GongkaiError

MAX_BYTES: Final = 10 * 1024 * 1024
MAX_ROWS: Final = 20_000
HEADER_SCAN_ROWS: Final = 10
PREVIEW_ROWS: Final = 5


class Field(enum.StrEnum):
    APPLICANT_NAME = "applicant_name"
    ID_NUMBER = "id_document_number"
    APPLICANT_TYPE = "applicant_type"
    CHANNEL = "channel"
    RECEIVED_ON = "received_on"
    DESCRIPTION = "description"
    PHONE = "phone"
    ADDRESS = "address"
    RESULT = "result"
    REPLIED_ON = "replied_on"
    DELIVERY = "delivery"

    @property
    def label(self) -> str:
        return FIELD_LABELS[self]


FIELD_LABELS: Final[dict[Field, str]] = {
    Field.APPLICANT_NAME: "申请人",
    Field.ID_NUMBER: "证件号码",
    Field.APPLICANT_TYPE: "申请人类型",
    Field.CHANNEL: "申请渠道",
    Field.RECEIVED_ON: "申请（收到）日期",
    Field.DESCRIPTION: "申请内容",
    Field.PHONE: "联系电话",
    Field.ADDRESS: "通信地址",
    Field.RESULT: "办理结果",
    Field.REPLIED_ON: "答复日期",
    Field.DELIVERY: "送达方式",
}
REQUIRED: Final = (
    Field.APPLICANT_NAME,
    Field.ID_NUMBER,
    Field.APPLICANT_TYPE,
    Field.CHANNEL,
    Field.RECEIVED_ON,
    Field.DESCRIPTION,
)
# Header words seen in clerks' ledgers; the longest word found in a header cell decides.
HEADER_WORDS: Final[dict[Field, tuple[str, ...]]] = {
    Field.APPLICANT_NAME: ("申请人", "申请人姓名", "申请人名称", "姓名", "姓名或名称"),
    Field.ID_NUMBER: ("证件号码", "身份证号", "身份证号码", "身份证明号码", "统一社会信用代码"),
    Field.APPLICANT_TYPE: ("申请人类型", "申请人类别", "申请人性质", "申请主体类型"),
    Field.CHANNEL: ("渠道", "申请渠道", "申请方式", "提交方式", "受理方式", "来源"),
    Field.RECEIVED_ON: ("申请日期", "收到日期", "收件日期", "受理日期", "登记日期", "申请时间"),
    Field.DESCRIPTION: ("申请内容", "申请公开内容", "所需信息", "申请事项", "信息名称"),
    Field.PHONE: ("联系电话", "电话", "联系方式"),
    Field.ADDRESS: ("通信地址", "地址", "联系地址"),
    Field.RESULT: ("办理结果", "答复结果", "处理结果", "答复类型", "办理情况"),
    Field.REPLIED_ON: ("答复日期", "办结日期", "答复时间", "回复日期"),
    Field.DELIVERY: ("送达方式", "答复方式", "送达"),
}


class LedgerError(GongkaiError):
    """The workbook cannot be read at all (type, size, rows, no header), in Chinese."""


@dataclass(frozen=True, slots=True)
class Preview:
    sheet: str
    header_row: int  # Excel row number
    headers: list[str]
    mapping: dict[Field, int]  # field → 0-based column index
    rows: list[list[str]]  # the first data rows as text
    data_rows: int  # non-blank rows below the header
    missing: list[Field] = field(default_factory=list)  # required fields without a column


def read_rows(data: bytes, filename: str) -> tuple[str, list[tuple[Any, ...]]]:
    """The first worksheet's rows, after the type, size and row limits are checked."""
    if not filename.lower().endswith(".xlsx"):
        raise LedgerError(
            f"文件“{filename}”不是 Excel 工作簿（.xlsx）；旧版 .xls 或 WPS 表格请先另存为 .xlsx"
        )
    if len(data) > MAX_BYTES:
        raise LedgerError(
            f"文件“{filename}”大小为 {len(data) / 1024 / 1024:.1f} MB，"
            f"超过上限 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise LedgerError(f"文件“{filename}”不是有效的 .xlsx 文件（内容不是 Excel 工作簿格式）")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise LedgerError(f"无法打开 Excel 文件“{filename}”：{error}") from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[tuple[Any, ...]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise LedgerError(f"工作表“{sheet.title}”超过 {MAX_ROWS} 行，请拆分后分批导入")
        title = sheet.title
    finally:
        workbook.close()
    while rows and blank(rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise LedgerError(f"工作表“{title}”共 {len(rows)} 行，超过 {MAX_ROWS} 行，请拆分后分批导入")
    return title, rows


def blank(row: Sequence[Any]) -> bool:
    return all(cell_text(v) == "" for v in row)


def _field_of(header: str) -> Field | None:
    text = norm(header)
    best: tuple[int, Field] | None = None
    for candidate, words in HEADER_WORDS.items():
        for word in words:
            if word in text and (best is None or len(word) > best[0]):
                best = (len(word), candidate)
    return best[1] if best else None


def propose(headers: Sequence[str]) -> dict[Field, int]:
    mapping: dict[Field, int] = {}
    for index, header in enumerate(headers):
        found = _field_of(header)
        if found is not None and found not in mapping:
            mapping[found] = index
    return mapping


def find_header_row(rows: Sequence[Sequence[Any]]) -> int:
    """0-based index of the row naming the most fields among the first rows."""
    best, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len(propose([cell_text(v) for v in row]))
        if score > best_score:
            best, best_score = index, score
    if best_score < 3:
        raise LedgerError(
            f"在前 {HEADER_SCAN_ROWS} 行中没有找到表头行"
            "（至少应有“申请人”“申请日期”“申请内容”等列名）"
        )
    return best
